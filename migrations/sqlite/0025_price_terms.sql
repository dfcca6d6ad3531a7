-- Customers' price terms (SQLite). Twin: ../postgres/0025_price_terms.sql.
-- products.discount_class: a product's class for discount tiers ('' : the class of
-- its kind, e.g. 'frame'). discount_tiers: a tier (e.g. B2B) gives a discount per
-- class; classes is JSON {"class": basis points}. customer_terms: a customer's least
-- discount on every catalog line (basis points) and their tier. All three are
-- published into the catalog document (ids and percentages only), so the phone
-- prices an order offline exactly as the hub does
-- (fieldcase_shared::pricing::Terms).
ALTER TABLE products ADD COLUMN discount_class TEXT NOT NULL DEFAULT '';
CREATE TABLE discount_tiers (
    code       TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    classes    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE customer_terms (
    client_id       BLOB PRIMARY KEY NOT NULL REFERENCES clients (id),
    min_discount_bp INTEGER NOT NULL DEFAULT 0,
    tier            TEXT REFERENCES discount_tiers (code),
    updated_at      TEXT NOT NULL,
    CONSTRAINT customer_terms_min_check CHECK (min_discount_bp BETWEEN 0 AND 10000)
);
