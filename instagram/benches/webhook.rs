//! Webhook parsing throughput: the typed parse and its normalization beside an untyped
//! `serde_json::Value` parse of the same bytes, in the same run.
//!
//! The bodies in `benches/data/` are in Meta's wire form (compact, `\/` and `\uXXXX` escapes):
//! one text message (392 bytes), and a batch of 100 items in 10 entries (29,563 bytes): 70 text
//! messages, 10 image messages, 10 reactions and 10 reads (`messaging_seen`).
//!
//! `cargo bench -p metabiz-instagram --bench webhook -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use metabiz_instagram::webhook::{self, WebhookPayload};

const BODIES: [(&str, &[u8], usize); 2] = [
    ("single", include_bytes!("data/single.json"), 1),
    ("batch100", include_bytes!("data/batch100.json"), 100),
];

fn bench_webhook(c: &mut Criterion) {
    for (name, body, items) in BODIES {
        // A bench of a parser that fails, or drops items, would measure nothing useful.
        let events = webhook::parse_events(body).expect("the bench body parses");
        assert_eq!(events.len(), items, "{name}: one event per item");
        assert!(
            events.iter().all(|event| event.raw.is_none()),
            "{name}: no item is `other`"
        );

        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(body.len() as u64));
        // The reference: what a server that only needs "is it JSON" pays.
        group.bench_function("value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)).unwrap());
        });
        group.bench_function("typed", |b| {
            b.iter(|| WebhookPayload::from_slice(black_box(body)).unwrap());
        });
        // What a handler calls: parse, then move the strings into the events.
        group.bench_function("typed+events", |b| {
            b.iter(|| webhook::parse_events(black_box(body)).unwrap());
        });
        group.finish();
    }
}

// What `criterion_group!`/`criterion_main!` expand to, written out because the macro's public
// `fn benches` has no doc comment and the workspace denies `missing_docs`.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    bench_webhook(&mut criterion);
    criterion.final_summary();
}
