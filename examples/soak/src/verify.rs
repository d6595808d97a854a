//! The checks after the load: what the server stored, what reached the sandbox, what the
//! server counted, how its memory moved.

use std::collections::HashMap;

use futures_util::StreamExt as _;
use serde_json::{Value, json};

use crate::load::Ctx;

/// An outbound row as the API shows it.
#[derive(Clone, Debug)]
pub(crate) struct Outbound {
    pub(crate) message_id: String,
    pub(crate) text: String,
    pub(crate) status: String,
}

/// Everything the API holds for the user.
#[derive(Debug, Default)]
pub(crate) struct Stored {
    pub(crate) conversations: usize,
    pub(crate) messages: usize,
    /// Inbound message id: how many rows carry it.
    pub(crate) inbound: HashMap<String, u32>,
    pub(crate) outbound: Vec<Outbound>,
}

async fn get_json(ctx: &Ctx, path: &str) -> Result<Value, String> {
    let response = ctx
        .api(reqwest::Method::GET, path)
        .send()
        .await
        .map_err(|e| format!("GET {}: {e}", path.split('?').next().unwrap_or(path)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "GET {}: {status}",
            path.split('?').next().unwrap_or(path)
        ));
    }
    response
        .json()
        .await
        .map_err(|e| format!("GET {path}: {e}"))
}

/// Every page of `path` (which has a `?`), following `next_cursor`.
async fn all_pages(ctx: &Ctx, path: &str) -> Result<Vec<Value>, String> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(cursor) => format!("{path}&cursor={cursor}"),
            None => path.to_owned(),
        };
        let page = get_json(ctx, &url).await?;
        rows.extend(page["data"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return Ok(rows),
        }
    }
}

/// Reads every conversation and every message back through the API.
pub(crate) async fn read_back(ctx: &Ctx) -> Result<Stored, String> {
    let conversations = all_pages(ctx, "/api/conversations?limit=200").await?;
    let ids: Vec<i64> = conversations
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .collect();
    let threads: Vec<Result<Vec<Value>, String>> = futures_util::stream::iter(ids)
        .map(|id| async move {
            all_pages(ctx, &format!("/api/conversations/{id}/messages?limit=200")).await
        })
        .buffer_unordered(4)
        .collect()
        .await;
    let mut stored = Stored {
        conversations: conversations.len(),
        ..Stored::default()
    };
    for thread in threads {
        for message in thread? {
            stored.messages += 1;
            let id = message["message_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if message["direction"] == "inbound" {
                *stored.inbound.entry(id).or_default() += 1;
            } else {
                stored.outbound.push(Outbound {
                    message_id: id,
                    text: message["text"].as_str().unwrap_or_default().to_owned(),
                    status: message["status"].as_str().unwrap_or_default().to_owned(),
                });
            }
        }
    }
    Ok(stored)
}

/// The text of each message the sandbox created from a send, with its id.
pub(crate) async fn sandbox_sends(ctx: &Ctx) -> Result<Vec<(String, String)>, String> {
    let body: Value = ctx
        .http
        .get(format!("{}/_sandbox/sends", ctx.sandbox))
        .send()
        .await
        .map_err(|e| format!("GET /_sandbox/sends: {e}"))?
        .json()
        .await
        .map_err(|e| format!("GET /_sandbox/sends: {e}"))?;
    Ok(sent_texts(&body))
}

/// `(text, message id)` of every record of `GET /_sandbox/sends` that created a message.
fn sent_texts(body: &Value) -> Vec<(String, String)> {
    body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|record| {
            let id = record["message_id"].as_str()?;
            let body = &record["body"];
            // WhatsApp: `text.body`; Messenger and Instagram: `message.text`.
            let text = body["text"]["body"]
                .as_str()
                .or_else(|| body["message"]["text"].as_str())?;
            Some((text.to_owned(), id.to_owned()))
        })
        .collect()
}

/// The server's own count of 5xx answers by route, from `/metrics`: it sees the sandbox's
/// deliveries too, which the soak does not.
pub(crate) async fn server_5xx(ctx: &Ctx) -> Result<HashMap<String, u64>, String> {
    let text = ctx
        .http
        .get(format!("{}/metrics", ctx.base))
        .send()
        .await
        .map_err(|e| format!("GET /metrics: {e}"))?
        .text()
        .await
        .map_err(|e| format!("GET /metrics: {e}"))?;
    Ok(count_5xx(&text))
}

/// Sums `inbox_http_requests_total` samples with a 5xx `status` label, by `route`.
fn count_5xx(metrics: &str) -> HashMap<String, u64> {
    let mut by_route = HashMap::new();
    for line in metrics.lines() {
        let Some(rest) = line.strip_prefix("inbox_http_requests_total{") else {
            continue;
        };
        let Some((labels, value)) = rest.rsplit_once("} ") else {
            continue;
        };
        let label = |name: &str| {
            labels
                .split(',')
                .find_map(|pair| pair.strip_prefix(&format!("{name}=\"")))
                .map(|v| v.trim_end_matches('"').to_owned())
        };
        if label("status").is_some_and(|s| s.starts_with('5')) {
            let count = value.trim().parse::<f64>().unwrap_or(0.0);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let count = count.max(0.0) as u64;
            let route = format!(
                "{} {} {}",
                label("method").unwrap_or_default(),
                label("route").unwrap_or_default(),
                label("status").unwrap_or_default()
            );
            *by_route.entry(route).or_insert(0) += count;
        }
    }
    by_route
}

/// The resident set of `pid`, in kB, from `/proc/<pid>/status`.
pub(crate) fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// How the resident set moved over a run of `duration` seconds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RssSummary {
    pub(crate) first_minute_avg: f64,
    /// The minute after the warm-up: what growth is measured from.
    pub(crate) baseline_avg: f64,
    pub(crate) last_minute_avg: f64,
    pub(crate) max: u64,
    pub(crate) warmup_s: u64,
    /// Last minute against the baseline, in percent.
    pub(crate) growth_pct: f64,
}

#[allow(clippy::cast_precision_loss)] // kB values and sample counts far below 2^52
fn average(samples: &[(u64, u64)], keep: impl Fn(u64) -> bool) -> Option<f64> {
    let kept: Vec<u64> = samples
        .iter()
        .filter(|(t, _)| keep(*t))
        .map(|(_, kb)| *kb)
        .collect();
    (!kept.is_empty()).then(|| kept.iter().sum::<u64>() as f64 / kept.len() as f64)
}

/// `samples` are `(seconds since the start, kB)`. The warm-up is the first minute of a run
/// of five minutes or more, the first fifth of a shorter one. Growth compares the last 60 s
/// (`duration - 60` excluded) with the 60 s after the warm-up (its end excluded).
pub(crate) fn summarize_rss(samples: &[(u64, u64)], duration: u64) -> Option<RssSummary> {
    let warmup = if duration >= 300 { 60 } else { duration / 5 };
    let first_minute_avg = average(samples, |t| t < 60)?;
    let baseline_avg = average(samples, |t| t >= warmup && t < warmup + 60)?;
    // Both windows are 60 s wide, one end open, so that they hold as many samples: with a
    // closed last window, a sample taken every 10 s counts 7 against 6 there, and a job
    // that runs every 60 s lands twice in it.
    let last_minute_avg = average(samples, |t| t + 60 > duration)?;
    let max = samples.iter().map(|(_, kb)| *kb).max()?;
    Some(RssSummary {
        first_minute_avg,
        baseline_avg,
        last_minute_avg,
        max,
        warmup_s: warmup,
        growth_pct: (last_minute_avg / baseline_avg - 1.0) * 100.0,
    })
}

/// The RSS part of the summary.
pub(crate) fn rss_json(samples: &[(u64, u64)], summary: Option<&RssSummary>) -> Value {
    let series: Vec<Value> = samples.iter().map(|(t, kb)| json!([t, kb])).collect();
    match summary {
        Some(s) => json!({
            "every_s": samples.get(1).map_or(0, |(t, _)| *t),
            "samples": samples.len(),
            "first_minute_avg_kb": s.first_minute_avg.round(),
            "warmup_s": s.warmup_s,
            "baseline_avg_kb": s.baseline_avg.round(),
            "last_minute_avg_kb": s.last_minute_avg.round(),
            "max_kb": s.max,
            "growth_pct": (s.growth_pct * 100.0).round() / 100.0,
            "series_s_kb": series,
        }),
        None => json!({"samples": samples.len(), "series_s_kb": series}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_5xx_samples_are_counted_by_route() {
        let metrics = "# TYPE inbox_http_requests_total counter\n\
            inbox_http_requests_total{method=\"POST\",route=\"/api/webhooks/{platform}/\",status=\"200\"} 9000\n\
            inbox_http_requests_total{method=\"POST\",route=\"/api/webhooks/{platform}/\",status=\"503\"} 3\n\
            inbox_http_requests_total{method=\"POST\",route=\"/api/conversations/{id}/messages\",status=\"502\"} 2\n\
            inbox_http_request_seconds_count{method=\"POST\",route=\"x\"} 5\n";
        let counted = count_5xx(metrics);
        assert_eq!(counted.len(), 2);
        assert_eq!(counted["POST /api/webhooks/{platform}/ 503"], 3);
        assert_eq!(counted["POST /api/conversations/{id}/messages 502"], 2);
    }

    #[test]
    fn sends_are_read_in_each_platform_s_shape_and_refusals_skipped() {
        let body = json!({"data": [
            {"path": "/v26.0/1/messages", "message_id": "wamid.A",
             "body": {"messaging_product": "whatsapp", "to": "1", "type": "text", "text": {"body": "one"}}},
            {"path": "/v26.0/2/messages", "message_id": "m_B",
             "body": {"recipient": {"id": "2"}, "message": {"text": "two"}}},
            {"path": "/v26.0/2/messages", "message_id": null,
             "body": {"recipient": {"id": "2"}, "sender_action": "typing_on"}}
        ]});
        assert_eq!(
            sent_texts(&body),
            [
                ("one".to_owned(), "wamid.A".to_owned()),
                ("two".to_owned(), "m_B".to_owned())
            ]
        );
    }

    #[test]
    fn growth_is_the_last_minute_against_the_minute_after_warm_up() {
        // Ten minutes at 10 s: 100 MB while warming up, 200 MB after, 215 MB at the end.
        let samples: Vec<(u64, u64)> = (0..=60)
            .map(|i| {
                let t = i * 10;
                let kb = match t {
                    0..60 => 100_000,
                    60..540 => 200_000,
                    _ => 215_000,
                };
                (t, kb)
            })
            .collect();
        let summary = summarize_rss(&samples, 600).unwrap_or_else(|| unreachable!());
        assert!((summary.first_minute_avg - 100_000.0).abs() < 0.5);
        assert!((summary.baseline_avg - 200_000.0).abs() < 0.5);
        assert!((summary.last_minute_avg - 215_000.0).abs() < 0.5);
        assert!((summary.growth_pct - 7.5).abs() < 1e-9);
        assert_eq!(summary.max, 215_000);
        assert!(summarize_rss(&[], 600).is_none());
    }

    #[test]
    fn a_spike_every_minute_is_counted_as_often_in_both_windows() {
        // Flat at 200 MB with a 30 MB spike at each minute (a job every 60 s), sampled every
        // 10 s from 0 to 600 s inclusive: no growth.
        let samples: Vec<(u64, u64)> = (0..=60)
            .map(|i| (i * 10, if i % 6 == 0 { 230_000 } else { 200_000 }))
            .collect();
        let summary = summarize_rss(&samples, 600).unwrap_or_else(|| unreachable!());
        assert!((summary.baseline_avg - summary.last_minute_avg).abs() < 0.5);
        assert!(summary.growth_pct.abs() < 1e-9, "{summary:?}");
    }

    #[test]
    fn the_resident_set_of_this_process_is_read() {
        let kb = rss_kb(std::process::id()).unwrap_or(0);
        assert!(kb > 100, "{kb}");
        assert!(rss_kb(u32::MAX).is_none());
    }
}
