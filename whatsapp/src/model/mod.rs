//! WhatsApp content types shared by incoming webhooks and (later) outgoing messages.

mod contact_card;
mod location;

pub use contact_card::{
    ContactAddress, ContactCard, ContactEmail, ContactName, ContactOrg, ContactPhone, ContactUrl,
};
pub use location::Location;
