-- MEMORY_LIMIT: a code step asked for more memory than code may have (the sandbox's memory guard, or
-- a SANDBOX_PROCESS child that ran out of heap). Versioned 2.1 so that it cannot collide with a V2.
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check
    CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMEOUT', 'INTERNAL_ERROR', 'LOG_SIZE_EXCEEDED', 'MEMORY_LIMIT'));
