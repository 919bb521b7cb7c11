-- Flows: the mutable draft plus a pointer to the published, immutable version.
CREATE TABLE flows (
    id                   text        PRIMARY KEY,
    project_id           text        NOT NULL,
    name                 text        NOT NULL,
    status               text        NOT NULL CHECK (status IN ('DRAFT', 'ENABLED', 'DISABLED', 'DELETED')),
    source_format        text        NOT NULL,
    draft                jsonb       NOT NULL,
    published_version_id text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- A published version never changes; its canonical JSON is also the bundle in S3 (bundle_key).
CREATE TABLE flow_versions (
    id          text        PRIMARY KEY,
    flow_id     text        NOT NULL REFERENCES flows (id),
    version     integer     NOT NULL,
    definition  jsonb       NOT NULL,
    bundle_key  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (flow_id, version)
);

-- Runs: Postgres is the source of truth. No foreign key to flows on purpose: every webhook would
-- take a KEY SHARE lock on the same flow row (MultiXact churn on a hot flow).
CREATE TABLE runs (
    id              uuid        PRIMARY KEY,
    flow_id         text        NOT NULL,
    flow_version_id text        NOT NULL,
    project_id      text        NOT NULL,
    queue           text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMEOUT', 'INTERNAL_ERROR', 'LOG_SIZE_EXCEEDED')),
    sync            boolean     NOT NULL,
    payload         jsonb       NOT NULL,
    attempt         integer     NOT NULL DEFAULT 0,
    worker_id       text,
    lease_until     timestamptz,
    enqueued_at     timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    response        jsonb,
    error           text,
    checkpoint      jsonb
);
CREATE INDEX runs_by_flow ON runs (flow_id, created_at DESC);
-- The sweeper scans only open runs.
CREATE INDEX runs_open ON runs (status, enqueued_at) WHERE status IN ('QUEUED', 'RUNNING');

-- One row per executed step, written with the run's result in the same statement.
CREATE TABLE step_outputs (
    run_id      uuid    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    step_name   text    NOT NULL,
    status      text    NOT NULL,
    output      jsonb,
    output_ref  text,
    error       text,
    duration_us bigint,
    PRIMARY KEY (run_id, position)
);
