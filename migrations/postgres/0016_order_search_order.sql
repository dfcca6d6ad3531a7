-- Search pages in the list's order (PostgreSQL). Twin: ../sqlite/0016_order_search_order.sql.
-- - created_at: the order's creation time, indexed with the order id as the list
--   sorts, so a search for the newest (or oldest) orders first walks the newest rows
--   checking each against its tsvector and stops after one page; only a search that
--   few of them match asks the GIN index for all its matches (orders/store/list.rs).
-- - tsv / private_tsv are written by the hub (orders/store/search.rs): the folded
--   words, plus every word's first 1–4 characters as lexemes marked `~` ("~n ~no
--   ~nov ~nova"), so a short query term is one exact GIN entry instead of a merge of
--   every word it begins (SQLite's FTS5 `prefix` option does the same). Private notes
--   have their own tsvector (empty for most orders); a role that may read them
--   searches `tsv || private_tsv`, indexed as that expression. The rows stay small
--   (no source text, nothing TOASTed), which is what the walk costs.
-- Derived data: rebuilt here, and the hub indexes every order again when it starts.
DROP TABLE order_search;
CREATE TABLE order_search (
    order_id    UUID PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL,
    tsv         tsvector NOT NULL,
    private_tsv tsvector NOT NULL
);
CREATE INDEX order_search_tsv_idx ON order_search USING GIN (tsv);
CREATE INDEX order_search_tsv_all_idx ON order_search USING GIN ((tsv || private_tsv));
CREATE INDEX order_search_created_idx ON order_search (created_at, order_id);
