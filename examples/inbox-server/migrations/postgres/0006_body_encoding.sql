-- How `body` is kept: NULL for the bytes as received, 'lz4' for an LZ4 block preceded by the
-- received length (4 bytes, little-endian). Large bodies are compressed before they are
-- committed; see `store/webhooks/encoding.rs`.
ALTER TABLE webhook_log ADD COLUMN body_encoding TEXT;
