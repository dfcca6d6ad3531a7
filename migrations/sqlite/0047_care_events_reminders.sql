-- Two more events the notifications follow (issue 15). reminder_due: an office
-- reminder (an eye exam, new contact lenses) reaches the adviser's workspace —
-- the customer may be told it is time, the adviser pushed; written by the
-- trigger below when the hub marks the reminder pushed. record_rejected: the
-- hub's authority rejected a record an adviser's phone wrote — the adviser is
-- pushed, so the phone syncs and shows the inbox entry that explains it;
-- written by the hub's projector (the rejection lives in the workspace
-- document, not in a table). care_events.client_id: the customer an event
-- without an order concerns.
-- Twin: ../postgres/0047_care_events_reminders.sql.
ALTER TABLE care_events ADD COLUMN client_id BLOB REFERENCES clients (id);
CREATE TRIGGER care_events_reminder AFTER UPDATE OF pushed_at ON reminders
WHEN OLD.pushed_at IS NULL AND NEW.pushed_at IS NOT NULL
BEGIN INSERT INTO care_events (kind, client_id, adviser_id, detail) VALUES ('reminder_due', NEW.client_id, NEW.adviser_id, NEW.title); END;
