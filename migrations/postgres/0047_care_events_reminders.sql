-- Two more events the notifications follow (issue 15): reminder_due (a
-- reminder reaches the adviser's workspace) and record_rejected (written by the
-- hub's projector); the customer an event without an order concerns.
-- Twin: ../sqlite/0047_care_events_reminders.sql, which says more.
ALTER TABLE care_events ADD COLUMN client_id UUID REFERENCES clients (id);

CREATE FUNCTION care_event_reminder() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, client_id, adviser_id, detail) VALUES ('reminder_due', NEW.client_id, NEW.adviser_id, NEW.title);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_reminder AFTER UPDATE OF pushed_at ON reminders
    FOR EACH ROW WHEN (OLD.pushed_at IS NULL AND NEW.pushed_at IS NOT NULL)
    EXECUTE FUNCTION care_event_reminder();
