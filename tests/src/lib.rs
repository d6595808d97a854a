#![doc = include_str!("../../README.md")]
//!
//! This crate holds the workspace's cross-crate tests (in `tests/`); compiling its docs also
//! compiles the example in the workspace README.
