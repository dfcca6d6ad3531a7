-- An order's story and its notes (PostgreSQL). Twin: ../sqlite/0010_order_history.sql.
-- order_events: every change of an order, from a phone (the projection), the office,
-- the CLI or an integration: who, when, from where, old -> new. order_notes: notes
-- for the customer, for the lab and private ones (office roles only). They are
-- kept apart from the projection (no foreign key to orders: the projection can be
-- rebuilt from the documents without touching an order's story). Both are
-- append-only: a trigger refuses UPDATE and DELETE.
CREATE TABLE order_events (
    id        UUID PRIMARY KEY,
    order_id  UUID NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    source    TEXT NOT NULL,
    actor_id  UUID,
    actor     TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT '',
    CONSTRAINT order_events_source_check CHECK (source IN ('phone', 'office', 'cli', 'api', 'hub'))
);
CREATE INDEX order_events_order_idx ON order_events (order_id, at);

CREATE TABLE order_notes (
    id        UUID PRIMARY KEY,
    order_id  UUID NOT NULL,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    author_id UUID,
    author    TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT order_notes_kind_check CHECK (kind IN ('customer', 'lab', 'private'))
);
CREATE INDEX order_notes_order_idx ON order_notes (order_id, at);

CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE ON order_events
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER order_notes_append_only BEFORE UPDATE OR DELETE ON order_notes
    FOR EACH ROW EXECUTE FUNCTION append_only();

-- Search gets a second text for private notes: searched only for roles that may read
-- them (orders/store/search.rs); `tsv_all` covers both, `tsv` stays the public one.
ALTER TABLE order_search ADD COLUMN private TEXT NOT NULL DEFAULT '';
ALTER TABLE order_search ADD COLUMN tsv_all tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', body || ' ' || private)) STORED;
CREATE INDEX order_search_tsv_all_idx ON order_search USING GIN (tsv_all);
