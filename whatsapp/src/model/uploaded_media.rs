use serde::{Deserialize, Serialize};

use crate::MediaId;

/// The answer to a media upload (`POST /{phone-number-id}/media`): the new media's id.
///
/// The id can be used in media messages for 30 days, unless the media is deleted earlier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadedMedia {
    /// The id to send the media by.
    pub id: MediaId,
}
