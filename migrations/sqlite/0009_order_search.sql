-- Full-text search over orders (SQLite FTS5). Twin: ../postgres/0009_order_search.sql.
-- The body is written by the hub (orders/store/search.rs): variable symbol, client
-- name, phone digits, e-mail, line texts, note, coupon — folded (no diacritics,
-- lower case) so "novak" finds "Novák". order_search_keys maps an order to its FTS
-- rowid (FTS5 rows are addressed by integer rowid). Derived data: no foreign key,
-- the hub rewrites a body whenever its order or client changes.
CREATE TABLE order_search_keys (
    id       INTEGER PRIMARY KEY,
    order_id BLOB NOT NULL,
    CONSTRAINT order_search_keys_order_key UNIQUE (order_id)
);
CREATE VIRTUAL TABLE order_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
