//! Integration tests of metabiz-whatsapp, on payloads shaped like Meta's documented ones
//! (`tests/fixtures/`).

mod errors;
mod normalize;
mod support;
mod typed;
