-- Foundation schema (SQLite). Twin: ../postgres/0001_foundation.sql.
-- UUIDs are 16-byte BLOBs (sqlx's encoding), timestamps are RFC 3339 TEXT in UTC,
-- money is INTEGER haléře, VAT rates are INTEGER basis points.

CREATE TABLE shops (
    id          BLOB PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    street      TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL,
    CONSTRAINT shops_code_key UNIQUE (code)
);

CREATE TABLE users (
    id              BLOB PRIMARY KEY NOT NULL,
    email           TEXT NOT NULL,
    name            TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL,
    shop_id         BLOB REFERENCES shops (id),
    lang            TEXT NOT NULL DEFAULT 'cs',
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_role_check CHECK (role IN ('adviser','office','store','lab','accounting','customer_service','admin'))
);

CREATE TABLE advisers (
    id            BLOB PRIMARY KEY NOT NULL,
    user_id       BLOB NOT NULL REFERENCES users (id),
    code          TEXT NOT NULL,
    region        TEXT NOT NULL,
    home_shop_id  BLOB NOT NULL REFERENCES shops (id),
    phone         TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TEXT NOT NULL,
    CONSTRAINT advisers_user_key UNIQUE (user_id),
    CONSTRAINT advisers_code_key UNIQUE (code)
);
CREATE INDEX advisers_home_shop_idx ON advisers (home_shop_id);

-- Browser sessions: only a SHA-256 of the cookie token is stored.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    user_id       BLOB NOT NULL REFERENCES users (id),
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- One-time device enrolment codes shown in the office (hash only).
CREATE TABLE enrolment_codes (
    code_hash     TEXT PRIMARY KEY NOT NULL,
    adviser_id    BLOB NOT NULL REFERENCES advisers (id),
    created_by    BLOB NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);
CREATE INDEX enrolment_codes_adviser_idx ON enrolment_codes (adviser_id);

CREATE TABLE devices (
    id            BLOB PRIMARY KEY NOT NULL,
    adviser_id    BLOB NOT NULL REFERENCES advisers (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT,
    revoked_at    TEXT,
    CONSTRAINT devices_token_key UNIQUE (token_hash)
);
CREATE INDEX devices_adviser_idx ON devices (adviser_id);

CREATE TABLE clients (
    id            BLOB PRIMARY KEY NOT NULL,
    adviser_id    BLOB REFERENCES advisers (id),
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    phone         TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    street        TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    postal_code   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX clients_adviser_idx ON clients (adviser_id);
CREATE INDEX clients_last_name_idx ON clients (last_name);

-- Projection of prescriptions recorded in the field; `data` is the JSON of both eyes.
CREATE TABLE prescriptions (
    id            BLOB PRIMARY KEY NOT NULL,
    client_id     BLOB NOT NULL REFERENCES clients (id),
    measured_by   TEXT NOT NULL,
    measured_on   TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    data          TEXT NOT NULL
);
CREATE INDEX prescriptions_client_idx ON prescriptions (client_id);

CREATE TABLE products (
    id            BLOB PRIMARY KEY NOT NULL,
    sku           TEXT NOT NULL,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    brand         TEXT NOT NULL DEFAULT '',
    colour        TEXT NOT NULL DEFAULT '',
    size          TEXT NOT NULL DEFAULT '',
    price_haler   INTEGER NOT NULL,
    vat_bp        INTEGER NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT products_sku_key UNIQUE (sku),
    CONSTRAINT products_kind_check CHECK (kind IN ('frame','lens','coating','contact_lens','accessory','service'))
);

-- Projection of orders (field data lives in the advisers' documents).
CREATE TABLE orders (
    id              BLOB PRIMARY KEY NOT NULL,
    variable_symbol TEXT NOT NULL,
    client_id       BLOB NOT NULL REFERENCES clients (id),
    adviser_id      BLOB REFERENCES advisers (id),
    shop_id         BLOB REFERENCES shops (id),
    prescription_id BLOB REFERENCES prescriptions (id),
    status          TEXT NOT NULL,
    total_haler     INTEGER NOT NULL,
    deposit_haler   INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CONSTRAINT orders_vs_key UNIQUE (variable_symbol)
);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_adviser_idx ON orders (adviser_id);
CREATE INDEX orders_created_idx ON orders (created_at);

CREATE TABLE order_lines (
    id            BLOB PRIMARY KEY NOT NULL,
    order_id      BLOB NOT NULL REFERENCES orders (id),
    position      INTEGER NOT NULL,
    product_id    BLOB REFERENCES products (id),
    text          TEXT NOT NULL,
    quantity      INTEGER NOT NULL,
    unit_price_haler INTEGER NOT NULL,
    vat_bp        INTEGER NOT NULL,
    discount_haler INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id);

CREATE TABLE audit_log (
    id            BLOB PRIMARY KEY NOT NULL,
    at            TEXT NOT NULL,
    actor_id      BLOB,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    subject       TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- Small key/value facts about this hub (e.g. when the demo was seeded).
CREATE TABLE hub_meta (
    key           TEXT PRIMARY KEY NOT NULL,
    value         TEXT NOT NULL
);
