#![doc = include_str!("../README.md")]

mod api_error;
mod client;
mod error;
mod id;
pub mod oauth;
mod paging;
mod request;
mod response;
mod retry;
mod secret;
pub mod send_api;
mod throttle;
mod timestamp;
mod usage;

pub use api_error::{ErrorClass, GraphApiError, TokenInvalidReason};
pub use client::{
    DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_DIALOG_BASE_URL, DEFAULT_MEDIA_HOSTS,
    GraphClient, GraphClientBuilder,
};
pub use error::{Error, ErrorKind};
pub use id::{AppId, InstagramBusinessAccountId, PageId, UserId};
pub use paging::{GraphPage, Pages};
pub use request::{GraphRequest, MultipartForm, Part, PreparedRequest, RequestBody};
pub use response::{GraphResponse, RawResponse};
pub use retry::{RetryPolicy, parse_retry_after};
pub use secret::{AccessToken, AppSecret};
pub use throttle::{ThrottlePolicy, UsageThrottle};
pub use timestamp::{GraphTime, unix_seconds};
pub use usage::{BusinessUseCaseUsage, Usage, UsageCounters};
