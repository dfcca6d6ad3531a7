-- Commission accrual (PostgreSQL). Twin: ../sqlite/0036_commission_accrual.sql
-- (what it is is said there). Here a trigger raises the queued order's seq, which
-- locks its queue row until the changing transaction ends: the job deletes a row
-- only at the seq it read, so a change it could not see keeps the order queued.
ALTER TABLE commission_entries ADD COLUMN rule_id UUID;
ALTER TABLE commission_entries ADD COLUMN rule_version BIGINT;
ALTER TABLE commission_entries ADD COLUMN cycle BIGINT NOT NULL DEFAULT 0;
ALTER TABLE commission_entries ADD COLUMN reverses_id UUID REFERENCES commission_entries (id);
ALTER TABLE commission_entries ADD COLUMN explanation TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX commission_entries_accrued_once
    ON commission_entries (order_id, adviser_id, rule_id, cycle) WHERE kind = 'accrual' AND rule_id IS NOT NULL;
CREATE UNIQUE INDEX commission_entries_reversed_once
    ON commission_entries (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX commission_entries_order_idx ON commission_entries (order_id);
CREATE TRIGGER commission_entries_append_only BEFORE UPDATE OR DELETE ON commission_entries
    FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE TABLE commission_queue (
    order_id UUID PRIMARY KEY NOT NULL REFERENCES orders (id),
    seq      BIGINT NOT NULL DEFAULT 1
);
CREATE FUNCTION commission_enqueue(queued UUID) RETURNS void LANGUAGE sql AS $$
    INSERT INTO commission_queue (order_id) VALUES (queued)
    ON CONFLICT (order_id) DO UPDATE SET seq = commission_queue.seq + 1
$$;
CREATE FUNCTION commission_enqueue_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM commission_enqueue(NEW.id);
    RETURN NULL;
END $$;
CREATE FUNCTION commission_enqueue_by_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM commission_enqueue(NEW.order_id);
    RETURN NULL;
END $$;
CREATE TRIGGER commission_queue_order_insert AFTER INSERT ON orders
    FOR EACH ROW WHEN (NEW.status IN ('delivered', 'closed', 'complaint', 'cancelled'))
    EXECUTE FUNCTION commission_enqueue_order();
CREATE TRIGGER commission_queue_order_update AFTER UPDATE OF status, total_haler, deposit_haler ON orders
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.total_haler <> OLD.total_haler OR NEW.deposit_haler <> OLD.deposit_haler)
    EXECUTE FUNCTION commission_enqueue_order();
CREATE TRIGGER commission_queue_settled AFTER INSERT OR UPDATE ON order_settled
    FOR EACH ROW EXECUTE FUNCTION commission_enqueue_by_order();
CREATE TRIGGER commission_queue_credit_note AFTER INSERT ON invoices
    FOR EACH ROW WHEN (NEW.kind = 'credit_note' AND NEW.order_id IS NOT NULL)
    EXECUTE FUNCTION commission_enqueue_by_order();
