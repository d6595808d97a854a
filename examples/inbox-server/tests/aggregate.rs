//! The aggregator against a hand-computed dataset, on SQLite and PostgreSQL: the figures of
//! each user, platform and day; a rerun gives identical rows; an incremental run recomputes
//! only the days that got new messages; and one instance per period holds the lease.

#![allow(clippy::too_many_lines)] // one dataset, read top to bottom

mod common;

use common::{cipher, stores, user};
use inbox_server::aggregate::{run_incremental, run_range};
use inbox_server::crypto::token_context;
use inbox_server::store::{DAY_MS, DailyRow, NewAccount, Store, day_key, day_number};
use messaging_core::{Direction, Message, PlatformKind};
use serde_json::json;

const MINUTE: i64 = 60_000;

async fn account(store: &Store, user_id: i64, platform: &str, id: &str) {
    store
        .upsert_account(&NewAccount {
            user_id,
            platform: platform.into(),
            external_id: id.into(),
            name: None,
            sealed_token: cipher().seal("t", &token_context(platform, id)).unwrap(),
            token_expires_at: None,
            metadata: json!({}),
        })
        .await
        .unwrap();
}

fn message(
    platform: PlatformKind,
    account: &str,
    person: &str,
    id: &str,
    inbound: bool,
    at: i64,
) -> Message {
    let (direction, sender, recipient) = if inbound {
        (Direction::Inbound, person, account)
    } else {
        (Direction::Outbound, account, person)
    };
    Message::new(platform, id, account, direction, sender, recipient, at).with_text("x")
}

fn row(platform: &str, day: &str, counts: [i64; 5], median: Option<i64>) -> DailyRow {
    DailyRow {
        platform: platform.into(),
        day: day.into(),
        messages_total: counts[0],
        messages_incoming: counts[1],
        messages_outgoing: counts[2],
        conversations: counts[3],
        new_conversations: counts[4],
        median_first_response_ms: median,
    }
}

#[tokio::test]
async fn the_daily_figures_match_a_hand_computed_dataset_and_reruns_change_nothing() {
    for (backend, store) in stores().await {
        let (alice, _) = user(&store, "alice").await;
        let (bob, _) = user(&store, "bob").await;
        account(&store, alice, "whatsapp", "PA").await;
        account(&store, alice, "messenger", "PAGE_A").await;
        account(&store, bob, "whatsapp", "PB").await;
        let d = day_number("2026-11-10").unwrap();
        let at = |day: i64, hour: i64, minute: i64| {
            (d + day) * DAY_MS + hour * 60 * MINUTE + minute * MINUTE
        };
        let wa = PlatformKind::WhatsApp;
        let messages = vec![
            // Alice, WhatsApp, c1: opened the day before, answered next morning.
            message(wa, "PA", "c1", "w1", true, at(-1, 20, 0)),
            message(wa, "PA", "c1", "w2", true, at(0, 9, 0)),
            message(wa, "PA", "c1", "w3", true, at(0, 9, 2)),
            message(wa, "PA", "c1", "w4", false, at(0, 9, 10)),
            message(wa, "PA", "c1", "w5", true, at(0, 12, 0)),
            message(wa, "PA", "c1", "w6", false, at(0, 12, 30)),
            // c2: new late on D, answered after midnight.
            message(wa, "PA", "c2", "w7", true, at(0, 23, 50)),
            message(wa, "PA", "c2", "w8", false, at(1, 0, 20)),
            // Alice, Messenger, c3.
            message(
                PlatformKind::Messenger,
                "PAGE_A",
                "c3",
                "m1",
                true,
                at(0, 10, 0),
            ),
            message(
                PlatformKind::Messenger,
                "PAGE_A",
                "c3",
                "m2",
                false,
                at(0, 10, 5),
            ),
            message(
                PlatformKind::Messenger,
                "PAGE_A",
                "c3",
                "m3",
                false,
                at(0, 10, 6),
            ),
            message(
                PlatformKind::Messenger,
                "PAGE_A",
                "c3",
                "m4",
                true,
                at(0, 11, 0),
            ),
            // Bob, unanswered.
            message(wa, "PB", "c4", "w9", true, at(0, 8, 0)),
            // Nobody's account: not counted.
            message(wa, "P_NOBODY", "c5", "w10", true, at(0, 8, 0)),
        ];
        store.upsert_messages(&messages).await.unwrap();

        let expected_alice = vec![
            row(
                "whatsapp",
                "2026-11-09",
                [1, 1, 0, 1, 1],
                Some(13 * 60 * MINUTE + 10 * MINUTE),
            ),
            row("messenger", "2026-11-10", [4, 2, 2, 1, 1], Some(5 * MINUTE)),
            row("whatsapp", "2026-11-10", [6, 4, 2, 2, 1], Some(30 * MINUTE)),
            row("whatsapp", "2026-11-11", [1, 0, 1, 1, 0], None),
        ];
        let expected_bob = vec![row("whatsapp", "2026-11-10", [1, 1, 0, 1, 1], None)];
        let read = |user_id| {
            let store = store.clone();
            async move {
                store
                    .daily(user_id, "2026-11-01", "2026-11-30", None)
                    .await
                    .unwrap()
            }
        };

        let first = run_incremental(&store).await.unwrap();
        assert_eq!(
            first.days,
            vec![d - 1, d, d + 1],
            "{backend}: the first run covers every day"
        );
        assert_eq!(read(alice).await, expected_alice, "{backend}");
        assert_eq!(read(bob).await, expected_bob, "{backend}");

        // Twice, or over a range, gives the same rows.
        run_incremental(&store).await.unwrap();
        run_range(&store, d - 3, d + 3).await.unwrap();
        assert_eq!(read(alice).await, expected_alice, "{backend}: rerun");
        assert_eq!(read(bob).await, expected_bob, "{backend}: rerun");

        // Incremental: only the day of a new message is recomputed.
        sqlx::query("UPDATE messages SET inserted_at = 0")
            .execute(store.pool())
            .await
            .unwrap();
        store
            .upsert_messages(&[message(wa, "PB", "c4", "w11", false, at(1, 8, 0))])
            .await
            .unwrap();
        let next = run_incremental(&store).await.unwrap();
        assert_eq!(next.days, vec![d + 1], "{backend}");
        assert_eq!(
            read(bob).await,
            vec![
                row("whatsapp", "2026-11-10", [1, 1, 0, 1, 1], None),
                row("whatsapp", "2026-11-11", [1, 0, 1, 1, 0], None),
            ],
            "{backend}: a reply after a day does not count as a first response of that day"
        );
        assert_eq!(read(alice).await, expected_alice, "{backend}: untouched");
        // Within the overlap the same day is looked at again, and stays the same.
        let bob_rows = read(bob).await;
        assert_eq!(
            run_incremental(&store).await.unwrap().days,
            vec![d + 1],
            "{backend}"
        );
        assert_eq!(read(bob).await, bob_rows, "{backend}");
        assert_eq!(day_key(d), "2026-11-10");
    }
}

#[tokio::test]
async fn one_instance_per_period_holds_the_aggregate_lease() {
    for (backend, store) in stores().await {
        let other = store.connect_again().await.unwrap();
        assert!(
            store.claim_lease("aggregate", "a", 60_000).await.unwrap(),
            "{backend}"
        );
        assert!(
            !other.claim_lease("aggregate", "b", 60_000).await.unwrap(),
            "{backend}"
        );
        assert!(
            store.claim_lease("aggregate", "a", 60_000).await.unwrap(),
            "{backend}: renew"
        );
        // Expired: the other takes it.
        assert!(store.claim_lease("short", "a", 1).await.unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert!(
            other.claim_lease("short", "b", 60_000).await.unwrap(),
            "{backend}"
        );
        assert!(
            !store.claim_lease("short", "a", 60_000).await.unwrap(),
            "{backend}"
        );
    }
}
