//! Paged listings as a stream of items.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::Error;

/// The items of a paged Graph API listing (templates, phone numbers), fetched page by page as
/// the stream is polled.
///
/// Each page is one request, following Meta's `after` cursor; the stream ends after the last
/// page, or after the first error (which it yields). A repeated cursor stops it, so a
/// misbehaving server cannot make it loop.
pub struct Paged<T> {
    inner: meta_graph::Pages<T>,
}

impl<T> Paged<T> {
    pub(crate) fn new(inner: meta_graph::Pages<T>) -> Self {
        Self { inner }
    }
}

impl<T> Stream for Paged<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inner)
            .poll_next(cx)
            .map(|item| item.map(|result| result.map_err(Error::graph_failure)))
    }
}

impl<T> fmt::Debug for Paged<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paged").finish_non_exhaustive()
    }
}
