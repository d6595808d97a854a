//! `/api/platforms/`: connected accounts, the OAuth connect flows and WhatsApp's token connect.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use futures_util::TryStreamExt as _;
use meta_graph::AccessToken;
use meta_graph::oauth::{OAuthState, PageAccount};
use metabiz_messenger::{MessengerClient, PageWebhookField};
use metabiz_whatsapp::{PhoneNumberId, WabaId, WhatsAppClient};
use serde::Deserialize;
use serde_json::{Value, json};

use super::extract::{JsonBody, Path, Query};
use super::{ApiError, graph_details};
use crate::AppState;
use crate::auth::{Caller, hash_token};
use crate::crypto::token_context;
use crate::store::{Account, NewAccount, OAuthStateRow, now_ms};

/// How long an OAuth `state` stays usable.
pub const OAUTH_STATE_TTL_MS: i64 = 10 * 60 * 1000;

/// The permissions asked for when connecting a Page for Messenger.
pub const MESSENGER_SCOPES: [&str; 4] = [
    "pages_show_list",
    "pages_messaging",
    "pages_manage_metadata",
    "pages_read_engagement",
];

/// The permissions asked for when connecting an Instagram account through its Page.
pub const INSTAGRAM_SCOPES: [&str; 6] = [
    "pages_show_list",
    "pages_manage_metadata",
    "pages_read_engagement",
    "business_management",
    "instagram_basic",
    "instagram_manage_messages",
];

pub(super) async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> Result<impl IntoResponse, ApiError> {
    let accounts = state.store.accounts(user.id).await?;
    Ok(Json(json!({ "data": accounts })))
}

#[derive(Deserialize)]
pub(super) struct ConnectQuery {
    page_id: Option<String>,
}

pub(super) async fn connect(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(platform): Path<String>,
    Query(query): Query<ConnectQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let scopes: &[&str] = match platform.as_str() {
        "messenger" => &MESSENGER_SCOPES,
        "instagram" => &INSTAGRAM_SCOPES,
        _ => return Err(ApiError::not_found("platform to connect by OAuth")),
    };
    let (app_id, redirect_uri) = state.meta.oauth_settings()?;
    let oauth_state = OAuthState::generate();
    state
        .store
        .put_oauth_state(
            &hash_token(oauth_state.as_str()),
            user.id,
            &platform,
            query.page_id.as_deref(),
            now_ms() + OAUTH_STATE_TTL_MS,
        )
        .await?;
    let url = state
        .meta
        .graph
        .oauth()
        .login_url(app_id, redirect_uri, &oauth_state, scopes)
        .map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_configured",
                e.to_string(),
            )
        })?;
    // The browser that starts the flow gets a cookie only it can show at the callback, so a
    // login link sent to someone else cannot connect their Page to the sender's inbox.
    let secure = if redirect_uri.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}=1; Path=/api/platforms/callback; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        browser_cookie(oauth_state.as_str()),
        OAUTH_STATE_TTL_MS / 1000
    );
    Ok((
        [(axum::http::header::SET_COOKIE, cookie)],
        Json(json!({ "auth_url": url.as_str() })),
    ))
}

/// The name of the cookie that binds a flow to the browser that started it: derived from
/// the state (which only that browser and Meta see before the callback), set with
/// `SameSite=Lax` so it comes back on the redirect from Facebook and on nothing cross-site.
fn browser_cookie(oauth_state: &str) -> String {
    format!("inbox_oauth_{}", &hash_token(oauth_state)[..32])
}

/// Whether the request carries the browser cookie of `oauth_state`.
fn started_here(headers: &HeaderMap, oauth_state: &str) -> bool {
    let name = browser_cookie(oauth_state);
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .any(|pair| {
            pair.trim()
                .split_once('=')
                .is_some_and(|(key, _)| key == name)
        })
}

#[derive(Deserialize)]
pub(super) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    /// Facebook Login never adds it; a callback that carries one names where its code was
    /// meant to go, and only the configured URI may be used.
    redirect_uri: Option<String>,
}

fn graph_failure(what: &str, error: &meta_graph::Error) -> ApiError {
    tracing::warn!(what, %error, "a Graph API call of the connect flow failed");
    let mut api = ApiError::new(
        StatusCode::BAD_GATEWAY,
        "graph_error",
        format!("Meta refused to {what}"),
    );
    if let Some(details) = graph_details(error) {
        api = api.with("graph", details);
    }
    api
}

/// The checks before Meta is asked anything: the state consumed (known, not expired), the
/// caller (if any) its owner, the redirect URI the configured one, and a code granted.
async fn claim(
    state: &AppState,
    caller: Option<&Caller>,
    headers: &HeaderMap,
    query: CallbackQuery,
) -> Result<(OAuthStateRow, String), ApiError> {
    let received = query
        .state
        .ok_or_else(|| ApiError::bad_request("the callback has no `state`"))?;
    // Single use: the state is deleted as it is read, valid or not, so a state that shows up
    // in a tampered callback is burnt too. Looked up by its hash: the database compares
    // digests, never the state itself.
    let stored = state
        .store
        .take_oauth_state(&hash_token(&received))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_state",
                "this login link is unknown or was already used: start the connection again",
            )
        })?;
    if let Some(Caller(user)) = caller
        && user.id != stored.user_id
    {
        tracing::warn!(
            caller = user.id,
            "an OAuth callback presented another user's state"
        );
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "state_not_yours",
            "this login link was started by another user: start the connection again",
        ));
    }
    let (_, redirect_uri) = state.meta.oauth_settings()?;
    if query
        .redirect_uri
        .as_deref()
        .is_some_and(|uri| uri != redirect_uri)
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "redirect_mismatch",
            "the callback names a redirect URI other than the configured one",
        ));
    }
    if stored.expires_at < now_ms() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "expired_state",
            format!(
                "this login link expired (after {} minutes): start the connection again",
                OAUTH_STATE_TTL_MS / 60_000
            ),
        ));
    }
    // Either the browser that started the flow, or an app presenting the user's own token.
    if caller.is_none() && !started_here(headers, &received) {
        tracing::warn!("an OAuth callback came from a browser that did not start the flow");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "browser_mismatch",
            "this login link was started in another browser: start the connection again here",
        ));
    }
    if let Some(error) = query.error {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "authorization_denied",
            format!(
                "Facebook Login did not authorize the app ({error}): {}",
                query.error_description.unwrap_or_default()
            ),
        ));
    }
    let code = query
        .code
        .ok_or_else(|| ApiError::bad_request("the callback has no `code`"))?;
    Ok((stored, code))
}

/// `GET /api/platforms/callback`: where Facebook Login sends the user back.
///
/// Public, because a browser arriving from Facebook carries no API token: the `state` and
/// the cookie the connect call set in the browser that started the flow are the proof. A
/// caller who presents a token instead (an app that completes the flow for its signed-in
/// user) must be the user who started the flow.
pub(super) async fn callback(
    State(state): State<AppState>,
    caller: Option<Caller>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let (stored, code) = claim(&state, caller.as_ref(), &headers, query).await?;
    let (app_id, redirect_uri) = state.meta.oauth_settings()?;
    let oauth = state.meta.graph.oauth();
    let short = oauth
        .exchange_code(app_id, &state.meta.app_secret, redirect_uri, &code)
        .await
        .map_err(|e| graph_failure("exchange the login code", &e))?;
    let long = oauth
        .exchange_for_long_lived(app_id, &state.meta.app_secret, &short.access_token)
        .await
        .map_err(|e| graph_failure("issue a long-lived token", &e))?;
    let pages: Vec<_> = oauth
        .pages(&long.access_token)
        .try_collect()
        .await
        .map_err(|e| graph_failure("list the Pages", &e))?;
    let page = match &stored.page_id {
        Some(wanted) => pages
            .iter()
            .find(|p| p.id.as_str() == wanted)
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "page_not_found",
                    format!("the login did not grant access to the Page {wanted}"),
                )
            })?,
        None => pages.first().ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no_page",
                "the login granted access to no Facebook Page: choose at least one Page \
                 when Facebook asks which to share",
            )
        })?,
    };
    let page_token = page.access_token.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_page_token",
            format!(
                "Meta gave no token for the Page {}: the login must grant the messaging permissions",
                page.id
            ),
        )
    })?;
    let account = account_for_page(&state, &stored, page, &page_token).await?;
    // Meta delivers a Page's webhooks (an Instagram account's too, when it is reached
    // through its Page) only to apps the Page has subscribed: without this, the account
    // would send but never receive. Before anything is stored, so a refusal (no
    // `pages_manage_metadata`) leaves nothing half-connected.
    let fields = PageWebhookField::INBOX;
    MessengerClient::new(state.meta.graph.clone(), page.id.clone(), page_token)
        .subscribe_app(&fields)
        .await
        .map_err(|e| match e.graph() {
            Some(graph) => graph_failure("subscribe the app to the Page's webhooks", graph),
            None => ApiError::new(
                StatusCode::BAD_GATEWAY,
                "graph_error",
                format!("Meta refused to subscribe the app to the Page's webhooks: {e}"),
            ),
        })?;
    let account = state.store.upsert_account(&account).await?;
    state.clients.forget(account.id);
    tracing::info!(account = account.id, platform = %account.platform, "account connected");
    let subscribed: Vec<&str> = fields.iter().map(PageWebhookField::as_str).collect();
    Ok(Json(
        json!({ "connected": account, "subscribed_fields": subscribed }),
    ))
}

/// What the callback stores for the chosen Page: the Page itself (Messenger) or its linked
/// Instagram professional account.
async fn account_for_page(
    state: &AppState,
    stored: &OAuthStateRow,
    page: &PageAccount,
    page_token: &AccessToken,
) -> Result<NewAccount, ApiError> {
    let oauth = state.meta.graph.oauth();
    let page_name = page.name.clone();
    let account = if stored.platform == "instagram" {
        let instagram = oauth
            .instagram_business_account(&page.id, page_token)
            .await
            .map_err(|e| graph_failure("read the Page's Instagram account", &e))?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "no_instagram_account",
                    format!(
                        "the Page {} has no Instagram professional account linked: link one in \
                         the Page's settings, then connect again",
                        page_name.as_deref().unwrap_or(page.id.as_str())
                    ),
                )
            })?;
        NewAccount {
            user_id: stored.user_id,
            platform: "instagram".to_owned(),
            external_id: instagram.id.as_str().to_owned(),
            name: instagram.username.clone(),
            sealed_token: state.seal(page_token, "instagram", instagram.id.as_str())?,
            token_expires_at: None,
            metadata: json!({
                "login": "facebook_login",
                "page_id": page.id.as_str(),
                "page_name": page_name,
                "username": instagram.username,
            }),
        }
    } else {
        NewAccount {
            user_id: stored.user_id,
            platform: "messenger".to_owned(),
            external_id: page.id.as_str().to_owned(),
            name: page_name.clone(),
            sealed_token: state.seal(page_token, "messenger", page.id.as_str())?,
            token_expires_at: None,
            metadata: json!({
                "page_name": page_name,
                "category": page.category,
                "tasks": page.tasks.iter().map(|t| t.as_str().to_owned()).collect::<Vec<_>>(),
            }),
        }
    };
    Ok(account)
}

#[derive(Deserialize)]
pub(super) struct WhatsAppConnect {
    business_account_id: String,
    phone_number_id: String,
    access_token: String,
}

fn is_graph_id(value: &str) -> bool {
    !value.is_empty() && value.len() <= 32 && value.bytes().all(|b| b.is_ascii_digit())
}

/// `POST /api/platforms/whatsapp/connect`: checked against the Graph API before anything is
/// stored.
pub(super) async fn connect_whatsapp(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(body): JsonBody<WhatsAppConnect>,
) -> Result<impl IntoResponse, ApiError> {
    let account = connect_whatsapp_number(
        &state,
        user.id,
        &body.business_account_id,
        &body.phone_number_id,
        &body.access_token,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "account": account }))))
}

/// Connects a WhatsApp number for `user_id` once the Graph API confirms, with `token`, that
/// the number belongs to the business account.
///
/// # Errors
///
/// An [`ApiError`] saying what Meta or the input refused.
pub async fn connect_whatsapp_number(
    state: &AppState,
    user_id: i64,
    business_account_id: &str,
    phone_number_id: &str,
    access_token: &str,
) -> Result<Account, ApiError> {
    if !is_graph_id(business_account_id) || !is_graph_id(phone_number_id) {
        return Err(ApiError::bad_request(
            "`business_account_id` and `phone_number_id` must be numeric Graph ids",
        ));
    }
    let access_token = access_token.trim();
    if access_token.is_empty() {
        return Err(ApiError::bad_request("`access_token` is empty"));
    }
    let client = WhatsAppClient::new(
        state.meta.graph.clone(),
        PhoneNumberId::new(phone_number_id),
        AccessToken::new(access_token),
    );
    let waba = WabaId::new(business_account_id);
    let mut numbers = client.phone_numbers(&waba);
    let number = loop {
        match numbers.try_next().await {
            Ok(Some(number)) if number.id.as_str() == phone_number_id => break number,
            Ok(Some(_)) => {}
            Ok(None) => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "phone_number_not_in_account",
                    format!(
                        "the phone number {phone_number_id} is not in the WhatsApp Business \
                         Account {business_account_id}"
                    ),
                ));
            }
            Err(error) => {
                let refused = matches!(error.kind(), metabiz_whatsapp::ErrorKind::Unauthorized);
                let mut api = if refused {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "token_refused",
                        "Meta refused the access token: it is invalid, expired or lacks \
                         whatsapp_business_management",
                    )
                } else {
                    ApiError::new(
                        StatusCode::BAD_GATEWAY,
                        "graph_error",
                        "Meta refused to list the account's phone numbers",
                    )
                };
                if let Some(details) = graph_details(&error) {
                    api = api.with("graph", details);
                }
                return Err(api);
            }
        }
    };
    let metadata = json!({
        "business_account_id": business_account_id,
        "display_phone_number": number.display_phone_number,
        "verified_name": number.verified_name,
        "quality_rating": serde_json::to_value(&number.quality_rating).unwrap_or(Value::Null),
    });
    let account = NewAccount {
        user_id,
        platform: "whatsapp".to_owned(),
        external_id: phone_number_id.to_owned(),
        name: number.verified_name.clone(),
        sealed_token: state.seal(&AccessToken::new(access_token), "whatsapp", phone_number_id)?,
        token_expires_at: None,
        metadata,
    };
    let account = state.store.upsert_account(&account).await?;
    state.clients.forget(account.id);
    Ok(account)
}

pub(super) async fn disconnect(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, ApiError> {
    if !state.store.disconnect_account(user.id, id).await? {
        return Err(ApiError::not_found("account"));
    }
    state.clients.forget(id);
    Ok(Json(json!({ "disconnected": true })))
}

pub(super) async fn sync(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, ApiError> {
    if !state.store.request_sync(user.id, id).await? {
        return Err(match state.store.account(user.id, id).await? {
            Some(_) => ApiError::new(
                StatusCode::CONFLICT,
                "account_not_active",
                "only an active account can be synced: connect it again",
            ),
            None => ApiError::not_found("account"),
        });
    }
    Ok((StatusCode::ACCEPTED, Json(json!({ "queued": true }))))
}

impl AppState {
    /// Seals a token for the account `(platform, external_id)`.
    pub(crate) fn seal(
        &self,
        token: &AccessToken,
        platform: &str,
        external_id: &str,
    ) -> Result<String, ApiError> {
        self.cipher
            .seal(token.expose_secret(), &token_context(platform, external_id))
            .map_err(|e| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "encryption_failed",
                    e.to_string(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::is_graph_id;

    #[test]
    fn graph_ids_are_digits() {
        assert!(is_graph_id("106540352242922"));
        assert!(!is_graph_id(""));
        assert!(!is_graph_id("12a"));
        assert!(!is_graph_id("../me"));
    }
}
