-- The scheduler: an account whose sync was throttled waits until this time (Unix ms).
ALTER TABLE platform_accounts ADD COLUMN sync_not_before INTEGER;
ALTER TABLE platform_accounts ADD COLUMN last_sync_error TEXT;

-- The aggregator: when each message row was written (so a run finds the days touched since
-- the last one), and the jobs' own progress.
ALTER TABLE messages ADD COLUMN inserted_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_inserted_at ON messages (inserted_at);
CREATE INDEX messages_timestamp ON messages (timestamp_ms);
CREATE INDEX conversations_created_at ON conversations (created_at);
CREATE TABLE job_state (
    name   TEXT    PRIMARY KEY,
    value  INTEGER NOT NULL
);
