-- The coupon an order used, as a field of the order (PostgreSQL). Twin:
-- ../sqlite/0007_order_coupon.sql. Before, it travelled as text in the note.
ALTER TABLE orders ADD COLUMN coupon_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN coupon_discount_haler BIGINT NOT NULL DEFAULT 0;
