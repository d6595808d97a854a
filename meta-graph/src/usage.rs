//! Rate-limit usage that Meta reports in response headers.

use std::time::Duration;

use http::HeaderMap;
use serde_json::{Map, Value};

const APP_USAGE: &str = "x-app-usage";
const PAGE_USAGE: &str = "x-page-usage";
const BUSINESS_USE_CASE_USAGE: &str = "x-business-use-case-usage";

/// How close the app, a Page or a business is to Meta's rate limits, read
/// from the `X-App-Usage`, `X-Page-Usage` and `X-Business-Use-Case-Usage`
/// headers.
///
/// Percentages reach 100 when calls start to be throttled. Meta adds the
/// headers only once enough calls were made, so every part is optional. A
/// malformed header is ignored rather than failing the call; unknown keys
/// are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Usage {
    /// `X-App-Usage`: the app's platform rate limit.
    pub app: Option<UsageCounters>,
    /// `X-Page-Usage`: the Page's rate limit (Page tokens).
    pub page: Option<UsageCounters>,
    /// `X-Business-Use-Case-Usage`: one entry per business object and use
    /// case.
    pub business_use_case: Vec<BusinessUseCaseUsage>,
}

/// The three meters Meta reports, each in percent of the allowance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UsageCounters {
    /// Share of the allowed number of calls.
    pub call_count: Option<u32>,
    /// Share of the allowed CPU time.
    pub total_cputime: Option<u32>,
    /// Share of the allowed total time.
    pub total_time: Option<u32>,
    /// How long until calls stop being throttled (Meta sends minutes).
    pub estimated_time_to_regain_access: Option<Duration>,
}

/// One entry of `X-Business-Use-Case-Usage`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BusinessUseCaseUsage {
    /// The business object id the entry is keyed by (a Page, an ad account,
    /// a WhatsApp Business Account…).
    pub business_id: String,
    /// The use case, Meta's `type` (for example `pages`, `messenger`,
    /// `instagram`, `whatsapp_business_management`).
    pub use_case: Option<String>,
    /// The meters for this use case.
    pub counters: UsageCounters,
}

impl Usage {
    /// Reads the usage headers of a response.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let json = |name: &str| -> Option<Map<String, Value>> {
            let text = headers.get(name)?.to_str().ok()?;
            match serde_json::from_str(text) {
                Ok(Value::Object(map)) => Some(map),
                _ => None,
            }
        };
        let business_use_case = json(BUSINESS_USE_CASE_USAGE)
            .map(|map| {
                map.into_iter()
                    .filter_map(|(business_id, entries)| match entries {
                        Value::Array(entries) => Some((business_id, entries)),
                        _ => None,
                    })
                    .flat_map(|(business_id, entries)| {
                        entries.into_iter().filter_map(move |entry| {
                            let Value::Object(entry) = entry else {
                                return None;
                            };
                            Some(BusinessUseCaseUsage {
                                business_id: business_id.clone(),
                                use_case: entry
                                    .get("type")
                                    .and_then(Value::as_str)
                                    .map(str::to_owned),
                                counters: UsageCounters::from_map(&entry),
                            })
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            app: json(APP_USAGE).map(|m| UsageCounters::from_map(&m)),
            page: json(PAGE_USAGE).map(|m| UsageCounters::from_map(&m)),
            business_use_case,
        }
    }

    /// Whether no usage header was present (or none could be read).
    pub fn is_empty(&self) -> bool {
        self.app.is_none() && self.page.is_none() && self.business_use_case.is_empty()
    }

    /// The highest percentage across all meters: a single "how close to
    /// throttling" figure.
    pub fn max_percent(&self) -> Option<u32> {
        self.all_counters()
            .filter_map(UsageCounters::max_percent)
            .max()
    }

    /// The longest `estimated_time_to_regain_access` reported: how long to
    /// wait before calls stop being throttled.
    pub fn max_regain_time(&self) -> Option<Duration> {
        self.all_counters()
            .filter_map(|c| c.estimated_time_to_regain_access)
            .max()
    }

    fn all_counters(&self) -> impl Iterator<Item = &UsageCounters> {
        self.app
            .iter()
            .chain(self.page.iter())
            .chain(self.business_use_case.iter().map(|b| &b.counters))
    }
}

impl UsageCounters {
    fn from_map(map: &Map<String, Value>) -> Self {
        Self {
            call_count: map.get("call_count").and_then(percent),
            total_cputime: map.get("total_cputime").and_then(percent),
            total_time: map.get("total_time").and_then(percent),
            estimated_time_to_regain_access: map
                .get("estimated_time_to_regain_access")
                .and_then(percent)
                .map(|minutes| Duration::from_secs(u64::from(minutes) * 60)),
        }
    }

    /// The highest of the three percentages.
    pub fn max_percent(&self) -> Option<u32> {
        [self.call_count, self.total_cputime, self.total_time]
            .into_iter()
            .flatten()
            .max()
    }
}

/// A non-negative number, sent as an integer, a float or a numeric string.
fn percent(value: &Value) -> Option<u32> {
    let number = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !number.is_finite() || number < 0.0 {
        return None;
    }
    // Saturating cast: a value beyond u32 is meaningless but must not wrap.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(number.ceil().min(f64::from(u32::MAX)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn reads_all_three_headers() {
        let usage = Usage::from_headers(&headers(&[
            (
                "x-app-usage",
                r#"{"call_count":28,"total_time":25,"total_cputime":25}"#,
            ),
            (
                "x-page-usage",
                r#"{"call_count":96,"total_cputime":10,"total_time":12,"estimated_time_to_regain_access":3}"#,
            ),
            (
                "x-business-use-case-usage",
                r#"{"112130216863063":[{"type":"pages","call_count":100,"total_cputime":4,"total_time":5,"estimated_time_to_regain_access":17}],"999":[{"type":"messenger","call_count":"7","extra":true}]}"#,
            ),
        ]));
        assert_eq!(usage.app.as_ref().unwrap().call_count, Some(28));
        assert_eq!(
            usage.page.as_ref().unwrap().estimated_time_to_regain_access,
            Some(Duration::from_secs(180))
        );
        assert_eq!(usage.business_use_case.len(), 2);
        assert_eq!(usage.max_percent(), Some(100));
        assert_eq!(usage.max_regain_time(), Some(Duration::from_secs(17 * 60)));
        let messenger = usage
            .business_use_case
            .iter()
            .find(|b| b.business_id == "999")
            .unwrap();
        assert_eq!(messenger.use_case.as_deref(), Some("messenger"));
        assert_eq!(messenger.counters.call_count, Some(7));
    }

    #[test]
    fn malformed_headers_are_ignored() {
        let usage = Usage::from_headers(&headers(&[
            ("x-app-usage", "not json"),
            ("x-page-usage", "[1,2]"),
            (
                "x-business-use-case-usage",
                r#"{"1":"oops","2":[{"call_count":-5}, 3]}"#,
            ),
        ]));
        assert!(usage.app.is_none());
        assert!(usage.page.is_none());
        assert_eq!(usage.business_use_case.len(), 1);
        assert_eq!(usage.business_use_case[0].counters.call_count, None);
        assert_eq!(usage.max_percent(), None);
        assert!(Usage::from_headers(&HeaderMap::new()).is_empty());
    }
}
