-- Store cash registers (issue 13, point 5). A shift is one till's day in one shop:
-- opened with the float counted into the drawer, closed once with the cash
-- counted out of it; what the drawer should hold (expected) and the difference
-- (counted − expected) are written when it closes, and the Z report is read from
-- the shift and its entries. One open shift per shop. Twin:
-- ../postgres/0033_tills.sql.
--
-- till_entries are the shift's receipts and vouchers, append-only: sale (an
-- order's payment or walk-in goods), refund (of a sale's receipt, negative
-- amounts), cash_in and cash_out (vouchers: cash put into or taken out of the
-- drawer, with the reason). cash + card = total. Numbers run per shop, year and
-- series without gaps (till_series): P for receipts, V for vouchers — the numbers
-- Pohoda gets. An order's payment at the till raises order_settled in the same
-- transaction (paid = deposit + bank allocations + till payments).
CREATE TABLE till_series (
    shop_id BLOB NOT NULL REFERENCES shops (id),
    year    INTEGER NOT NULL,
    series  TEXT NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (shop_id, year, series)
);

CREATE TABLE till_shifts (
    id               BLOB PRIMARY KEY NOT NULL,
    shop_id          BLOB NOT NULL REFERENCES shops (id),
    opened_at        TEXT NOT NULL,
    opened_by        TEXT NOT NULL,
    float_haler      INTEGER NOT NULL,
    closed_at        TEXT,
    closed_by        TEXT NOT NULL DEFAULT '',
    expected_haler   INTEGER,
    counted_haler    INTEGER,
    difference_haler INTEGER,
    close_note       TEXT NOT NULL DEFAULT '',
    CONSTRAINT till_shifts_float_check CHECK (float_haler >= 0)
);
CREATE UNIQUE INDEX till_shifts_one_open ON till_shifts (shop_id) WHERE closed_at IS NULL;
CREATE INDEX till_shifts_shop ON till_shifts (shop_id, opened_at);
-- A closed shift is not opened or changed again.
CREATE TRIGGER till_shifts_closed BEFORE UPDATE ON till_shifts
WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed shift is not changed'); END;
CREATE TRIGGER till_shifts_no_delete BEFORE DELETE ON till_shifts
BEGIN SELECT RAISE(ABORT, 'till shifts are not deleted'); END;

CREATE TABLE till_entries (
    id          BLOB PRIMARY KEY NOT NULL,
    shift_id    BLOB NOT NULL REFERENCES till_shifts (id),
    shop_id     BLOB NOT NULL REFERENCES shops (id),
    number      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    order_id    BLOB REFERENCES orders (id),
    refund_of   BLOB REFERENCES till_entries (id),
    cash_haler  INTEGER NOT NULL,
    card_haler  INTEGER NOT NULL,
    total_haler INTEGER NOT NULL,
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
    id               BLOB PRIMARY KEY NOT NULL,
    entry_id         BLOB NOT NULL REFERENCES till_entries (id),
    position         INTEGER NOT NULL,
    product_id       BLOB REFERENCES products (id),
    text             TEXT NOT NULL,
    quantity         INTEGER NOT NULL,
    unit_price_haler INTEGER NOT NULL,
    vat_bp           INTEGER NOT NULL,
    total_haler      INTEGER NOT NULL
);
CREATE INDEX till_lines_entry ON till_lines (entry_id, position);

CREATE TRIGGER till_entries_no_update BEFORE UPDATE ON till_entries
BEGIN SELECT RAISE(ABORT, 'till entries are not changed'); END;
CREATE TRIGGER till_entries_no_delete BEFORE DELETE ON till_entries
BEGIN SELECT RAISE(ABORT, 'till entries are not deleted'); END;
CREATE TRIGGER till_lines_no_update BEFORE UPDATE ON till_lines
BEGIN SELECT RAISE(ABORT, 'till entries are not changed'); END;
CREATE TRIGGER till_lines_no_delete BEFORE DELETE ON till_lines
BEGIN SELECT RAISE(ABORT, 'till entries are not deleted'); END;
