//! The Graph API's error body (`{"error": {"message", "type", "code", "error_subcode", …}}`).
//!
//! The first byte picks a mode:
//!
//! - even: the rest is a status and an arbitrary body. `GraphApiError::from_response_body`
//!   never panics; a body it accepts is JSON (in structure: `serde_json` does not check the text
//!   of strings it skips), and when it is the documented object form, the
//!   error reports exactly its `code`, `error_subcode`, `message` and `fbtrace_id` (codes as
//!   numbers or numeric strings), its class is `ErrorClass::of` those, and `Display` starts
//!   with `(#code`.
//! - odd: the rest builds a well-formed error (any code, subcode, texts, transient flag) that
//!   is written as JSON, with the code and subcode as numbers or as strings: it must read back
//!   field for field.
#![no_main]

use http::StatusCode;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use meta_graph::{ErrorClass, GraphApiError};
use serde::de::IgnoredAny;
use serde_json::{Map, Value, json};

/// A Graph code as `lenient_i64` reads it: a whole number or a numeric string.
fn lenient(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn status(u: &mut Unstructured<'_>) -> Result<StatusCode> {
    let code = u.int_in_range(100..=599)?;
    Ok(StatusCode::from_u16(code).expect("100..=599 is a status"))
}

fn check_invariants(error: &GraphApiError) {
    let class = error.class();
    assert_eq!(
        class,
        ErrorClass::of(error.code(), error.error_subcode(), error.is_transient())
    );
    assert_eq!(error.is_retryable(), class.is_retryable());
    let shown = error.to_string();
    assert!(shown.starts_with(&format!("(#{}", error.code())), "{shown}");
    assert!(shown.contains(error.message()), "Display drops the message");
    let _ = format!("{error:?}");
    if let Some(details) = error.details() {
        assert_eq!(
            error
                .error_data()
                .and_then(|d| d.get("details"))
                .and_then(Value::as_str),
            Some(details)
        );
    }
}

fn raw(mut u: Unstructured<'_>) -> Result<()> {
    let status = status(&mut u)?;
    let body = u.take_rest();
    let Some(error) = GraphApiError::from_response_body(status, body) else {
        return Ok(());
    };
    assert_eq!(error.status(), status);
    check_invariants(&error);
    // `serde_json` checks the structure of the members it skips but not the text of their
    // strings (invalid UTF-8, lone surrogate escapes): such a body is accepted, like by any
    // serde-derived reader, but has no tree to compare with.
    serde_json::from_slice::<IgnoredAny>(body).expect("an accepted body is JSON");
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Ok(());
    };
    if let Some(fields) = value.get("error").and_then(Value::as_object) {
        assert_eq!(fields.get("code").and_then(lenient), Some(error.code()));
        assert_eq!(
            fields.get("error_subcode").and_then(lenient),
            error.error_subcode()
        );
        assert_eq!(
            fields.get("message").and_then(Value::as_str).unwrap_or(""),
            error.message()
        );
        assert_eq!(
            fields.get("fbtrace_id").and_then(Value::as_str),
            error.fbtrace_id()
        );
        assert_eq!(
            fields
                .get("is_transient")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            error.is_transient()
        );
    }
    Ok(())
}

fn number_or_text(u: &mut Unstructured<'_>, n: i64) -> Result<Value> {
    Ok(if u.arbitrary()? {
        Value::from(n)
    } else {
        Value::from(n.to_string())
    })
}

fn built(u: &mut Unstructured<'_>) -> Result<()> {
    let status = status(u)?;
    let code: i64 = u.arbitrary()?;
    let subcode: Option<i64> = u.arbitrary()?;
    let message: String = u.arbitrary()?;
    let kind: Option<String> = u.arbitrary()?;
    let title: Option<String> = u.arbitrary()?;
    let user_msg: Option<String> = u.arbitrary()?;
    let trace: Option<String> = u.arbitrary()?;
    let transient: Option<bool> = u.arbitrary()?;
    let details: Option<String> = u.arbitrary()?;

    let mut fields = Map::new();
    fields.insert("message".into(), message.clone().into());
    fields.insert("code".into(), number_or_text(u, code)?);
    if let Some(subcode) = subcode {
        fields.insert("error_subcode".into(), number_or_text(u, subcode)?);
    }
    let optional = [
        ("type", &kind),
        ("error_user_title", &title),
        ("error_user_msg", &user_msg),
        ("fbtrace_id", &trace),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            fields.insert(name.into(), value.clone().into());
        }
    }
    if let Some(transient) = transient {
        fields.insert("is_transient".into(), transient.into());
    }
    if let Some(details) = &details {
        fields.insert(
            "error_data".into(),
            json!({"messaging_product": "whatsapp", "details": details}),
        );
    }
    let body = serde_json::to_vec(&json!({ "error": fields })).expect("JSON writes");

    let error = GraphApiError::from_response_body(status, &body).unwrap_or_else(|| {
        panic!(
            "a well-formed error body was refused: {}",
            String::from_utf8_lossy(&body)
        )
    });
    assert_eq!(error.status(), status);
    assert_eq!(error.code(), code);
    assert_eq!(error.error_subcode(), subcode);
    assert_eq!(error.message(), message);
    assert_eq!(error.error_type(), kind.as_deref());
    assert_eq!(error.error_user_title(), title.as_deref());
    assert_eq!(error.error_user_msg(), user_msg.as_deref());
    assert_eq!(error.fbtrace_id(), trace.as_deref());
    assert_eq!(error.is_transient(), transient.unwrap_or(false));
    assert_eq!(error.details(), details.as_deref());
    check_invariants(&error);
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(mode) = u.arbitrary::<u8>() else {
        return;
    };
    let _ = if mode % 2 == 0 { raw(u) } else { built(&mut u) };
});
