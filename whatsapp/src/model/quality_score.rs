use serde::{Deserialize, Serialize};

use super::{QualityRating, lenient};

/// A template's `quality_score`: its rating and when it was last set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QualityScore {
    /// The rating; [`QualityRating::Unrated`] until enough users have seen the template.
    pub score: QualityRating,
    /// When the rating was set, in Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub date: Option<i64>,
}
