//! Integration tests of metabiz-instagram, on payloads shaped like Meta's documented ones
//! (`tests/fixtures/`, written in Meta's wire form: compact, with `\/` and `\uXXXX` escapes).

mod webhook;

mod client;
mod platform;
