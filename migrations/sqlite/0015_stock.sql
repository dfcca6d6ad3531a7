-- Warehouse stock (SQLite). Twin: ../postgres/0015_stock.sql.
-- warehouses: the central one (code CENTRAL) and one per store (shop_id).
-- stock_movements: append-only; stock is their sum. on_hand changes with receipts,
-- stock-taking adjustments and issues; reserved with reservations (an order
-- confirmed), releases (cancelled) and issues (shipped or handed over). Available =
-- on_hand - reserved. kind: receipt, adjust, reserve, release, issue.
CREATE TABLE warehouses (
    id         BLOB PRIMARY KEY NOT NULL,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    shop_id    BLOB REFERENCES shops (id),
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT warehouses_code_key UNIQUE (code)
);

CREATE TABLE stock_movements (
    id           BLOB PRIMARY KEY NOT NULL,
    warehouse_id BLOB NOT NULL REFERENCES warehouses (id),
    product_id   BLOB NOT NULL REFERENCES products (id),
    on_hand      INTEGER NOT NULL,
    reserved     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    order_id     BLOB,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    CONSTRAINT stock_movements_kind_check CHECK (kind IN ('receipt','adjust','reserve','release','issue'))
);
CREATE INDEX stock_movements_product_idx ON stock_movements (product_id, warehouse_id);
CREATE INDEX stock_movements_order_idx ON stock_movements (order_id);
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END;
