-- The aggregator's scans read the indexes alone, without one table page per message: an
-- incremental run touches every message of the days it recomputes, and the table lookups of
-- a large day filled the connection's page cache for nothing.
-- `messages_inserted_at`: which days were written since the last run.
DROP INDEX messages_inserted_at;
CREATE INDEX messages_inserted_at ON messages (inserted_at, timestamp_ms);
-- `messages_timestamp`: the conversations with a message in a window.
DROP INDEX messages_timestamp;
CREATE INDEX messages_timestamp ON messages (timestamp_ms, conversation_id);
-- `messages_conversation`: each conversation's timeline in the aggregator's order (time,
-- then the row id), with the direction. It also serves the inbox's listing by time.
DROP INDEX messages_conversation;
CREATE INDEX messages_conversation ON messages (conversation_id, timestamp_ms, id, direction);
