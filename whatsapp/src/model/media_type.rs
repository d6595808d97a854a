use crate::ValidationProblem;
use crate::validation as validate;
use std::fmt;

use crate::Error;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// The media categories WhatsApp accepts, each with the MIME types and maximum size Meta
/// documents under "Supported media types".
///
/// Uploads and media messages must use one of these MIME types; any other type is refused by
/// Meta (error 131053), so [`MediaType::from_mime`] returns `None` for it and
/// [`MediaType::check_upload`] fails before anything is sent.
///
/// Meta writes sizes as "16 MB", "100 KB"; this crate reads them as binary units
/// (16 × 1024 × 1024 bytes), the more permissive reading, so a file Meta accepts is never
/// refused here.
///
/// ```
/// use metabiz_whatsapp::model::MediaType;
///
/// assert_eq!(MediaType::from_mime("image/png"), Some(MediaType::Image));
/// assert_eq!(MediaType::from_mime("audio/ogg; codecs=opus"), Some(MediaType::Audio));
/// assert_eq!(MediaType::from_mime("image/gif"), None);
/// assert!(MediaType::check_upload("image/jpeg", 6 * 1024 * 1024).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaType {
    /// `audio`: AAC, AMR, MP3, MP4 audio and OGG (Opus only), up to 16 MB.
    Audio,
    /// `document`: plain text, PDF, Word, Excel and slide decks (`.ppt`, `.pptx`), up to
    /// 100 MB.
    Document,
    /// `image`: JPEG and PNG (8-bit RGB or RGBA), up to 5 MB.
    Image,
    /// `sticker`: WebP, up to 100 KB when static and 500 KB when animated. WebP is accepted
    /// only as a sticker.
    Sticker,
    /// `video`: MP4 and 3GPP (H.264 video, AAC audio), up to 16 MB.
    Video,
}

impl MediaType {
    /// Every category, in Meta's order.
    pub const ALL: [MediaType; 5] = [
        Self::Audio,
        Self::Document,
        Self::Image,
        Self::Sticker,
        Self::Video,
    ];

    /// Largest audio file: 16 MB.
    pub const AUDIO_MAX_BYTES: u64 = 16 * MIB;
    /// Largest document: 100 MB.
    pub const DOCUMENT_MAX_BYTES: u64 = 100 * MIB;
    /// Largest image: 5 MB.
    pub const IMAGE_MAX_BYTES: u64 = 5 * MIB;
    /// Largest static sticker: 100 KB.
    pub const STICKER_STATIC_MAX_BYTES: u64 = 100 * KIB;
    /// Largest animated sticker: 500 KB.
    pub const STICKER_ANIMATED_MAX_BYTES: u64 = 500 * KIB;
    /// Largest video: 16 MB.
    pub const VIDEO_MAX_BYTES: u64 = 16 * MIB;

    /// Audio MIME types. `audio/ogg` must carry the Opus codec: Meta rejects other OGG audio,
    /// which cannot be told apart by the MIME type alone.
    pub const AUDIO_MIME_TYPES: &'static [&'static str] = &[
        "audio/aac",
        "audio/amr",
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
    ];
    /// Document MIME types: text, Excel, Word, slide decks (old and OOXML formats) and PDF.
    pub const DOCUMENT_MIME_TYPES: &'static [&'static str] = &[
        "text/plain",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/pdf",
    ];
    /// Image MIME types.
    pub const IMAGE_MIME_TYPES: &'static [&'static str] = &["image/jpeg", "image/png"];
    /// Sticker MIME types.
    pub const STICKER_MIME_TYPES: &'static [&'static str] = &["image/webp"];
    /// Video MIME types. Meta's table names `video/3gpp` (older revisions wrote `video/3gp`,
    /// which is accepted too).
    pub const VIDEO_MIME_TYPES: &'static [&'static str] = &["video/mp4", "video/3gpp", "video/3gp"];

    /// The category Meta accepts `mime` in, or `None` when WhatsApp does not accept that type.
    ///
    /// Letter case, surrounding spaces and parameters (`; codecs=opus`) are ignored.
    pub fn from_mime(mime: &str) -> Option<Self> {
        let essence = mime.split(';').next().unwrap_or(mime).trim();
        Self::ALL.into_iter().find(|media_type| {
            media_type
                .mime_types()
                .iter()
                .any(|known| known.eq_ignore_ascii_case(essence))
        })
    }

    /// The MIME types Meta accepts in this category.
    pub fn mime_types(self) -> &'static [&'static str] {
        match self {
            Self::Audio => Self::AUDIO_MIME_TYPES,
            Self::Document => Self::DOCUMENT_MIME_TYPES,
            Self::Image => Self::IMAGE_MIME_TYPES,
            Self::Sticker => Self::STICKER_MIME_TYPES,
            Self::Video => Self::VIDEO_MIME_TYPES,
        }
    }

    /// The largest file Meta accepts in this category, in bytes. For stickers this is the
    /// animated limit; static stickers are limited to
    /// [`STICKER_STATIC_MAX_BYTES`](Self::STICKER_STATIC_MAX_BYTES).
    pub fn max_bytes(self) -> u64 {
        match self {
            Self::Audio => Self::AUDIO_MAX_BYTES,
            Self::Document => Self::DOCUMENT_MAX_BYTES,
            Self::Image => Self::IMAGE_MAX_BYTES,
            Self::Sticker => Self::STICKER_ANIMATED_MAX_BYTES,
            Self::Video => Self::VIDEO_MAX_BYTES,
        }
    }

    /// The category as Meta names it in a message's `type`: `audio`, `document`, `image`,
    /// `sticker` or `video`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Audio => "audio",
            Self::Document => "document",
            Self::Image => "image",
            Self::Sticker => "sticker",
            Self::Video => "video",
        }
    }

    /// Checks a file before it is uploaded: its MIME type must be one Meta accepts and its
    /// size within that category's limit. Returns the category.
    ///
    /// Fails with [`ErrorKind::Validation`](crate::ErrorKind::Validation); the
    /// [`ValidationError`](crate::ValidationError) says whether the type (`UnsupportedMimeType`) or the size
    /// (`TooLarge`) is at fault.
    pub fn check_upload(mime: &str, len: u64) -> Result<Self, Error> {
        let media_type = Self::from_mime(mime).ok_or_else(|| {
            validate::invalid(
                "type",
                ValidationProblem::UnsupportedMimeType {
                    mime_type: mime.to_owned(),
                },
            )
        })?;
        let max = media_type.max_bytes();
        if len > max {
            return Err(validate::invalid(
                "file",
                ValidationProblem::TooLarge { max, actual: len },
            ));
        }
        Ok(media_type)
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
