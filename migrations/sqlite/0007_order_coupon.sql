-- The coupon an order used, as a field of the order (SQLite). Twin:
-- ../postgres/0007_order_coupon.sql. Before, it travelled as text in the note.
ALTER TABLE orders ADD COLUMN coupon_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN coupon_discount_haler INTEGER NOT NULL DEFAULT 0;
