-- Merging two records of one person, and the duplicate review queue (PostgreSQL).
-- Twin: ../sqlite/0020_customer_merge.sql (what the tables hold is described there).
ALTER TABLE clients ADD COLUMN merged_into UUID;
CREATE INDEX clients_merged_into_idx ON clients (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE customer_merges (
    id            UUID PRIMARY KEY,
    survivor_id   UUID NOT NULL,
    merged_id     UUID NOT NULL UNIQUE,
    merged        TEXT NOT NULL,
    orders        BIGINT NOT NULL,
    prescriptions BIGINT NOT NULL,
    notes         BIGINT NOT NULL,
    author_id     UUID,
    author        TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_merges_survivor_idx ON customer_merges (survivor_id);

CREATE TABLE customer_duplicates (
    client_a   UUID NOT NULL,
    client_b   UUID NOT NULL,
    score      INTEGER NOT NULL,
    reasons    TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'open',
    found_at   TIMESTAMPTZ NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMPTZ,
    PRIMARY KEY (client_a, client_b),
    CONSTRAINT customer_duplicates_order_check CHECK (client_a < client_b),
    CONSTRAINT customer_duplicates_status_check CHECK (status IN ('open', 'merged', 'different'))
);
CREATE INDEX customer_duplicates_open_idx ON customer_duplicates (status, score DESC);

CREATE TABLE customer_scans (
    id          UUID PRIMARY KEY,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    total       BIGINT NOT NULL DEFAULT 0,
    done        BIGINT NOT NULL DEFAULT 0,
    found       BIGINT NOT NULL DEFAULT 0,
    error       TEXT,
    author      TEXT NOT NULL
);
