-- The app channel a sync caller waits on, so a run whose job Redis lost is enqueued again with it
-- and still answers its caller (NULL for async runs).
ALTER TABLE runs ADD COLUMN reply_to text;
