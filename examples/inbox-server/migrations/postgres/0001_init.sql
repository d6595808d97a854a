-- The raw webhook log: every POST body that passed its signature check, stored before the
-- 200 is sent, so that nothing received is ever lost.
CREATE TABLE webhook_log (
    id            BIGSERIAL PRIMARY KEY,
    platform      TEXT    NOT NULL,
    received_at   BIGINT  NOT NULL,          -- Unix milliseconds
    body          BYTEA   NOT NULL,
    state         TEXT    NOT NULL DEFAULT 'pending',  -- pending | processed | failed | dead
    attempts      BIGINT  NOT NULL DEFAULT 0,
    last_error    TEXT
);
CREATE INDEX webhook_log_state ON webhook_log (state, id);

-- One row per normalized event ever applied, keyed by its de-duplication key: the same
-- delivery twice (or fifty times) applies once.
CREATE TABLE applied_events (
    dedup_key     TEXT    PRIMARY KEY,
    log_id        BIGINT  NOT NULL
);

CREATE TABLE conversations (
    id              BIGSERIAL PRIMARY KEY,
    platform        TEXT    NOT NULL,
    account_id      TEXT    NOT NULL,
    counterpart_id  TEXT    NOT NULL,
    last_message_at BIGINT  NOT NULL DEFAULT 0,
    unread_count    BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (platform, account_id, counterpart_id)
);

CREATE TABLE messages (
    id              BIGSERIAL PRIMARY KEY,
    platform        TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    conversation_id BIGINT  NOT NULL REFERENCES conversations (id),
    direction       TEXT    NOT NULL,        -- inbound | outbound
    sender_id       TEXT    NOT NULL,
    recipient_id    TEXT    NOT NULL,
    text            TEXT,
    attachments     TEXT    NOT NULL DEFAULT '[]',
    reply_to        TEXT,
    timestamp_ms    BIGINT  NOT NULL,
    status          TEXT,
    status_rank     BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (platform, message_id)
);
CREATE INDEX messages_conversation ON messages (conversation_id, timestamp_ms);

-- Statuses can arrive before the message they are about (or for messages sent elsewhere):
-- kept here and folded in when the message appears.
CREATE TABLE pending_statuses (
    platform      TEXT    NOT NULL,
    message_id    TEXT    NOT NULL,
    status_rank   BIGINT  NOT NULL,
    status        TEXT    NOT NULL,
    PRIMARY KEY (platform, message_id)
);
