use serde::Deserialize;

/// The `sender` or `recipient` of a messaging item.
///
/// For a person's message the sender is their Instagram-scoped id
/// ([`Igsid`](crate::Igsid)) and the recipient the business's account id
/// ([`InstagramAccountId`](crate::InstagramAccountId)); for echoes of the business's own
/// messages it is the other way round.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Party {
    /// The IGSID or account id. Meta sends it as a string; a number is an error.
    #[serde(default)]
    pub id: Option<String>,
}
