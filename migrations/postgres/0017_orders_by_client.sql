-- Orders by client (PostgreSQL). Twin: ../sqlite/0017_orders_by_client.sql.
-- Every projection batch that changes a client re-indexes that client's orders for
-- search (orders/store/search.rs, orders_of_clients), which scanned every order:
-- at 1,000,000 orders 97 ms on SQLite and 371 ms on PostgreSQL per batch
-- (bench/RESULTS.md). The customer card lists a client's orders newest first.
CREATE INDEX orders_client_created_idx ON orders (client_id, created_at);
