use serde::Deserialize;

/// The user's answer to an interactive message (`type: interactive`).
///
/// An answer of a kind this version does not know becomes
/// [`MessageContent::Unknown`](super::MessageContent::Unknown), which keeps its JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Interactive {
    /// The user tapped a reply button.
    ButtonReply(ButtonReply),
    /// The user chose a row of a list message.
    ListReply(ListReply),
    /// The user completed a WhatsApp Flow (`nfm_reply`).
    NfmReply(NfmReply),
}

/// The reply button a user tapped.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ButtonReply {
    /// The id the business gave the button.
    pub id: String,
    /// The button's label.
    pub title: String,
}

/// The list row a user chose.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ListReply {
    /// The id the business gave the row.
    pub id: String,
    /// The row's title.
    pub title: String,
    /// The row's description, when it has one.
    #[serde(default)]
    pub description: Option<String>,
}

/// The response to a WhatsApp Flow.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct NfmReply {
    /// `flow` for Flows.
    #[serde(default)]
    pub name: Option<String>,
    /// The text shown in the chat, such as `Sent`.
    #[serde(default)]
    pub body: Option<String>,
    /// The Flow's answers, a JSON object encoded as a string (it includes `flow_token`).
    pub response_json: String,
}

/// `interactive` as sent: the answer sits under the key named by `type`.
#[derive(Deserialize)]
pub(super) struct WireInteractive {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    button_reply: Option<ButtonReply>,
    #[serde(default)]
    list_reply: Option<ListReply>,
    #[serde(default)]
    nfm_reply: Option<NfmReply>,
}

impl WireInteractive {
    /// `None` when the answer's type is unknown or its object is missing.
    pub(super) fn into_interactive(self) -> Option<Interactive> {
        match self.kind.as_deref()? {
            "button_reply" => self.button_reply.map(Interactive::ButtonReply),
            "list_reply" => self.list_reply.map(Interactive::ListReply),
            "nfm_reply" => self.nfm_reply.map(Interactive::NfmReply),
            _ => None,
        }
    }
}
