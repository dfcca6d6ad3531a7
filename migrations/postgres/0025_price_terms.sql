-- Customers' price terms (PostgreSQL). Twin: ../sqlite/0025_price_terms.sql (what
-- each table and column is for is said there).
ALTER TABLE products ADD COLUMN discount_class TEXT NOT NULL DEFAULT '';
CREATE TABLE discount_tiers (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    classes    TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE customer_terms (
    client_id       UUID PRIMARY KEY REFERENCES clients (id),
    min_discount_bp INTEGER NOT NULL DEFAULT 0,
    tier            TEXT REFERENCES discount_tiers (code),
    updated_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT customer_terms_min_check CHECK (min_discount_bp BETWEEN 0 AND 10000)
);
