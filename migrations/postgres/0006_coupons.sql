-- Discount coupons the office hands out (PostgreSQL). Twin: ../sqlite/0006_coupons.sql.
-- Published into the catalog document; phones check them offline.
CREATE TABLE coupons (
    code         TEXT PRIMARY KEY,
    percent_bp   INTEGER NOT NULL DEFAULT 0,
    amount_haler BIGINT NOT NULL DEFAULT 0,
    valid_until  TEXT,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT coupons_one_kind CHECK ((percent_bp > 0 AND percent_bp <= 10000 AND amount_haler = 0) OR (percent_bp = 0 AND amount_haler > 0))
);
