-- The bank (issue 13, points 1–3): the company's FIO accounts with their API
-- tokens encrypted at rest and the poller's state, the movements downloaded from
-- them, and what each incoming movement paid. Twin: ../postgres/0031_bank.sql.
--
-- bank_accounts.token is the nonce followed by the ChaCha20-Poly1305 ciphertext of
-- the token (money/secret.rs; the key is never in the database). The poller's last
-- run, next run, result ('' never ran, 'ok', or an error code) and error text are
-- kept with the account for the status page.
CREATE TABLE bank_accounts (
    id           BLOB PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    iban         TEXT NOT NULL,
    token        BLOB NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   TEXT NOT NULL,
    last_run_at  TEXT,
    next_run_at  TEXT,
    last_result  TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    last_new     INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT bank_accounts_iban UNIQUE (iban)
);

-- One row per FIO movement (its id, column22, unique per account: a movement
-- downloaded twice is booked once). decision: matched | partial | over |
-- receivable | ignored; reason: the rule that decided (money/matching.rs), with
-- the order, the variable symbol as read and the difference it found. open_haler
-- is what is not yet allocated to an order (a receivable while positive).
CREATE TABLE bank_movements (
    id               BLOB PRIMARY KEY NOT NULL,
    account_id       BLOB NOT NULL REFERENCES bank_accounts (id),
    fio_id           INTEGER NOT NULL,
    booked_on        TEXT,
    amount_haler     INTEGER NOT NULL,
    currency         TEXT NOT NULL,
    counter_account  TEXT NOT NULL DEFAULT '',
    counter_name     TEXT NOT NULL DEFAULT '',
    vs               TEXT NOT NULL DEFAULT '',
    ks               TEXT NOT NULL DEFAULT '',
    ss               TEXT NOT NULL DEFAULT '',
    message          TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL DEFAULT '',
    decision         TEXT NOT NULL,
    reason           TEXT NOT NULL,
    order_id         BLOB REFERENCES orders (id),
    difference_haler INTEGER NOT NULL DEFAULT 0,
    open_haler       INTEGER NOT NULL DEFAULT 0,
    imported_at      TEXT NOT NULL,
    CONSTRAINT bank_movements_fio UNIQUE (account_id, fio_id),
    CONSTRAINT bank_movements_decision_check
        CHECK (decision IN ('matched', 'partial', 'over', 'receivable', 'ignored'))
);
CREATE INDEX bank_movements_open ON bank_movements (booked_on) WHERE open_haler > 0;
CREATE INDEX bank_movements_order ON bank_movements (order_id);

-- Money from a movement given to an order (append-only; a correction is a new
-- line with the opposite amount). No foreign keys: its lines are written only by
-- the import and the settlement, in the transaction that read the movement and
-- the order (neither is ever deleted); on PostgreSQL the two checks cost 0.4 s of
-- a 50,000-line import (bench/RESULTS.md). kind: match (the import's rule) | manual |
-- refund (negative: money of the order given back).
CREATE TABLE payment_allocations (
    id           BLOB PRIMARY KEY NOT NULL,
    movement_id  BLOB NOT NULL,
    order_id     BLOB NOT NULL,
    amount_haler INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX payment_allocations_order ON payment_allocations (order_id);
CREATE INDEX payment_allocations_movement ON payment_allocations (movement_id);
CREATE TRIGGER payment_allocations_no_update BEFORE UPDATE ON payment_allocations
BEGIN SELECT RAISE(ABORT, 'payment_allocations is append-only'); END;
CREATE TRIGGER payment_allocations_no_delete BEFORE DELETE ON payment_allocations
BEGIN SELECT RAISE(ABORT, 'payment_allocations is append-only'); END;

-- What the office did by hand with a movement's open money besides giving it to
-- orders (append-only): wrote it off (with the reason) or sent it back to the
-- payer (a payment order line to make in the bank). A refund
-- of an order's payment is an allocation with the opposite amount plus a return.
CREATE TABLE movement_settlements (
    id              BLOB PRIMARY KEY NOT NULL,
    movement_id     BLOB NOT NULL REFERENCES bank_movements (id),
    kind            TEXT NOT NULL,
    amount_haler    INTEGER NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    counter_account TEXT NOT NULL DEFAULT '',
    order_id        BLOB REFERENCES orders (id),
    actor           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    CONSTRAINT movement_settlements_kind_check CHECK (kind IN ('write_off', 'return')),
    CONSTRAINT movement_settlements_amount_check CHECK (amount_haler > 0)
);
CREATE INDEX movement_settlements_movement ON movement_settlements (movement_id);
CREATE TRIGGER movement_settlements_no_update BEFORE UPDATE ON movement_settlements
BEGIN SELECT RAISE(ABORT, 'movement_settlements is append-only'); END;
CREATE TRIGGER movement_settlements_no_delete BEFORE DELETE ON movement_settlements
BEGIN SELECT RAISE(ABORT, 'movement_settlements is append-only'); END;

-- What the office has allocated to each order (the sum of its allocations, kept in
-- the allocation's transaction; none: 0); paid = deposit (taken by the adviser) +
-- settled. A table of its own: raising it touches no index of orders.
CREATE TABLE order_settled (
    order_id      BLOB PRIMARY KEY NOT NULL REFERENCES orders (id),
    settled_haler INTEGER NOT NULL
);
-- Matching looks an order up by its variable symbol without leading zeros.
CREATE INDEX orders_vs_digits ON orders (ltrim(variable_symbol, '0'));
