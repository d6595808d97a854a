//! The client handle and the send loop.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::header::HeaderValue;
use http::{Method, StatusCode};
use url::Url;

use crate::api_error::{ErrorClass, GraphApiError};
use crate::error::{Error, ErrorKind, body_snippet};
use crate::request::{GraphRequest, PreparedRequest};
use crate::response::RawResponse;
use crate::retry::{RetryPolicy, parse_retry_after};
use crate::secret::AppSecret;
use crate::usage::Usage;

/// The Graph API version used unless the builder sets another.
///
/// Meta releases a version about twice a year and supports each for at
/// least two years; pin the version your app was tested with.
pub const DEFAULT_API_VERSION: &str = "v26.0";

/// Where Graph API calls go by default. Instagram Login tokens use
/// `https://graph.instagram.com/` instead.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com/";

/// Where the Facebook Login dialog lives.
pub const DEFAULT_DIALOG_BASE_URL: &str = "https://www.facebook.com/";

/// Hosts, besides the base URL's own origin, that [`GraphClient::get_url`] sends a token to
/// by default: where Meta serves WhatsApp media downloads.
pub const DEFAULT_MEDIA_HOSTS: &[&str] = &["lookaside.fbsbx.com"];

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_USER_AGENT: &str = concat!("meta-graph/", env!("CARGO_PKG_VERSION"));

/// A Graph API client: one connection pool, one API version, one base URL.
///
/// Cheap to clone (an `Arc` inside); build one per base URL and share it.
/// The client knows no platform: the WhatsApp, Messenger and Instagram
/// crates build their calls on it.
///
/// ```
/// use std::time::Duration;
/// use meta_graph::{GraphClient, RetryPolicy};
///
/// let client = GraphClient::builder()
///     .api_version("v26.0")
///     .timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::default().with_max_attempts(3))
///     .build()?;
/// assert_eq!(client.api_version(), "v26.0");
/// # Ok::<(), meta_graph::Error>(())
/// ```
#[derive(Clone)]
pub struct GraphClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    api_root: Url,
    dialog_base_url: Url,
    api_version: String,
    app_secret: Option<AppSecret>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    user_agent: HeaderValue,
    media_hosts: Vec<String>,
}

impl GraphClient {
    /// Starts configuring a client.
    pub fn builder() -> GraphClientBuilder {
        GraphClientBuilder::default()
    }

    /// A GET request to `path`, relative to `{base_url}/{api_version}/`
    /// (for example `"me/accounts"` or `"{page-id}/conversations"`).
    pub fn get(&self, path: &str) -> GraphRequest {
        self.request(Method::GET, path)
    }

    /// A POST request to `path`.
    pub fn post(&self, path: &str) -> GraphRequest {
        self.request(Method::POST, path)
    }

    /// A DELETE request to `path`.
    pub fn delete(&self, path: &str) -> GraphRequest {
        self.request(Method::DELETE, path)
    }

    /// A request with any method to `path`.
    pub fn request(&self, method: Method, path: &str) -> GraphRequest {
        GraphRequest::new(self.clone(), method, path)
    }

    /// A GET of an absolute URL that Meta handed out, such as a WhatsApp media download URL
    /// from `GET /{media-id}`, authenticated like any other call once
    /// [`token`](GraphRequest::token) is set.
    ///
    /// A token is a key to the whole account, so the URL must be on the base URL's origin or
    /// an `https` URL on one of the client's media hosts ([`DEFAULT_MEDIA_HOSTS`], or those
    /// set with [`GraphClientBuilder::media_hosts`]); any other URL fails with
    /// [`ErrorKind::InvalidRequest`] when the request is sent, and nothing leaves the
    /// machine. The response is not expected to be JSON: read it with
    /// [`send_raw`](GraphRequest::send_raw).
    ///
    /// ```
    /// let client = meta_graph::GraphClient::builder().build()?;
    /// let ok = client.get_url("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1");
    /// assert!(ok.build().is_ok());
    /// let refused = client.get_url("https://attacker.example/steal");
    /// assert_eq!(refused.build().unwrap_err().kind(), meta_graph::ErrorKind::InvalidRequest);
    /// # Ok::<(), meta_graph::Error>(())
    /// ```
    pub fn get_url(&self, url: &str) -> GraphRequest {
        let request = GraphRequest::new(self.clone(), Method::GET, "").accept_any();
        match Url::parse(url) {
            Ok(parsed) if self.may_receive_token(&parsed) => request.with_absolute_url(parsed),
            Ok(_) => request
                .invalid("the URL is neither on the API's origin nor an https URL on a media host"),
            Err(_) => request.invalid("the URL is not a valid absolute URL"),
        }
    }

    /// Whether a token may be sent to `url`: the API's origin, or https on a media host.
    fn may_receive_token(&self, url: &Url) -> bool {
        if self.is_same_origin(url) {
            return true;
        }
        url.scheme() == "https"
            && url.port().is_none()
            && url.username().is_empty()
            && url.password().is_none()
            && url.host_str().is_some_and(|host| {
                self.inner
                    .media_hosts
                    .iter()
                    .any(|allowed| allowed.eq_ignore_ascii_case(host))
            })
    }

    /// The hosts besides the API's origin that [`get_url`](Self::get_url) accepts.
    pub fn media_hosts(&self) -> &[String] {
        &self.inner.media_hosts
    }

    /// A client like this one (version, retries, timeouts, app secret, media hosts, and the
    /// same connection pool) on another base URL, such as `https://graph.instagram.com/` for
    /// Instagram Login tokens.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Config`] when `base_url` is not an absolute http(s) URL.
    pub fn with_base_url(&self, base_url: &str) -> Result<GraphClient, Error> {
        self.rebuild_with_base(base_url)
    }

    pub(crate) fn rebuild_with_base(&self, base_url: &str) -> Result<GraphClient, Error> {
        let inner = &self.inner;
        let base_url = parse_base("base URL", base_url)?;
        let api_root = base_url
            .join(&format!("{}/", inner.api_version))
            .map_err(|e| Error::new(ErrorKind::Config).with_source(e))?;
        Ok(GraphClient {
            inner: Arc::new(Inner {
                http: inner.http.clone(),
                base_url,
                api_root,
                dialog_base_url: inner.dialog_base_url.clone(),
                api_version: inner.api_version.clone(),
                app_secret: inner.app_secret.clone(),
                retry: inner.retry.clone(),
                timeout: inner.timeout,
                user_agent: inner.user_agent.clone(),
                media_hosts: inner.media_hosts.clone(),
            }),
        })
    }

    /// The API version in every path, such as `v26.0`.
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
    }

    /// The base URL, such as `https://graph.facebook.com/`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The base URL of the Facebook Login dialog.
    pub fn dialog_base_url(&self) -> &Url {
        &self.inner.dialog_base_url
    }

    /// The retry policy used unless a request overrides it.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn app_secret(&self) -> Option<&AppSecret> {
        self.inner.app_secret.as_ref()
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.inner.user_agent
    }

    /// Whether `url` has the same scheme, host and port as the base URL:
    /// the only place a token may be sent.
    pub(crate) fn is_same_origin(&self, url: &Url) -> bool {
        url.origin() == self.inner.base_url.origin()
    }

    /// Joins a relative path onto `{base}/{version}/`, refusing anything
    /// that could leave it.
    pub(crate) fn resolve_path(&self, path: &str) -> Result<Url, Error> {
        Self::resolve_under(&self.inner.api_root, path)
    }

    /// Joins a relative path onto the base URL itself, without the version.
    pub(crate) fn resolve_unversioned(&self, path: &str) -> Result<Url, Error> {
        Self::resolve_under(&self.inner.base_url, path)
    }

    fn resolve_under(root: &Url, path: &str) -> Result<Url, Error> {
        let path = path.strip_prefix('/').unwrap_or(path);
        let reject = |why: &str| {
            Err(Error::msg(
                ErrorKind::InvalidRequest,
                format!("invalid path: {why}"),
            ))
        };
        if path.starts_with('/') || path.contains("://") {
            return reject("absolute URLs are not accepted");
        }
        if let Some(c) = path
            .chars()
            .find(|c| matches!(c, '?' | '#' | '\\' | '%') || c.is_whitespace() || c.is_control())
        {
            return reject(&format!(
                "character {c:?} is not allowed (set query parameters with `.query()`)"
            ));
        }
        if path
            .split('/')
            .any(|segment| segment == ".." || segment == ".")
        {
            return reject("dot segments are not allowed");
        }
        if path
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
        {
            return reject("a scheme is not allowed");
        }
        let url = root
            .join(path)
            .map_err(|e| Error::new(ErrorKind::InvalidRequest).with_source(e))?;
        if !url.as_str().starts_with(root.as_str()) {
            return reject("the path leaves the API root");
        }
        Ok(url)
    }

    /// Sends a prepared request, retrying as its policy allows.
    pub(crate) async fn execute(&self, request: &PreparedRequest) -> Result<RawResponse, Error> {
        let policy = &request.retry;
        let started = tokio::time::Instant::now();
        let mut attempt = 1;
        loop {
            tracing::debug!(method = %request.method(), path = request.log_path(), attempt, "sending Graph API request");
            if let Some(throttle) = &request.throttle {
                throttle.ready().await;
            }
            let outcome = self.attempt(request).await;
            if let Some(throttle) = &request.throttle {
                match &outcome {
                    Ok(response) => throttle.observe(response.usage()),
                    Err(Failure::Final(error) | Failure::Retryable { error, .. }) => {
                        throttle.observe_error(error);
                    }
                }
            }
            let (error, min_wait) = match outcome {
                Ok(response) => return Ok(response),
                Err(Failure::Final(error)) => return Err(error),
                Err(Failure::Retryable { error, min_wait }) => (error, min_wait),
            };
            // The account's pause (regain time, or the policy's default after a throttling
            // error) delays the retry too: it counts against the deadline, so a retry that
            // could only go out after it is not waited for.
            let paused = request
                .throttle
                .as_ref()
                .and_then(crate::throttle::UsageThrottle::paused_until)
                .map(|until| until.saturating_duration_since(tokio::time::Instant::now()));
            let min_wait = min_wait.max(paused);
            let Some(wait) =
                policy.plan_retry(attempt, started.elapsed(), min_wait, &mut rand::rng())
            else {
                tracing::debug!(
                    path = request.log_path(),
                    attempt,
                    "not retrying Graph API request: attempts or deadline exhausted"
                );
                return Err(error);
            };
            tracing::warn!(
                path = request.log_path(),
                attempt,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                kind = ?error.kind(),
                code = error.api_error().map(GraphApiError::code),
                "retrying Graph API request"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One try, classified: success, a final error, or an error worth
    /// retrying (with the least wait Meta asked for).
    async fn attempt(&self, request: &PreparedRequest) -> Result<RawResponse, Failure> {
        let idempotent = request.is_idempotent();
        let http_request = request
            .to_reqwest(&self.inner.http)
            .map_err(Failure::Final)?;
        let response = match self.inner.http.execute(http_request).await {
            Ok(response) => response,
            Err(e) => {
                // The URL may hold a client_secret; keep it out of the chain.
                let connect = e.is_connect();
                let error = Error::new(ErrorKind::Transport).with_source(e.without_url());
                return Err(if connect {
                    // The connection was never opened: nothing reached Meta.
                    Failure::Retryable {
                        error,
                        min_wait: None,
                    }
                } else if idempotent {
                    Failure::Retryable {
                        error,
                        min_wait: None,
                    }
                } else {
                    Failure::Final(error.into_kind(ErrorKind::Ambiguous))
                });
            }
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => {
                // Headers arrived, so Meta received the request.
                let error = Error::new(ErrorKind::Transport)
                    .with_source(e.without_url())
                    .with_status(status)
                    .with_usage(Usage::from_headers(&headers));
                return Err(if idempotent {
                    Failure::Retryable {
                        error,
                        min_wait: None,
                    }
                } else {
                    Failure::Final(error.into_kind(ErrorKind::Ambiguous))
                });
            }
        };
        if status.is_success() {
            return Ok(RawResponse::new(status, headers, body));
        }
        Err(Self::judge_error_response(request, status, &headers, &body))
    }

    fn judge_error_response(
        request: &PreparedRequest,
        status: StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Failure {
        let idempotent = request.is_idempotent();
        let usage = Usage::from_headers(headers);
        let server_wait =
            parse_retry_after(headers, SystemTime::now()).max(usage.max_regain_time());
        if let Some(mut api) = GraphApiError::from_response_body(status, body) {
            for secret in request.secrets() {
                api.scrub(secret);
            }
            let class = api.class();
            let error = Error::new(ErrorKind::Api)
                .with_api(api)
                .with_usage(usage)
                .with_retry_after(server_wait);
            return match class {
                // Throttling rejects the call before it is processed.
                ErrorClass::Throttled => Failure::Retryable {
                    error,
                    min_wait: server_wait,
                },
                ErrorClass::Transient if idempotent => Failure::Retryable {
                    error,
                    min_wait: server_wait,
                },
                ErrorClass::Transient => Failure::Final(error.into_kind(ErrorKind::Ambiguous)),
                _ => Failure::Final(error),
            };
        }
        let snippet = (!request.redacts_response()).then(|| body_snippet(body, request.secrets()));
        let error = Error::new(ErrorKind::UnexpectedResponse)
            .with_status(status)
            .with_usage(usage)
            .with_retry_after(server_wait)
            .with_body(snippet);
        if status == StatusCode::TOO_MANY_REQUESTS {
            Failure::Retryable {
                error,
                min_wait: server_wait,
            }
        } else if status.is_server_error() {
            if idempotent {
                Failure::Retryable {
                    error,
                    min_wait: server_wait,
                }
            } else {
                Failure::Final(error.into_kind(ErrorKind::Ambiguous))
            }
        } else {
            Failure::Final(error)
        }
    }
}

enum Failure {
    Final(Error),
    Retryable {
        error: Error,
        min_wait: Option<Duration>,
    },
}

impl fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("base_url", &self.inner.base_url.as_str())
            .field("api_version", &self.inner.api_version)
            .field("dialog_base_url", &self.inner.dialog_base_url.as_str())
            .field(
                "app_secret",
                &self.inner.app_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Configures a [`GraphClient`]; see [`GraphClient::builder`].
pub struct GraphClientBuilder {
    api_version: String,
    base_url: String,
    dialog_base_url: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    app_secret: Option<AppSecret>,
    retry: RetryPolicy,
    user_agent: String,
    http: Option<reqwest::Client>,
    media_hosts: Vec<String>,
}

impl Default for GraphClientBuilder {
    fn default() -> Self {
        Self {
            api_version: DEFAULT_API_VERSION.to_owned(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            dialog_base_url: DEFAULT_DIALOG_BASE_URL.to_owned(),
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            app_secret: None,
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            http: None,
            media_hosts: DEFAULT_MEDIA_HOSTS.iter().map(|&h| h.to_owned()).collect(),
        }
    }
}

impl GraphClientBuilder {
    /// Sets the API version, such as `v26.0` (default
    /// [`DEFAULT_API_VERSION`]).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// Sets the base URL (default [`DEFAULT_BASE_URL`]). Use
    /// `https://graph.instagram.com/` for Instagram Login tokens, or a mock
    /// server's address in tests.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sets the base URL of the Login dialog (default
    /// [`DEFAULT_DIALOG_BASE_URL`]).
    pub fn dialog_base_url(mut self, url: impl Into<String>) -> Self {
        self.dialog_base_url = url.into();
        self
    }

    /// Sets how long one attempt may take, response body included (default
    /// 30 s); `None` for no limit.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// Sets how long opening a connection may take (default 10 s). Ignored
    /// with [`http_client`](Self::http_client), whose own setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the app secret, so that every call made with a token carries
    /// `appsecret_proof` (required when the app enables "Require App
    /// Secret").
    pub fn app_secret(mut self, secret: AppSecret) -> Self {
        self.app_secret = Some(secret);
        self
    }

    /// Sets the retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Replaces the hosts that [`GraphClient::get_url`] may send a token to, besides the
    /// base URL's origin (default [`DEFAULT_MEDIA_HOSTS`]). Only `https` URLs on the default
    /// port are ever accepted on them.
    pub fn media_hosts<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.media_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// Uses your own `reqwest` client (to share a pool, or set a proxy).
    /// Its redirect policy applies: the default client follows none.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<GraphClient, Error> {
        let config = |why: String| Error::msg(ErrorKind::Config, why);
        if !is_valid_version(&self.api_version) {
            return Err(config(format!(
                "API version {:?} is not of the form `v26.0`",
                self.api_version
            )));
        }
        let base_url = parse_base("base URL", &self.base_url)?;
        let dialog_base_url = parse_base("dialog base URL", &self.dialog_base_url)?;
        let api_root = base_url
            .join(&format!("{}/", self.api_version))
            .map_err(|e| Error::new(ErrorKind::Config).with_source(e))?;
        let user_agent = HeaderValue::try_from(self.user_agent)
            .map_err(|_| config("the user agent is not a valid header value".to_owned()))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                // A redirect could carry the Authorization header elsewhere;
                // the Graph API does not redirect API calls.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::new(ErrorKind::Config).with_source(e))?,
        };
        Ok(GraphClient {
            inner: Arc::new(Inner {
                http,
                base_url,
                api_root,
                dialog_base_url,
                api_version: self.api_version,
                app_secret: self.app_secret,
                retry: self.retry,
                timeout: self.timeout,
                user_agent,
                media_hosts: self.media_hosts,
            }),
        })
    }
}

impl fmt::Debug for GraphClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClientBuilder")
            .field("api_version", &self.api_version)
            .field("base_url", &self.base_url)
            .field("dialog_base_url", &self.dialog_base_url)
            .field(
                "app_secret",
                &self.app_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("media_hosts", &self.media_hosts)
            .finish_non_exhaustive()
    }
}

/// `v` followed by digits, optionally `.` and digits (`v26.0`, `v3`).
fn is_valid_version(version: &str) -> bool {
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let (major, minor) = rest.split_once('.').unwrap_or((rest, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(major) && digits(minor)
}

fn parse_base(what: &str, text: &str) -> Result<Url, Error> {
    let config = |why: &str| Error::msg(ErrorKind::Config, format!("the {what} {why}"));
    let mut url = Url::parse(text).map_err(|_| config("is not a valid URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(config("must be an http(s) URL with a host"));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(config("must not have a query, fragment or credentials"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> GraphClient {
        GraphClient::builder().build().unwrap()
    }

    #[test]
    fn paths_resolve_under_the_versioned_root() {
        let c = client();
        assert_eq!(
            c.resolve_path("me/accounts").unwrap().as_str(),
            format!("https://graph.facebook.com/{DEFAULT_API_VERSION}/me/accounts")
        );
        assert_eq!(
            c.resolve_path("/12345").unwrap().path(),
            format!("/{DEFAULT_API_VERSION}/12345")
        );
    }

    #[test]
    fn escaping_paths_are_rejected() {
        let c = client();
        for bad in [
            "https://evil.example/x",
            "//evil.example/x",
            "../v1.0/me",
            "me/../../x",
            "me/%2e%2e/x",
            "me?access_token=x",
            "me#x",
            "javascript:alert(1)",
            "me\\..\\x",
            "me/ x",
        ] {
            let err = c.resolve_path(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{bad}");
        }
    }

    #[test]
    fn builder_validates() {
        assert_eq!(
            GraphClient::builder()
                .api_version("26.0")
                .build()
                .unwrap_err()
                .kind(),
            ErrorKind::Config
        );
        assert_eq!(
            GraphClient::builder()
                .base_url("ftp://x/")
                .build()
                .unwrap_err()
                .kind(),
            ErrorKind::Config
        );
        assert_eq!(
            GraphClient::builder()
                .base_url("not a url")
                .build()
                .unwrap_err()
                .kind(),
            ErrorKind::Config
        );
        let c = GraphClient::builder()
            .base_url("http://127.0.0.1:9/emulator")
            .api_version("v3")
            .build()
            .unwrap();
        assert_eq!(
            c.resolve_path("me").unwrap().as_str(),
            "http://127.0.0.1:9/emulator/v3/me"
        );
    }
}
