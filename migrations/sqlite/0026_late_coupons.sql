-- Late coupons (SQLite). Twin: ../postgres/0026_late_coupons.sql.
-- coupons.withdrawn_at: when the office withdrew the coupon (NULL: it applies, or
-- was withdrawn before this column existed). devices.previous_seen_at: when the
-- device connected before its latest connection (at enrolment: NULL, read as its
-- created_at). An order that arrives in a connection did not exist on the device
-- at its previous connection (that sync would have carried it), so the hub takes
-- the order's time as the device's clock says, bounded below by the earliest
-- previous connection of the adviser's devices and above by its arrival, and
-- judges the coupon at that time (docs/decisions.md, "Late coupons").
ALTER TABLE coupons ADD COLUMN withdrawn_at TEXT;
ALTER TABLE devices ADD COLUMN previous_seen_at TEXT;
