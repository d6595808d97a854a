use std::error::Error as _;
use std::time::Duration;

use messaging_core::{Error, ErrorKind, PlatformKind};

#[test]
fn display_comes_from_the_kind_and_never_repeats_the_source() {
    let cause = serde_json::from_slice::<serde_json::Value>(b"{\"object\": ").unwrap_err();
    let cause_text = cause.to_string();
    let error = Error::with_source(ErrorKind::InvalidInput, cause);

    assert_eq!(error.to_string(), "invalid input");
    assert!(!error.to_string().contains(&cause_text));
    assert_eq!(error.source().map(ToString::to_string), Some(cause_text));
    assert_eq!(error.kind(), &ErrorKind::InvalidInput);
}

#[test]
fn a_reason_given_as_text_becomes_the_source() {
    let error = Error::with_source(
        ErrorKind::InvalidInput,
        "`object` is \"page\", expected \"whatsapp_business_account\"",
    );
    assert_eq!(error.to_string(), "invalid input");
    assert_eq!(
        error.source().map(ToString::to_string).as_deref(),
        Some("`object` is \"page\", expected \"whatsapp_business_account\""),
    );
    let (kind, source) = error.into_parts();
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(source.is_some());
}

#[test]
fn unsupported_names_platform_and_operation() {
    let error = Error::unsupported(PlatformKind::WhatsApp, "conversations");
    assert_eq!(
        error.kind(),
        &ErrorKind::Unsupported {
            platform: PlatformKind::WhatsApp,
            operation: "conversations",
        },
    );
    assert_eq!(error.to_string(), "whatsapp does not support conversations");
    assert!(error.source().is_none());
    assert!(!error.is_retryable());
}

#[test]
fn throttling_carries_the_wait() {
    let error = Error::new(ErrorKind::Throttled {
        retry_after: Some(Duration::from_secs(60)),
    });
    assert_eq!(error.retry_after(), Some(Duration::from_secs(60)));
    assert!(error.is_retryable());
    assert_eq!(error.to_string(), "throttled by Meta; retry in 60 s");

    let unknown_wait = Error::from(ErrorKind::Throttled { retry_after: None });
    assert_eq!(unknown_wait.retry_after(), None);
    assert_eq!(unknown_wait.to_string(), "throttled by Meta");
}

#[test]
fn an_ambiguous_send_is_not_retryable() {
    // Retrying could deliver the message twice: no Send API takes an idempotency key.
    assert!(!Error::new(ErrorKind::Ambiguous).is_retryable());
    assert!(Error::new(ErrorKind::Transport).is_retryable());
    for kind in [
        ErrorKind::InvalidInput,
        ErrorKind::Validation,
        ErrorKind::Unauthorized,
        ErrorKind::PermissionDenied,
        ErrorKind::OutsideWindow,
        ErrorKind::NotFound,
        ErrorKind::Api,
        ErrorKind::Other,
    ] {
        assert!(!kind.is_retryable(), "{kind:?}");
        assert!(!Error::new(kind).to_string().is_empty());
    }
}

#[test]
fn the_error_can_cross_threads_and_be_boxed() {
    fn assert_send_sync_static<T: Send + Sync + 'static>() {}
    assert_send_sync_static::<Error>();

    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(Error::new(ErrorKind::NotFound));
    assert_eq!(boxed.to_string(), "not found");
}
