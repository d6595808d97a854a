//! Integration tests: a real client against wiremock, with Meta-shaped
//! responses from `tests/fixtures/`.

mod common;
mod errors;
mod oauth;
mod oauth_instagram;
mod paging;
mod requests;
mod retries;
mod secrets;
mod send_api;
mod throttle;
