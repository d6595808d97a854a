use messaging_core::DeliveryStatus::{self, Delivered, Failed, Read, Sent};
use proptest::prelude::*;
use proptest::sample::Index;

fn status() -> impl Strategy<Value = DeliveryStatus> {
    prop::sample::select(DeliveryStatus::ALL.to_vec())
}

/// The documented rule, spelled out on its own rather than through `merge`.
fn expected_end_state(reports: &[DeliveryStatus]) -> Option<DeliveryStatus> {
    [Read, Delivered, Failed, Sent]
        .into_iter()
        .find(|status| reports.contains(status))
}

proptest! {
    #[test]
    fn any_order_with_duplicates_gives_the_same_end_state(
        (reports, shuffled) in prop::collection::vec(status(), 1..24)
            .prop_flat_map(|reports| (Just(reports.clone()), Just(reports).prop_shuffle())),
        duplicates in prop::collection::vec(any::<Index>(), 0..12),
    ) {
        let mut redelivered = shuffled;
        for index in duplicates {
            let at = index.index(redelivered.len() + 1);
            redelivered.insert(at, *index.get(&reports));
        }
        prop_assert_eq!(
            DeliveryStatus::merge_all(reports.iter().copied()),
            DeliveryStatus::merge_all(redelivered.iter().copied()),
        );
    }

    #[test]
    fn positive_evidence_wins(reports in prop::collection::vec(status(), 0..24)) {
        prop_assert_eq!(
            DeliveryStatus::merge_all(reports.iter().copied()),
            expected_end_state(&reports),
        );
    }

    #[test]
    fn merge_is_commutative(a in status(), b in status()) {
        prop_assert_eq!(a.merge(b), b.merge(a));
    }

    #[test]
    fn merge_is_associative(a in status(), b in status(), c in status()) {
        prop_assert_eq!(a.merge(b).merge(c), a.merge(b.merge(c)));
    }

    #[test]
    fn merge_is_idempotent(a in status(), b in status()) {
        prop_assert_eq!(a.merge(a), a);
        prop_assert_eq!(a.merge(b).merge(b), a.merge(b));
    }
}

#[test]
fn delivered_after_failed_means_the_message_arrived() {
    // The WhatsApp sequence seen in the wild: failed, then delivered for the same wamid.
    assert_eq!(
        DeliveryStatus::merge_all([Sent, Failed, Delivered]),
        Some(Delivered)
    );
    assert_eq!(
        DeliveryStatus::merge_all([Delivered, Failed]),
        Some(Delivered)
    );
    // Read without delivered, as when a message is read at once.
    assert_eq!(DeliveryStatus::merge_all([Read, Sent]), Some(Read));
    // A late `sent` does not hide a failure.
    assert_eq!(DeliveryStatus::merge_all([Failed, Sent]), Some(Failed));
    assert_eq!(DeliveryStatus::merge_all([]), None);
}

#[test]
fn parses_meta_spelling_and_rejects_unknown_statuses() {
    assert_eq!(DeliveryStatus::parse("sent"), Some(Sent));
    assert_eq!(DeliveryStatus::parse("delivered"), Some(Delivered));
    assert_eq!(DeliveryStatus::parse("read"), Some(Read));
    assert_eq!(DeliveryStatus::parse("failed"), Some(Failed));
    assert_eq!(DeliveryStatus::parse("DELIVERED"), Some(Delivered));
    assert_eq!(DeliveryStatus::parse("deleted"), None);
    assert_eq!(DeliveryStatus::parse("warning"), None);
    assert_eq!(DeliveryStatus::parse(""), None);
    assert_eq!(DeliveryStatus::parse(" read"), None);
}

#[test]
fn json_and_display_use_the_contract_names() {
    for status in DeliveryStatus::ALL {
        let json = serde_json::to_value(status).unwrap();
        assert_eq!(json, status.as_str());
        assert_eq!(status.to_string(), status.as_str());
        assert_eq!(DeliveryStatus::parse(status.as_str()), Some(status));
    }
    assert_eq!(
        serde_json::to_string(&[Sent, Delivered, Read, Failed]).unwrap(),
        r#"["sent","delivered","read","failed"]"#,
    );
}
