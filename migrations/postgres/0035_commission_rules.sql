-- Commission rules (PostgreSQL). Twin: ../sqlite/0035_commission_rules.sql (what
-- they are is said there).
CREATE TABLE commission_rules (
    id            UUID NOT NULL,
    version       BIGINT NOT NULL,
    product_group TEXT,
    level         TEXT,
    campaign      TEXT,
    campaign_sku  TEXT,
    bonus_haler   BIGINT NOT NULL DEFAULT 0,
    rate_bp       BIGINT NOT NULL,
    valid_from    DATE NOT NULL,
    valid_to      DATE,
    actor         TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id, version),
    CONSTRAINT commission_rules_rate CHECK (rate_bp BETWEEN 0 AND 10000),
    CONSTRAINT commission_rules_bonus CHECK (bonus_haler >= 0),
    CONSTRAINT commission_rules_level CHECK (level IS NULL OR level IN ('junior', 'senior', 'lead')),
    CONSTRAINT commission_rules_dates CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE TRIGGER commission_rules_append_only BEFORE UPDATE OR DELETE ON commission_rules
    FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE TABLE adviser_levels (
    adviser_id  UUID NOT NULL REFERENCES advisers (id),
    valid_from  DATE NOT NULL,
    level       TEXT NOT NULL,
    team_lead   UUID REFERENCES advisers (id),
    actor       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (adviser_id, valid_from),
    CONSTRAINT adviser_levels_level CHECK (level IN ('junior', 'senior', 'lead'))
);
CREATE TRIGGER adviser_levels_append_only BEFORE UPDATE OR DELETE ON adviser_levels
    FOR EACH ROW EXECUTE FUNCTION append_only();
