//! The subscription handshake (`GET ?hub.mode=subscribe&…`).

use std::collections::HashMap;

use metabiz_webhook_verify::{
    ErrorKind, HandshakeRefusal, MAX_CHALLENGE_LEN, VerifyToken, verify_subscription,
    verify_subscription_query,
};

const TOKEN: &str = "meatyhamhock";

fn refusal(query: &str, token: &VerifyToken) -> Option<HandshakeRefusal> {
    match verify_subscription_query(query, token).map_err(|err| err.kind()) {
        Err(ErrorKind::HandshakeRefused(reason)) => Some(reason),
        Err(other) => panic!("{query}: not a handshake refusal: {other:?}"),
        Ok(_) => None,
    }
}

#[test]
fn meta_documented_request_passes() {
    let token = VerifyToken::new(TOKEN);
    let challenge = verify_subscription_query(
        "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock",
        &token,
    )
    .unwrap();
    assert_eq!(challenge.as_str(), "1158201444");
    assert_eq!(challenge.to_string(), "1158201444");
    assert_eq!(String::from(challenge), "1158201444");
}

#[test]
fn order_and_unrelated_parameters_do_not_matter() {
    let token = VerifyToken::new(TOKEN);
    let challenge = verify_subscription_query(
        "utm=1&hub.verify_token=meatyhamhock&&hub.challenge=abc-XYZ_09&x&hub.mode=subscribe",
        &token,
    )
    .unwrap();
    assert_eq!(challenge.as_str(), "abc-XYZ_09");
}

#[test]
fn values_are_percent_decoded() {
    let token = VerifyToken::new("my töken&x=1 +");
    let query =
        "hub%2Emode=subscribe&hub.verify_token=my+t%C3%B6ken%26x%3D1+%2B&hub.challenge=a%2Fb";
    assert_eq!(
        verify_subscription_query(query, &token).unwrap().as_str(),
        "a/b"
    );
}

#[test]
fn decoded_pairs_from_a_framework_are_accepted() {
    let token = VerifyToken::new(TOKEN);
    let query: HashMap<String, String> = [
        ("hub.mode", "subscribe"),
        ("hub.verify_token", TOKEN),
        ("hub.challenge", "987654321"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(
        verify_subscription(&query, &token).unwrap().as_str(),
        "987654321"
    );
}

#[test]
fn missing_parameters_are_named() {
    let token = VerifyToken::new(TOKEN);
    for (query, reason) in [
        (
            "hub.challenge=1&hub.verify_token=meatyhamhock",
            HandshakeRefusal::MissingMode,
        ),
        (
            "hub.mode=subscribe&hub.challenge=1",
            HandshakeRefusal::MissingVerifyToken,
        ),
        (
            "hub.mode=subscribe&hub.verify_token=meatyhamhock",
            HandshakeRefusal::MissingChallenge,
        ),
        ("", HandshakeRefusal::MissingMode),
        // PHP's spelling is not Meta's.
        (
            "hub_mode=subscribe&hub_challenge=1&hub_verify_token=meatyhamhock",
            HandshakeRefusal::MissingMode,
        ),
    ] {
        assert_eq!(refusal(query, &token), Some(reason), "{query}");
    }
}

#[test]
fn repeated_parameters_are_refused() {
    let token = VerifyToken::new(TOKEN);
    for query in [
        "hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong&hub.verify_token=meatyhamhock",
        "hub.mode=subscribe&hub.challenge=1&hub.challenge=2&hub.verify_token=meatyhamhock",
        "hub.mode=subscribe&hub.mode=subscribe&hub.challenge=1&hub.verify_token=meatyhamhock",
    ] {
        assert_eq!(
            refusal(query, &token),
            Some(HandshakeRefusal::DuplicateParameter),
            "{query}"
        );
    }
}

#[test]
fn mode_must_be_subscribe_exactly() {
    let token = VerifyToken::new(TOKEN);
    for mode in [
        "unsubscribe",
        "Subscribe",
        "subscribe%20",
        "",
        "subscribe%00",
    ] {
        let query = format!("hub.mode={mode}&hub.challenge=1&hub.verify_token=meatyhamhock");
        assert_eq!(
            refusal(&query, &token),
            Some(HandshakeRefusal::WrongMode),
            "{mode}"
        );
    }
}

#[test]
fn wrong_tokens_are_refused() {
    let token = VerifyToken::new(TOKEN);
    for candidate in [
        "",
        "meatyhamhoc",
        "meatyhamhockk",
        "MEATYHAMHOCK",
        "meatyhamhock%20",
        "x",
    ] {
        let query = format!("hub.mode=subscribe&hub.challenge=1&hub.verify_token={candidate}");
        assert_eq!(
            refusal(&query, &token),
            Some(HandshakeRefusal::TokenMismatch),
            "{candidate}"
        );
    }
}

#[test]
fn an_empty_configured_token_matches_nothing() {
    let token = VerifyToken::new("");
    assert_eq!(
        refusal(
            "hub.mode=subscribe&hub.challenge=1&hub.verify_token=",
            &token
        ),
        Some(HandshakeRefusal::TokenMismatch)
    );
}

#[test]
fn challenges_that_could_inject_are_refused() {
    let token = VerifyToken::new(TOKEN);
    let too_long = "9".repeat(MAX_CHALLENGE_LEN + 1);
    for challenge in [
        "",
        "1%0D%0ASet-Cookie:%20a=b",
        "1%0A",
        "a+b",
        "%09tab",
        "%00",
        "%C3%A4",
        "%7F",
        too_long.as_str(),
    ] {
        let query =
            format!("hub.mode=subscribe&hub.verify_token=meatyhamhock&hub.challenge={challenge}");
        assert_eq!(
            refusal(&query, &token),
            Some(HandshakeRefusal::BadChallenge),
            "{challenge}"
        );
    }
}

#[test]
fn longest_challenge_and_all_visible_ascii_pass() {
    let token = VerifyToken::new(TOKEN);
    let longest = "7".repeat(MAX_CHALLENGE_LEN);
    let query = format!("hub.mode=subscribe&hub.verify_token=meatyhamhock&hub.challenge={longest}");
    assert_eq!(
        verify_subscription_query(&query, &token).unwrap().as_str(),
        longest
    );

    let visible: String = (b'!'..=b'~').map(char::from).collect();
    let pairs = [
        ("hub.mode", "subscribe"),
        ("hub.verify_token", TOKEN),
        ("hub.challenge", &visible),
    ];
    assert_eq!(
        verify_subscription(pairs, &token).unwrap().as_str(),
        visible
    );
}

#[test]
fn token_is_checked_before_the_challenge() {
    // A caller without the token learns nothing about which challenges would be echoed.
    let token = VerifyToken::new(TOKEN);
    assert_eq!(
        refusal(
            "hub.mode=subscribe&hub.verify_token=nope&hub.challenge=%0A",
            &token
        ),
        Some(HandshakeRefusal::TokenMismatch)
    );
}
