//! Integration tests of metabiz-messenger, on payloads shaped like Meta's documented ones
//! (`tests/fixtures/`, written in Meta's wire form: compact, with `\/` and `\uXXXX` escapes).

mod client;
mod drift;
mod errors;
mod normalize;
mod platform;
mod snapshots;
mod support;
mod typed;
