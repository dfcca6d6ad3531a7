-- Customer search (SQLite). Twin: ../postgres/0018_customer_search.sql.
-- The office's customer list finds a client by name without diacritics, by a phone
-- however written, by e-mail, street, town and postal code (customers/store/search.rs
-- writes one folded body per client). As for orders (0016), a client's FTS rowid
-- follows its creation time (store/fulltext.rs, `sort_key` + a free slot), so a
-- search for the newest clients walks the index and stops after one page; prefix
-- indexes make 1–4-character prefixes one doclist each. `sort_name` is the folded
-- "last first" name the list sorts by (ASCII, so both databases sort alike).
-- Derived data: no foreign keys; the hub indexes every client missing here when it
-- starts.
CREATE TABLE customer_search_keys (
    id        INTEGER PRIMARY KEY,
    client_id BLOB NOT NULL,
    sort_name TEXT NOT NULL DEFAULT '',
    CONSTRAINT customer_search_keys_client_key UNIQUE (client_id)
);
CREATE INDEX customer_search_keys_name_idx ON customer_search_keys (sort_name, client_id);
CREATE VIRTUAL TABLE customer_search USING fts5(
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4'
);
