//! The HTTP API: the route table, the JSON error shape, and the handlers by area.

mod extract;
mod inbox;
mod platforms;
mod system;
mod webhooks;

use axum::Json;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post};
use serde_json::{Value, json};

use crate::AppState;

use crate::store::StoreError;
pub use inbox::REPLY_WINDOW_MS;
pub use platforms::{
    INSTAGRAM_SCOPES, MESSENGER_SCOPES, OAUTH_STATE_TTL_MS, connect_whatsapp_number,
};
pub use system::OPENAPI;

/// The largest request body the server reads: WhatsApp webhook bodies reach 3 MB.
pub const BODY_LIMIT: usize = 3 * 1024 * 1024;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone: Meta's webhooks and the OAuth callback, each with its own check.
    Public,
    /// A user with an API token, acting on their own data only.
    User,
}

/// One route of the server. The router is built from [`routes`], and the tests walk the same
/// list, so a route cannot be added without its access being tested.
pub struct Route {
    /// The HTTP method.
    pub method: Method,
    /// The path, in axum's syntax (`{id}` for a parameter).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    handler: MethodRouter<AppState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        access,
        handler,
    }
}

/// Every route of the server.
pub fn routes() -> Vec<Route> {
    use Access::{Public, User};
    vec![
        route(
            Method::GET,
            "/api/webhooks/{platform}/",
            Public,
            get(webhooks::handshake),
        ),
        route(
            Method::POST,
            "/api/webhooks/{platform}/",
            Public,
            post(webhooks::receive),
        ),
        route(Method::GET, "/api/platforms/", User, get(platforms::list)),
        route(
            Method::GET,
            "/api/platforms/{platform}/connect",
            User,
            get(platforms::connect),
        ),
        route(
            Method::POST,
            "/api/platforms/whatsapp/connect",
            User,
            post(platforms::connect_whatsapp),
        ),
        route(
            Method::GET,
            "/api/platforms/callback",
            Public,
            get(platforms::callback),
        ),
        route(
            Method::DELETE,
            "/api/platforms/{id}/disconnect",
            User,
            delete(platforms::disconnect),
        ),
        route(
            Method::POST,
            "/api/platforms/{id}/sync",
            User,
            post(platforms::sync),
        ),
        route(
            Method::GET,
            "/api/conversations",
            User,
            get(inbox::conversations),
        ),
        route(
            Method::GET,
            "/api/conversations/{id}/messages",
            User,
            get(inbox::messages),
        ),
        route(
            Method::POST,
            "/api/conversations/{id}/messages",
            User,
            post(inbox::reply),
        ),
        route(
            Method::POST,
            "/api/conversations/{id}/read",
            User,
            post(inbox::mark_read),
        ),
        route(Method::GET, "/api/analytics/daily", User, get(inbox::daily)),
        route(Method::GET, "/api/ws", User, get(crate::live::websocket)),
        route(Method::GET, "/healthz", Public, get(system::healthz)),
        route(Method::GET, "/metrics", Public, get(system::metrics)),
        route(Method::GET, "/openapi.json", Public, get(system::openapi)),
        route(Method::GET, "/docs", Public, get(system::docs)),
        route(Method::GET, "/", Public, get(system::index)),
        route(Method::GET, "/app.js", Public, get(system::app_js)),
        route(Method::GET, "/style.css", Public, get(system::style_css)),
    ]
}

/// The server's router, from [`routes`].
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    let mut merged: Vec<(&'static str, MethodRouter<AppState>)> = Vec::new();
    for route in routes() {
        match merged.iter_mut().find(|(path, _)| *path == route.path) {
            Some((_, handler)) => *handler = std::mem::take(handler).merge(route.handler),
            None => merged.push((route.path, route.handler)),
        }
    }
    for (path, handler) in merged {
        router = router.route(path, handler);
    }
    router
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route") })
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(30),
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

/// An API failure, answered as `{"error": {"code": …, "message": …, …}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    /// An error with a machine-readable `code` and a sentence for people.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: json!({"code": code, "message": message.into()}),
        }
    }

    /// Adds a field to the error object.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        if let Some(object) = self.body.as_object_mut() {
            object.insert(key.to_owned(), value.into());
        }
        self
    }

    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no such {what}"),
        )
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = self
            .body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("error");
        write!(f, "{} ({})", message, self.status)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.body }))).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(message) => Self::new(StatusCode::CONFLICT, "conflict", message),
            other => {
                tracing::error!(error = %other, "storage failed");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_unavailable",
                    "the database did not answer; try again",
                )
            }
        }
    }
}

/// A cursor: the sort key and id of the last row of a page, opaque to clients.
pub(crate) fn encode_cursor(at: i64, id: i64) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{at}.{id}"))
}

pub(crate) fn decode_cursor(cursor: &str) -> Result<(i64, i64), ApiError> {
    use base64::Engine as _;
    let bad = || ApiError::bad_request("`cursor` is not one this server gave out");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad())?;
    let raw = std::str::from_utf8(&raw).map_err(|_| bad())?;
    let (at, id) = raw.split_once('.').ok_or_else(bad)?;
    Ok((
        at.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

/// Graph error details found anywhere in an error's source chain, as JSON.
pub(crate) fn graph_details(error: &(dyn std::error::Error + 'static)) -> Option<Value> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(graph) = error.downcast_ref::<meta_graph::Error>()
            && let Some(api) = graph.api_error()
        {
            {
                return Some(json!({
                    "code": api.code(),
                    "error_subcode": api.error_subcode(),
                    "type": api.error_type(),
                    "message": api.message(),
                    "fbtrace_id": api.fbtrace_id(),
                    "retryable": api.is_retryable(),
                }));
            }
        }
        current = error.source();
    }
    None
}
