-- Merging two records of one person, and the duplicate review queue (SQLite).
-- Twin: ../postgres/0020_customer_merge.sql.
-- clients.merged_into: the client this one was merged into (NULL: not merged). A
-- merged client is kept, frozen as it was merged (its orders, prescriptions, notes
-- and consents moved to the survivor), so whatever still names it resolves.
-- customer_merges: each merge with who did it, when, the merged record as it was
-- (JSON) and what moved; one merge per merged-away client.
-- customer_duplicates: pairs of clients that may be one person (client_a < client_b
-- as UUID bytes), found on create / edit / import or by a scan, with the score
-- (0–100) and why (comma-separated: phone, email, name_address); open until
-- someone merges them or says they are different people.
-- customer_scans: the background duplicate scans with their progress.
ALTER TABLE clients ADD COLUMN merged_into BLOB;
CREATE INDEX clients_merged_into_idx ON clients (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE customer_merges (
    id            BLOB PRIMARY KEY NOT NULL,
    survivor_id   BLOB NOT NULL,
    merged_id     BLOB NOT NULL UNIQUE,
    merged        TEXT NOT NULL,
    orders        INTEGER NOT NULL,
    prescriptions INTEGER NOT NULL,
    notes         INTEGER NOT NULL,
    author_id     BLOB,
    author        TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX customer_merges_survivor_idx ON customer_merges (survivor_id);

CREATE TABLE customer_duplicates (
    client_a   BLOB NOT NULL,
    client_b   BLOB NOT NULL,
    score      INTEGER NOT NULL,
    reasons    TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'open',
    found_at   TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    PRIMARY KEY (client_a, client_b),
    CONSTRAINT customer_duplicates_order_check CHECK (client_a < client_b),
    CONSTRAINT customer_duplicates_status_check CHECK (status IN ('open', 'merged', 'different'))
);
CREATE INDEX customer_duplicates_open_idx ON customer_duplicates (status, score DESC);

CREATE TABLE customer_scans (
    id          BLOB PRIMARY KEY NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    total       INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    found       INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    author      TEXT NOT NULL
);
