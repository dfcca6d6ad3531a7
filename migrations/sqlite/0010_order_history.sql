-- An order's story and its notes (SQLite). Twin: ../postgres/0010_order_history.sql.
-- order_events: every change of an order, from a phone (the projection), the office,
-- the CLI or an integration: who, when, from where, old -> new. order_notes: notes
-- for the customer, for the lab and private ones (office roles only). They are
-- kept apart from the projection (no foreign key to orders: the projection can be
-- rebuilt from the documents without touching an order's story). Both are
-- append-only: triggers refuse UPDATE and DELETE.
CREATE TABLE order_events (
    id        BLOB PRIMARY KEY NOT NULL,
    order_id  BLOB NOT NULL,
    at        TEXT NOT NULL,
    source    TEXT NOT NULL,
    actor_id  BLOB,
    actor     TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT '',
    CONSTRAINT order_events_source_check CHECK (source IN ('phone', 'office', 'cli', 'api', 'hub'))
);
CREATE INDEX order_events_order_idx ON order_events (order_id, at);
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;

CREATE TABLE order_notes (
    id        BLOB PRIMARY KEY NOT NULL,
    order_id  BLOB NOT NULL,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    author_id BLOB,
    author    TEXT NOT NULL,
    at        TEXT NOT NULL,
    CONSTRAINT order_notes_kind_check CHECK (kind IN ('customer', 'lab', 'private'))
);
CREATE INDEX order_notes_order_idx ON order_notes (order_id, at);
CREATE TRIGGER order_notes_no_update BEFORE UPDATE ON order_notes
BEGIN SELECT RAISE(ABORT, 'order_notes is append-only'); END;
CREATE TRIGGER order_notes_no_delete BEFORE DELETE ON order_notes
BEGIN SELECT RAISE(ABORT, 'order_notes is append-only'); END;

-- Search gets a second column for private notes: searched only for roles that may
-- read them (orders/store/search.rs). FTS5 tables cannot gain a column: rebuilt, and
-- every order is indexed again when the hub starts.
DROP TABLE order_search;
DELETE FROM order_search_keys;
CREATE VIRTUAL TABLE order_search USING fts5(body, private, tokenize = 'unicode61 remove_diacritics 2');
