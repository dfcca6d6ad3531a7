-- The export to Pohoda, the company's accounts (issue 13, point 6). Each
-- document sent (a tax document, a till receipt or a cash voucher) is kept by its
-- number — the id of its item in the dataPack, the same on every export of its
-- day — with the day it belongs to and what Pohoda answered: exported (sent, no
-- answer yet), ok, warning or error with Pohoda's words. An ok document stays ok:
-- a later answer for it (a duplicate of a re-export) is kept in the message only.
-- pohoda_exports logs each export run (append-only). Twin:
-- ../postgres/0034_pohoda.sql.
CREATE TABLE pohoda_documents (
    number      TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    doc_id      BLOB NOT NULL,
    day         TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'exported',
    message     TEXT NOT NULL DEFAULT '',
    exported_at TEXT NOT NULL,
    answered_at TEXT,
    CONSTRAINT pohoda_documents_state_check CHECK (state IN ('exported', 'ok', 'warning', 'error'))
);
CREATE INDEX pohoda_documents_day ON pohoda_documents (day);

CREATE TABLE pohoda_exports (
    id        BLOB PRIMARY KEY NOT NULL,
    day       TEXT NOT NULL,
    pack_id   TEXT NOT NULL,
    documents INTEGER NOT NULL,
    bytes     INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX pohoda_exports_day ON pohoda_exports (day);
CREATE TRIGGER pohoda_exports_no_update BEFORE UPDATE ON pohoda_exports
BEGIN SELECT RAISE(ABORT, 'pohoda_exports is append-only'); END;
CREATE TRIGGER pohoda_exports_no_delete BEFORE DELETE ON pohoda_exports
BEGIN SELECT RAISE(ABORT, 'pohoda_exports is append-only'); END;

-- Credit notes are looked up by the document they correct (issue 13).
CREATE INDEX invoices_corrects ON invoices (corrects_id);
