//! The Graph API endpoints, dispatched by path the way `graph.facebook.com` resolves nodes.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::faults::FaultKind;
use crate::webhooks;
use crate::world::{Customer, Platform, SendRecord, StoredMessage, TokenKind, World};
use crate::{Shared, now_ms};

/// The reply window of free-form messages.
const WINDOW_MS: i64 = 24 * 3600 * 1000;

pub(crate) fn graph_time(ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    at.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]+0000"
    ))
    .unwrap_or_default()
}

fn error(status: StatusCode, code: i64, subcode: Option<i64>, message: &str) -> Response {
    let mut body = json!({"error": {"message": message, "type": "OAuthException", "code": code,
        "fbtrace_id": format!("Sandbox{:08X}", rand::random::<u32>())}});
    if let Some(subcode) = subcode {
        body["error"]["error_subcode"] = json!(subcode);
    }
    (status, axum::Json(body)).into_response()
}

fn bad(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, 100, None, message)
}

fn ok(value: Value) -> Response {
    axum::Json(value).into_response()
}

/// One request, as the dispatcher sees it.
struct Call {
    method: Method,
    path: String,
    segments: Vec<String>,
    query: HashMap<String, String>,
    token: Option<String>,
    body: Bytes,
    content_type: String,
}

impl Call {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// Form fields of a urlencoded or multipart body (text parts only).
    fn form(&self) -> HashMap<String, String> {
        if self
            .content_type
            .starts_with("application/x-www-form-urlencoded")
        {
            return url::form_urlencoded::parse(&self.body)
                .into_owned()
                .collect();
        }
        let Some(boundary) = self.content_type.split("boundary=").nth(1) else {
            return HashMap::new();
        };
        let boundary = format!("--{}", boundary.trim_matches('"'));
        let text = String::from_utf8_lossy(&self.body);
        let mut fields = HashMap::new();
        for part in text.split(boundary.as_str()) {
            let Some((head, value)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            let Some(name) = head
                .split("name=\"")
                .nth(1)
                .and_then(|n| n.split('"').next())
            else {
                continue;
            };
            if head.contains("filename=") {
                continue;
            }
            fields.insert(
                name.to_owned(),
                value
                    .trim_end_matches("\r\n")
                    .trim_end_matches("--")
                    .trim_end_matches("\r\n")
                    .to_owned(),
            );
        }
        fields
    }

    /// The bytes and content type of the multipart file part, if any.
    fn file(&self) -> Option<(String, Vec<u8>)> {
        let boundary = format!(
            "--{}",
            self.content_type
                .split("boundary=")
                .nth(1)?
                .trim_matches('"')
        );
        let body = &self.body[..];
        let mut start = 0;
        while let Some(found) = find(&body[start..], boundary.as_bytes()) {
            let part_start = start + found + boundary.len();
            let part_end = find(&body[part_start..], boundary.as_bytes())
                .map_or(body.len(), |e| part_start + e);
            let part = &body[part_start..part_end];
            if let Some(split) = find(part, b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&part[..split]);
                if head.contains("filename=") {
                    let mime = head
                        .lines()
                        .find_map(|l| {
                            l.strip_prefix("Content-Type: ")
                                .or_else(|| l.strip_prefix("content-type: "))
                        })
                        .unwrap_or("application/octet-stream")
                        .trim()
                        .to_owned();
                    let mut data = &part[split + 4..];
                    if data.ends_with(b"\r\n") {
                        data = &data[..data.len() - 2];
                    }
                    return Some((mime, data.to_vec()));
                }
            }
            start = part_end;
            if part_end >= body.len() {
                break;
            }
        }
        None
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Every Graph call lands here.
pub(crate) async fn dispatch(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query: HashMap<String, String> = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("OAuth "))
        })
        .map(str::to_owned)
        .or_else(|| query.get("access_token").cloned());
    let mut segments: Vec<String> = uri
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    // `/v26.0/…`: the version is accepted whatever it is.
    if segments
        .first()
        .is_some_and(|s| s.starts_with('v') && s[1..].contains('.'))
    {
        segments.remove(0);
    }
    let call = Call {
        method: method.clone(),
        path: uri.path().to_owned(),
        segments,
        query,
        token,
        body,
        content_type: headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    };
    // Faults first, as a failing Meta would.
    let account = account_of(&shared.lock(), &call);
    let fault = shared.receive(method.as_str(), &call.path, account.clone());
    match fault {
        Some(FaultKind::Throttle {
            code,
            regain_minutes,
        }) => return throttled(&shared, code, regain_minutes, account.as_deref()),
        Some(FaultKind::ExpiredToken) => {
            return error(
                StatusCode::BAD_REQUEST,
                190,
                Some(463),
                "Error validating access token: Session has expired on Tuesday, 01-Dec-26 10:00:00 PST.",
            );
        }
        Some(FaultKind::ServerError) => {
            let body = json!({"error": {"message": "An unexpected error has occurred. Please retry your request later.",
                "type": "OAuthException", "code": 2, "is_transient": true,
                "fbtrace_id": format!("Sandbox{:08X}", rand::random::<u32>())}});
            return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response();
        }
        Some(FaultKind::Slow(delay)) => tokio::time::sleep(delay).await,
        _ => {}
    }
    let response = route(&shared, &call);
    if fault == Some(FaultKind::DropAfterReceive) {
        // Acted on, then the connection is cut before a byte of the answer.
        let failing = futures_util::stream::once(async {
            Err::<Bytes, std::io::Error>(std::io::Error::other("sandbox: connection dropped"))
        });
        return Response::builder()
            .status(StatusCode::OK)
            .body(Body::from_stream(failing))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    response
}

/// The business account a call is for: the node its path starts with when that is one of
/// the sandbox's accounts, except that a Page send to an Instagram user, and a Page's
/// Instagram conversations, are the Instagram account's.
fn account_of(world: &World, call: &Call) -> Option<String> {
    let node = call.segments.first()?.as_str();
    let accounts = &world.accounts;
    if node == accounts.page_id {
        let edge = call.segments.get(1).map(String::as_str);
        let instagram_send = call.method == Method::POST
            && edge == Some("messages")
            && call.json()["recipient"]["id"]
                .as_str()
                .is_some_and(|to| world.customer(Platform::Instagram, to).is_some());
        let instagram_read = edge == Some("conversations")
            && call.query.get("platform").map(String::as_str) == Some("instagram");
        if instagram_send || instagram_read {
            return Some(accounts.instagram_id.clone());
        }
    }
    let known = [
        &accounts.page_id,
        &accounts.instagram_id,
        &accounts.phone_number_id,
        &accounts.waba_id,
    ]
    .iter()
    .any(|id| id.as_str() == node)
        || world.extra_numbers.contains(node);
    known.then(|| node.to_owned())
}

/// A rate-limit refusal as Meta sends it: HTTP 400, the error body, and the usage header of
/// the meter that ran out at 100 %. `X-App-Usage` carries no regain time;
/// `X-Business-Use-Case-Usage` is keyed by the business object (the WhatsApp Business
/// Account for WhatsApp, else the Page or Instagram account the call was for) and gives
/// `estimated_time_to_regain_access` in minutes.
fn throttled(shared: &Shared, code: i64, regain_minutes: u64, account: Option<&str>) -> Response {
    let accounts = shared.accounts();
    let business_use_case = |id: &str, kind: &str| {
        json!({id: [{"type": kind, "call_count": 100, "total_cputime": 10, "total_time": 10,
            "estimated_time_to_regain_access": regain_minutes}]})
    };
    if code == 131_056 {
        // The pair rate: one person gets too many messages. No usage meter runs out, so no
        // usage header: the number keeps serving everyone else.
        return error(
            StatusCode::BAD_REQUEST,
            code,
            None,
            "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        );
    }
    let (message, header_name, usage) = match code {
        4 => (
            "(#4) Application request limit reached",
            "x-app-usage",
            json!({"call_count": 100, "total_cputime": 20, "total_time": 30}),
        ),
        130_429 => (
            "(#130429) Rate limit hit",
            "x-business-use-case-usage",
            business_use_case(&accounts.waba_id, "whatsapp_business_management"),
        ),
        80_007 => (
            "(#80007) There have been too many calls to this WhatsApp Business account.",
            "x-business-use-case-usage",
            business_use_case(&accounts.waba_id, "whatsapp_business_management"),
        ),
        _ if account == Some(accounts.instagram_id.as_str()) => (
            "(#613) Calls to this api have exceeded the rate limit.",
            "x-business-use-case-usage",
            business_use_case(&accounts.instagram_id, "instagram"),
        ),
        _ => (
            "(#613) Calls to this api have exceeded the rate limit.",
            "x-business-use-case-usage",
            business_use_case(&accounts.page_id, "messenger"),
        ),
    };
    let mut response = error(StatusCode::BAD_REQUEST, code, None, message);
    if let Ok(value) = usage.to_string().parse() {
        response.headers_mut().insert(header_name, value);
    }
    response
}

#[allow(clippy::too_many_lines)] // the dispatch table of the Graph paths, read as one
fn route(shared: &Arc<Shared>, call: &Call) -> Response {
    let mut world = shared.lock();
    let segments: Vec<&str> = call.segments.iter().map(String::as_str).collect();
    let method = call.method.as_str();
    // The OAuth endpoints check their own credentials.
    match (method, segments.as_slice()) {
        ("GET", ["dialog", "oauth"] | ["oauth", "authorize"]) => return dialog(&mut world, call),
        ("GET", ["oauth", "access_token"]) => return facebook_token(&mut world, call),
        ("POST", ["oauth", "access_token"]) => return instagram_code(&mut world, call),
        ("GET", ["access_token"]) => {
            return instagram_exchange(&mut world, call, "ig_exchange_token");
        }
        ("GET", ["refresh_access_token"]) => {
            return instagram_exchange(&mut world, call, "ig_refresh_token");
        }
        _ => {}
    }
    let kind = match check_token(&world, call) {
        Ok(kind) => kind,
        Err(response) => return response,
    };
    let accounts = world.accounts.clone();
    match (method, segments.as_slice()) {
        ("GET", ["debug_token"]) => debug_token(&world, call),
        ("GET", ["me", "accounts"]) => ok(json!({
            "data": [{"id": accounts.page_id, "name": accounts.page_name, "access_token": world.page_token,
                      "category": "Coffee Shop", "tasks": ["ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"]}],
            "paging": {"cursors": {"before": "QVFIUmJf", "after": "QVFIUmJf"}}
        })),
        ("GET", ["me"]) if matches!(kind, TokenKind::InstagramUser) => ok(json!({
            "id": accounts.instagram_id, "user_id": accounts.instagram_id, "username": accounts.instagram_username})),
        ("POST", [node, "messages"])
            if *node == accounts.phone_number_id || world.extra_numbers.contains(*node) =>
        {
            whatsapp_send(shared, &mut world, call)
        }
        ("POST", [node, "messages"])
            if *node == accounts.page_id || *node == accounts.instagram_id =>
        {
            page_send(shared, &mut world, call, node)
        }
        ("POST", [node, "media"]) if *node == accounts.phone_number_id => {
            upload_media(&mut world, call)
        }
        ("POST", [node, "message_attachments"])
            if *node == accounts.page_id || *node == accounts.instagram_id =>
        {
            ok(json!({"attachment_id": format!("{}", 1_857_777_774_821_032_u64 + world.next())}))
        }
        ("GET", [node, "phone_numbers"]) if *node == accounts.waba_id => ok(json!({
            "data": [phone_number(&world)], "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}})),
        ("GET", [node]) if *node == accounts.phone_number_id => ok(phone_number(&world)),
        ("GET", [node, "whatsapp_business_profile"]) if *node == accounts.phone_number_id => {
            ok(json!({"data": [world.profile]}))
        }
        ("POST", [node, "whatsapp_business_profile"]) if *node == accounts.phone_number_id => {
            if let (Some(target), Some(update)) =
                (world.profile.as_object_mut(), call.json().as_object())
            {
                for (k, v) in update {
                    target.insert(k.clone(), v.clone());
                }
            }
            ok(json!({"success": true}))
        }
        ("GET", [node, "subscribed_apps"]) if *node == accounts.waba_id => {
            ok(json!({"data": if world.subscribed {
            json!([{"whatsapp_business_api_data": {"id": world.app_id, "name": "Sandbox app", "link": "https://example.com/app"}}])
        } else { json!([]) }}))
        }
        ("POST", [node, "subscribed_apps"])
            if *node == accounts.waba_id || *node == accounts.page_id =>
        {
            world.subscribed = true;
            ok(json!({"success": true}))
        }
        ("DELETE", [node, "subscribed_apps"]) if *node == accounts.waba_id => {
            world.subscribed = false;
            ok(json!({"success": true}))
        }
        ("GET", [node, "message_templates"]) if *node == accounts.waba_id => {
            let name = call.query.get("name");
            let data: Vec<Value> = world
                .templates
                .iter()
                .filter(|t| name.is_none_or(|n| t["name"] == json!(n)))
                .cloned()
                .collect();
            ok(json!({"data": data, "paging": {"cursors": {"before": "MAZDZD", "after": "MjQZD"}}}))
        }
        ("POST", [node, "message_templates"]) if *node == accounts.waba_id => {
            let mut template = call.json();
            let id = format!("{}", 572_279_198_452_421_u64 + world.next());
            template["id"] = json!(id);
            template["status"] = json!("PENDING");
            let category = template["category"].clone();
            world.templates.push(template);
            ok(json!({"id": id, "status": "PENDING", "category": category}))
        }
        ("DELETE", [node, "message_templates"]) if *node == accounts.waba_id => {
            let before = world.templates.len();
            let name = call.query.get("name").cloned().unwrap_or_default();
            world.templates.retain(|t| t["name"] != json!(name));
            if world.templates.len() == before {
                return bad("(#100) Template name does not exist");
            }
            ok(json!({"success": true}))
        }
        ("GET", [node, "conversations"])
            if *node == accounts.page_id || *node == accounts.instagram_id =>
        {
            conversations(&world, call, node)
        }
        ("GET", [node, "messages"]) if node.starts_with("t_") => {
            thread_messages(&world, call, node)
        }
        ("GET", [node]) if *node == accounts.page_id => {
            if call
                .query
                .get("fields")
                .is_some_and(|f| f.contains("instagram_business_account"))
            {
                ok(
                    json!({"id": accounts.page_id, "instagram_business_account": {"id": accounts.instagram_id, "username": accounts.instagram_username}}),
                )
            } else {
                ok(json!({"id": accounts.page_id, "name": accounts.page_name}))
            }
        }
        ("GET", [node]) => node_lookup(&world, node),
        ("DELETE", [node]) if world.media.remove(*node).is_some() => ok(json!({"success": true})),
        _ => bad(&format!(
            "(#100) Unsupported {method} request: {}",
            call.path
        )),
    }
}

#[allow(clippy::result_large_err)] // the refusal is the response itself
fn check_token(world: &World, call: &Call) -> Result<TokenKind, Response> {
    let Some(token) = &call.token else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            2500,
            None,
            "An active access token must be used to query information about the current user.",
        ));
    };
    let Some(kind) = world.tokens.get(token) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            190,
            None,
            "Invalid OAuth access token - Cannot parse access token",
        ));
    };
    if let Some(proof) = call.query.get("appsecret_proof") {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(world.app_secret.as_bytes()).expect("any key length");
        mac.update(token.as_bytes());
        // Constant time, as Meta's own check: decoded, then `verify_slice`.
        let matches = hex::decode(proof).is_ok_and(|proof| mac.verify_slice(&proof).is_ok());
        if !matches {
            return Err(bad("Invalid appsecret_proof provided in the API argument"));
        }
    }
    Ok(kind.clone())
}

fn dialog(world: &mut World, call: &Call) -> Response {
    let (Some(client_id), Some(redirect), Some(state)) = (
        call.query.get("client_id"),
        call.query.get("redirect_uri"),
        call.query.get("state"),
    ) else {
        return (
            StatusCode::BAD_REQUEST,
            "the login dialog needs client_id, redirect_uri and state",
        )
            .into_response();
    };
    if *client_id != world.app_id {
        return (StatusCode::BAD_REQUEST, "Invalid App ID").into_response();
    }
    let code = format!("AQD{}{:016x}", world.next(), rand::random::<u64>());
    world.codes.insert(code.clone(), redirect.clone());
    let Ok(mut target) = url::Url::parse(redirect) else {
        return (StatusCode::BAD_REQUEST, "redirect_uri is not a URL").into_response();
    };
    target
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", state);
    (StatusCode::FOUND, [(header::LOCATION, target.to_string())]).into_response()
}

/// A presented secret against the app's, in constant time.
fn secret_matches(presented: Option<&String>, secret: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    presented.is_some_and(|presented| bool::from(presented.as_bytes().ct_eq(secret.as_bytes())))
}

fn check_app(world: &World, fields: &HashMap<String, String>) -> Option<Response> {
    if fields.get("client_id") != Some(&world.app_id)
        || !secret_matches(fields.get("client_secret"), &world.app_secret)
    {
        return Some(error(
            StatusCode::BAD_REQUEST,
            101,
            None,
            "Error validating client secret.",
        ));
    }
    None
}

fn facebook_token(world: &mut World, call: &Call) -> Response {
    if let Some(refused) = check_app(world, &call.query) {
        return refused;
    }
    if let Some(code) = call.query.get("code") {
        let Some(redirect) = world.codes.remove(code) else {
            return error(
                StatusCode::BAD_REQUEST,
                100,
                Some(36009),
                "This authorization code has been used.",
            );
        };
        if call.query.get("redirect_uri") != Some(&redirect) {
            return error(
                StatusCode::BAD_REQUEST,
                100,
                Some(36008),
                "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
            );
        }
        let token = world.issue(TokenKind::ShortUser, "EAAsandboxSHORT");
        return ok(json!({"access_token": token, "token_type": "bearer", "expires_in": 5_183}));
    }
    if call.query.get("grant_type").map(String::as_str) == Some("fb_exchange_token") {
        let valid = call
            .query
            .get("fb_exchange_token")
            .and_then(|t| world.tokens.get(t))
            .is_some_and(|k| matches!(k, TokenKind::ShortUser | TokenKind::LongUser));
        if !valid {
            return error(
                StatusCode::BAD_REQUEST,
                190,
                None,
                "Invalid OAuth access token.",
            );
        }
        let token = world.issue(TokenKind::LongUser, "EAAsandboxLONG");
        return ok(json!({"access_token": token, "token_type": "bearer", "expires_in": 5_183_944}));
    }
    bad("Missing redirect_uri or code parameter.")
}

fn instagram_code(world: &mut World, call: &Call) -> Response {
    let fields = call.form();
    if let Some(refused) = check_app(world, &fields) {
        return refused;
    }
    let Some(code) = fields.get("code") else {
        return bad("Missing code parameter.");
    };
    if world.codes.remove(code).is_none() {
        return error(
            StatusCode::BAD_REQUEST,
            100,
            None,
            "This authorization code has been used",
        );
    }
    let token = world.issue(TokenKind::InstagramUser, "IGsandboxSHORT");
    ok(
        json!({"access_token": token, "user_id": world.accounts.instagram_id,
              "permissions": ["instagram_business_basic", "instagram_business_manage_messages"]}),
    )
}

fn instagram_exchange(world: &mut World, call: &Call, grant: &str) -> Response {
    if call.query.get("grant_type").map(String::as_str) != Some(grant) {
        return bad("Unsupported grant_type");
    }
    if grant == "ig_exchange_token"
        && !secret_matches(call.query.get("client_secret"), &world.app_secret)
    {
        return error(
            StatusCode::BAD_REQUEST,
            101,
            None,
            "Error validating client secret.",
        );
    }
    let valid = call
        .token
        .as_ref()
        .and_then(|t| world.tokens.get(t))
        .is_some_and(|k| matches!(k, TokenKind::InstagramUser));
    if !valid {
        return error(
            StatusCode::BAD_REQUEST,
            190,
            None,
            "Invalid OAuth access token.",
        );
    }
    let token = world.issue(TokenKind::InstagramUser, "IGsandboxLONG");
    ok(json!({"access_token": token, "token_type": "bearer", "expires_in": 5_184_000}))
}

fn debug_token(world: &World, call: &Call) -> Response {
    let input = call.query.get("input_token").cloned().unwrap_or_default();
    let kind = world.tokens.get(&input);
    let (kind_name, expires) = match kind {
        Some(TokenKind::ShortUser) => ("USER", now_ms() / 1000 + 5_183),
        Some(TokenKind::LongUser) => ("USER", now_ms() / 1000 + 5_183_944),
        Some(TokenKind::Page) => ("PAGE", 0),
        Some(TokenKind::System) => ("SYSTEM_USER", 0),
        Some(TokenKind::InstagramUser) => ("USER", now_ms() / 1000 + 5_184_000),
        Some(TokenKind::App) => ("APP", 0),
        None => {
            return ok(json!({"data": {"app_id": world.app_id, "is_valid": false,
                "error": {"code": 190, "message": "Invalid OAuth access token.", "subcode": 0}}}));
        }
    };
    ok(
        json!({"data": {"app_id": world.app_id, "type": kind_name, "application": "Sandbox app",
        "expires_at": expires, "data_access_expires_at": now_ms() / 1000 + 7_776_000, "is_valid": true,
        "scopes": ["pages_show_list", "pages_messaging", "pages_manage_metadata", "instagram_basic",
                   "instagram_manage_messages", "whatsapp_business_messaging", "whatsapp_business_management"],
        "user_id": "10215766662070391"}}),
    )
}

fn phone_number(world: &World) -> Value {
    json!({"id": world.accounts.phone_number_id, "display_phone_number": world.accounts.display_phone_number,
           "verified_name": world.accounts.page_name, "quality_rating": "GREEN",
           "code_verification_status": "VERIFIED", "platform_type": "CLOUD_API",
           "throughput": {"level": "STANDARD"}, "name_status": "APPROVED"})
}

fn last_inbound(world: &World, platform: Platform, customer: &str) -> Option<i64> {
    let index = world.thread_index.get(&(platform, customer.to_owned()))?;
    world.threads[*index]
        .messages
        .iter()
        .rev()
        .find(|m| m.inbound)
        .map(|m| m.at_ms)
}

fn text_of(message: &Value) -> String {
    let kind = message["type"].as_str().unwrap_or("text");
    match kind {
        "text" => message["text"]["body"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        "template" => format!(
            "[template {}]",
            message["template"]["name"].as_str().unwrap_or_default()
        ),
        other => format!("[{other}]"),
    }
}

fn whatsapp_send(shared: &Arc<Shared>, world: &mut World, call: &Call) -> Response {
    let body = call.json();
    if body["messaging_product"] != json!("whatsapp") {
        return bad("(#100) The parameter messaging_product is required.");
    }
    if body["status"] == json!("read") {
        let id = body["message_id"].as_str().unwrap_or_default();
        let known = world
            .threads
            .iter()
            .any(|t| t.messages.iter().any(|m| m.id == id && m.inbound));
        world.sends.push(SendRecord {
            path: call.path.clone(),
            body: body.clone(),
            message_id: None,
        });
        if !known {
            return bad("(#100) Invalid parameter message_id");
        }
        return ok(json!({"success": true}));
    }
    let Some(to) = body["to"].as_str().map(str::to_owned) else {
        return bad("(#100) The parameter to is required.");
    };
    let is_template = body["type"] == json!("template");
    if !is_template
        && last_inbound(world, Platform::WhatsApp, &to).is_none_or(|at| now_ms() - at > WINDOW_MS)
    {
        return error(
            StatusCode::BAD_REQUEST,
            131_047,
            None,
            "Re-engagement message: more than 24 hours have passed since the recipient last replied to the sender number.",
        );
    }
    let text = text_of(&body);
    let id = world.message_id(Platform::WhatsApp);
    let customer = world.customer(Platform::WhatsApp, &to).unwrap_or(Customer {
        id: to.clone(),
        name: to.clone(),
    });
    let at = now_ms();
    let thread = world.thread_mut(Platform::WhatsApp, &customer);
    thread.messages.push(StoredMessage {
        id: id.clone(),
        inbound: false,
        text,
        at_ms: at,
        status: Some("accepted".into()),
    });
    let position = thread.messages.len() - 1;
    let thread_at = world.thread_index[&(Platform::WhatsApp, customer.id.clone())];
    world.sends.push(SendRecord {
        path: call.path.clone(),
        body,
        message_id: Some(id.clone()),
    });
    let order: &'static [(&'static str, u64)] = if world.delivery_faults.reverse_statuses {
        &[("read", 300), ("delivered", 700), ("sent", 1_100)]
    } else {
        &[("sent", 300), ("delivered", 900), ("read", 1_800)]
    };
    shared.deliver_statuses(
        crate::SentMessage {
            to: to.clone(),
            id: id.clone(),
            at_ms: at,
            thread: thread_at,
            position,
        },
        order,
    );
    ok(
        json!({"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}],
              "messages": [{"id": id, "message_status": "accepted"}]}),
    )
}

fn page_send(shared: &Arc<Shared>, world: &mut World, call: &Call, node: &str) -> Response {
    let body = call.json();
    let Some(to) = body["recipient"]["id"].as_str().map(str::to_owned) else {
        return bad("(#100) The parameter recipient is required");
    };
    let platform = if node == world.accounts.instagram_id {
        Platform::Instagram
    } else {
        match world.platform_of_recipient(&to) {
            Some(platform) => platform,
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    100,
                    Some(2_018_001),
                    "No matching user found",
                );
            }
        }
    };
    if body.get("sender_action").is_some() {
        world.sends.push(SendRecord {
            path: call.path.clone(),
            body,
            message_id: None,
        });
        return ok(json!({"recipient_id": to}));
    }
    let tagged = body["messaging_type"] == json!("MESSAGE_TAG");
    let window = if tagged { 7 * WINDOW_MS } else { WINDOW_MS };
    if last_inbound(world, platform, &to).is_none_or(|at| now_ms() - at > window) {
        return error(
            StatusCode::BAD_REQUEST,
            10,
            Some(2_018_278),
            "(#10) This message is sent outside of allowed window.",
        );
    }
    let text = body["message"]["text"].as_str().map_or_else(
        || {
            body["message"]["attachment"]["type"]
                .as_str()
                .map_or_else(|| "[message]".to_owned(), |t| format!("[{t}]"))
        },
        str::to_owned,
    );
    let id = world.message_id(platform);
    let customer = world.customer(platform, &to).unwrap_or(Customer {
        id: to.clone(),
        name: to.clone(),
    });
    let account = world.account_for(platform);
    let at = now_ms();
    world
        .thread_mut(platform, &customer)
        .messages
        .push(StoredMessage {
            id: id.clone(),
            inbound: false,
            text: text.clone(),
            at_ms: at,
            status: None,
        });
    world.sends.push(SendRecord {
        path: call.path.clone(),
        body,
        message_id: Some(id.clone()),
    });
    let echo = webhooks::messaging(
        world,
        platform,
        &webhooks::echo_item(world, &account, &to, &id, &text, at),
        at,
    );
    shared.deliver_later(platform, echo, Duration::from_millis(150));
    if platform == Platform::Messenger {
        let delivery = webhooks::messaging(
            world,
            platform,
            &webhooks::delivery_item(&account, &to, &id, at + 600),
            at + 600,
        );
        shared.deliver_later(platform, delivery, Duration::from_millis(600));
    }
    let read = webhooks::messaging(
        world,
        platform,
        &webhooks::read_item(&account, &to, at + 1_500),
        at + 1_500,
    );
    shared.deliver_later(platform, read, Duration::from_millis(1_500));
    ok(json!({"recipient_id": to, "message_id": id}))
}

fn upload_media(world: &mut World, call: &Call) -> Response {
    let Some((mime, bytes)) = call.file() else {
        return bad(
            "(#100) Param file must be a file with one of the following types: audio/aac, audio/mp4, audio/mpeg, audio/amr, audio/ogg, audio/opus, application/vnd.ms-powerpoint, application/msword, application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/vnd.openxmlformats-officedocument.presentationml.presentation, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/pdf, text/plain, application/vnd.ms-excel, image/jpeg, image/png, image/webp, video/mp4, video/3gpp.",
        );
    };
    let id = format!("{}", 1_037_543_291_543_636_u64 + world.next());
    world.media.insert(
        id.clone(),
        crate::world::Media {
            mime_type: mime,
            bytes,
        },
    );
    ok(json!({"id": id}))
}

fn node_lookup(world: &World, node: &str) -> Response {
    if let Some(media) = world.media.get(node) {
        use sha2::Digest as _;
        return ok(
            json!({"messaging_product": "whatsapp", "id": node, "mime_type": media.mime_type,
            "sha256": hex::encode(Sha256::digest(&media.bytes)), "file_size": media.bytes.len(),
            "url": format!("{}/_sandbox/media/{node}", world_base(world))}),
        );
    }
    if let Some(customer) = world.customer(Platform::Messenger, node) {
        let (first, last) = customer
            .name
            .split_once(' ')
            .unwrap_or((customer.name.as_str(), ""));
        return ok(
            json!({"id": node, "first_name": first, "last_name": last, "name": customer.name,
                         "profile_pic": "https://example.com/profile.jpg", "locale": "en_US"}),
        );
    }
    if let Some(customer) = world.customer(Platform::Instagram, node) {
        return ok(
            json!({"id": node, "name": customer.name, "username": customer.name,
                         "profile_pic": "https://example.com/profile.jpg", "follower_count": 120,
                         "is_user_follow_business": true, "is_business_follow_user": false}),
        );
    }
    error(
        StatusCode::BAD_REQUEST,
        100,
        Some(33),
        &format!(
            "Unsupported get request. Object with ID '{node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."
        ),
    )
}

fn world_base(world: &World) -> String {
    world.base_url.clone()
}

/// A page of `items` by `limit` (default 25) and the `after` cursor (an offset), with
/// Meta's `paging` object.
fn paged(base: &str, call: &Call, items: Vec<Value>) -> Response {
    let limit = call
        .query
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(25)
        .clamp(1, 500);
    let start = call
        .query
        .get("after")
        .and_then(|a| a.strip_prefix("off"))
        .and_then(|a| a.parse::<usize>().ok())
        .unwrap_or(0)
        .min(items.len());
    let end = (start + limit).min(items.len());
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(start).take(end - start).collect();
    let mut paging =
        json!({"cursors": {"before": format!("off{start}"), "after": format!("off{end}")}});
    if end < total {
        let Ok(mut next) = url::Url::parse(&format!("{base}{}", call.path)) else {
            return bad("unparsable path");
        };
        {
            let mut query = next.query_pairs_mut();
            for (key, value) in &call.query {
                if key != "after" && key != "access_token" {
                    query.append_pair(key, value);
                }
            }
            query.append_pair("after", &format!("off{end}"));
        }
        paging["next"] = json!(next.to_string());
    }
    ok(json!({"data": page, "paging": paging}))
}

fn conversations(world: &World, call: &Call, node: &str) -> Response {
    let platform = if node == world.accounts.instagram_id
        || call.query.get("platform").map(String::as_str) == Some("instagram")
    {
        Platform::Instagram
    } else {
        Platform::Messenger
    };
    let mut threads: Vec<&crate::world::Thread> = world
        .threads
        .iter()
        .filter(|t| t.platform == platform)
        .collect();
    threads.sort_by_key(|t| std::cmp::Reverse(t.messages.last().map_or(0, |m| m.at_ms)));
    let business = world.account_for(platform);
    let data: Vec<Value> = threads
        .iter()
        .map(|t| {
            let updated = t.messages.last().map_or(0, |m| m.at_ms);
            json!({"id": t.id, "updated_time": graph_time(updated), "message_count": t.messages.len(), "unread_count": 0,
                   "snippet": t.messages.last().map(|m| m.text.clone()),
                   "participants": {"data": [{"id": t.customer.id, "name": t.customer.name}, {"id": business, "name": world.accounts.page_name}]}})
        })
        .collect();
    paged(&world.base_url, call, data)
}

fn thread_messages(world: &World, call: &Call, id: &str) -> Response {
    let Some(thread) = world.threads.iter().find(|t| t.id == id) else {
        return error(
            StatusCode::BAD_REQUEST,
            100,
            Some(33),
            "Unsupported get request.",
        );
    };
    let business = json!({"id": thread.account, "name": world.accounts.page_name});
    let person = json!({"id": thread.customer.id, "name": thread.customer.name, "username": thread.customer.name});
    let data: Vec<Value> = thread
        .messages
        .iter()
        .rev()
        .map(|m| {
            let (from, to) = if m.inbound { (&person, &business) } else { (&business, &person) };
            json!({"id": m.id, "created_time": graph_time(m.at_ms), "from": from, "to": {"data": [to]}, "message": m.text})
        })
        .collect();
    paged(&world.base_url, call, data)
}
