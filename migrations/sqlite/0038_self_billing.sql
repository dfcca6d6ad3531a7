-- Self-billing invoices (issue 14, slice 3). An adviser who invoices as
-- self-employed (adviser_payout_accounts.self_employed) gets, for each payout
-- paid, an invoice the company issues in their name ("vystaveno odběratelem",
-- § 28(3) of the Czech VAT act): written in the transaction that marks the batch
-- paid, numbered per year without gaps (invoice_series, kind 'self_billing'),
-- with both parties copied in as they were that day (JSON, like invoices) and
-- the VAT rate (2100 when the adviser is a VAT payer, else 0; the payout is the
-- gross). The adviser's address and VAT status come with their payout account.
-- The invoices are appended, never changed. Twin: ../postgres/0038_self_billing.sql.
ALTER TABLE adviser_payout_accounts ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE adviser_payout_accounts ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE adviser_payout_accounts ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE adviser_payout_accounts ADD COLUMN vat_payer BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE self_billing_invoices (
    id          BLOB PRIMARY KEY NOT NULL,
    number      TEXT NOT NULL,
    batch_id    BLOB NOT NULL REFERENCES payout_batches (id),
    request_id  BLOB NOT NULL REFERENCES payout_requests (id),
    adviser_id  BLOB NOT NULL REFERENCES advisers (id),
    issued_at   TEXT NOT NULL,
    total_haler INTEGER NOT NULL,
    vat_bp      INTEGER NOT NULL,
    supplier    TEXT NOT NULL,
    customer    TEXT NOT NULL,
    CONSTRAINT self_billing_invoices_number_key UNIQUE (number),
    CONSTRAINT self_billing_invoices_request_key UNIQUE (request_id)
);
CREATE INDEX self_billing_invoices_adviser_idx ON self_billing_invoices (adviser_id, issued_at);
CREATE TRIGGER self_billing_invoices_no_update BEFORE UPDATE ON self_billing_invoices
BEGIN SELECT RAISE(ABORT, 'a self-billing invoice is issued, not changed'); END;
CREATE TRIGGER self_billing_invoices_no_delete BEFORE DELETE ON self_billing_invoices
BEGIN SELECT RAISE(ABORT, 'a self-billing invoice is issued, not deleted'); END;
