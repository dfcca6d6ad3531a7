-- The bank (PostgreSQL). Twin: ../sqlite/0031_bank.sql (what it is is said there).
CREATE TABLE bank_accounts (
    id           UUID PRIMARY KEY,
    name         TEXT NOT NULL,
    iban         TEXT NOT NULL,
    token        BYTEA NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_run_at  TIMESTAMPTZ,
    next_run_at  TIMESTAMPTZ,
    last_result  TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    last_new     BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT bank_accounts_iban UNIQUE (iban)
);

CREATE TABLE bank_movements (
    id               UUID PRIMARY KEY,
    account_id       UUID NOT NULL REFERENCES bank_accounts (id),
    fio_id           BIGINT NOT NULL,
    booked_on        DATE,
    amount_haler     BIGINT NOT NULL,
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
    order_id         UUID REFERENCES orders (id),
    difference_haler BIGINT NOT NULL DEFAULT 0,
    open_haler       BIGINT NOT NULL DEFAULT 0,
    imported_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT bank_movements_fio UNIQUE (account_id, fio_id),
    CONSTRAINT bank_movements_decision_check
        CHECK (decision IN ('matched', 'partial', 'over', 'receivable', 'ignored'))
);
CREATE INDEX bank_movements_open ON bank_movements (booked_on) WHERE open_haler > 0;
CREATE INDEX bank_movements_order ON bank_movements (order_id);

CREATE TABLE payment_allocations (
    id           UUID PRIMARY KEY,
    movement_id  UUID NOT NULL,
    order_id     UUID NOT NULL,
    amount_haler BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX payment_allocations_order ON payment_allocations (order_id);
CREATE INDEX payment_allocations_movement ON payment_allocations (movement_id);
CREATE TRIGGER payment_allocations_append_only BEFORE UPDATE OR DELETE ON payment_allocations
    FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE TABLE movement_settlements (
    id              UUID PRIMARY KEY,
    movement_id     UUID NOT NULL REFERENCES bank_movements (id),
    kind            TEXT NOT NULL,
    amount_haler    BIGINT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    counter_account TEXT NOT NULL DEFAULT '',
    order_id        UUID REFERENCES orders (id),
    actor           TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    CONSTRAINT movement_settlements_kind_check CHECK (kind IN ('write_off', 'return')),
    CONSTRAINT movement_settlements_amount_check CHECK (amount_haler > 0)
);
CREATE INDEX movement_settlements_movement ON movement_settlements (movement_id);
CREATE TRIGGER movement_settlements_append_only BEFORE UPDATE OR DELETE ON movement_settlements
    FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE TABLE order_settled (
    order_id      UUID PRIMARY KEY REFERENCES orders (id),
    settled_haler BIGINT NOT NULL
);
CREATE INDEX orders_vs_digits ON orders (ltrim(variable_symbol, '0'));
-- The planner needs the new expression's statistics to use its index.
ANALYZE orders;
