string_enum! {
    /// A business profile's industry (`vertical`), shown in the WhatsApp client under a
    /// display name such as "Shopping and Retail".
    ///
    /// In an update, an empty string clears it: use `Vertical::from("")`.
    pub enum Vertical {
        /// Alcoholic Beverages.
        Alcohol = "ALCOHOL",
        /// Clothing and Apparel.
        Apparel = "APPAREL",
        /// Automotive.
        Auto = "AUTO",
        /// Beauty, Spa and Salon.
        Beauty = "BEAUTY",
        /// Education.
        Edu = "EDU",
        /// Entertainment.
        Entertain = "ENTERTAIN",
        /// Event Planning and Service.
        EventPlan = "EVENT_PLAN",
        /// Finance and Banking.
        Finance = "FINANCE",
        /// Public Service.
        Govt = "GOVT",
        /// Food and Grocery.
        Grocery = "GROCERY",
        /// Medical and Health.
        Health = "HEALTH",
        /// Hotel and Lodging.
        Hotel = "HOTEL",
        /// Non-profit.
        Nonprofit = "NONPROFIT",
        /// Online Gambling & Gaming.
        OnlineGambling = "ONLINE_GAMBLING",
        /// Over-the-Counter Drugs.
        OtcDrugs = "OTC_DRUGS",
        /// Other.
        Other = "OTHER",
        /// Non-Online Gambling & Gaming (brick and mortar).
        PhysicalGambling = "PHYSICAL_GAMBLING",
        /// Professional Services.
        ProfServices = "PROF_SERVICES",
        /// Restaurant.
        Restaurant = "RESTAURANT",
        /// Shopping and Retail.
        Retail = "RETAIL",
        /// Travel and Transportation.
        Travel = "TRAVEL",
        /// No industry set (older profiles).
        Undefined = "UNDEFINED",
        /// Not a business (older profiles).
        NotABiz = "NOT_A_BIZ",
    }
}
