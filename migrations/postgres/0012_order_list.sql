-- The office's order list (PostgreSQL). Twin: ../sqlite/0012_order_list.sql.
-- channel: how an order came in (adviser, store, eshop); every order so far came
-- from an adviser. Indexes for the list's filters and keyset pages: (key, id).
ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'adviser';
ALTER TABLE orders ADD CONSTRAINT orders_channel_check CHECK (channel IN ('adviser', 'store', 'eshop'));
CREATE INDEX orders_created_id_idx ON orders (created_at, id);
CREATE INDEX orders_total_id_idx ON orders (total_haler, id);
CREATE INDEX orders_shop_created_idx ON orders (shop_id, created_at);
CREATE INDEX orders_status_created_idx ON orders (status, created_at, id);
