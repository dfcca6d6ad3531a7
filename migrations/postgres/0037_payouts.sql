-- Payouts (PostgreSQL). Twin: ../sqlite/0037_payouts.sql (what they are is said
-- there).
CREATE TABLE adviser_payout_accounts (
    adviser_id    UUID PRIMARY KEY NOT NULL REFERENCES advisers (id),
    account       TEXT NOT NULL,
    bank_code     TEXT NOT NULL,
    self_employed BOOLEAN NOT NULL DEFAULT FALSE,
    ico           TEXT NOT NULL DEFAULT '',
    dic           TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
ALTER TABLE payout_requests ADD COLUMN requested_by UUID REFERENCES users (id);
CREATE TABLE payout_approvals (
    request_id UUID NOT NULL REFERENCES payout_requests (id),
    user_id    UUID NOT NULL REFERENCES users (id),
    actor      TEXT NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (request_id, user_id)
);
CREATE TABLE payout_batches (
    id               UUID PRIMARY KEY NOT NULL,
    number           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       TEXT NOT NULL,
    file             BYTEA NOT NULL,
    total_haler      BIGINT NOT NULL,
    sent_at          TIMESTAMPTZ,
    bank_status      TEXT NOT NULL DEFAULT '',
    bank_instruction TEXT NOT NULL DEFAULT '',
    bank_message     TEXT NOT NULL DEFAULT '',
    paid_at          TIMESTAMPTZ,
    paid_by          TEXT NOT NULL DEFAULT '',
    CONSTRAINT payout_batches_number_key UNIQUE (number)
);
CREATE TABLE payout_batch_items (
    batch_id   UUID NOT NULL REFERENCES payout_batches (id),
    position   BIGINT NOT NULL,
    request_id UUID NOT NULL REFERENCES payout_requests (id),
    adviser_id UUID NOT NULL REFERENCES advisers (id),
    amount     BIGINT NOT NULL,
    account    TEXT NOT NULL,
    bank_code  TEXT NOT NULL,
    result     TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (batch_id, position),
    CONSTRAINT payout_batch_items_result CHECK (result IN ('', 'ok', 'refused'))
);
CREATE UNIQUE INDEX payout_batch_items_request ON payout_batch_items (request_id);
