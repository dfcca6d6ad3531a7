-- Commission ledger and payout requests (SQLite). Twin: ../postgres/0004_commission_payouts.sql.
-- The ledger is office data (SQL first), published into each adviser's workspace;
-- payout requests are field data projected from the workspace, judged by the hub.
CREATE TABLE commission_entries (
    id          BLOB PRIMARY KEY NOT NULL,
    adviser_id  BLOB NOT NULL REFERENCES advisers (id),
    kind        TEXT NOT NULL,
    order_id    BLOB REFERENCES orders (id),
    amount      INTEGER NOT NULL,
    at          TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    CONSTRAINT commission_entries_kind_check CHECK (kind IN ('accrual','reversal','payout','adjustment'))
);
CREATE INDEX commission_entries_adviser_idx ON commission_entries (adviser_id, at);

CREATE TABLE payout_requests (
    id            BLOB PRIMARY KEY NOT NULL,
    adviser_id    BLOB NOT NULL REFERENCES advisers (id),
    amount        INTEGER NOT NULL,
    requested_at  TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    CONSTRAINT payout_requests_status_check CHECK (status IN ('accepted','rejected','paid'))
);
CREATE INDEX payout_requests_adviser_idx ON payout_requests (adviser_id, status);
