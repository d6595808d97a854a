use serde::Deserialize;

string_enum! {
    /// The pricing category of a message or of the conversation it opened.
    pub enum PricingCategory {
        /// Authentication (one-time passcodes).
        Authentication = "authentication",
        /// Marketing.
        Marketing = "marketing",
        /// Marketing Messages Lite.
        MarketingLite = "marketing_lite",
        /// Utility (transaction updates).
        Utility = "utility",
        /// Service: replies within the customer service window.
        Service = "service",
        /// A free conversation opened from a free entry point, such as a Click to WhatsApp ad.
        ReferralConversation = "referral_conversation",
    }
}

string_enum! {
    /// How a message is priced.
    pub enum PricingModel {
        /// Conversation-based pricing.
        Cbp = "CBP",
        /// Per-message pricing (since July 2025).
        Pmp = "PMP",
    }
}

string_enum! {
    /// Whether a message is charged under [`PricingModel::Pmp`].
    pub enum PricingType {
        /// Charged at the regular rate.
        Regular = "regular",
        /// Free: sent within the customer service window.
        FreeCustomerService = "free_customer_service",
        /// Free: sent within a free entry point window.
        FreeEntryPoint = "free_entry_point",
    }
}

/// What a message costs (`statuses[].pricing`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Pricing {
    /// The message is charged (deprecated by Meta in favour of [`Pricing::pricing_type`]).
    #[serde(default)]
    pub billable: Option<bool>,
    /// The pricing model.
    #[serde(default)]
    pub pricing_model: Option<PricingModel>,
    /// The pricing category.
    #[serde(default)]
    pub category: Option<PricingCategory>,
    /// Meta's `type`: charged or free, and why.
    #[serde(rename = "type", default)]
    pub pricing_type: Option<PricingType>,
}
