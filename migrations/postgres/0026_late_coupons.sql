-- Late coupons (PostgreSQL). Twin: ../sqlite/0026_late_coupons.sql (what the
-- columns are for is said there).
ALTER TABLE coupons ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE devices ADD COLUMN previous_seen_at TIMESTAMPTZ;
