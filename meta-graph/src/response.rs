//! Successful responses.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind};
use crate::usage::Usage;

/// A decoded response with its metadata, from
/// [`GraphRequest::send_with_meta`](crate::GraphRequest::send_with_meta).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GraphResponse<T> {
    /// The decoded body.
    pub data: T,
    /// The rate-limit usage Meta reported with the response.
    pub usage: Usage,
    /// The HTTP status.
    pub status: StatusCode,
}

/// An undecoded success response, from
/// [`GraphRequest::send_raw`](crate::GraphRequest::send_raw).
#[derive(Clone, Debug)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    usage: Usage,
}

impl RawResponse {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let usage = Usage::from_headers(&headers);
        Self {
            status,
            headers,
            body,
            usage,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body bytes.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Takes the body bytes.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The rate-limit usage Meta reported with the response.
    pub fn usage(&self) -> &Usage {
        &self.usage
    }

    /// Decodes the body as JSON, for example into a
    /// [`serde_json::Value`].
    ///
    /// The error does not include the body: a raw response may hold
    /// secrets.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::msg(
                ErrorKind::Decode,
                format!(
                    "{:?} error at line {} column {}",
                    e.classify(),
                    e.line(),
                    e.column()
                ),
            )
            .with_status(self.status)
        })
    }
}
