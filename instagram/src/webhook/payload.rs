use std::borrow::Cow;

use messaging_core::WebhookEvent;
use serde::Deserialize;

use super::{Entry, normalize, single_pass};
use crate::{Error, ErrorKind};

/// The `object` of every Instagram webhook.
pub const OBJECT: &str = "instagram";

/// A whole Instagram webhook body (`"object": "instagram"`), typed.
///
/// One body may batch many entries, each with many `messaging[]`, `standby[]` and `changes[]`
/// items: every one of them is parsed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookPayload {
    /// The entries, in the order Meta sent them.
    pub entry: Vec<Entry>,
}

impl WebhookPayload {
    /// Parses a webhook body.
    ///
    /// Pass the raw bytes of the POST body, after checking its signature. Fails with
    /// [`ErrorKind::InvalidJson`] when the body is not JSON, [`ErrorKind::UnexpectedObject`]
    /// when it is another Meta object's webhook, and [`ErrorKind::InvalidPayload`] when an id
    /// the contract needs is not a string (an account id, a sender or recipient id, a `mid`) or
    /// the body's own frame is misshapen (`entry` or an item list that is not an array, an
    /// entry without its account id).
    ///
    /// Unknown fields, attachment types and events are not errors: they are kept. Nor is an
    /// item of a shape this version does not expect (a field of another type, say): it is
    /// kept whole as [`MessagingEvent::Unknown`](super::MessagingEvent::Unknown), and the rest
    /// of the batch is read as usual.
    pub fn from_slice(body: &[u8]) -> Result<Self, Error> {
        single_pass::parse(body).map_or_else(|| Self::from_slice_general(body), Ok)
    }

    /// Parses any body, item by item, each cut out as raw JSON text first; also the one that
    /// reports errors.
    pub(super) fn from_slice_general(body: &[u8]) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct Envelope<'a> {
            // Borrowed when it can be: the object name is only compared.
            #[serde(borrow)]
            object: Cow<'a, str>,
            #[serde(default)]
            entry: Vec<Entry>,
        }

        match serde_json::from_slice::<Envelope<'_>>(body) {
            Ok(envelope) if envelope.object == OBJECT => Ok(Self {
                entry: envelope.entry,
            }),
            Ok(_) => Err(Error::new(ErrorKind::UnexpectedObject)),
            Err(err) if err.is_data() => {
                // Another object's entries may fail to parse before `object` is even read:
                // report the wrong object rather than the shape it led to.
                let kind = if has_other_object(body) {
                    ErrorKind::UnexpectedObject
                } else {
                    ErrorKind::InvalidPayload
                };
                Err(Error::with_source(kind, err))
            }
            Err(err) => Err(Error::with_source(ErrorKind::InvalidJson, err)),
        }
    }

    /// The normalized events of every entry and item, in document order: entry by entry, its
    /// `messaging` items, then its `standby` items, then its `changes`. See the
    /// [module documentation](super) for how each item maps.
    ///
    /// Each event owns copies of its strings; [`WebhookPayload::into_events`] moves them
    /// instead.
    pub fn to_events(&self) -> Vec<WebhookEvent> {
        self.clone().into_events()
    }

    /// [`WebhookPayload::to_events`], consuming the payload so that its strings move into the
    /// events rather than being copied.
    pub fn into_events(self) -> Vec<WebhookEvent> {
        normalize::into_events(self)
    }
}

fn has_other_object(body: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct ObjectOnly {
        object: String,
    }

    serde_json::from_slice::<ObjectOnly>(body).is_ok_and(|only| only.object != OBJECT)
}
