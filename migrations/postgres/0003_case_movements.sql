-- Sample-case movements (PostgreSQL). Twin: ../sqlite/0003_case_movements.sql.
-- Projection of the append-only movements advisers record; stock is their sum.
CREATE TABLE case_movements (
    id          UUID PRIMARY KEY,
    adviser_id  UUID NOT NULL REFERENCES advisers (id),
    product     TEXT NOT NULL,
    quantity    BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    rejected    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_movements_adviser_idx ON case_movements (adviser_id, product);
