-- The unmerged clients of an adviser (SQLite). Twin: ../postgres/0021_clients_by_adviser_unmerged.sql.
-- The customer list's count of one store's customers checks each client's
-- merged_into (migration 0020); with both columns in one index the count reads the
-- index only (bench/RESULTS.md: 30 ms → 1 ms at 200,000 customers).
CREATE INDEX clients_adviser_merged_idx ON clients (adviser_id, merged_into);
