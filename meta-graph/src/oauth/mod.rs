//! Facebook Login: the login dialog URL, token exchanges, the user's Pages
//! and their Instagram accounts, and token inspection; and Instagram Login
//! ([`InstagramLogin`]) for Instagram accounts without a Page.
//!
//! The usual server-side flow:
//!
//! 1. [`OAuthState::generate`] and keep it in the user's session;
//! 2. redirect the user to [`OAuth::login_url`];
//! 3. on the callback, check `state` with [`OAuthState::matches`], then
//!    [`OAuth::exchange_code`];
//! 4. [`OAuth::exchange_for_long_lived`] (about 60 days);
//! 5. [`OAuth::pages`] to list the Pages (each with its Page token) and
//!    [`OAuth::instagram_business_account`] for a Page's Instagram account.
//!
//! Meta requires the app secret in the query string of the token
//! endpoints. The client keeps such values out of `Debug` output, errors
//! and logs, and never logs URLs.

mod instagram;
mod model;
mod state;

use url::Url;

pub use instagram::{
    INSTAGRAM_API_BASE_URL, INSTAGRAM_AUTHORIZE_BASE_URL, INSTAGRAM_GRAPH_BASE_URL,
    INSTAGRAM_MESSAGING_SCOPES, InstagramCodeToken, InstagramLogin,
};
pub use model::{
    AccessTokenResponse, Expiry, GranularScope, InstagramBusinessAccount, PageAccount, PageTask,
    TokenInfo, TokenInfoError, TokenType,
};
pub use state::OAuthState;

use crate::client::GraphClient;
use crate::error::{Error, ErrorKind};
use crate::id::{AppId, PageId};
use crate::paging::Pages;
use crate::secret::{AccessToken, AppSecret};

/// Facebook Login calls, from [`GraphClient::oauth`].
#[derive(Clone, Copy, Debug)]
pub struct OAuth<'a> {
    client: &'a GraphClient,
}

impl GraphClient {
    /// Facebook Login calls made with this client's version and base URLs.
    pub fn oauth(&self) -> OAuth<'_> {
        OAuth { client: self }
    }
}

impl OAuth<'_> {
    /// The Login dialog URL to redirect the user to:
    /// `https://www.facebook.com/{version}/dialog/oauth?client_id=…&redirect_uri=…&state=…&scope=a,b&response_type=code`.
    ///
    /// `redirect_uri` must match one configured for the app exactly; use
    /// the same value in [`exchange_code`](Self::exchange_code).
    pub fn login_url<I, S>(
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
            .client
            .dialog_base_url()
            .join(&format!("{}/dialog/oauth", self.client.api_version()))
            .map_err(|e| Error::new(ErrorKind::Config).with_source(e))?;
        let scope: Vec<String> = scopes.into_iter().map(|s| s.as_ref().to_owned()).collect();
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", app_id.as_str())
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("state", state.as_str());
            if !scope.is_empty() {
                query.append_pair("scope", &scope.join(","));
            }
            query.append_pair("response_type", "code");
        }
        Ok(url)
    }

    /// Exchanges the `code` from the login callback for a user access token
    /// (`GET /oauth/access_token?client_id&redirect_uri&client_secret&code`).
    pub async fn exchange_code(
        &self,
        app_id: &AppId,
        app_secret: &AppSecret,
        redirect_uri: &str,
        code: &str,
    ) -> Result<AccessTokenResponse, Error> {
        check_redirect_uri(redirect_uri)?;
        self.client
            .get("oauth/access_token")
            .query("client_id", app_id.as_str())
            .query("redirect_uri", redirect_uri)
            .secret_query("client_secret", app_secret.expose_secret())
            .secret_query("code", code)
            .redact_response()
            .send()
            .await
    }

    /// Exchanges a short-lived user token for a long-lived one, about 60
    /// days (`GET /oauth/access_token?grant_type=fb_exchange_token&…`). An
    /// expired token cannot be exchanged.
    pub async fn exchange_for_long_lived(
        &self,
        app_id: &AppId,
        app_secret: &AppSecret,
        short_lived: &AccessToken,
    ) -> Result<AccessTokenResponse, Error> {
        self.client
            .get("oauth/access_token")
            .query("grant_type", "fb_exchange_token")
            .query("client_id", app_id.as_str())
            .secret_query("client_secret", app_secret.expose_secret())
            .secret_query("fb_exchange_token", short_lived.expose_secret())
            .redact_response()
            .send()
            .await
    }

    /// The Pages the user can act on (`GET /me/accounts`), each with its
    /// Page access token when the user granted the permissions. Page tokens
    /// obtained with a long-lived user token do not expire on a timer.
    pub fn pages(&self, user_token: &AccessToken) -> Pages<PageAccount> {
        self.client
            .get("me/accounts")
            .token(user_token)
            .fields(["id", "name", "access_token", "category", "tasks"])
            .redact_response()
            .paginate()
    }

    /// The Instagram professional account linked to a Page, if any
    /// (`GET /{page-id}?fields=instagram_business_account{id,username}`).
    pub async fn instagram_business_account(
        &self,
        page_id: &PageId,
        page_token: &AccessToken,
    ) -> Result<Option<InstagramBusinessAccount>, Error> {
        #[derive(serde::Deserialize)]
        struct PageFields {
            #[serde(default)]
            instagram_business_account: Option<InstagramBusinessAccount>,
        }
        let fields: PageFields = self
            .client
            .get(page_id.as_str())
            .token(page_token)
            .query("fields", "instagram_business_account{id,username}")
            .send()
            .await?;
        Ok(fields.instagram_business_account)
    }

    /// Inspects `input_token` (`GET /debug_token?input_token=…`): whether it
    /// is valid, when it expires, its scopes. `access_token` is an app token
    /// ([`AccessToken::app_token`]) or a token of a developer of the app.
    pub async fn debug_token(
        &self,
        input_token: &AccessToken,
        access_token: &AccessToken,
    ) -> Result<TokenInfo, Error> {
        #[derive(serde::Deserialize)]
        struct Envelope {
            data: TokenInfo,
        }
        let envelope: Envelope = self
            .client
            .get("debug_token")
            .token(access_token)
            .secret_query("input_token", input_token.expose_secret())
            .redact_response()
            .send()
            .await?;
        Ok(envelope.data)
    }
}

fn check_redirect_uri(redirect_uri: &str) -> Result<(), Error> {
    match Url::parse(redirect_uri) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(()),
        _ => Err(Error::msg(
            ErrorKind::InvalidRequest,
            "the redirect URI must be an absolute http(s) URL",
        )),
    }
}
