use serde::Deserialize;

/// An error Meta reports inside a webhook rather than in an API response: in `value.errors`,
/// `messages[].errors` (unsupported messages) or `statuses[].errors` (failed deliveries).
///
/// Branch on [`ReportedError::code`]; titles and messages are for people and may change.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ReportedError {
    /// Meta's error code, such as `131047` (outside the 24-hour window) or `131051`
    /// (unsupported message type).
    #[serde(default)]
    pub code: Option<i64>,
    /// A short title.
    #[serde(default)]
    pub title: Option<String>,
    /// A message, often the same as the title.
    #[serde(default)]
    pub message: Option<String>,
    /// Further detail.
    #[serde(default)]
    pub error_data: Option<ErrorData>,
    /// A link to Meta's documentation of the error.
    #[serde(default)]
    pub href: Option<String>,
}

/// The `error_data` of a [`ReportedError`].
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ErrorData {
    /// A human-readable description of the cause.
    #[serde(default)]
    pub details: Option<String>,
}
