-- A coupon's terms (PostgreSQL). Twin: ../sqlite/0023_coupon_terms.sql (what each
-- column is for is said there).
ALTER TABLE coupons ADD COLUMN min_order_haler BIGINT NOT NULL DEFAULT 0;
ALTER TABLE coupons ADD COLUMN client_id UUID;
ALTER TABLE coupons ADD COLUMN message TEXT NOT NULL DEFAULT '';
