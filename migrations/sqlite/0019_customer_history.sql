-- A customer's communication history and marketing consent (SQLite). Twin:
-- ../postgres/0019_customer_history.sql.
-- customer_notes: notes and logged calls (in / out) written by staff, with who and
-- when. customer_consents: each consent to e-mail or SMS marketing given or
-- withdrawn: when the customer did it (may be before it was recorded), where (a
-- store, a visit, a phone call, a web form), the evidence (a paper form's number)
-- and who recorded it when. The current consent of a channel is its latest row by
-- (given_at, id). Kept apart from the projection (no foreign key to clients: the
-- projection can be rebuilt from the documents). Both are append-only: triggers
-- refuse UPDATE and DELETE (erasure on a GDPR request will get its own path).
CREATE TABLE customer_notes (
    id        BLOB PRIMARY KEY NOT NULL,
    client_id BLOB NOT NULL,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    author_id BLOB,
    author    TEXT NOT NULL,
    at        TEXT NOT NULL,
    CONSTRAINT customer_notes_kind_check CHECK (kind IN ('note', 'call_in', 'call_out'))
);
CREATE INDEX customer_notes_client_idx ON customer_notes (client_id, at);
CREATE TRIGGER customer_notes_no_update BEFORE UPDATE ON customer_notes
BEGIN SELECT RAISE(ABORT, 'customer_notes is append-only'); END;
CREATE TRIGGER customer_notes_no_delete BEFORE DELETE ON customer_notes
BEGIN SELECT RAISE(ABORT, 'customer_notes is append-only'); END;

CREATE TABLE customer_consents (
    id          BLOB PRIMARY KEY NOT NULL,
    client_id   BLOB NOT NULL,
    channel     TEXT NOT NULL,
    granted     BOOLEAN NOT NULL,
    given_at    TEXT NOT NULL,
    place       TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '',
    author_id   BLOB,
    author      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CONSTRAINT customer_consents_channel_check CHECK (channel IN ('email', 'sms'))
);
CREATE INDEX customer_consents_client_idx ON customer_consents (client_id, channel, given_at, id);
CREATE TRIGGER customer_consents_no_update BEFORE UPDATE ON customer_consents
BEGIN SELECT RAISE(ABORT, 'customer_consents is append-only'); END;
CREATE TRIGGER customer_consents_no_delete BEFORE DELETE ON customer_consents
BEGIN SELECT RAISE(ABORT, 'customer_consents is append-only'); END;
