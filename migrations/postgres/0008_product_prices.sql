-- Product prices with their validity (PostgreSQL). Twin: ../sqlite/0008_product_prices.sql.
-- The hub re-prices an incoming order with the prices valid when it was taken, so a
-- price change never moves an order taken before it. products.price_haler stays the
-- current price (what the catalog document shows).
CREATE TABLE product_prices (
    product_id  UUID NOT NULL REFERENCES products (id),
    valid_from  TIMESTAMPTZ NOT NULL,
    price_haler BIGINT NOT NULL,
    vat_bp      BIGINT NOT NULL,
    CONSTRAINT product_prices_pkey PRIMARY KEY (product_id, valid_from),
    CONSTRAINT product_prices_price_check CHECK (price_haler >= 0)
);
-- Today's prices have always been valid, as far as anyone knows.
INSERT INTO product_prices (product_id, valid_from, price_haler, vat_bp)
SELECT id, TIMESTAMPTZ '1970-01-01 00:00:00+00', price_haler, vat_bp FROM products;
-- The adviser's whole-percent discount of an order (the hub re-prices with it).
ALTER TABLE orders ADD COLUMN discount_pct INTEGER NOT NULL DEFAULT 0;
