-- What a customer's e-mail carries, and complaints' tasks (issue 15): the events name the complaint and
-- the invoice they are about, so the message can attach the complaint protocol
-- (a decision) and the invoice (PDF). A final invoice issued for an order is an
-- event of its own (invoice_issued: the customer gets the invoice by e-mail as
-- the office's triggers say). The complaint triggers of 0042 are written again
-- with the complaint's id. A booking keeps the language of the page it was
-- asked for on (its messages use that language's templates, Czech when there
-- is none).
-- Twin: ../postgres/0044_care_attachments.sql.
ALTER TABLE care_events ADD COLUMN complaint_id BLOB REFERENCES complaints (id);
ALTER TABLE care_events ADD COLUMN invoice_id BLOB REFERENCES invoices (id);
ALTER TABLE bookings ADD COLUMN lang TEXT NOT NULL DEFAULT 'cs';

DROP TRIGGER care_events_complaint_opened;
CREATE TRIGGER care_events_complaint_opened AFTER INSERT ON complaints
BEGIN INSERT INTO care_events (kind, order_id, complaint_id, detail) VALUES ('complaint_opened', NEW.order_id, NEW.id, NEW.reason); END;

DROP TRIGGER care_events_complaint_decided;
CREATE TRIGGER care_events_complaint_decided AFTER UPDATE OF decision ON complaints
WHEN OLD.decision IS NULL AND NEW.decision IS NOT NULL
BEGIN INSERT INTO care_events (kind, order_id, complaint_id, status, detail) VALUES ('complaint_decided', NEW.order_id, NEW.id, NEW.decision, NEW.decision_reason); END;

CREATE TRIGGER care_events_invoice_issued AFTER INSERT ON invoices
WHEN NEW.kind = 'invoice' AND NEW.order_id IS NOT NULL
BEGIN INSERT INTO care_events (kind, order_id, invoice_id, detail) VALUES ('invoice_issued', NEW.order_id, NEW.id, NEW.number); END;

-- A complaint forwarded to the lab or accounting as a task (a remake or repair to
-- the lab, a refund to accounting, by the decision; or by hand with a note), done
-- once by that team.
CREATE TABLE complaint_tasks (
    id           BLOB PRIMARY KEY NOT NULL,
    complaint_id BLOB NOT NULL REFERENCES complaints (id),
    team         TEXT NOT NULL CHECK (team IN ('lab', 'accounting')),
    body         TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    done_by      TEXT,
    done_at      TEXT
);
CREATE INDEX complaint_tasks_open_idx ON complaint_tasks (team, created_at) WHERE done_at IS NULL;
CREATE INDEX complaint_tasks_complaint_idx ON complaint_tasks (complaint_id);
