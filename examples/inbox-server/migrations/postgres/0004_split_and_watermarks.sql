-- Poison isolation: a body of several updates whose processing fails is split into one child
-- row per update (`parent_id` names the body it came from); the body itself becomes `split`
-- and keeps its raw bytes, each child is processed, retried and dead-lettered on its own.
ALTER TABLE webhook_log ADD COLUMN parent_id BIGINT;
CREATE INDEX webhook_log_parent ON webhook_log (parent_id);

-- Messenger and Instagram reads are watermarks ("everything up to this time is read"), and
-- one may arrive before the message it covers (an echo delivered late): the newest
-- watermark of each conversation is kept and applied to outbound messages stored later.
CREATE TABLE read_watermarks (
    platform        TEXT    NOT NULL,
    account_id      TEXT    NOT NULL,
    counterpart_id  TEXT    NOT NULL,
    watermark_ms    BIGINT NOT NULL,
    PRIMARY KEY (platform, account_id, counterpart_id)
);
