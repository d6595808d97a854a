//! Walking Graph API edges page by page.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{Error, ErrorKind};
use crate::request::GraphRequest;
use crate::usage::Usage;

/// One page of a Graph edge, for callers who keep the cursor between calls.
///
/// ```no_run
/// # async fn run(client: meta_graph::GraphClient, token: meta_graph::AccessToken) -> Result<(), meta_graph::Error> {
/// let page = client.get("me/conversations").token(&token).page::<serde_json::Value>().await?;
/// if let Some(cursor) = page.next_cursor() {
///     let later = client.get("me/conversations").token(&token).after(cursor).page::<serde_json::Value>().await?;
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GraphPage<T> {
    /// The items on this page.
    pub data: Vec<T>,
    /// `paging.cursors.before`.
    pub before: Option<String>,
    /// `paging.cursors.after`.
    pub after: Option<String>,
    /// Whether Meta sent a `next` link: only then is there a later page.
    pub has_next: bool,
    /// Whether Meta sent a `previous` link.
    pub has_previous: bool,
    /// The rate-limit usage reported with the page.
    pub usage: Usage,
}

impl<T> GraphPage<T> {
    /// The cursor for the next page, when there is one. Meta documents that
    /// `after` may be present on the last page, so this also checks `next`.
    pub fn next_cursor(&self) -> Option<&str> {
        self.has_next.then_some(self.after.as_deref()).flatten()
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: Vec<T>,
    #[serde(default)]
    paging: Option<Paging>,
}

#[derive(Deserialize, Default)]
struct Paging {
    #[serde(default)]
    cursors: Option<Cursors>,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    previous: Option<String>,
}

#[derive(Deserialize, Default)]
struct Cursors {
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    after: Option<String>,
}

impl GraphRequest {
    /// Fetches one page of an edge (`{"data": […], "paging": {…}}`).
    pub async fn page<T: DeserializeOwned>(self) -> Result<GraphPage<T>, Error> {
        self.fetch_page().await.map(|(page, _)| page)
    }

    async fn fetch_page<T: DeserializeOwned>(
        self,
    ) -> Result<(GraphPage<T>, Option<String>), Error> {
        let prepared = self.build()?;
        let raw = prepared.client.execute(&prepared).await?;
        let envelope: Envelope<T> = prepared.decode(&raw)?;
        let paging = envelope.paging.unwrap_or_default();
        let cursors = paging.cursors.unwrap_or_default();
        let page = GraphPage {
            data: envelope.data,
            before: cursors.before,
            after: cursors.after,
            has_next: paging.next.is_some(),
            has_previous: paging.previous.is_some(),
            usage: raw.usage().clone(),
        };
        Ok((page, paging.next))
    }

    /// Streams every item of an edge, following pages.
    ///
    /// The next page is requested with the `after` cursor on the original
    /// request (so the token stays in the header). When a page only has a
    /// `next` link, it is followed only if it points at the client's own
    /// base URL origin, with any `access_token` in it removed; a link to
    /// another host ends the stream with an [`ErrorKind::Paging`] error,
    /// so the token is never sent elsewhere.
    ///
    /// The stream ends when a page has no `next` link, when a cursor or
    /// link repeats (a guard against loops), after
    /// [`max_pages`](Self::max_pages) pages, or at the first empty page if
    /// [`stop_on_empty_page`](Self::stop_on_empty_page) is set. After an
    /// error it ends.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn run(client: meta_graph::GraphClient, token: meta_graph::AccessToken) -> Result<(), meta_graph::Error> {
    /// let ids: Vec<serde_json::Value> = client
    ///     .get("me/accounts")
    ///     .token(&token)
    ///     .max_pages(10)
    ///     .paginate()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn paginate<T: DeserializeOwned + Send + 'static>(self) -> Pages<T> {
        let mut seen = HashSet::new();
        if let Some(cursor) = self.query_value("after") {
            seen.insert(format!("after:{cursor}"));
        }
        let state = Pager {
            request: self,
            hop: Some(Hop::First),
            seen,
            fetched: 0,
        };
        let inner = stream::unfold(state, Pager::next_page::<T>).flat_map(|result| {
            let items: Vec<Result<T, Error>> = match result {
                Ok(items) => items.into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        });
        Pages {
            inner: Box::pin(inner),
        }
    }
}

/// The items of a paged edge, from [`GraphRequest::paginate`].
///
/// A [`Stream`] of `Result<T, Error>`; use `futures_util::TryStreamExt`
/// (or `StreamExt`) to consume it.
pub struct Pages<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> Stream for Pages<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

struct Pager {
    request: GraphRequest,
    hop: Option<Hop>,
    seen: HashSet<String>,
    fetched: usize,
}

enum Hop {
    First,
    After(String),
    Next(Url),
    Fail(Error),
}

impl Pager {
    async fn next_page<T: DeserializeOwned>(mut self) -> Option<(Result<Vec<T>, Error>, Self)> {
        let request = match self.hop.take()? {
            Hop::First => self.request.clone(),
            Hop::After(cursor) => self.request.clone().after(cursor),
            Hop::Next(url) => self.request.clone().with_next_link(url),
            Hop::Fail(error) => return Some((Err(error), self)),
        };
        match request.fetch_page::<T>().await {
            Ok((page, next)) => {
                self.fetched += 1;
                self.hop = self.plan(&page, next);
                Some((Ok(page.data), self))
            }
            Err(error) => Some((Err(error), self)),
        }
    }

    /// Decides the next hop after a page, or `None` to stop.
    fn plan<T>(&mut self, page: &GraphPage<T>, next: Option<String>) -> Option<Hop> {
        if self
            .request
            .max_pages
            .is_some_and(|max| self.fetched >= max)
        {
            return None;
        }
        // Meta: "If not included, this is the last page of data."
        let next = next?;
        if self.request.stop_on_empty_page && page.data.is_empty() {
            return None;
        }
        if let Some(cursor) = &page.after {
            if !self.seen.insert(format!("after:{cursor}")) {
                tracing::warn!("Graph API paging repeated a cursor; stopping");
                return None;
            }
            return Some(Hop::After(cursor.clone()));
        }
        let Ok(mut url) = Url::parse(&next) else {
            return Some(Hop::Fail(Error::msg(
                ErrorKind::Paging,
                "the `next` link is not a URL",
            )));
        };
        if !self.request.client.is_same_origin(&url) {
            return Some(Hop::Fail(Error::msg(
                ErrorKind::Paging,
                "the `next` link points to another origin; not sending the token there",
            )));
        }
        strip_credentials(&mut url);
        if !self.seen.insert(format!("next:{url}")) {
            tracing::warn!("Graph API paging repeated a link; stopping");
            return None;
        }
        Some(Hop::Next(url))
    }
}

/// Removes `access_token` (Meta copies it into `next` links) and
/// `appsecret_proof` (the client adds its own).
fn strip_credentials(url: &mut Url) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "access_token" && k != "appsecret_proof")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}
