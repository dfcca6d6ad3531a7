-- Commission accrual (issue 14, slice 2). A ledger line the hub writes for an order
-- names the rule and version that gave it, the cycle it belongs to (an order
-- accrued, reversed and accrued again is in its second cycle), the accrual a
-- reversal takes back, and its explanation (JSON: the order, its lines, the base,
-- the rule, the rate, the amount). The ledger is append-only. An order's accrual
-- happens once per adviser, rule and cycle, and an accrual is reversed once (unique
-- indexes: two workers cannot both book it). commission_queue: orders whose
-- status, total or payments changed since the accrual job last looked (written by
-- the triggers below in the changing transaction, so no path can forget it). The
-- triggers insert only what is not queued yet rather than `OR IGNORE`: an outer
-- upsert's conflict policy would override theirs.
-- Twin: ../postgres/0036_commission_accrual.sql.
ALTER TABLE commission_entries ADD COLUMN rule_id BLOB;
ALTER TABLE commission_entries ADD COLUMN rule_version INTEGER;
ALTER TABLE commission_entries ADD COLUMN cycle INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commission_entries ADD COLUMN reverses_id BLOB REFERENCES commission_entries (id);
ALTER TABLE commission_entries ADD COLUMN explanation TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX commission_entries_accrued_once
    ON commission_entries (order_id, adviser_id, rule_id, cycle) WHERE kind = 'accrual' AND rule_id IS NOT NULL;
CREATE UNIQUE INDEX commission_entries_reversed_once
    ON commission_entries (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX commission_entries_order_idx ON commission_entries (order_id);
CREATE TRIGGER commission_entries_no_update BEFORE UPDATE ON commission_entries
BEGIN SELECT RAISE(ABORT, 'the commission ledger is appended, not changed'); END;
CREATE TRIGGER commission_entries_no_delete BEFORE DELETE ON commission_entries
BEGIN SELECT RAISE(ABORT, 'the commission ledger is appended, not deleted'); END;

CREATE TABLE commission_queue (
    order_id BLOB PRIMARY KEY NOT NULL REFERENCES orders (id),
    seq      INTEGER NOT NULL DEFAULT 1
);
CREATE TRIGGER commission_queue_order_insert AFTER INSERT ON orders
WHEN NEW.status IN ('delivered', 'closed', 'complaint', 'cancelled')
BEGIN INSERT INTO commission_queue (order_id) SELECT NEW.id WHERE NOT EXISTS (SELECT 1 FROM commission_queue WHERE order_id = NEW.id); END;
CREATE TRIGGER commission_queue_order_update AFTER UPDATE OF status, total_haler, deposit_haler ON orders
WHEN NEW.status IS NOT OLD.status OR NEW.total_haler <> OLD.total_haler OR NEW.deposit_haler <> OLD.deposit_haler
BEGIN INSERT INTO commission_queue (order_id) SELECT NEW.id WHERE NOT EXISTS (SELECT 1 FROM commission_queue WHERE order_id = NEW.id); END;
CREATE TRIGGER commission_queue_settled_insert AFTER INSERT ON order_settled
BEGIN INSERT INTO commission_queue (order_id) SELECT NEW.order_id WHERE NOT EXISTS (SELECT 1 FROM commission_queue WHERE order_id = NEW.order_id); END;
CREATE TRIGGER commission_queue_settled_update AFTER UPDATE ON order_settled
BEGIN INSERT INTO commission_queue (order_id) SELECT NEW.order_id WHERE NOT EXISTS (SELECT 1 FROM commission_queue WHERE order_id = NEW.order_id); END;
CREATE TRIGGER commission_queue_credit_note AFTER INSERT ON invoices
WHEN NEW.kind = 'credit_note' AND NEW.order_id IS NOT NULL
BEGIN INSERT INTO commission_queue (order_id) SELECT NEW.order_id WHERE NOT EXISTS (SELECT 1 FROM commission_queue WHERE order_id = NEW.order_id); END;
