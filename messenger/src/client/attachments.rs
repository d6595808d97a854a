//! The Attachment Upload API: files saved once and sent many times by `attachment_id`.

use std::fmt;
use std::path::Path;

use bytes::Bytes;
use meta_graph::send_api::{MediaKind, Problem, ValidationError};
use meta_graph::{MultipartForm, Part};
use serde::Deserialize;
use serde_json::json;

use super::MessengerClient;
use crate::{AttachmentId, Error, ErrorKind};

/// The largest attachment the Messenger Platform accepts: 25 MB.
pub const ATTACHMENT_MAX_BYTES: u64 = 25 * 1024 * 1024;

/// A file for [`MessengerClient::upload_attachment`]: fetched by Meta from a URL, or sent
/// from memory or disk.
#[derive(Clone)]
pub struct AttachmentUpload {
    kind: MediaKind,
    source: Source,
}

#[derive(Clone)]
enum Source {
    Url(String),
    File {
        data: Bytes,
        mime_type: String,
        file_name: String,
    },
}

impl AttachmentUpload {
    /// A file Meta fetches from a public `url`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] when `url` is not an `http(s)` URL.
    pub fn url(kind: MediaKind, url: impl Into<String>) -> Result<Self, Error> {
        let url = url.into();
        let parsed = url::Url::parse(&url).ok();
        if !parsed.is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some()) {
            return Err(ValidationError::new(
                "message.attachment.payload.url",
                Problem::NotHttpUrl,
            )
            .into());
        }
        Ok(Self {
            kind,
            source: Source::Url(url),
        })
    }

    /// A file from memory, sent as `file_name` with `mime_type`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] when the file is empty, over
    /// [`ATTACHMENT_MAX_BYTES`], or the name or MIME type is blank.
    pub fn bytes(
        kind: MediaKind,
        data: impl Into<Bytes>,
        mime_type: impl Into<String>,
        file_name: impl Into<String>,
    ) -> Result<Self, Error> {
        let data = data.into();
        let mime_type = mime_type.into();
        let file_name = file_name.into();
        let fail = |field: &str, problem| Err(ValidationError::new(field, problem).into());
        if data.is_empty() {
            return fail("filedata", Problem::Empty);
        }
        let len = data.len() as u64;
        if len > ATTACHMENT_MAX_BYTES {
            return fail(
                "filedata",
                Problem::NotAllowed("the Messenger Platform takes files of up to 25 MB"),
            );
        }
        if mime_type.trim().is_empty() || !mime_type.contains('/') {
            return fail("filedata.type", Problem::Empty);
        }
        if file_name.trim().is_empty() {
            return fail("filedata.filename", Problem::Empty);
        }
        Ok(Self {
            kind,
            source: Source::File {
                data,
                mime_type,
                file_name,
            },
        })
    }

    /// A file read from `path`, sent under its file name. The size is checked before reading.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be read, and those of [`bytes`](Self::bytes).
    pub async fn file(
        kind: MediaKind,
        path: impl AsRef<Path>,
        mime_type: impl Into<String>,
    ) -> Result<Self, Error> {
        let path = path.as_ref();
        let metadata = tokio::fs::metadata(path)
            .await
            .map_err(|e| Error::with_source(ErrorKind::Io, e))?;
        if metadata.len() > ATTACHMENT_MAX_BYTES {
            return Err(ValidationError::new(
                "filedata",
                Problem::NotAllowed("the Messenger Platform takes files of up to 25 MB"),
            )
            .into());
        }
        let data = tokio::fs::read(path)
            .await
            .map_err(|e| Error::with_source(ErrorKind::Io, e))?;
        let file_name = path
            .file_name()
            .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
        Self::bytes(kind, data, mime_type, file_name)
    }

    /// The kind of the attachment.
    pub fn kind(&self) -> MediaKind {
        self.kind
    }
}

impl fmt::Debug for AttachmentUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("AttachmentUpload");
        debug.field("kind", &self.kind);
        match &self.source {
            Source::Url(url) => debug.field("url", url),
            Source::File {
                data,
                mime_type,
                file_name,
            } => debug
                .field("file_name", file_name)
                .field("mime_type", mime_type)
                .field("len", &data.len()),
        };
        debug.finish()
    }
}

#[derive(Deserialize)]
struct UploadResponse {
    attachment_id: Option<String>,
}

impl MessengerClient {
    /// Saves an attachment for reuse with `POST /{page-id}/message_attachments` and returns
    /// its `attachment_id`, to send with
    /// [`Attachment::attachment_id`](meta_graph::send_api::Attachment::attachment_id) or in a
    /// media template.
    ///
    /// Retried like a read: uploading twice only leaves an unused attachment behind.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnexpectedResponse`] when Meta answers without an id, and the Graph kinds
    /// of [`send`](Self::send).
    pub async fn upload_attachment(
        &self,
        upload: &AttachmentUpload,
    ) -> Result<AttachmentId, Error> {
        let path = format!("{}/message_attachments", self.page_id.as_str());
        let kind = upload.kind.as_str();
        let request = self
            .graph
            .post(&path)
            .token(&self.token)
            .throttle(&self.throttle)
            .idempotent(true);
        let request = match &upload.source {
            Source::Url(url) => request.json(&json!({
                "message": {"attachment": {"type": kind, "payload": {"url": url, "is_reusable": true}}}
            })),
            Source::File {
                data,
                mime_type,
                file_name,
            } => {
                let message = json!({"attachment": {"type": kind, "payload": {"is_reusable": true}}});
                request.multipart(
                    MultipartForm::new().text("message", message.to_string()).part(
                        "filedata",
                        Part::bytes(data.clone())
                            .file_name(file_name.clone())
                            .mime(mime_type.clone()),
                    ),
                )
            }
        };
        let response: UploadResponse = request.send().await.map_err(Error::graph_failure)?;
        response
            .attachment_id
            .map(AttachmentId::new)
            .ok_or_else(|| Error::new(ErrorKind::UnexpectedResponse))
    }
}
