string_enum! {
    /// How many users a business may start conversations with in a rolling 24 hours
    /// (`messaging_limit_tier`). Meta now sets the limit per business portfolio and raises
    /// it with usage and quality.
    pub enum MessagingLimitTier {
        /// 50 users.
        Tier50 = "TIER_50",
        /// 250 users.
        Tier250 = "TIER_250",
        /// 1,000 users.
        Tier1K = "TIER_1K",
        /// 2,000 users.
        Tier2K = "TIER_2K",
        /// 10,000 users.
        Tier10K = "TIER_10K",
        /// 100,000 users.
        Tier100K = "TIER_100K",
        /// No limit.
        TierUnlimited = "TIER_UNLIMITED",
        /// The number has not sent a message yet.
        TierNotSet = "TIER_NOT_SET",
    }
}

impl MessagingLimitTier {
    /// The number of users the tier allows, or `None` for unlimited, unset and unknown tiers.
    pub fn max_users(&self) -> Option<u32> {
        match self {
            Self::Tier50 => Some(50),
            Self::Tier250 => Some(250),
            Self::Tier1K => Some(1_000),
            Self::Tier2K => Some(2_000),
            Self::Tier10K => Some(10_000),
            Self::Tier100K => Some(100_000),
            _ => None,
        }
    }
}
