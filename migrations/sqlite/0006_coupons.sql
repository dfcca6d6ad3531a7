-- Discount coupons the office hands out (SQLite). Twin: ../postgres/0006_coupons.sql.
-- Published into the catalog document; phones check them offline.
CREATE TABLE coupons (
    code         TEXT PRIMARY KEY NOT NULL,
    percent_bp   INTEGER NOT NULL DEFAULT 0,
    amount_haler INTEGER NOT NULL DEFAULT 0,
    valid_until  TEXT,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    CONSTRAINT coupons_one_kind CHECK ((percent_bp > 0 AND percent_bp <= 10000 AND amount_haler = 0) OR (percent_bp = 0 AND amount_haler > 0))
);
