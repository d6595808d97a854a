use serde::ser::{Serialize, SerializeMap, Serializer};

use super::validate;
use crate::{Error, Wamid};

/// Marks a received message as read, optionally showing a typing indicator: the body of
/// `POST /{phone-number-id}/messages` with `status: read`.
///
/// Marking a message as read also marks the earlier messages of the conversation as read. The
/// typing indicator disappears when the business replies or after 25 seconds, so show it only
/// when a reply is coming. Meta answers `{"success": true}`.
///
/// ```
/// use metabiz_whatsapp::send::MarkRead;
///
/// let receipt = MarkRead::new("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA")
///     .typing_indicator()
///     .build()?;
/// assert!(receipt.shows_typing_indicator());
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkRead {
    receipt: ReadReceipt,
}

/// A checked read receipt, ready to be sent; made by [`MarkRead::build`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadReceipt {
    message_id: Wamid,
    typing_indicator: bool,
}

impl MarkRead {
    /// Marks `message_id`, the `messages[].id` of a received message webhook, as read.
    pub fn new(message_id: impl Into<Wamid>) -> Self {
        Self {
            receipt: ReadReceipt {
                message_id: message_id.into(),
                typing_indicator: false,
            },
        }
    }

    /// Also shows a typing indicator (`typing_indicator: {"type": "text"}`).
    pub fn typing_indicator(mut self) -> Self {
        self.receipt.typing_indicator = true;
        self
    }

    /// Checks the message id and returns the body to send.
    pub fn build(self) -> Result<ReadReceipt, Error> {
        validate::not_blank(self.receipt.message_id.as_str(), || "message_id".to_owned())?;
        Ok(self.receipt)
    }
}

impl ReadReceipt {
    /// The message marked as read.
    pub fn message_id(&self) -> &Wamid {
        &self.message_id
    }

    /// Whether the receipt also shows a typing indicator.
    pub fn shows_typing_indicator(&self) -> bool {
        self.typing_indicator
    }
}

/// `{"messaging_product": "whatsapp", "status": "read", "message_id": …,
/// "typing_indicator"?: {"type": "text"}}`.
impl Serialize for ReadReceipt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct TypingIndicator {
            #[serde(rename = "type")]
            kind: &'static str,
        }

        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("messaging_product", "whatsapp")?;
        map.serialize_entry("status", "read")?;
        map.serialize_entry("message_id", &self.message_id)?;
        if self.typing_indicator {
            map.serialize_entry("typing_indicator", &TypingIndicator { kind: "text" })?;
        }
        map.end()
    }
}
