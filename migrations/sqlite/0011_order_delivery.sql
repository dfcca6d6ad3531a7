-- How an order reaches the client, and its public page (SQLite). Twin:
-- ../postgres/0011_order_delivery.sql. carrier: a code of fieldcase_shared::carrier
-- (empty: not set); tracking_number: checked against the carrier's format.
-- order_links: the unguessable tokens of the orders' public pages (/o/{token});
-- at most one live token per order, a revoked one stays as a record. No foreign
-- key to orders: the projection can be rebuilt without touching them.
ALTER TABLE orders ADD COLUMN carrier TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN tracking_number TEXT NOT NULL DEFAULT '';

CREATE TABLE order_links (
    token      TEXT PRIMARY KEY NOT NULL,
    order_id   BLOB NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX order_links_live_idx ON order_links (order_id) WHERE revoked_at IS NULL;
