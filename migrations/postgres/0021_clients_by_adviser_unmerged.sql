-- The unmerged clients of an adviser (PostgreSQL). Twin:
-- ../sqlite/0021_clients_by_adviser_unmerged.sql (why is said there).
CREATE INDEX clients_adviser_merged_idx ON clients (adviser_id, merged_into);
