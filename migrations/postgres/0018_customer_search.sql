-- Customer search (PostgreSQL). Twin: ../sqlite/0018_customer_search.sql.
-- One row per client, written by the hub (customers/store/search.rs): the folded
-- words of name, phone (all digits and the national nine), e-mail, street, town and
-- postal code, plus every word's first 1–4 characters as `~` lexemes (as for orders,
-- 0016), so a short term is one exact GIN entry. created_at and sort_name (the
-- folded "last first" name, compared byte-wise as in SQLite) are indexed with the
-- client id as the list sorts: a search for the newest clients checks the newest rows
-- one by one before it asks the GIN index for all its matches.
-- Derived data: no foreign keys; the hub indexes every client missing here when it
-- starts.
CREATE TABLE customer_search (
    client_id  UUID PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    sort_name  TEXT COLLATE "C" NOT NULL,
    tsv        tsvector NOT NULL
);
CREATE INDEX customer_search_tsv_idx ON customer_search USING GIN (tsv);
CREATE INDEX customer_search_created_idx ON customer_search (created_at, client_id);
CREATE INDEX customer_search_name_idx ON customer_search (sort_name, client_id);
