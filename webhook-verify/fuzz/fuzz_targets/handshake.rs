//! Arbitrary handshake query strings: never panic, and any challenge echoed is visible ASCII
//! within the cap.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use metabiz_webhook_verify::{MAX_CHALLENGE_LEN, VerifyToken, verify_subscription_query};

static TOKEN: LazyLock<VerifyToken> = LazyLock::new(|| VerifyToken::new("meatyhamhock"));

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(challenge) = verify_subscription_query(query, &TOKEN) {
        let challenge = challenge.as_str();
        assert!(!challenge.is_empty() && challenge.len() <= MAX_CHALLENGE_LEN);
        assert!(challenge.bytes().all(|b| b.is_ascii_graphic()));
    }
});
