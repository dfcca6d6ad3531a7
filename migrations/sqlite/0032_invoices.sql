-- Tax documents (issue 13, point 4): invoices for an order's supply, deposit
-- documents for a payment received before it (deducted by the final invoice),
-- and credit notes correcting either (refunds, complaints). A tax document is
-- never changed or deleted once issued (append-only, also under a customer's
-- erasure: accounting records are kept by law); the supplier and the customer
-- are copied into it as they were on the day. Numbers run per year and kind
-- without gaps (invoice_series, raised in the issuing transaction). Amounts are
-- gross haléře (credit notes negative); lines carry their VAT rate. Twin:
-- ../postgres/0032_invoices.sql.
CREATE TABLE invoice_series (
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (year, kind)
);

CREATE TABLE invoices (
    id              BLOB PRIMARY KEY NOT NULL,
    number          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    order_id        BLOB REFERENCES orders (id),
    corrects_id     BLOB REFERENCES invoices (id),
    issued_on       TEXT NOT NULL,
    taxable_on      TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    variable_symbol TEXT NOT NULL DEFAULT '',
    supplier        TEXT NOT NULL,
    customer        TEXT NOT NULL,
    total_haler     INTEGER NOT NULL,
    paid_haler      INTEGER NOT NULL DEFAULT 0,
    reason          TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    CONSTRAINT invoices_number UNIQUE (number),
    CONSTRAINT invoices_kind_check CHECK (kind IN ('invoice', 'deposit', 'credit_note'))
);
CREATE INDEX invoices_order ON invoices (order_id);
CREATE INDEX invoices_issued ON invoices (issued_on);
-- One final invoice per order (corrections are credit notes).
CREATE UNIQUE INDEX invoices_one_final ON invoices (order_id) WHERE kind = 'invoice';

CREATE TABLE invoice_lines (
    id               BLOB PRIMARY KEY NOT NULL,
    invoice_id       BLOB NOT NULL REFERENCES invoices (id),
    position         INTEGER NOT NULL,
    text             TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    unit_price_haler INTEGER NOT NULL,
    vat_bp           INTEGER NOT NULL,
    total_haler      INTEGER NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);

CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are not changed once issued'); END;
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'invoices are not deleted'); END;
CREATE TRIGGER invoice_lines_no_update BEFORE UPDATE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'invoices are not changed once issued'); END;
CREATE TRIGGER invoice_lines_no_delete BEFORE DELETE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'invoices are not deleted'); END;
