-- GDPR erasure (issue 12, point 7): when a customer's personal data was erased.
-- The row stays (orders point to it) with its name, contacts, address and note
-- emptied; the projection never writes them back (a phone's late copy). Twin:
-- ../postgres/0029_customer_erasure.sql. What else an erasure removes and why the
-- workspace is rewritten: docs/decisions.md, "GDPR erasure".
ALTER TABLE clients ADD COLUMN erased_at TEXT;

-- The append-only histories (0010, 0019) give way to an erasure only: their rows
-- about an erased customer (their notes, calls and consents; their orders' notes
-- and changes) may be emptied or deleted, nothing else.
DROP TRIGGER customer_notes_no_update;
DROP TRIGGER customer_notes_no_delete;
DROP TRIGGER customer_consents_no_update;
DROP TRIGGER customer_consents_no_delete;
DROP TRIGGER order_notes_no_update;
DROP TRIGGER order_notes_no_delete;
DROP TRIGGER order_events_no_update;
DROP TRIGGER order_events_no_delete;
CREATE TRIGGER customer_notes_no_update BEFORE UPDATE ON customer_notes
WHEN NOT EXISTS (SELECT 1 FROM clients WHERE id = OLD.client_id AND erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'customer_notes is append-only'); END;
CREATE TRIGGER customer_notes_no_delete BEFORE DELETE ON customer_notes
WHEN NOT EXISTS (SELECT 1 FROM clients WHERE id = OLD.client_id AND erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'customer_notes is append-only'); END;
CREATE TRIGGER customer_consents_no_update BEFORE UPDATE ON customer_consents
WHEN NOT EXISTS (SELECT 1 FROM clients WHERE id = OLD.client_id AND erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'customer_consents is append-only'); END;
CREATE TRIGGER customer_consents_no_delete BEFORE DELETE ON customer_consents
WHEN NOT EXISTS (SELECT 1 FROM clients WHERE id = OLD.client_id AND erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'customer_consents is append-only'); END;
CREATE TRIGGER order_notes_no_update BEFORE UPDATE ON order_notes
WHEN NOT EXISTS (SELECT 1 FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.id = OLD.order_id AND c.erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'order_notes is append-only'); END;
CREATE TRIGGER order_notes_no_delete BEFORE DELETE ON order_notes
WHEN NOT EXISTS (SELECT 1 FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.id = OLD.order_id AND c.erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'order_notes is append-only'); END;
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
WHEN NOT EXISTS (SELECT 1 FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.id = OLD.order_id AND c.erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
WHEN NOT EXISTS (SELECT 1 FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.id = OLD.order_id AND c.erased_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
