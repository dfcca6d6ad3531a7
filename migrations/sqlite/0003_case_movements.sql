-- Sample-case movements (SQLite). Twin: ../postgres/0003_case_movements.sql.
-- Projection of the append-only movements advisers record; stock is their sum.
CREATE TABLE case_movements (
    id          BLOB PRIMARY KEY NOT NULL,
    adviser_id  BLOB NOT NULL REFERENCES advisers (id),
    product     TEXT NOT NULL,
    quantity    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    at          TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    rejected    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_movements_adviser_idx ON case_movements (adviser_id, product);
