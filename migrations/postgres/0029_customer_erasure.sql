-- GDPR erasure (PostgreSQL). Twin: ../sqlite/0029_customer_erasure.sql (what it
-- is for is said there).
ALTER TABLE clients ADD COLUMN erased_at TIMESTAMPTZ;

-- The append-only histories give way to an erasure only (see the twin).
CREATE FUNCTION append_only_unless_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME IN ('customer_notes', 'customer_consents') THEN
        IF EXISTS (SELECT 1 FROM clients WHERE id = OLD.client_id AND erased_at IS NOT NULL) THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
    ELSIF EXISTS (SELECT 1 FROM orders o JOIN clients c ON c.id = o.client_id
                  WHERE o.id = OLD.order_id AND c.erased_at IS NOT NULL) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
DROP TRIGGER customer_notes_append_only ON customer_notes;
DROP TRIGGER customer_consents_append_only ON customer_consents;
DROP TRIGGER order_events_append_only ON order_events;
DROP TRIGGER order_notes_append_only ON order_notes;
CREATE TRIGGER customer_notes_append_only BEFORE UPDATE OR DELETE ON customer_notes
    FOR EACH ROW EXECUTE FUNCTION append_only_unless_erased();
CREATE TRIGGER customer_consents_append_only BEFORE UPDATE OR DELETE ON customer_consents
    FOR EACH ROW EXECUTE FUNCTION append_only_unless_erased();
CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE ON order_events
    FOR EACH ROW EXECUTE FUNCTION append_only_unless_erased();
CREATE TRIGGER order_notes_append_only BEFORE UPDATE OR DELETE ON order_notes
    FOR EACH ROW EXECUTE FUNCTION append_only_unless_erased();
