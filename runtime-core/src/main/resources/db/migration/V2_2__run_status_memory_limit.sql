-- MEMORY_LIMIT: a code step asked for more memory than code may have (the sandbox's memory guard, or
-- a SANDBOX_PROCESS child that ran out of heap). (V2_2: after V2_1, the reply channel.)
ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check
    CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMEOUT', 'INTERNAL_ERROR', 'LOG_SIZE_EXCEEDED', 'MEMORY_LIMIT'));
