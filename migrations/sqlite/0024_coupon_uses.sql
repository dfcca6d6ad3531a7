-- Coupon usage limits (SQLite). Twin: ../postgres/0024_coupon_uses.sql.
-- coupons.max_uses: how many orders may use the coupon in all (0: no limit);
-- published into the catalog document with the rest of the coupon.
-- coupon_uses: one row per order the hub accepted with a coupon. The hub takes the
-- use when the order arrives (catalog/store/uses.rs): in one transaction it locks the
-- coupon's row (an UPDATE of it), counts its uses and inserts this one, so two phones
-- syncing at once cannot both take the last use. An order that drops its coupon gives
-- the use back. No foreign key to orders: the use is taken before the order is
-- projected.
ALTER TABLE coupons ADD COLUMN max_uses INTEGER NOT NULL DEFAULT 0;
CREATE TABLE coupon_uses (
    order_id   BLOB PRIMARY KEY NOT NULL,
    coupon     TEXT NOT NULL REFERENCES coupons (code),
    client_id  BLOB,
    adviser_id BLOB,
    at         TEXT NOT NULL
);
CREATE INDEX coupon_uses_coupon_idx ON coupon_uses (coupon);
