-- Commission ledger and payout requests (PostgreSQL). Twin: ../sqlite/0004_commission_payouts.sql.
-- The ledger is office data (SQL first), published into each adviser's workspace;
-- payout requests are field data projected from the workspace, judged by the hub.
CREATE TABLE commission_entries (
    id          UUID PRIMARY KEY,
    adviser_id  UUID NOT NULL REFERENCES advisers (id),
    kind        TEXT NOT NULL,
    order_id    UUID REFERENCES orders (id),
    amount      BIGINT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    CONSTRAINT commission_entries_kind_check CHECK (kind IN ('accrual','reversal','payout','adjustment'))
);
CREATE INDEX commission_entries_adviser_idx ON commission_entries (adviser_id, at);

CREATE TABLE payout_requests (
    id            UUID PRIMARY KEY,
    adviser_id    UUID NOT NULL REFERENCES advisers (id),
    amount        BIGINT NOT NULL,
    requested_at  TIMESTAMPTZ NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    CONSTRAINT payout_requests_status_check CHECK (status IN ('accepted','rejected','paid'))
);
CREATE INDEX payout_requests_adviser_idx ON payout_requests (adviser_id, status);
