//! Limits Meta documents for updating a business profile
//! (`POST /{phone-number-id}/whatsapp_business_profile`), checked by
//! [`UpdateBusinessProfile::validate`](super::UpdateBusinessProfile::validate).
//!
//! Lengths are in characters.

/// Longest "About" text. It must also not be empty.
pub const ABOUT_MAX_CHARS: usize = 139;

/// Longest address.
pub const ADDRESS_MAX_CHARS: usize = 256;

/// Longest description.
pub const DESCRIPTION_MAX_CHARS: usize = 512;

/// Longest contact email address.
pub const EMAIL_MAX_CHARS: usize = 128;

/// Most websites.
pub const WEBSITES_MAX: usize = 2;

/// Longest website URL.
pub const WEBSITE_MAX_CHARS: usize = 256;
