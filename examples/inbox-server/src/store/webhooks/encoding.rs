//! How a body is kept in `webhook_log.body`: as received, or compressed.
//!
//! A large webhook body is JSON with the same keys over and over (a WhatsApp batch repeats
//! `messaging_product`, `metadata`, `contacts`, `from`, `id`, `timestamp`, `type` for every
//! message), so it shrinks several times under LZ4. Every byte stored is written twice on
//! SQLite (once to the WAL before the 200, once more when the WAL is checkpointed into the
//! database) and crosses the wire to PostgreSQL once, so a smaller body is a cheaper commit:
//! the disk's write bandwidth, not its flush latency, is what bounds the intake of large
//! bodies. The compression runs in the handler, before the body joins a group commit, on
//! whichever core is free; the writer only stores bytes.
//!
//! `webhook_log.body_encoding` says which: `NULL` for the bytes as received, [`LZ4`] for an
//! LZ4 block preceded by the length of the body as received (4 bytes, little-endian). Only
//! bodies of at least [`COMPRESS_FROM`] bytes are tried, and the compressed form is kept only
//! when it saves at least an eighth; anything else (a short body, a body that does not
//! shrink) is stored as received. Compression is lossless: processing, `replay` and
//! [`Store::logged_body`](crate::store::Store::logged_body) see the body byte for byte as
//! it arrived, which is what its signature covered.

use bytes::Bytes;

/// The `body_encoding` of an LZ4-compressed body.
pub const LZ4: &str = "lz4";

/// Bodies shorter than this are stored as received: a single message (a few hundred bytes
/// to a kilobyte) gains too little to pay for the work.
pub const COMPRESS_FROM: usize = 2048;

/// The longest body a stored row may declare when decoded. Nothing longer is ever logged
/// (the webhook routes refuse bodies over [`BODY_LIMIT`](crate::api::BODY_LIMIT)); a
/// larger length can only come from a damaged row, and is refused before anything is
/// allocated for it.
pub const MAX_DECODED: usize = crate::api::BODY_LIMIT;

/// `body` as it is to be stored, with its `body_encoding`.
pub fn encode(body: Bytes) -> (Bytes, Option<&'static str>) {
    if body.len() < COMPRESS_FROM {
        return (body, None);
    }
    let compressed = lz4_flex::compress_prepend_size(&body);
    if compressed.len() > body.len() - body.len() / 8 {
        return (body, None);
    }
    (Bytes::from(compressed), Some(LZ4))
}

/// The body as received, from what a row stores.
///
/// # Errors
///
/// A description when the encoding is unknown to this version or the stored bytes do not
/// decode (a damaged row): the row keeps them, and processing records the error on it.
pub fn decode(encoding: Option<&str>, stored: Vec<u8>) -> Result<Vec<u8>, String> {
    match encoding {
        None => Ok(stored),
        Some(LZ4) => {
            let declared = stored
                .get(..4)
                .map(|len| u32::from_le_bytes([len[0], len[1], len[2], len[3]]))
                .ok_or_else(|| "lz4 body shorter than its length prefix".to_owned())?;
            let declared = usize::try_from(declared).unwrap_or(usize::MAX);
            if declared > MAX_DECODED {
                return Err(format!(
                    "lz4 body declares {declared} bytes, more than the {MAX_DECODED} any body may have"
                ));
            }
            lz4_flex::decompress_size_prepended(&stored)
                .map_err(|error| format!("lz4 body does not decode: {error}"))
        }
        Some(other) => Err(format!("unknown body encoding {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WhatsApp webhook with `n` text messages from different senders, as Meta batches
    /// them.
    fn whatsapp_batch(n: usize) -> Vec<u8> {
        let messages: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"from":"3161234{i:04}","id":"wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQz{i:08X}AA==","timestamp":"{}","text":{{"body":"Order {i}: is it still in stock?"}},"type":"text"}}"#,
                    1_733_000_000 + i
                )
            })
            .collect();
        format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"messages":[{}]}},"field":"messages"}}]}}]}}"#,
            messages.join(",")
        )
        .into_bytes()
    }

    #[test]
    fn a_large_body_is_compressed_and_comes_back_byte_for_byte() {
        let body = whatsapp_batch(100);
        let (stored, encoding) = encode(Bytes::from(body.clone()));
        assert_eq!(encoding, Some(LZ4));
        assert!(
            stored.len() * 2 < body.len(),
            "{} of {} bytes",
            stored.len(),
            body.len()
        );
        assert_eq!(decode(encoding, stored.to_vec()).unwrap(), body);
    }

    #[test]
    fn short_and_incompressible_bodies_are_stored_as_received() {
        let short = whatsapp_batch(1);
        assert!(short.len() < COMPRESS_FROM);
        let (stored, encoding) = encode(Bytes::from(short.clone()));
        assert_eq!((encoding, &stored[..]), (None, &short[..]));

        // Random bytes do not shrink by an eighth: kept as they came.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let noise: Vec<u8> = (0..8192)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect();
        let (stored, encoding) = encode(Bytes::from(noise.clone()));
        assert_eq!((encoding, &stored[..]), (None, &noise[..]));
        assert_eq!(decode(None, noise.clone()).unwrap(), noise);
    }

    #[test]
    fn damaged_or_unknown_rows_are_errors_not_panics() {
        let (stored, _) = encode(Bytes::from(whatsapp_batch(50)));
        let mut stored = stored.to_vec();
        // A length far beyond any body: refused before any allocation.
        let mut huge = stored.clone();
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(Some(LZ4), huge).unwrap_err().contains("declares"));
        assert!(
            decode(Some(LZ4), vec![1, 2])
                .unwrap_err()
                .contains("prefix")
        );
        // Cut short: the block ends early.
        stored.truncate(stored.len() / 2);
        assert!(decode(Some(LZ4), stored).is_err());
        assert!(
            decode(Some("zstd"), b"{}".to_vec())
                .unwrap_err()
                .contains("unknown body encoding")
        );
    }
}
