-- What a customer's e-mail carries (issue 15): the events name the complaint and
-- the invoice they are about; a final invoice issued for an order is an event;
-- a booking keeps the language it was asked for in.
-- Twin: ../sqlite/0044_care_attachments.sql, which says more.
ALTER TABLE care_events ADD COLUMN complaint_id UUID REFERENCES complaints (id);
ALTER TABLE care_events ADD COLUMN invoice_id UUID REFERENCES invoices (id);
ALTER TABLE bookings ADD COLUMN lang TEXT NOT NULL DEFAULT 'cs';

CREATE OR REPLACE FUNCTION care_event_complaint_opened() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, order_id, complaint_id, detail) VALUES ('complaint_opened', NEW.order_id, NEW.id, NEW.reason);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION care_event_complaint_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, order_id, complaint_id, status, detail) VALUES ('complaint_decided', NEW.order_id, NEW.id, NEW.decision, NEW.decision_reason);
    RETURN NULL;
END $$;

CREATE FUNCTION care_event_invoice_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, order_id, invoice_id, detail) VALUES ('invoice_issued', NEW.order_id, NEW.id, NEW.number);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_invoice_issued AFTER INSERT ON invoices
    FOR EACH ROW WHEN (NEW.kind = 'invoice' AND NEW.order_id IS NOT NULL)
    EXECUTE FUNCTION care_event_invoice_issued();

-- A complaint forwarded to the lab or accounting as a task, done once by that team.
CREATE TABLE complaint_tasks (
    id           UUID PRIMARY KEY NOT NULL,
    complaint_id UUID NOT NULL REFERENCES complaints (id),
    team         TEXT NOT NULL CHECK (team IN ('lab', 'accounting')),
    body         TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    done_by      TEXT,
    done_at      TIMESTAMPTZ
);
CREATE INDEX complaint_tasks_open_idx ON complaint_tasks (team, created_at) WHERE done_at IS NULL;
CREATE INDEX complaint_tasks_complaint_idx ON complaint_tasks (complaint_id);
