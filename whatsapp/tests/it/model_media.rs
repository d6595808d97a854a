//! Media: accepted MIME types and sizes, and the upload, retrieve and delete responses.

use std::error::Error as _;

use metabiz_whatsapp::ErrorKind;
use metabiz_whatsapp::MediaId;
use metabiz_whatsapp::ValidationProblem;
use metabiz_whatsapp::model::{MediaInfo, MediaType, Success, UploadedMedia};

use crate::model_support::graph;

#[test]
fn upload_response_is_the_media_id() {
    let uploaded: UploadedMedia = graph("media_upload.json");
    assert_eq!(uploaded.id, MediaId::new("1037543291543636"));
}

#[test]
fn media_info_reads_file_size_sent_as_a_string() {
    let info: MediaInfo = graph("media_info.json");
    assert_eq!(info.id, MediaId::new("2621233374848975"));
    assert_eq!(info.file_size, Some(303_833));
    assert_eq!(info.mime_type.as_deref(), Some("image/jpeg"));
    assert_eq!(info.messaging_product.as_deref(), Some("whatsapp"));
    assert!(info.url.starts_with("https://lookaside.fbsbx.com/"));
    assert_eq!(
        info.sha256.as_deref(),
        Some("c86b0bd4a8f3b8c8e3b1ab5f4d8b14e0e96f0e5bfbda2c1f6be30bd9c5b7d3a1")
    );
}

#[test]
fn media_info_reads_file_size_sent_as_a_number() {
    let info: MediaInfo = graph("media_info_numeric_size.json");
    assert_eq!(info.file_size, Some(12_345));
    assert_eq!(info.mime_type.as_deref(), Some("video/mp4"));
    // Serialized back, the size is a number whatever form it came in.
    let again = serde_json::to_value(&info).unwrap();
    assert_eq!(again["file_size"], 12_345);
}

#[test]
fn media_info_without_size_or_with_a_bad_one() {
    let info: MediaInfo = serde_json::from_str(
        r#"{"id":"1","url":"https://lookaside.fbsbx.com/x","file_size":null}"#,
    )
    .unwrap();
    assert_eq!(info.file_size, None);
    let info: MediaInfo =
        serde_json::from_str(r#"{"id":"1","url":"https://lookaside.fbsbx.com/x"}"#).unwrap();
    assert_eq!(info.file_size, None);
    for bad in [r#""12kB""#, "-1", "1.5", "true"] {
        let body = format!(r#"{{"id":"1","url":"u","file_size":{bad}}}"#);
        assert!(
            serde_json::from_str::<MediaInfo>(&body).is_err(),
            "file_size {bad} must be rejected"
        );
    }
}

#[test]
fn delete_response_is_success() {
    let deleted: Success = graph("success.json");
    assert!(deleted.success);
}

#[test]
fn every_mime_type_meta_lists_maps_to_its_category() {
    let documented = [
        ("audio/aac", MediaType::Audio),
        ("audio/amr", MediaType::Audio),
        ("audio/mpeg", MediaType::Audio),
        ("audio/mp4", MediaType::Audio),
        ("audio/ogg", MediaType::Audio),
        ("text/plain", MediaType::Document),
        ("application/vnd.ms-excel", MediaType::Document),
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            MediaType::Document,
        ),
        ("application/msword", MediaType::Document),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            MediaType::Document,
        ),
        ("application/vnd.ms-powerpoint", MediaType::Document),
        (
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            MediaType::Document,
        ),
        ("application/pdf", MediaType::Document),
        ("image/jpeg", MediaType::Image),
        ("image/png", MediaType::Image),
        ("image/webp", MediaType::Sticker),
        ("video/mp4", MediaType::Video),
        ("video/3gpp", MediaType::Video),
    ];
    for (mime, category) in documented {
        assert_eq!(MediaType::from_mime(mime), Some(category), "{mime}");
    }
    let listed: usize = MediaType::ALL
        .iter()
        .map(|media_type| media_type.mime_types().len())
        .sum();
    // The 18 documented types plus the `video/3gp` spelling of Meta's older tables.
    assert_eq!(listed, documented.len() + 1);
}

#[test]
fn mime_types_are_matched_without_case_or_parameters() {
    assert_eq!(MediaType::from_mime("IMAGE/JPEG"), Some(MediaType::Image));
    assert_eq!(
        MediaType::from_mime(" audio/ogg; codecs=opus "),
        Some(MediaType::Audio)
    );
    assert_eq!(
        MediaType::from_mime("text/plain; charset=utf-8"),
        Some(MediaType::Document)
    );
    assert_eq!(MediaType::from_mime("video/3gp"), Some(MediaType::Video));
}

#[test]
fn mime_types_meta_does_not_accept_are_refused() {
    for mime in [
        "image/gif",
        "image/jpg",
        "image/heic",
        "audio/wav",
        "audio/opus",
        "video/quicktime",
        "application/zip",
        "application/octet-stream",
        "text/html",
        "",
        ";",
    ] {
        assert_eq!(MediaType::from_mime(mime), None, "{mime:?}");
    }
}

#[test]
fn documented_sizes_per_category() {
    assert_eq!(MediaType::Audio.max_bytes(), 16 * 1024 * 1024);
    assert_eq!(MediaType::Document.max_bytes(), 100 * 1024 * 1024);
    assert_eq!(MediaType::Image.max_bytes(), 5 * 1024 * 1024);
    assert_eq!(MediaType::Video.max_bytes(), 16 * 1024 * 1024);
    assert_eq!(MediaType::Sticker.max_bytes(), 500 * 1024);
    assert_eq!(MediaType::STICKER_STATIC_MAX_BYTES, 100 * 1024);
    assert_eq!(MediaType::Image.as_str(), "image");
    assert_eq!(MediaType::Sticker.to_string(), "sticker");
}

#[test]
fn uploads_are_accepted_up_to_the_limit_and_refused_one_byte_over() {
    for media_type in MediaType::ALL {
        let mime = media_type.mime_types()[0];
        let max = media_type.max_bytes();
        assert_eq!(MediaType::check_upload(mime, max).unwrap(), media_type);
        let error = MediaType::check_upload(mime, max + 1).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation);
        let detail = error.validation().unwrap();
        assert_eq!(detail.field(), "file");
        assert_eq!(
            detail.problem(),
            &ValidationProblem::TooLarge {
                max,
                actual: max + 1
            }
        );
    }
}

#[test]
fn uploads_of_unknown_types_are_refused_with_a_typed_error() {
    let error = MediaType::check_upload("image/gif", 10).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
    let detail = error.validation().unwrap();
    assert_eq!(detail.field(), "type");
    assert_eq!(
        detail.problem(),
        &ValidationProblem::UnsupportedMimeType {
            mime_type: "image/gif".to_owned()
        }
    );
    // The detail is the source; the error's own message does not repeat it.
    let source = error.source().unwrap().to_string();
    assert!(source.contains("image/gif"), "{source}");
    assert!(!error.to_string().contains("image/gif"));
}
