-- Full-text search over orders (PostgreSQL). Twin: ../sqlite/0009_order_search.sql.
-- The body is written by the hub (orders/store/search.rs): variable symbol, client
-- name, phone digits, e-mail, line texts, note, coupon — folded (no diacritics,
-- lower case) so "novak" finds "Novák"; the 'simple' configuration keeps words as
-- they are (no stemming), prefix queries (`novak:*`) use the GIN index. Derived
-- data: no foreign key, the hub rewrites a body whenever its order or client changes.
CREATE TABLE order_search (
    order_id UUID PRIMARY KEY,
    body     TEXT NOT NULL,
    tsv      tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
);
CREATE INDEX order_search_tsv_idx ON order_search USING GIN (tsv);
