-- Search pages in the list's order (SQLite). Twin: ../postgres/0016_order_search_order.sql.
-- An order's FTS rowid now follows its creation time (orders/store/search.rs,
-- `sort_key`: microseconds × 1024 + a slot for orders made in the same microsecond),
-- so a search for the newest (or oldest) orders walks the index in rowid order and
-- stops after one page instead of sorting every match. Prefix indexes for 1–4
-- characters make short prefixes ("j", "603", "2026") one doclist each instead of a
-- merge of every word they begin (measured in bench/RESULTS.md). Both tables are
-- rebuilt; the hub indexes every order again when it starts.
DROP TABLE order_search;
DROP TABLE order_search_keys;
CREATE TABLE order_search_keys (
    id       INTEGER PRIMARY KEY,
    order_id BLOB NOT NULL,
    CONSTRAINT order_search_keys_order_key UNIQUE (order_id)
);
CREATE VIRTUAL TABLE order_search USING fts5(
    body, private,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4'
);
