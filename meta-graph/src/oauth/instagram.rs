//! Instagram Login: the authorization window, the code exchange on `api.instagram.com`, and
//! the long-lived token exchange and refresh on `graph.instagram.com`.

use serde::Deserialize;
use url::Url;

use super::{AccessTokenResponse, OAuthState, check_redirect_uri};
use crate::client::GraphClient;
use crate::error::{Error, ErrorKind};
use crate::id::AppId;
use crate::request::MultipartForm;
use crate::secret::{AccessToken, AppSecret};

/// The Graph API host of Instagram Login tokens.
pub const INSTAGRAM_GRAPH_BASE_URL: &str = "https://graph.instagram.com/";

/// The host of Instagram Login's code exchange.
pub const INSTAGRAM_API_BASE_URL: &str = "https://api.instagram.com/";

/// The host of Instagram Login's authorization window.
pub const INSTAGRAM_AUTHORIZE_BASE_URL: &str = "https://www.instagram.com/";

/// The scopes an inbox needs with Instagram Login: the profile and messages.
pub const INSTAGRAM_MESSAGING_SCOPES: [&str; 2] = [
    "instagram_business_basic",
    "instagram_business_manage_messages",
];

/// The OAuth flow of the Instagram API with Instagram Login, for professional accounts that
/// have no Facebook Page.
///
/// 1. [`OAuthState::generate`], kept in the user's session;
/// 2. redirect to [`authorize_url`](Self::authorize_url);
/// 3. on the callback, check `state`, then [`exchange_code`](Self::exchange_code) for a
///    short-lived token (1 hour) and the account's id;
/// 4. [`exchange_for_long_lived`](Self::exchange_for_long_lived): 60 days;
/// 5. [`refresh`](Self::refresh) it before it expires (a token at least 24 hours old can be
///    refreshed; an expired one cannot).
///
/// The app secret, the code and tokens travel as Meta requires (form fields, query values)
/// and are kept out of `Debug` output, errors and logs.
#[derive(Clone, Debug)]
pub struct InstagramLogin {
    api: GraphClient,
    graph: GraphClient,
    authorize_base: Url,
}

/// The answer to the code exchange: a short-lived token and the account it is for.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct InstagramCodeToken {
    /// The short-lived Instagram user access token (about 1 hour).
    pub access_token: AccessToken,
    /// The Instagram professional account's id (app-scoped).
    pub user_id: Option<String>,
    /// The permissions granted.
    pub permissions: Vec<String>,
}

impl InstagramLogin {
    /// Instagram Login on Meta's hosts, with the API version and retry policy of `base`
    /// (whose base URL is ignored).
    ///
    /// # Errors
    ///
    /// A [`ErrorKind::Config`] error if a client cannot be built.
    pub fn new(base: &GraphClient) -> Result<Self, Error> {
        Self::with_hosts(
            base,
            INSTAGRAM_API_BASE_URL,
            INSTAGRAM_GRAPH_BASE_URL,
            INSTAGRAM_AUTHORIZE_BASE_URL,
        )
    }

    /// Instagram Login on other hosts, such as a mock server in tests.
    ///
    /// # Errors
    ///
    /// A [`ErrorKind::Config`] error when a URL is not an absolute http(s) URL.
    pub fn with_hosts(
        base: &GraphClient,
        api_base: &str,
        graph_base: &str,
        authorize_base: &str,
    ) -> Result<Self, Error> {
        let rebuild = |url: &str| base.rebuild_with_base(url);
        let authorize_base = Url::parse(authorize_base)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| {
                Error::msg(
                    ErrorKind::Config,
                    "the authorize base URL must be an http(s) URL",
                )
            })?;
        Ok(Self {
            api: rebuild(api_base)?,
            graph: rebuild(graph_base)?,
            authorize_base,
        })
    }

    /// The client for `graph.instagram.com`, to build an Instagram client on.
    pub fn graph(&self) -> &GraphClient {
        &self.graph
    }

    /// The authorization window URL:
    /// `https://www.instagram.com/oauth/authorize?client_id&redirect_uri&response_type=code&scope&state`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidRequest`] when `redirect_uri` is not an absolute http(s) URL.
    pub fn authorize_url<I, S>(
        &self,
        app_id: &AppId,
        redirect_uri: &str,
        state: &OAuthState,
        scopes: I,
    ) -> Result<Url, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        check_redirect_uri(redirect_uri)?;
        let mut url = self
            .authorize_base
            .join("oauth/authorize")
            .map_err(|e| Error::new(ErrorKind::Config).with_source(e))?;
        let scope: Vec<String> = scopes.into_iter().map(|s| s.as_ref().to_owned()).collect();
        url.query_pairs_mut()
            .append_pair("client_id", app_id.as_str())
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", &scope.join(","))
            .append_pair("state", state.as_str());
        Ok(url)
    }

    /// Exchanges the callback's `code` for a short-lived token
    /// (`POST https://api.instagram.com/oauth/access_token`, form fields `client_id`,
    /// `client_secret`, `grant_type=authorization_code`, `redirect_uri`, `code`).
    ///
    /// Instagram appends `#_` to the code in the redirect; it is stripped here.
    ///
    /// # Errors
    ///
    /// The Graph kinds: [`ErrorKind::Api`] for a used or expired code.
    pub async fn exchange_code(
        &self,
        app_id: &AppId,
        app_secret: &AppSecret,
        redirect_uri: &str,
        code: &str,
    ) -> Result<InstagramCodeToken, Error> {
        check_redirect_uri(redirect_uri)?;
        let code = code.strip_suffix("#_").unwrap_or(code);
        let form = MultipartForm::new()
            .text("client_id", app_id.as_str())
            .text("client_secret", app_secret.expose_secret())
            .text("grant_type", "authorization_code")
            .text("redirect_uri", redirect_uri)
            .text("code", code);
        let response: CodeResponse = self
            .api
            .post("")
            .unversioned("oauth/access_token")
            .multipart(form)
            .redact(app_secret.expose_secret())
            .redact(code)
            .redact_response()
            .send()
            .await?;
        let token = match response {
            CodeResponse::Wrapped { data } => data.into_iter().next().ok_or_else(|| {
                Error::msg(
                    ErrorKind::UnexpectedResponse,
                    "the code exchange returned no token",
                )
            })?,
            CodeResponse::Flat(token) => token,
        };
        Ok(InstagramCodeToken {
            access_token: token.access_token,
            user_id: token.user_id.map(|id| id.0),
            permissions: token.permissions.map(|p| p.0).unwrap_or_default(),
        })
    }

    /// Exchanges a short-lived token for a long-lived one, valid 60 days
    /// (`GET https://graph.instagram.com/access_token?grant_type=ig_exchange_token&client_secret&access_token`).
    ///
    /// # Errors
    ///
    /// The Graph kinds.
    pub async fn exchange_for_long_lived(
        &self,
        app_secret: &AppSecret,
        short_lived: &AccessToken,
    ) -> Result<AccessTokenResponse, Error> {
        self.graph
            .get("")
            .unversioned("access_token")
            .query("grant_type", "ig_exchange_token")
            .secret_query("client_secret", app_secret.expose_secret())
            .token_in_query(short_lived)
            .redact_response()
            .send()
            .await
    }

    /// Refreshes a long-lived token for another 60 days
    /// (`GET https://graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token&access_token`).
    /// The token must be at least 24 hours old and not expired.
    ///
    /// # Errors
    ///
    /// The Graph kinds: an expired token is [`ErrorKind::Api`] with code 190.
    pub async fn refresh(&self, long_lived: &AccessToken) -> Result<AccessTokenResponse, Error> {
        self.graph
            .get("")
            .unversioned("refresh_access_token")
            .query("grant_type", "ig_refresh_token")
            .token_in_query(long_lived)
            .redact_response()
            .send()
            .await
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CodeResponse {
    Wrapped { data: Vec<FlatToken> },
    Flat(FlatToken),
}

#[derive(Deserialize)]
struct FlatToken {
    access_token: AccessToken,
    #[serde(default)]
    user_id: Option<IdText>,
    #[serde(default)]
    permissions: Option<Permissions>,
}

/// An id sent as a number or a string.
struct IdText(String);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(serde_json::Number),
        }
        Ok(Self(match Raw::deserialize(deserializer)? {
            Raw::Text(text) => text,
            Raw::Number(number) => number.to_string(),
        }))
    }
}

/// Permissions sent as a comma-separated string or a list.
struct Permissions(Vec<String>);

impl<'de> Deserialize<'de> for Permissions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            List(Vec<String>),
        }
        Ok(Self(match Raw::deserialize(deserializer)? {
            Raw::Text(text) => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            Raw::List(list) => list,
        }))
    }
}
