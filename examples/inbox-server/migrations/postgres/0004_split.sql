-- Poison isolation: a body of several updates whose processing fails is split into one child
-- row per update (`parent_id` names the body it came from); the body itself becomes `split`
-- and keeps its raw bytes, each child is processed, retried and dead-lettered on its own.
ALTER TABLE webhook_log ADD COLUMN parent_id BIGINT;
CREATE INDEX webhook_log_parent ON webhook_log (parent_id);
