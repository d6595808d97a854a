string_enum! {
    /// A business phone number's `status`. Only a `CONNECTED` number can send and receive
    /// messages through the API.
    pub enum PhoneNumberStatus {
        /// Registered and working.
        Connected = "CONNECTED",
        /// Registration not finished.
        Pending = "PENDING",
        /// Disconnected from the platform.
        Disconnected = "DISCONNECTED",
        /// Flagged for low quality; the messaging limit may drop.
        Flagged = "FLAGGED",
        /// Restricted from starting conversations for a while.
        Restricted = "RESTRICTED",
        /// Temporarily rate limited.
        RateLimited = "RATE_LIMITED",
        /// Not reachable.
        Offline = "OFFLINE",
        /// Migrated to another WhatsApp Business Account.
        Migrated = "MIGRATED",
        /// Banned from WhatsApp.
        Banned = "BANNED",
        /// Deleted.
        Deleted = "DELETED",
        /// Not verified.
        Unverified = "UNVERIFIED",
    }
}
