-- Users of the API and their tokens: only a SHA-256 of each token is kept.
CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    token_hash    TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL
);

-- A connected business account: a WhatsApp phone number, a Page, an Instagram account.
-- The token is stored encrypted (AEAD, with the id of the key that sealed it).
CREATE TABLE platform_accounts (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id            INTEGER NOT NULL REFERENCES users (id),
    platform           TEXT    NOT NULL,
    external_id        TEXT    NOT NULL,      -- phone number id, Page id, Instagram account id
    name               TEXT,
    access_token       TEXT    NOT NULL,      -- ciphertext; empty once disconnected
    token_expires_at   INTEGER,               -- Unix ms; NULL when the token has no timer
    status             TEXT    NOT NULL DEFAULT 'active',  -- active | needs_reauth | disconnected
    metadata           TEXT    NOT NULL DEFAULT '{}',
    last_sync_at       INTEGER,
    sync_requested_at  INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (platform, external_id)
);
CREATE INDEX platform_accounts_user ON platform_accounts (user_id);

-- OAuth `state` values: single use, bound to a user, expiring. Only a hash is kept.
CREATE TABLE oauth_states (
    state_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    platform    TEXT    NOT NULL,
    page_id     TEXT,
    expires_at  INTEGER NOT NULL
);

-- Per user, platform and UTC day, written by the aggregator.
CREATE TABLE analytics_daily (
    user_id                   INTEGER NOT NULL,
    platform                  TEXT    NOT NULL,
    day                       TEXT    NOT NULL,   -- YYYY-MM-DD
    messages_total            INTEGER NOT NULL,
    messages_incoming         INTEGER NOT NULL,
    messages_outgoing         INTEGER NOT NULL,
    conversations             INTEGER NOT NULL,
    new_conversations         INTEGER NOT NULL,
    median_first_response_ms  INTEGER,
    PRIMARY KEY (user_id, platform, day)
);

-- Leases for scheduled work shared by several instances.
CREATE TABLE job_leases (
    name        TEXT    PRIMARY KEY,
    holder      TEXT,
    expires_at  INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE conversations ADD COLUMN last_inbound_at INTEGER;
ALTER TABLE conversations ADD COLUMN last_preview TEXT;
ALTER TABLE conversations ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN sent_by_server INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN error TEXT;
ALTER TABLE messages ADD COLUMN reaction TEXT;
CREATE INDEX conversations_account ON conversations (platform, account_id, last_message_at);
