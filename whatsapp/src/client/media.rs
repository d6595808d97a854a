//! Media: upload, look up, download (checked), delete.

use std::fmt;
use std::path::Path;

use bytes::Bytes;
use meta_graph::{MultipartForm, Part};
use sha2::{Digest, Sha256};

use super::{WhatsAppClient, confirmed};
use crate::model::{MediaInfo, MediaType, UploadedMedia};
use crate::validation as validate;
use crate::{Error, ErrorKind, MediaId, ValidationProblem};

/// A file ready to be uploaded with [`WhatsAppClient::upload_media`]: its bytes, a MIME type
/// Meta accepts and a size within that type's limit, both checked when it is made.
///
/// ```
/// use metabiz_whatsapp::model::MediaType;
/// use metabiz_whatsapp::{ErrorKind, MediaUpload};
///
/// let photo = MediaUpload::from_bytes(vec![0xFF, 0xD8, 0xFF, 0xE0], "image/jpeg", "photo.jpg")?;
/// assert_eq!(photo.media_type(), MediaType::Image);
///
/// // GIF is not a type WhatsApp accepts: refused before any request.
/// let gif = MediaUpload::from_bytes(vec![0x47, 0x49, 0x46], "image/gif", "a.gif").unwrap_err();
/// assert_eq!(gif.kind(), ErrorKind::Validation);
/// # Ok::<(), metabiz_whatsapp::Error>(())
/// ```
#[derive(Clone)]
pub struct MediaUpload {
    data: Bytes,
    mime_type: String,
    file_name: String,
    media_type: MediaType,
}

impl MediaUpload {
    /// A file from memory, sent as `file_name` with `mime_type`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] when WhatsApp does not accept `mime_type`, the file is larger
    /// than its category allows, the file is empty or the name is blank.
    pub fn from_bytes(
        data: impl Into<Bytes>,
        mime_type: &str,
        file_name: impl Into<String>,
    ) -> Result<Self, Error> {
        let data = data.into();
        let file_name = file_name.into();
        let media_type = MediaType::check_upload(mime_type, data.len() as u64)?;
        if data.is_empty() {
            return Err(validate::invalid("file", ValidationProblem::Empty));
        }
        validate::not_blank(&file_name, "file_name")?;
        Ok(Self {
            data,
            mime_type: mime_type.trim().to_owned(),
            file_name,
            media_type,
        })
    }

    /// A file read from `path`, sent under its file name with `mime_type`. The size is checked
    /// before the file is read, so an oversized file is never loaded.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be read, and the errors of
    /// [`from_bytes`](Self::from_bytes).
    pub async fn from_file(path: impl AsRef<Path>, mime_type: &str) -> Result<Self, Error> {
        let path = path.as_ref();
        let metadata = tokio::fs::metadata(path)
            .await
            .map_err(|e| Error::with_source(ErrorKind::Io, e))?;
        MediaType::check_upload(mime_type, metadata.len())?;
        let data = tokio::fs::read(path)
            .await
            .map_err(|e| Error::with_source(ErrorKind::Io, e))?;
        let file_name = path
            .file_name()
            .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
        // Checked again on the bytes read: the file may have grown in between.
        Self::from_bytes(data, mime_type, file_name)
    }

    /// The category the MIME type belongs to.
    pub fn media_type(&self) -> MediaType {
        self.media_type
    }

    /// The MIME type sent.
    pub fn mime_type(&self) -> &str {
        &self.mime_type
    }

    /// The file name sent.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The file's size in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Always `false`: empty files are refused when the upload is made.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn form(&self) -> MultipartForm {
        MultipartForm::new()
            .text("messaging_product", "whatsapp")
            .text("type", self.mime_type.clone())
            .part(
                "file",
                Part::bytes(self.data.clone())
                    .file_name(self.file_name.clone())
                    .mime(self.mime_type.clone()),
            )
    }
}

impl fmt::Debug for MediaUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaUpload")
            .field("file_name", &self.file_name)
            .field("mime_type", &self.mime_type)
            .field("len", &self.data.len())
            .finish_non_exhaustive()
    }
}

/// A downloaded media file whose size and SHA-256 matched what Meta reported.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DownloadedMedia {
    /// The file's bytes.
    pub data: Bytes,
    /// The MIME type Meta reported for the media, or the download's `Content-Type`.
    pub mime_type: Option<String>,
    /// The file's SHA-256, lowercase hex, as computed from `data`.
    pub sha256: String,
}

impl fmt::Debug for DownloadedMedia {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadedMedia")
            .field("len", &self.data.len())
            .field("mime_type", &self.mime_type)
            .field("sha256", &self.sha256)
            .finish()
    }
}

/// Why a download did not match what Meta reported for the media; the source of an
/// [`ErrorKind::MediaMismatch`] error.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaMismatch {
    /// The download has another size than `file_size`.
    Size {
        /// Meta's `file_size`.
        expected: u64,
        /// The bytes received.
        actual: u64,
    },
    /// The download's SHA-256 differs from Meta's `sha256`.
    Sha256 {
        /// Meta's `sha256`.
        expected: String,
        /// The hash of the bytes received, lowercase hex.
        actual: String,
    },
}

impl fmt::Display for MediaMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Size { expected, actual } => write!(
                f,
                "downloaded {actual} bytes where Meta reported {expected}"
            ),
            Self::Sha256 { expected, actual } => write!(
                f,
                "the download's SHA-256 is {actual}, Meta reported {expected}"
            ),
        }
    }
}

impl std::error::Error for MediaMismatch {}

impl WhatsAppClient {
    /// Uploads a file with `POST /{phone-number-id}/media` and returns its media id, usable in
    /// media messages for 30 days.
    ///
    /// Retried like a read after network errors and server errors: uploading the same file
    /// twice only leaves an unused media id behind, which expires.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Throttled`], [`ErrorKind::Unauthorized`], [`ErrorKind::Api`] (for example
    /// a file Meta cannot process), [`ErrorKind::UnexpectedResponse`].
    pub async fn upload_media(&self, upload: &MediaUpload) -> Result<UploadedMedia, Error> {
        self.graph
            .post(&format!("{}/media", self.phone_number_id.as_str()))
            .token(&self.token)
            .multipart(upload.form())
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)
    }

    /// Looks up a media id (from an upload or an incoming message) with `GET /{media-id}`:
    /// a download URL valid for about five minutes, the MIME type, size and SHA-256.
    ///
    /// Asks Meta to answer only when the media belongs to this client's phone number
    /// (`phone_number_id`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Api`] for an unknown, expired or foreign media id, and the Graph kinds of
    /// [`send`](Self::send).
    pub async fn media_info(&self, media_id: &MediaId) -> Result<MediaInfo, Error> {
        self.graph
            .get(media_id.as_str())
            .token(&self.token)
            .query("phone_number_id", self.phone_number_id.as_str())
            .send()
            .await
            .map_err(Error::graph_failure)
    }

    /// Downloads the file `info` describes, with the access token, and checks it against the
    /// size and SHA-256 Meta reported.
    ///
    /// The URL must be on Meta's media host (see [`meta_graph::GraphClient::get_url`]); the
    /// token is never sent anywhere else.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MediaMismatch`] when the bytes do not match (the source, a
    /// [`MediaMismatch`], says how); [`ErrorKind::Api`] when the URL is not on a media host
    /// or has expired (ask [`media_info`](Self::media_info) for a fresh one); the Graph kinds
    /// of [`send`](Self::send).
    pub async fn download_media(&self, info: &MediaInfo) -> Result<DownloadedMedia, Error> {
        let raw = self
            .graph
            .get_url(&info.url)
            .token(&self.token)
            .send_raw()
            .await
            .map_err(Error::graph_failure)?;
        let content_type = raw
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let data = raw.into_body();
        if let Some(expected) = info.file_size {
            let actual = data.len() as u64;
            if actual != expected {
                return Err(Error::with_source(
                    ErrorKind::MediaMismatch,
                    MediaMismatch::Size { expected, actual },
                ));
            }
        }
        let sha256 = hex::encode(Sha256::digest(&data));
        if let Some(expected) = &info.sha256
            && !sha256_matches(expected, &sha256)
        {
            return Err(Error::with_source(
                ErrorKind::MediaMismatch,
                MediaMismatch::Sha256 {
                    expected: expected.clone(),
                    actual: sha256,
                },
            ));
        }
        Ok(DownloadedMedia {
            data,
            mime_type: info.mime_type.clone().or(content_type),
            sha256,
        })
    }

    /// Looks up `media_id` and downloads it: [`media_info`](Self::media_info) then
    /// [`download_media`](Self::download_media).
    ///
    /// # Errors
    ///
    /// Those of both.
    pub async fn download_media_by_id(&self, media_id: &MediaId) -> Result<DownloadedMedia, Error> {
        let info = self.media_info(media_id).await?;
        self.download_media(&info).await
    }

    /// Deletes uploaded media with `DELETE /{media-id}`, only if it belongs to this client's
    /// phone number.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnexpectedResponse`] when Meta does not answer `{"success": true}`, and
    /// the Graph kinds of [`send`](Self::send).
    pub async fn delete_media(&self, media_id: &MediaId) -> Result<(), Error> {
        let response: crate::model::Success = self
            .graph
            .delete(media_id.as_str())
            .token(&self.token)
            .query("phone_number_id", self.phone_number_id.as_str())
            // Deleting twice leaves the same state: safe to retry.
            .idempotent(true)
            .send()
            .await
            .map_err(Error::graph_failure)?;
        confirmed(response)
    }
}

/// Meta documents `sha256` as the file's hash without saying how it is written: compare
/// lowercase hex, and accept base64 of the same 32 bytes too.
fn sha256_matches(expected: &str, actual_hex: &str) -> bool {
    let expected = expected.trim();
    if expected.eq_ignore_ascii_case(actual_hex) {
        return true;
    }
    let Ok(actual) = hex::decode(actual_hex) else {
        return false;
    };
    decode_base64(expected).is_some_and(|decoded| decoded == actual)
}

/// Standard or URL-safe base64, padded or not; `None` when `text` is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let unpadded = text.trim_end_matches('=');
    STANDARD_NO_PAD
        .decode(unpadded)
        .or_else(|_| URL_SAFE_NO_PAD.decode(unpadded))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::sha256_matches;

    #[test]
    fn sha256_is_compared_as_hex_or_base64() {
        // SHA-256 of "abc".
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert!(sha256_matches(hex, hex));
        assert!(sha256_matches(&hex.to_uppercase(), hex));
        assert!(sha256_matches(
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
            hex
        ));
        assert!(!sha256_matches(
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa1=",
            hex
        ));
        assert!(!sha256_matches("not a hash", hex));
    }
}
