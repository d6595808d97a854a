//! Building Graph API requests.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::client::GraphClient;
use crate::error::{Error, ErrorKind, body_snippet, scrub};
use crate::response::{GraphResponse, RawResponse};
use crate::retry::RetryPolicy;
use crate::secret::AccessToken;
use crate::throttle::UsageThrottle;

/// Query parameters the client sets itself; a caller setting them would
/// put a token in the URL or forge the proof.
const RESERVED_QUERY: [&str; 2] = ["access_token", "appsecret_proof"];

/// A Graph API request being built; send it with one of the `send`
/// methods.
///
/// Created by [`GraphClient::get`], [`GraphClient::post`],
/// [`GraphClient::delete`] or [`GraphClient::request`]. Setters never fail;
/// problems (a bad path, a body that does not serialize) are reported when
/// the request is sent or [built](GraphRequest::build).
///
/// ```no_run
/// # async fn run(client: meta_graph::GraphClient, token: meta_graph::AccessToken) -> Result<(), meta_graph::Error> {
/// #[derive(serde::Deserialize)]
/// struct Me { id: String, name: String }
///
/// let me: Me = client.get("me").token(&token).fields(["id", "name"]).send().await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
// Independent per-request switches, not a state machine in disguise.
#[allow(clippy::struct_excessive_bools)]
pub struct GraphRequest {
    pub(crate) client: GraphClient,
    method: Method,
    target: Target,
    token: Option<AccessToken>,
    query: Vec<(String, String)>,
    /// Values that must never be shown: the token and secret query values.
    secrets: Vec<AccessToken>,
    body: RequestBody,
    idempotent: Option<bool>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    redact_response: bool,
    pub(crate) max_pages: Option<usize>,
    pub(crate) stop_on_empty_page: bool,
    invalid: Option<String>,
    /// `Accept: */*` instead of JSON, for downloads.
    accept_any: bool,
    throttle: Option<UsageThrottle>,
    /// The token endpoints of Instagram Login take the token being exchanged as an
    /// `access_token` query value (kept secret like the client secret).
    token_in_query: bool,
}

#[derive(Clone)]
enum Target {
    Path(String),
    /// A path under the base URL itself, without the API version (OAuth endpoints of
    /// Instagram Login).
    Unversioned(String),
    /// A paging `next` link, already checked to be on the API's origin.
    Absolute(Url),
}

/// The body of a request.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum RequestBody {
    /// No body.
    #[default]
    Empty,
    /// A JSON document (`application/json`).
    Json(Bytes),
    /// URL-encoded form fields (`application/x-www-form-urlencoded`).
    Form(String),
    /// A `multipart/form-data` body, for uploads such as WhatsApp media.
    Multipart(MultipartForm),
}

/// A `multipart/form-data` body.
///
/// Kept as plain data (not a streaming body) so the client can rebuild it
/// for a retry.
///
/// ```
/// use meta_graph::{MultipartForm, Part};
/// let form = MultipartForm::new()
///     .text("messaging_product", "whatsapp")
///     .part("file", Part::bytes(vec![0xFF, 0xD8]).file_name("photo.jpg").mime("image/jpeg"));
/// assert_eq!(form.len(), 2);
/// ```
#[derive(Clone, Debug, Default)]
pub struct MultipartForm {
    parts: Vec<(String, Part)>,
}

/// One field of a [`MultipartForm`].
#[derive(Clone)]
pub struct Part {
    data: PartData,
    file_name: Option<String>,
    mime: Option<String>,
}

#[derive(Clone)]
enum PartData {
    Text(String),
    Bytes(Bytes),
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.part(
            name,
            Part {
                data: PartData::Text(value.into()),
                file_name: None,
                mime: None,
            },
        )
    }

    /// Adds a field, such as a file.
    pub fn part(mut self, name: impl Into<String>, part: Part) -> Self {
        self.parts.push((name.into(), part));
        self
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the form has no fields.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    fn to_reqwest(&self) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let mut built = match &part.data {
                PartData::Text(text) => reqwest::multipart::Part::text(text.clone()),
                PartData::Bytes(bytes) => reqwest::multipart::Part::stream(bytes.clone()),
            };
            if let Some(file_name) = &part.file_name {
                built = built.file_name(file_name.clone());
            }
            if let Some(mime) = &part.mime {
                built = built.mime_str(mime).map_err(|_| {
                    Error::msg(
                        ErrorKind::InvalidRequest,
                        format!("invalid MIME type for part `{name}`"),
                    )
                })?;
            }
            form = form.part(name.clone(), built);
        }
        Ok(form)
    }
}

impl Part {
    /// A binary field, such as file content.
    pub fn bytes(data: impl Into<Bytes>) -> Self {
        Self {
            data: PartData::Bytes(data.into()),
            file_name: None,
            mime: None,
        }
    }

    /// Sets the file name sent with the field.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the field's content type, such as `image/jpeg`.
    pub fn mime(mut self, mime: impl Into<String>) -> Self {
        self.mime = Some(mime.into());
        self
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, len) = match &self.data {
            PartData::Text(text) => ("text", text.len()),
            PartData::Bytes(bytes) => ("bytes", bytes.len()),
        };
        f.debug_struct("Part")
            .field("kind", &kind)
            .field("len", &len)
            .field("file_name", &self.file_name)
            .field("mime", &self.mime)
            .finish()
    }
}

impl GraphRequest {
    pub(crate) fn new(client: GraphClient, method: Method, path: &str) -> Self {
        Self {
            client,
            method,
            target: Target::Path(path.to_owned()),
            token: None,
            query: Vec::new(),
            secrets: Vec::new(),
            body: RequestBody::Empty,
            idempotent: None,
            timeout: None,
            retry: None,
            redact_response: false,
            max_pages: None,
            stop_on_empty_page: false,
            invalid: None,
            accept_any: false,
            throttle: None,
            token_in_query: false,
        }
    }

    pub(crate) fn unversioned(mut self, path: &str) -> Self {
        self.target = Target::Unversioned(path.to_owned());
        self
    }

    /// Sends `token` as the `access_token` query value, for the token endpoints that want it
    /// there; it is redacted like every secret.
    pub(crate) fn token_in_query(mut self, token: &AccessToken) -> Self {
        self.token_in_query = true;
        self.secret_query("access_token", token.expose_secret())
    }

    /// Registers `value` as a secret: scrubbed from errors and `Debug` output.
    pub(crate) fn redact(mut self, value: &str) -> Self {
        self.secrets.push(AccessToken::new(value));
        self
    }

    pub(crate) fn accept_any(mut self) -> Self {
        self.accept_any = true;
        self
    }

    pub(crate) fn invalid(mut self, problem: &str) -> Self {
        self.invalid = Some(problem.to_owned());
        self
    }

    pub(crate) fn with_absolute_url(mut self, url: Url) -> Self {
        self.target = Target::Absolute(url);
        self
    }

    /// Authenticates the request with `token`, sent as
    /// `Authorization: Bearer`. When the client has an app secret, the
    /// matching `appsecret_proof` is added too.
    pub fn token(mut self, token: &AccessToken) -> Self {
        self.token = Some(token.clone());
        self.secrets.push(token.clone());
        self
    }

    /// Adds a query parameter. `access_token` and `appsecret_proof` are set
    /// by the client and rejected here (use [`token`](Self::token)).
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Adds a query parameter whose value is a secret that Meta requires in
    /// the URL (such as `client_secret`): it is kept out of `Debug` output
    /// and scrubbed from errors.
    pub(crate) fn secret_query(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self.secrets.push(AccessToken::new(value));
        self
    }

    /// Sets the `fields` parameter, the fields Meta should return.
    pub fn fields<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let list: Vec<String> = fields.into_iter().map(|f| f.as_ref().to_owned()).collect();
        self.set_query("fields", list.join(","))
    }

    /// Sets the `after` cursor, to fetch the page after one you already
    /// have (see [`GraphPage::after`](crate::GraphPage::after)).
    pub fn after(self, cursor: impl Into<String>) -> Self {
        self.set_query("after", cursor.into())
    }

    /// Sets the `limit` parameter, the page size Meta should use.
    pub fn limit(self, limit: u32) -> Self {
        self.set_query("limit", limit.to_string())
    }

    fn set_query(mut self, key: &str, value: String) -> Self {
        self.query.retain(|(k, _)| k != key);
        self.query.push((key.to_owned(), value));
        self
    }

    pub(crate) fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sends `body` as JSON.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = RequestBody::Json(bytes.into()),
            Err(_) => self.invalid = Some("the JSON body could not be serialized".to_owned()),
        }
        self
    }

    /// Sends URL-encoded form fields.
    pub fn form<I, K, V>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut encoder = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in fields {
            encoder.append_pair(key.as_ref(), value.as_ref());
        }
        self.body = RequestBody::Form(encoder.finish());
        self
    }

    /// Sends a `multipart/form-data` body.
    pub fn multipart(mut self, form: MultipartForm) -> Self {
        self.body = RequestBody::Multipart(form);
        self
    }

    /// Declares whether sending the request twice is harmless.
    ///
    /// GET is idempotent by default and everything else is not. Mark a
    /// write idempotent only when repeating it cannot do harm (for example
    /// setting a value, as opposed to sending a message): idempotent
    /// requests are retried after timeouts and 5xx responses.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Paces the request (and each retry, and each page of a listing) by `throttle`: it waits
    /// while the account's usage is high or paused, and the response's usage headers update
    /// the throttle.
    pub fn throttle(mut self, throttle: &UsageThrottle) -> Self {
        self.throttle = Some(throttle.clone());
        self
    }

    /// Overrides the client's request timeout for this request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the client's retry policy for this request.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Keeps the response body out of errors, for responses that carry
    /// secrets (tokens). Decode errors then only say where parsing failed.
    pub fn redact_response(mut self) -> Self {
        self.redact_response = true;
        self
    }

    /// Limits how many pages [`paginate`](Self::paginate) fetches.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Makes [`paginate`](Self::paginate) stop at the first empty page.
    ///
    /// Off by default: Meta documents that a page can be empty (items
    /// hidden by privacy filtering) while later pages still hold data, and
    /// says to stop only when `next` is gone.
    pub fn stop_on_empty_page(mut self, stop: bool) -> Self {
        self.stop_on_empty_page = stop;
        self
    }

    pub(crate) fn with_next_link(mut self, url: Url) -> Self {
        self.target = Target::Absolute(url);
        self.query.clear();
        self
    }

    /// Sends the request and decodes the JSON response as `T`.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.send_with_meta().await.map(|response| response.data)
    }

    /// Sends the request and returns the decoded body with the status and
    /// rate-limit usage.
    pub async fn send_with_meta<T: DeserializeOwned>(self) -> Result<GraphResponse<T>, Error> {
        let prepared = self.build()?;
        let raw = prepared.client.execute(&prepared).await?;
        let data = prepared.decode(&raw)?;
        Ok(GraphResponse {
            data,
            usage: raw.usage().clone(),
            status: raw.status(),
        })
    }

    /// Sends the request and returns the response undecoded (for binary
    /// bodies, or JSON you want as a [`serde_json::Value`]). Error statuses
    /// are still turned into [`Error`]s, with the same retry rules.
    pub async fn send_raw(self) -> Result<RawResponse, Error> {
        let prepared = self.build()?;
        prepared.client.execute(&prepared).await
    }

    /// Checks the request and builds the exact method, URL, headers and
    /// body that would be sent, without sending anything. Useful in tests.
    pub fn build(self) -> Result<PreparedRequest, Error> {
        if let Some(problem) = self.invalid {
            return Err(Error::msg(ErrorKind::InvalidRequest, problem));
        }
        let client = self.client;
        let mut url = match self.target {
            Target::Path(path) => client.resolve_path(&path)?,
            Target::Unversioned(path) => client.resolve_unversioned(&path)?,
            Target::Absolute(url) => url,
        };
        if let Some((key, _)) = self
            .query
            .iter()
            .find(|(k, _)| !self.token_in_query && RESERVED_QUERY.contains(&k.as_str()))
        {
            return Err(Error::msg(
                ErrorKind::InvalidRequest,
                format!("query parameter `{key}` is set by the client; use `.token()`"),
            ));
        }
        // The proof is for the Graph API; a media host gets the token alone.
        let graph_origin = client.is_same_origin(&url);
        {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in &self.query {
                pairs.append_pair(key, value);
            }
            if let (Some(token), Some(secret), true) =
                (&self.token, client.app_secret(), graph_origin)
            {
                pairs.append_pair(
                    "appsecret_proof",
                    &secret.appsecret_proof(token.expose_secret()),
                );
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }

        let mut headers = HeaderMap::new();
        headers.insert(
            ACCEPT,
            HeaderValue::from_static(if self.accept_any {
                "*/*"
            } else {
                "application/json"
            }),
        );
        headers.insert(USER_AGENT, client.user_agent().clone());
        if let Some(token) = &self.token {
            let bearer = zeroize::Zeroizing::new(format!("Bearer {}", token.expose_secret()));
            let mut value = HeaderValue::from_str(&bearer).map_err(|_| {
                Error::msg(
                    ErrorKind::InvalidRequest,
                    "the access token contains invalid characters",
                )
            })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        match &self.body {
            RequestBody::Json(_) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            RequestBody::Form(_) => {
                headers.insert(
                    CONTENT_TYPE,
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
            }
            RequestBody::Empty | RequestBody::Multipart(_) => {}
        }

        let idempotent = self.idempotent.unwrap_or(self.method == Method::GET);
        let timeout = self.timeout.or(client.timeout());
        let retry = self.retry.unwrap_or_else(|| client.retry_policy().clone());
        Ok(PreparedRequest {
            client,
            method: self.method,
            url,
            headers,
            body: self.body,
            idempotent,
            timeout,
            retry,
            redact_response: self.redact_response,
            secrets: self.secrets,
            throttle: self.throttle,
        })
    }
}

impl fmt::Debug for GraphRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            Target::Path(path) | Target::Unversioned(path) => path.clone(),
            Target::Absolute(url) => redact_url(url, &self.secrets),
        };
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| {
                let shown = if self.secrets.iter().any(|s| s.expose_secret() == v) {
                    "<redacted>"
                } else {
                    v
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("GraphRequest")
            .field("method", &self.method)
            .field("target", &target)
            .field("token", &self.token)
            .field("query", &query)
            .field("body", &self.body)
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
}

/// A checked request, exactly as it would go on the wire.
///
/// Returned by [`GraphRequest::build`]. Its `Debug` output hides the token
/// and secret query values.
pub struct PreparedRequest {
    pub(crate) client: GraphClient,
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: RequestBody,
    idempotent: bool,
    timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    redact_response: bool,
    secrets: Vec<AccessToken>,
    pub(crate) throttle: Option<UsageThrottle>,
}

impl PreparedRequest {
    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The full URL, query included. It can hold secrets that Meta requires
    /// in the query (such as `client_secret` for token exchanges): do not
    /// log it.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The headers, including `Authorization` (marked sensitive).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &RequestBody {
        &self.body
    }

    /// Whether the request will be retried after outcomes where Meta may
    /// have acted on it.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    pub(crate) fn redacts_response(&self) -> bool {
        self.redact_response
    }

    pub(crate) fn secrets(&self) -> impl Iterator<Item = &str> {
        self.secrets.iter().map(AccessToken::expose_secret)
    }

    /// The URL path, which never holds secrets: what logs may show.
    pub(crate) fn log_path(&self) -> &str {
        self.url.path()
    }

    pub(crate) fn to_reqwest(&self, http: &reqwest::Client) -> Result<reqwest::Request, Error> {
        let mut builder = http
            .request(self.method.clone(), self.url.clone())
            .headers(self.headers.clone());
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        builder = match &self.body {
            RequestBody::Empty => builder,
            RequestBody::Json(bytes) => builder.body(bytes.clone()),
            RequestBody::Form(text) => builder.body(text.clone()),
            RequestBody::Multipart(form) => builder.multipart(form.to_reqwest()?),
        };
        builder
            .build()
            .map_err(|e| Error::new(ErrorKind::InvalidRequest).with_source(e.without_url()))
    }

    pub(crate) fn decode<T: DeserializeOwned>(&self, raw: &RawResponse) -> Result<T, Error> {
        serde_json::from_slice(raw.body()).map_err(|e| {
            // serde_json quotes offending values, which may be tokens.
            let explanation = if self.redact_response {
                format!(
                    "{:?} error at line {} column {}",
                    e.classify(),
                    e.line(),
                    e.column()
                )
            } else {
                scrub(e.to_string(), self.secrets())
            };
            let snippet = (!self.redact_response).then(|| body_snippet(raw.body(), self.secrets()));
            Error::msg(ErrorKind::Decode, explanation)
                .with_status(raw.status())
                .with_usage(raw.usage().clone())
                .with_body(snippet)
        })
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url, &self.secrets))
            .field("headers", &self.headers)
            .field("body", &self.body)
            .field("idempotent", &self.idempotent)
            .finish_non_exhaustive()
    }
}

/// The URL with secret query values replaced.
fn redact_url(url: &Url, secrets: &[AccessToken]) -> String {
    let mut shown = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let secret = secrets.iter().any(|s| s.expose_secret() == v) || k == "access_token";
            (
                k.into_owned(),
                if secret {
                    "<redacted>".to_owned()
                } else {
                    v.into_owned()
                },
            )
        })
        .collect();
    if !pairs.is_empty() {
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    shown.to_string()
}
