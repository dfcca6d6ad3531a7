-- Tax documents (PostgreSQL). Twin: ../sqlite/0032_invoices.sql (what they are is
-- said there).
CREATE TABLE invoice_series (
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (year, kind)
);

CREATE TABLE invoices (
    id              UUID PRIMARY KEY,
    number          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    order_id        UUID REFERENCES orders (id),
    corrects_id     UUID REFERENCES invoices (id),
    issued_on       DATE NOT NULL,
    taxable_on      DATE NOT NULL,
    due_on          DATE NOT NULL,
    variable_symbol TEXT NOT NULL DEFAULT '',
    supplier        TEXT NOT NULL,
    customer        TEXT NOT NULL,
    total_haler     BIGINT NOT NULL,
    paid_haler      BIGINT NOT NULL DEFAULT 0,
    reason          TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT invoices_number UNIQUE (number),
    CONSTRAINT invoices_kind_check CHECK (kind IN ('invoice', 'deposit', 'credit_note'))
);
CREATE INDEX invoices_order ON invoices (order_id);
CREATE INDEX invoices_issued ON invoices (issued_on);
-- One final invoice per order (corrections are credit notes).
CREATE UNIQUE INDEX invoices_one_final ON invoices (order_id) WHERE kind = 'invoice';

CREATE TABLE invoice_lines (
    id               UUID PRIMARY KEY,
    invoice_id       UUID NOT NULL REFERENCES invoices (id),
    position         BIGINT NOT NULL,
    text             TEXT NOT NULL,
    quantity         BIGINT NOT NULL,
    unit_price_haler BIGINT NOT NULL,
    vat_bp           BIGINT NOT NULL,
    total_haler      BIGINT NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);

CREATE TRIGGER invoices_append_only BEFORE UPDATE OR DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER invoice_lines_append_only BEFORE UPDATE OR DELETE ON invoice_lines
    FOR EACH ROW EXECUTE FUNCTION append_only();
