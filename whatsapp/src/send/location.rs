use super::outgoing::{Content, Envelope, OutgoingMessage};
use super::recipient::Recipient;
use super::validate;
use crate::ValidationProblem;
use crate::{Error, model};

/// A location message (`type: location`): a pin at the given coordinates, with an optional
/// name and address.
///
/// The coordinates are sent as JSON numbers, as the messages reference types them and webhooks
/// deliver them; Meta's guide shows them as strings, which the API also accepts.
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    envelope: Envelope,
    location: model::Location,
}

impl Location {
    /// A pin at `latitude` (-90 to 90) and `longitude` (-180 to 180), in decimal degrees.
    pub fn new(to: impl Into<Recipient>, latitude: f64, longitude: f64) -> Self {
        Self {
            envelope: Envelope::new(to),
            location: model::Location::new(latitude, longitude),
        }
    }

    /// The place's name, such as `Philz Coffee`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.location.name = Some(name.into());
        self
    }

    /// The place's address, such as `101 Forest Ave, Palo Alto, CA 94301`.
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.location.address = Some(address.into());
        self
    }

    reply_to_setter!();

    /// Checks the message against Meta's rules and returns the body to send.
    pub fn build(self) -> Result<OutgoingMessage, Error> {
        check(&self.location, "location")?;
        self.envelope.seal(Content::Location(self.location))
    }
}

/// Coordinates in range, name and address not blank when set. Shared with template location
/// headers.
pub(super) fn check(location: &model::Location, field: &str) -> Result<(), Error> {
    if !(-90.0..=90.0).contains(&location.latitude) {
        return validate::fail(
            || format!("{field}.latitude"),
            ValidationProblem::OutOfRange,
        );
    }
    if !(-180.0..=180.0).contains(&location.longitude) {
        return validate::fail(
            || format!("{field}.longitude"),
            ValidationProblem::OutOfRange,
        );
    }
    if let Some(name) = &location.name {
        validate::not_blank(name, || format!("{field}.name"))?;
    }
    if let Some(address) = &location.address {
        validate::not_blank(address, || format!("{field}.address"))?;
    }
    Ok(())
}

/// The wire form of a location: coordinates, name and address, never the `url` that only
/// webhooks carry.
#[derive(serde::Serialize)]
pub(super) struct LocationObject<'a> {
    latitude: f64,
    longitude: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
}

impl<'a> From<&'a model::Location> for LocationObject<'a> {
    fn from(location: &'a model::Location) -> Self {
        Self {
            latitude: location.latitude,
            longitude: location.longitude,
            name: location.name.as_deref(),
            address: location.address.as_deref(),
        }
    }
}
