-- Coupon usage limits (PostgreSQL). Twin: ../sqlite/0024_coupon_uses.sql (what each
-- column is for, and how a use is taken, is said there).
ALTER TABLE coupons ADD COLUMN max_uses INTEGER NOT NULL DEFAULT 0;
CREATE TABLE coupon_uses (
    order_id   UUID PRIMARY KEY,
    coupon     TEXT NOT NULL REFERENCES coupons (code),
    client_id  UUID,
    adviser_id UUID,
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX coupon_uses_coupon_idx ON coupon_uses (coupon);
