-- The export to Pohoda (PostgreSQL). Twin: ../sqlite/0034_pohoda.sql (what it is
-- is said there).
CREATE TABLE pohoda_documents (
    number      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    doc_id      UUID NOT NULL,
    day         DATE NOT NULL,
    state       TEXT NOT NULL DEFAULT 'exported',
    message     TEXT NOT NULL DEFAULT '',
    exported_at TIMESTAMPTZ NOT NULL,
    answered_at TIMESTAMPTZ,
    CONSTRAINT pohoda_documents_state_check CHECK (state IN ('exported', 'ok', 'warning', 'error'))
);
CREATE INDEX pohoda_documents_day ON pohoda_documents (day);

CREATE TABLE pohoda_exports (
    id        UUID PRIMARY KEY,
    day       DATE NOT NULL,
    pack_id   TEXT NOT NULL,
    documents BIGINT NOT NULL,
    bytes     BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX pohoda_exports_day ON pohoda_exports (day);
CREATE TRIGGER pohoda_exports_append_only BEFORE UPDATE OR DELETE ON pohoda_exports
    FOR EACH ROW EXECUTE FUNCTION append_only();

-- Credit notes are looked up by the document they correct (issue 13).
CREATE INDEX invoices_corrects ON invoices (corrects_id);
