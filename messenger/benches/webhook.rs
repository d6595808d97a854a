//! Webhook parsing throughput: the typed parse and its normalization beside an untyped
//! `serde_json::Value` parse of the same bytes, in the same run.
//!
//! The bodies in `benches/data/` are in Meta's wire form (compact, `\/` and `\uXXXX` escapes):
//! one text message (396 bytes), and a batch of 100 items in 10 entries (27,876 bytes): 70 text
//! messages, 10 image messages, 10 deliveries of one `mid` each and 10 reads.
//!
//! `cargo bench -p metabiz-messenger --bench webhook -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use metabiz_messenger::webhook::WebhookPayload;

const BODIES: [(&str, &[u8], usize); 2] = [
    ("single", include_bytes!("data/single.json"), 1),
    ("batch100", include_bytes!("data/batch100.json"), 100),
];

fn webhook(c: &mut Criterion) {
    for (name, body, items) in BODIES {
        // A bench of a parser that fails, or drops items, would measure nothing useful.
        let events = WebhookPayload::from_slice(body)
            .expect("the bench body parses")
            .to_events();
        assert_eq!(events.len(), items, "{name}: one event per item");

        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(body.len() as u64));
        // The reference: what a server that only needs "is it JSON" pays.
        group.bench_function("value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)).unwrap());
        });
        group.bench_function("typed", |b| {
            b.iter(|| WebhookPayload::from_slice(black_box(body)).unwrap());
        });
        group.bench_function("typed+events", |b| {
            b.iter(|| {
                WebhookPayload::from_slice(black_box(body))
                    .unwrap()
                    .to_events()
            });
        });
        group.finish();
    }
}

// What `criterion_group!`/`criterion_main!` expand to, written out because the macro's public
// `fn benches` has no doc comment and the workspace denies `missing_docs`.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    webhook(&mut criterion);
    criterion.final_summary();
}
