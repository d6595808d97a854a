-- The scheduler: an account whose sync was throttled waits until this time (Unix ms).
ALTER TABLE platform_accounts ADD COLUMN sync_not_before INTEGER;
ALTER TABLE platform_accounts ADD COLUMN last_sync_error TEXT;
