-- Commission rules (issue 14, slice 1). A rule is kept as versions, never changed
-- or deleted: the current rule is its highest version, and an order is paid by the
-- version valid on the day it was taken. product_group: a product kind (NULL:
-- every kind); level: junior | senior | lead (NULL: every level); a campaign (its
-- name, optionally one SKU, a bonus per piece) adds to the ordinary rule.
-- rate_bp: basis points of the lines' price without VAT. valid_to is the first
-- day it no longer applies (NULL: open). adviser_levels: an adviser's level and
-- team lead from a day on (append-only). Twin: ../postgres/0035_commission_rules.sql.
CREATE TABLE commission_rules (
    id            BLOB NOT NULL,
    version       INTEGER NOT NULL,
    product_group TEXT,
    level         TEXT,
    campaign      TEXT,
    campaign_sku  TEXT,
    bonus_haler   INTEGER NOT NULL DEFAULT 0,
    rate_bp       INTEGER NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT,
    actor         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (id, version),
    CONSTRAINT commission_rules_rate CHECK (rate_bp BETWEEN 0 AND 10000),
    CONSTRAINT commission_rules_bonus CHECK (bonus_haler >= 0),
    CONSTRAINT commission_rules_level CHECK (level IS NULL OR level IN ('junior', 'senior', 'lead')),
    CONSTRAINT commission_rules_dates CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE TRIGGER commission_rules_no_update BEFORE UPDATE ON commission_rules
BEGIN SELECT RAISE(ABORT, 'commission rules are versioned, not changed'); END;
CREATE TRIGGER commission_rules_no_delete BEFORE DELETE ON commission_rules
BEGIN SELECT RAISE(ABORT, 'commission rules are versioned, not deleted'); END;

CREATE TABLE adviser_levels (
    adviser_id  BLOB NOT NULL REFERENCES advisers (id),
    valid_from  TEXT NOT NULL,
    level       TEXT NOT NULL,
    team_lead   BLOB REFERENCES advisers (id),
    actor       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (adviser_id, valid_from),
    CONSTRAINT adviser_levels_level CHECK (level IN ('junior', 'senior', 'lead'))
);
CREATE TRIGGER adviser_levels_no_update BEFORE UPDATE ON adviser_levels
BEGIN SELECT RAISE(ABORT, 'adviser levels are appended, not changed'); END;
CREATE TRIGGER adviser_levels_no_delete BEFORE DELETE ON adviser_levels
BEGIN SELECT RAISE(ABORT, 'adviser levels are appended, not deleted'); END;
