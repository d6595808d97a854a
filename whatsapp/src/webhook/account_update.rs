//! The value of the `account_update` webhook field.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::lenient;

string_enum! {
    /// What happened to the WhatsApp Business Account (`event` of `account_update`).
    pub enum AccountUpdateEvent {
        /// The account was deleted.
        AccountDeleted = "ACCOUNT_DELETED",
        /// The account broke a policy or the terms; `violation_info` says which.
        AccountViolation = "ACCOUNT_VIOLATION",
        /// The account was restricted for a policy violation or enforcement action.
        AccountRestriction = "ACCOUNT_RESTRICTION",
        /// The account gave the partner access to its ad accounts.
        AdAccountLinked = "AD_ACCOUNT_LINKED",
        /// The account became eligible for authentication-international rates.
        AuthIntlPriceEligibilityUpdate = "AUTH_INTL_PRICE_ELIGIBILITY_UPDATE",
        /// The account's primary business location was set; see `country`.
        BusinessPrimaryLocationCountryUpdate = "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE",
        /// The account was disabled, scheduled for disabling or reinstated; see `ban_info`.
        DisabledUpdate = "DISABLED_UPDATE",
        /// The account accepted the Marketing Messages Lite terms.
        MmLiteTermsSigned = "MM_LITE_TERMS_SIGNED",
        /// The account was shared with a solution provider.
        PartnerAdded = "PARTNER_ADDED",
        /// A business customer granted the app a permission.
        PartnerAppInstalled = "PARTNER_APP_INSTALLED",
        /// A business customer removed the app.
        PartnerAppUninstalled = "PARTNER_APP_UNINSTALLED",
        /// A partner-led business verification was approved, rejected or discarded.
        PartnerClientCertificationStatusUpdate = "PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE",
        /// The account was unshared from a solution provider.
        PartnerRemoved = "PARTNER_REMOVED",
        /// The account's volume-based pricing tier changed.
        VolumeBasedPricingTierUpdate = "VOLUME_BASED_PRICING_TIER_UPDATE",
    }
}

string_enum! {
    /// `ban_info.waba_ban_state` of a [`AccountUpdateEvent::DisabledUpdate`].
    pub enum BanState {
        /// The account is disabled.
        Disable = "DISABLE",
        /// The account is scheduled to be disabled.
        ScheduleForDisable = "SCHEDULE_FOR_DISABLE",
        /// The account was reinstated.
        Reinstate = "REINSTATE",
    }
}

/// The value of an `account_update` change.
///
/// Each event carries its own details; the common ones are typed, the rest stay in `extra`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountUpdate {
    /// What happened.
    pub event: AccountUpdateEvent,
    /// For a location update: the ISO 3166-1 alpha-2 code of the business's country.
    #[serde(default)]
    pub country: Option<String>,
    /// For a violation: which.
    #[serde(default)]
    pub violation_info: Option<ViolationInfo>,
    /// For a disabled update: the ban state and date.
    #[serde(default)]
    pub ban_info: Option<BanInfo>,
    /// For partner and ad-account events: the account and business concerned.
    #[serde(default)]
    pub waba_info: Option<WabaInfo>,
    /// Every other field (restrictions, rate eligibility, certification, pricing tiers,
    /// fields Meta adds later), as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `violation_info` of an account update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ViolationInfo {
    /// The violation, such as `ADULT` or `SCAM`.
    #[serde(default)]
    pub violation_type: Option<String>,
}

/// `ban_info` of an account update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BanInfo {
    /// Disabled, scheduled to be, or reinstated.
    #[serde(default)]
    pub waba_ban_state: Option<BanState>,
    /// When, as Meta writes it (such as `April 17, 2025`).
    #[serde(default)]
    pub waba_ban_date: Option<String>,
}

/// `waba_info` of an account update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WabaInfo {
    /// The WhatsApp Business Account concerned.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub waba_id: Option<String>,
    /// The business portfolio that owns it.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub owner_business_id: Option<String>,
    /// The ad account linked, for [`AccountUpdateEvent::AdAccountLinked`].
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub ad_account_linked: Option<String>,
    /// The partner's app, for app installs and removals.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub partner_app_id: Option<String>,
    /// The Multi-Partner Solution, when the customer came through one.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub solution_id: Option<String>,
    /// The business portfolios of the solution's partners.
    #[serde(default)]
    pub solution_partner_business_ids: Vec<String>,
}
