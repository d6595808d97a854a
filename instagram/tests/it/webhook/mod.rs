//! The webhook parser: typed payloads, normalized events, errors, snapshots.

mod errors;
mod normalize;
mod snapshots;
mod support;
mod typed;
