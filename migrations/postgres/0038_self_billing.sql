-- Self-billing invoices (PostgreSQL). Twin: ../sqlite/0038_self_billing.sql (what
-- they are is said there).
ALTER TABLE adviser_payout_accounts ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE adviser_payout_accounts ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE adviser_payout_accounts ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE adviser_payout_accounts ADD COLUMN vat_payer BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE self_billing_invoices (
    id          UUID PRIMARY KEY NOT NULL,
    number      TEXT NOT NULL,
    batch_id    UUID NOT NULL REFERENCES payout_batches (id),
    request_id  UUID NOT NULL REFERENCES payout_requests (id),
    adviser_id  UUID NOT NULL REFERENCES advisers (id),
    issued_at   TIMESTAMPTZ NOT NULL,
    total_haler BIGINT NOT NULL,
    vat_bp      BIGINT NOT NULL,
    supplier    TEXT NOT NULL,
    customer    TEXT NOT NULL,
    CONSTRAINT self_billing_invoices_number_key UNIQUE (number),
    CONSTRAINT self_billing_invoices_request_key UNIQUE (request_id)
);
CREATE INDEX self_billing_invoices_adviser_idx ON self_billing_invoices (adviser_id, issued_at);
CREATE TRIGGER self_billing_invoices_append_only BEFORE UPDATE OR DELETE ON self_billing_invoices
    FOR EACH ROW EXECUTE FUNCTION append_only();
