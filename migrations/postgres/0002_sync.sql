-- Sync (PostgreSQL). Twin: ../sqlite/0002_sync.sql.

-- samod's key/value storage: keys are its StorageKey components joined by '/'
-- (components never contain '/'), values are automerge chunks.
CREATE TABLE sync_chunks (
    key   TEXT PRIMARY KEY NOT NULL,
    data  BYTEA NOT NULL
);

-- Which automerge document is what: the one catalog, one workspace per adviser.
CREATE TABLE documents (
    doc_id      TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    adviser_id  UUID REFERENCES advisers (id),
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT documents_adviser_key UNIQUE (adviser_id),
    CONSTRAINT documents_kind_check CHECK (kind IN ('catalog', 'workspace')),
    CONSTRAINT documents_owner_check CHECK ((kind = 'workspace') = (adviser_id IS NOT NULL))
);
CREATE UNIQUE INDEX documents_catalog_key ON documents (kind) WHERE kind = 'catalog';
