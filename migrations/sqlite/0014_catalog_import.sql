-- Products as structured variants, and price-list imports (SQLite). Twin:
-- ../postgres/0014_catalog_import.sql.
-- model: what a product is a variant of (a frame model in its colours and sizes; a
-- lens line). Lenses carry their maker, index (1.50 … 1.74), design (single_vision,
-- progressive, office) and coatings (comma-separated codes of
-- fieldcase_shared::lens::Coating) as attributes, not as a SKU convention.
ALTER TABLE products ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN lens_maker TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN lens_index TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN lens_design TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN lens_coatings TEXT NOT NULL DEFAULT '';
CREATE INDEX products_model_idx ON products (kind, brand, model);

-- Each price-list import with its per-row report (JSON: the rows refused and why).
-- A check without saving (dry_run) is kept too, so its report has an address.
CREATE TABLE catalog_imports (
    id         BLOB PRIMARY KEY NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    dry_run    BOOLEAN NOT NULL DEFAULT FALSE,
    rows_read  INTEGER NOT NULL,
    created    INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    repriced   INTEGER NOT NULL,
    unchanged  INTEGER NOT NULL,
    refused    INTEGER NOT NULL,
    report     TEXT NOT NULL
);
CREATE INDEX catalog_imports_at_idx ON catalog_imports (at);
