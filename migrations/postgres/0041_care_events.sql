-- More events the notifications follow (issue 15, slice 1): money matched to an
-- order (a bank payment or the office's settlement: payment_allocations of kind
-- match or manual), a commission accrual line for an adviser, a payout request
-- rejected or paid. Each is written by a trigger in the transaction that makes it,
-- as an order's status change is (0039). care_events.adviser_id: whom an
-- adviser's event concerns (an order's events take the order's adviser);
-- amount_haler: the money of the event.
-- Twin: ../sqlite/0041_care_events.sql.
ALTER TABLE care_events ADD COLUMN adviser_id UUID REFERENCES advisers (id);
ALTER TABLE care_events ADD COLUMN amount_haler BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION care_event_payment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, order_id, amount_haler) VALUES ('payment_matched', NEW.order_id, NEW.amount_haler);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_payment AFTER INSERT ON payment_allocations
    FOR EACH ROW WHEN (NEW.amount_haler > 0 AND NEW.kind IN ('match', 'manual'))
    EXECUTE FUNCTION care_event_payment();

CREATE FUNCTION care_event_commission() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, order_id, adviser_id, amount_haler) VALUES ('commission_accrued', NEW.order_id, NEW.adviser_id, NEW.amount);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_commission AFTER INSERT ON commission_entries
    FOR EACH ROW WHEN (NEW.kind = 'accrual')
    EXECUTE FUNCTION care_event_commission();

CREATE FUNCTION care_event_payout() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, adviser_id, status, amount_haler) VALUES ('payout_decided', NEW.adviser_id, NEW.status, NEW.amount);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_payout AFTER UPDATE OF status ON payout_requests
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('rejected', 'paid'))
    EXECUTE FUNCTION care_event_payout();
