//! The WhatsApp send path against the local sandbox: validation, JSON, HTTP keep-alive and
//! pacing, as an application uses it.
//!
//! 1. Throughput: 64 concurrent senders through one unpaced client for 5 s.
//! 2. Pacing: 100 phone numbers (`BENCH_NUMBERS`), each with the default pacer (80 messages/s) and senders
//!    pushing as fast as it lets them, for 6 s; the rate of each number over the last 5 s.
//!
//! `cargo bench -p metabiz-tests --bench outbound` — not a test: it prints the figures for
//! `docs/PERFORMANCE.md`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use messaging_core::{Platform as _, UserId};
use meta_graph::{AccessToken, AppSecret, GraphClient};
use metabiz_sandbox::{Platform, Sandbox, SandboxConfig};
use metabiz_whatsapp::pacing::Pacing;
use metabiz_whatsapp::{PhoneNumberId, WhatsAppClient};

const RECIPIENTS: usize = 1_000;

fn client(sandbox: &Sandbox, graph: &GraphClient, number: &str, pacing: Pacing) -> WhatsAppClient {
    WhatsAppClient::new(
        graph.clone(),
        PhoneNumberId::new(number),
        AccessToken::new(sandbox.accounts().whatsapp_token.as_str()),
    )
    .with_pacing(pacing)
}

#[tokio::main]
#[allow(clippy::too_many_lines)] // two measurements, read top to bottom
async fn main() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let graph = GraphClient::builder()
        .base_url(sandbox.url())
        .app_secret(AppSecret::new(sandbox.app_secret()))
        .build()
        .unwrap();
    // Every recipient has written first: the 24-hour window is open.
    let recipients: Arc<Vec<UserId>> = Arc::new(
        (0..RECIPIENTS)
            .map(|n| {
                let id = format!("1555{n:07}");
                sandbox.customer_writes(Platform::WhatsApp, Some(&id), "hi");
                UserId::new(id.as_str())
            })
            .collect(),
    );

    // 1. Throughput.
    let number = sandbox.accounts().phone_number_id;
    let unpaced = Arc::new(client(&sandbox, &graph, &number, Pacing::unlimited()));
    let sent = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(5);
    let mut senders = Vec::new();
    for worker in 0..64 {
        let (client, sent, recipients) = (unpaced.clone(), sent.clone(), recipients.clone());
        senders.push(tokio::spawn(async move {
            let mut n = worker;
            while Instant::now() < deadline {
                client
                    .send_text(&recipients[n % RECIPIENTS], "Your order is on its way.")
                    .await
                    .unwrap();
                sent.fetch_add(1, Ordering::Relaxed);
                n += 64;
            }
        }));
    }
    for sender in senders {
        sender.await.unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let total = sent.load(Ordering::Relaxed);
    #[allow(clippy::cast_precision_loss)]
    let rate = total as f64 / elapsed;
    println!(
        "throughput: {total} sends in {elapsed:.2} s = {rate:.0} sends/s (64 concurrent, one client, unpaced)"
    );

    // 2. Pacing: 100 numbers (BENCH_NUMBERS) at the default 80/s, 4 senders each.
    let count: usize = std::env::var("BENCH_NUMBERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let numbers: Vec<String> = (0..count).map(|n| format!("1065403522{n:05}")).collect();
    for number in &numbers {
        sandbox.add_phone_number(number);
    }
    let counts: Arc<Vec<AtomicU64>> =
        Arc::new((0..numbers.len()).map(|_| AtomicU64::new(0)).collect());
    let start = Instant::now();
    let warm = start + Duration::from_secs(1);
    let deadline = start + Duration::from_secs(6);
    let mut senders = Vec::new();
    for (index, number) in numbers.iter().enumerate() {
        let paced = Arc::new(client(
            &sandbox,
            &graph,
            number,
            // The number's rate is what is measured: the pair rate is relaxed so that it never binds.
            Pacing::default().per_recipient(Duration::from_millis(1), 1_000),
        ));
        for worker in 0..4 {
            let (client, counts, recipients) = (paced.clone(), counts.clone(), recipients.clone());
            senders.push(tokio::spawn(async move {
                let mut n = index * 7 + worker;
                loop {
                    client
                        .send_text(&recipients[n % RECIPIENTS], "Paced.")
                        .await
                        .unwrap();
                    let now = Instant::now();
                    if now >= deadline {
                        break;
                    }
                    if now >= warm {
                        counts[index].fetch_add(1, Ordering::Relaxed);
                    }
                    n += 4;
                }
            }));
        }
    }
    for sender in senders {
        sender.await.unwrap();
    }
    #[allow(clippy::cast_precision_loss)]
    let rates: Vec<f64> = counts
        .iter()
        .map(|c| c.load(Ordering::Relaxed) as f64 / 5.0)
        .collect();
    let min = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let max = rates.iter().copied().fold(0.0, f64::max);
    #[allow(clippy::cast_precision_loss)]
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    println!(
        "pacing: {count} numbers at 80/s for 5 s after 1 s: per number min {min:.1}, mean {mean:.1}, max {max:.1} msg/s \
         (deviation from 80: {:+.1} % to {:+.1} %); all numbers together {:.0} sends/s",
        (min / 80.0 - 1.0) * 100.0,
        (max / 80.0 - 1.0) * 100.0,
        rates.iter().sum::<f64>()
    );
}
