-- Custom fields (PostgreSQL). Twin: ../sqlite/0030_custom_fields.sql (what they
-- are is said there).
CREATE TABLE custom_fields (
    id           UUID PRIMARY KEY,
    entity       TEXT NOT NULL,
    key          TEXT NOT NULL,
    label_cs     TEXT NOT NULL,
    label_en     TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    choices      TEXT NOT NULL DEFAULT '[]',
    required     BOOLEAN NOT NULL DEFAULT FALSE,
    position     BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    withdrawn_at TIMESTAMPTZ,
    CONSTRAINT custom_fields_key UNIQUE (entity, key),
    CONSTRAINT custom_fields_entity_check CHECK (entity IN ('customer', 'order')),
    CONSTRAINT custom_fields_kind_check CHECK (kind IN ('text', 'number', 'date', 'choice'))
);
ALTER TABLE clients ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE orders ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
