-- Store cash registers (PostgreSQL). Twin: ../sqlite/0033_tills.sql (what they
-- are is said there).
CREATE TABLE till_series (
    shop_id UUID NOT NULL REFERENCES shops (id),
    year    BIGINT NOT NULL,
    series  TEXT NOT NULL,
    last    BIGINT NOT NULL,
    PRIMARY KEY (shop_id, year, series)
);

CREATE TABLE till_shifts (
    id               UUID PRIMARY KEY,
    shop_id          UUID NOT NULL REFERENCES shops (id),
    opened_at        TIMESTAMPTZ NOT NULL,
    opened_by        TEXT NOT NULL,
    float_haler      BIGINT NOT NULL,
    closed_at        TIMESTAMPTZ,
    closed_by        TEXT NOT NULL DEFAULT '',
    expected_haler   BIGINT,
    counted_haler    BIGINT,
    difference_haler BIGINT,
    close_note       TEXT NOT NULL DEFAULT '',
    CONSTRAINT till_shifts_float_check CHECK (float_haler >= 0)
);
CREATE UNIQUE INDEX till_shifts_one_open ON till_shifts (shop_id) WHERE closed_at IS NULL;
CREATE INDEX till_shifts_shop ON till_shifts (shop_id, opened_at);

-- A closed shift is not opened or changed again; none is deleted.
CREATE FUNCTION till_shift_closed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'till shifts are not deleted';
    END IF;
    IF OLD.closed_at IS NOT NULL THEN
        RAISE EXCEPTION 'a closed shift is not changed';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER till_shifts_closed BEFORE UPDATE OR DELETE ON till_shifts
    FOR EACH ROW EXECUTE FUNCTION till_shift_closed();

CREATE TABLE till_entries (
    id          UUID PRIMARY KEY,
    shift_id    UUID NOT NULL REFERENCES till_shifts (id),
    shop_id     UUID NOT NULL REFERENCES shops (id),
    number      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    order_id    UUID REFERENCES orders (id),
    refund_of   UUID REFERENCES till_entries (id),
    cash_haler  BIGINT NOT NULL,
    card_haler  BIGINT NOT NULL,
    total_haler BIGINT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    CONSTRAINT till_entries_number UNIQUE (number),
    CONSTRAINT till_entries_kind_check CHECK (kind IN ('sale', 'refund', 'cash_in', 'cash_out')),
    CONSTRAINT till_entries_sum_check CHECK (cash_haler + card_haler = total_haler)
);
CREATE INDEX till_entries_shift ON till_entries (shift_id, at);
CREATE INDEX till_entries_at ON till_entries (at);
CREATE INDEX till_entries_order ON till_entries (order_id);
-- Partial: few entries are refunds, and a planner told that all but a few are NULL
-- would not use a full index (bench/RESULTS.md, the Pohoda export).
CREATE INDEX till_entries_refund_of ON till_entries (refund_of) WHERE refund_of IS NOT NULL;

CREATE TABLE till_lines (
    id               UUID PRIMARY KEY,
    entry_id         UUID NOT NULL REFERENCES till_entries (id),
    position         BIGINT NOT NULL,
    product_id       UUID REFERENCES products (id),
    text             TEXT NOT NULL,
    quantity         BIGINT NOT NULL,
    unit_price_haler BIGINT NOT NULL,
    vat_bp           BIGINT NOT NULL,
    total_haler      BIGINT NOT NULL
);
CREATE INDEX till_lines_entry ON till_lines (entry_id, position);

CREATE TRIGGER till_entries_append_only BEFORE UPDATE OR DELETE ON till_entries
    FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER till_lines_append_only BEFORE UPDATE OR DELETE ON till_lines
    FOR EACH ROW EXECUTE FUNCTION append_only();
