//! Webhook signature verification throughput, to compare with `openssl speed -evp sha256`.
//!
//! `cargo bench -p metabiz-webhook-verify --bench verify -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput};
use metabiz_webhook_verify::test_util::sign_body;
use metabiz_webhook_verify::{AppSecret, SignatureVerifier};

fn verify(c: &mut Criterion) {
    let secret = AppSecret::new("6b4a1f0e2d3c59788a9bcdef01234567");
    let verifier = SignatureVerifier::new(&secret);
    let mut group = c.benchmark_group("verify");
    for (label, len) in [("1KiB", 1024), ("1MiB", 1024 * 1024)] {
        let body: Vec<u8> = (0..len).map(|i| b"{\"entry\":[]} "[i % 13]).collect();
        let header = sign_body(&secret, &body);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::from_parameter(label), &body, |b, body| {
            b.iter(|| {
                verifier
                    .verify(Some(black_box(header.as_bytes())), None, black_box(body))
                    .expect("signed with the same secret");
            });
        });
    }
    group.finish();
}

// What `criterion_group!`/`criterion_main!` expand to, written out because the macro's public
// `fn benches` has no doc comment and the workspace denies `missing_docs`.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    verify(&mut criterion);
    criterion.final_summary();
}
