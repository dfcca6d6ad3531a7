-- Payouts (issue 14, slice 3). adviser_payout_accounts: where an adviser's
-- commission is sent (a Czech account number `prefix-number` and bank code) and
-- whether they invoice as self-employed (IČO, DIČ). payout_requests.requested_by:
-- the staff user who asked in the office for an adviser (NULL: the adviser on
-- their phone). payout_approvals: who approved a request (one row per approver;
-- over the four-eyes limit two different ones are needed). payout_batches: a FIO
-- payment-order upload of approved requests (its file kept as sent, the bank's
-- answer, when it was marked paid), payout_batch_items: its payments in the
-- file's order with the bank's word on each; a request is in one batch at most.
-- Twin: ../postgres/0037_payouts.sql.
CREATE TABLE adviser_payout_accounts (
    adviser_id    BLOB PRIMARY KEY NOT NULL REFERENCES advisers (id),
    account       TEXT NOT NULL,
    bank_code     TEXT NOT NULL,
    self_employed BOOLEAN NOT NULL DEFAULT FALSE,
    ico           TEXT NOT NULL DEFAULT '',
    dic           TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
ALTER TABLE payout_requests ADD COLUMN requested_by BLOB REFERENCES users (id);
CREATE TABLE payout_approvals (
    request_id BLOB NOT NULL REFERENCES payout_requests (id),
    user_id    BLOB NOT NULL REFERENCES users (id),
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (request_id, user_id)
);
CREATE TABLE payout_batches (
    id               BLOB PRIMARY KEY NOT NULL,
    number           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    file             BLOB NOT NULL,
    total_haler      INTEGER NOT NULL,
    sent_at          TEXT,
    bank_status      TEXT NOT NULL DEFAULT '',
    bank_instruction TEXT NOT NULL DEFAULT '',
    bank_message     TEXT NOT NULL DEFAULT '',
    paid_at          TEXT,
    paid_by          TEXT NOT NULL DEFAULT '',
    CONSTRAINT payout_batches_number_key UNIQUE (number)
);
CREATE TABLE payout_batch_items (
    batch_id   BLOB NOT NULL REFERENCES payout_batches (id),
    position   INTEGER NOT NULL,
    request_id BLOB NOT NULL REFERENCES payout_requests (id),
    adviser_id BLOB NOT NULL REFERENCES advisers (id),
    amount     INTEGER NOT NULL,
    account    TEXT NOT NULL,
    bank_code  TEXT NOT NULL,
    result     TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (batch_id, position),
    CONSTRAINT payout_batch_items_result CHECK (result IN ('', 'ok', 'refused'))
);
CREATE UNIQUE INDEX payout_batch_items_request ON payout_batch_items (request_id);
