-- A coupon's terms (SQLite). Twin: ../postgres/0023_coupon_terms.sql.
-- min_order_haler: the least an order must come to after the adviser's discount
-- (0: any order); client_id: the one customer who may use it (NULL: anyone);
-- message: shown with an order it applies to. Published into the catalog document
-- with the rest of the coupon; the phone and the hub judge them by the same rule
-- (fieldcase_shared::pricing::discount_order).
ALTER TABLE coupons ADD COLUMN min_order_haler INTEGER NOT NULL DEFAULT 0;
ALTER TABLE coupons ADD COLUMN client_id BLOB;
ALTER TABLE coupons ADD COLUMN message TEXT NOT NULL DEFAULT '';
