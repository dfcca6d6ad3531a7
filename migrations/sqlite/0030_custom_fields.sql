-- Custom fields (issue 12, point 8): extra fields an administrator adds to
-- customers or orders (text, number, date, choice) with Czech and English labels.
-- A definition is withdrawn, never deleted (values stay with the records); its key
-- is unique per entity. Values live with the record: in the adviser's workspace
-- (`custom` map of the client / order record) and projected here as a JSON object
-- (key → value text) in clients.custom and orders.custom. Twin:
-- ../postgres/0030_custom_fields.sql.
CREATE TABLE custom_fields (
    id           BLOB PRIMARY KEY NOT NULL,
    entity       TEXT NOT NULL,
    key          TEXT NOT NULL,
    label_cs     TEXT NOT NULL,
    label_en     TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    choices      TEXT NOT NULL DEFAULT '[]',
    required     BOOLEAN NOT NULL DEFAULT FALSE,
    position     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    withdrawn_at TEXT,
    CONSTRAINT custom_fields_key UNIQUE (entity, key),
    CONSTRAINT custom_fields_entity_check CHECK (entity IN ('customer', 'order')),
    CONSTRAINT custom_fields_kind_check CHECK (kind IN ('text', 'number', 'date', 'choice'))
);
ALTER TABLE clients ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE orders ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
