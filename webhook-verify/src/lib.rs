#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod error;
mod form;
pub mod handshake;
mod secret;
pub mod signature;
pub mod signed_request;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;

pub use error::{Error, ErrorKind, HandshakeRefusal};
pub use handshake::{Challenge, MAX_CHALLENGE_LEN, verify_subscription, verify_subscription_query};
pub use secret::{AppSecret, VerifyToken};
pub use signature::{SIGNATURE_256_HEADER, SIGNATURE_SHA1_HEADER, SignatureVerifier};
pub use signed_request::{DataDeletionResponse, MAX_SIGNED_REQUEST_LEN, SignedRequest};
