//! The pacer keeps a number inside its throughput and each user inside the pair rate, on
//! tokio's paused clock so the waits are exact and cost no real time.

use std::sync::Arc;
use std::time::Duration;

use metabiz_whatsapp::pacing::{
    DEFAULT_MESSAGES_PER_SECOND, DEFAULT_PER_RECIPIENT_BURST, DEFAULT_PER_RECIPIENT_INTERVAL,
    Pacer, Pacing,
};
use tokio::time::Instant;

#[test]
fn defaults_are_meta_documented_limits() {
    let pacing = Pacing::default();
    assert_eq!(DEFAULT_MESSAGES_PER_SECOND, 80);
    assert_eq!(pacing.messages_per_second_value(), Some(80));
    assert_eq!(
        pacing.per_recipient_value(),
        Some((DEFAULT_PER_RECIPIENT_INTERVAL, DEFAULT_PER_RECIPIENT_BURST))
    );
    assert_eq!(Pacing::unlimited().messages_per_second_value(), None);
    assert_eq!(Pacing::unlimited().per_recipient_value(), None);
    // Out-of-range settings are clamped, never a panic.
    assert_eq!(
        Pacing::default()
            .messages_per_second(0)
            .messages_per_second_value(),
        Some(1)
    );
    assert_eq!(
        Pacing::default()
            .messages_per_second(50_000)
            .messages_per_second_value(),
        Some(1_000)
    );
    assert_eq!(
        Pacing::default()
            .per_recipient(Duration::ZERO, 3)
            .per_recipient_value(),
        None
    );
}

#[tokio::test(start_paused = true)]
async fn the_number_never_goes_faster_than_its_rate() {
    // 80/s with bursts of 8: 800 sends to distinct users need at least (800 - 8) / 80 s.
    let pacer = Pacer::new(Pacing::default());
    let start = Instant::now();
    for user in 0..800 {
        pacer.until_ready(&format!("1650555{user:04}")).await;
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(9_900), "{elapsed:?}");
    assert!(elapsed <= Duration::from_secs(10), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn many_concurrent_senders_share_one_rate() {
    let pacer = Arc::new(Pacer::new(
        Pacing::default().messages_per_second(20).burst(1),
    ));
    let start = Instant::now();
    let tasks: Vec<_> = (0..10)
        .map(|task| {
            let pacer = Arc::clone(&pacer);
            tokio::spawn(async move {
                for n in 0..10 {
                    pacer.until_ready(&format!("user-{task}-{n}")).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    // 100 sends at 20/s with no burst: the last one goes out 99 intervals after the first.
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(4_950), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(5_100), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn one_user_is_paced_to_the_pair_rate_after_a_burst() {
    let pacer = Pacer::new(
        Pacing::default()
            .without_per_recipient()
            .per_recipient(Duration::from_secs(6), 3),
    );
    let start = Instant::now();
    for _ in 0..3 {
        pacer.until_ready("16505551234").await;
    }
    // The burst goes out at once (within the number's rate).
    assert!(start.elapsed() < Duration::from_millis(100));
    pacer.until_ready("16505551234").await;
    pacer.until_ready("16505551234").await;
    // Two more: one interval each.
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_secs(12), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(12_100), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn a_busy_user_does_not_hold_up_others() {
    let pacer = Arc::new(Pacer::new(
        Pacing::default().per_recipient(Duration::from_secs(6), 1),
    ));
    pacer.until_ready("busy").await;
    let waiting = {
        let pacer = Arc::clone(&pacer);
        tokio::spawn(async move { pacer.until_ready("busy").await })
    };
    tokio::task::yield_now().await;
    let start = Instant::now();
    for n in 0..10 {
        pacer.until_ready(&format!("other-{n}")).await;
    }
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(!waiting.is_finished());
    waiting.await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(5_900));
    assert_eq!(pacer.tracked_recipients(), 11);
}

#[tokio::test(start_paused = true)]
async fn unlimited_never_waits() {
    let pacer = Pacer::new(Pacing::unlimited());
    let start = Instant::now();
    for _ in 0..10_000 {
        pacer.until_ready("16505551234").await;
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
}
