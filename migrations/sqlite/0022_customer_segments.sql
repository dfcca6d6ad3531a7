-- Segments of the customer base and the facts they filter on (SQLite). Twin:
-- ../postgres/0022_customer_segments.sql.
-- customer_stats: one row per client, derived (no foreign key; rebuilt from the
-- other tables): what the hub writes when a client changes (adviser, merged, the
-- town folded without diacritics, the postal code's digits; customers/store/stats.rs)
-- and what triggers keep current in the same transaction as the rows they follow
-- (orders not cancelled, their total, the last one's time, orders in complaint, the
-- last prescription's date, the current e-mail / SMS consent), so a segment counts
-- on one table. customer_facts computes those for any client; triggers copy them
-- into the client's row when the row is first inserted and when an order or a
-- prescription of theirs changes or goes; a new order, prescription or consent
-- only adds itself (measured: recomputing on every insert made the demo's seeding
-- 7 s slower on SQLite, and PostgreSQL took 80 consents a second).
-- customer_segments: saved filters (their criteria as JSON, customers/segment.rs).
CREATE TABLE customer_stats (
    client_id            BLOB PRIMARY KEY NOT NULL,
    adviser_id           BLOB,
    merged               BOOLEAN NOT NULL DEFAULT FALSE,
    town                 TEXT NOT NULL DEFAULT '',
    postal               TEXT NOT NULL DEFAULT '',
    orders               INTEGER NOT NULL DEFAULT 0,
    spend_haler          INTEGER NOT NULL DEFAULT 0,
    last_order_at        TEXT,
    open_complaints      INTEGER NOT NULL DEFAULT 0,
    last_prescription_on TEXT,
    email_ok             BOOLEAN NOT NULL DEFAULT FALSE,
    sms_ok               BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX customer_stats_adviser_idx ON customer_stats (adviser_id);

CREATE VIEW customer_facts AS
SELECT c.id AS client_id,
    (SELECT COUNT(*) FROM orders o WHERE o.client_id = c.id AND o.status <> 'cancelled') AS orders,
    (SELECT COALESCE(SUM(o.total_haler), 0) FROM orders o WHERE o.client_id = c.id AND o.status <> 'cancelled') AS spend_haler,
    (SELECT MAX(o.created_at) FROM orders o WHERE o.client_id = c.id AND o.status <> 'cancelled') AS last_order_at,
    (SELECT COUNT(*) FROM orders o WHERE o.client_id = c.id AND o.status = 'complaint') AS open_complaints,
    (SELECT MAX(p.measured_on) FROM prescriptions p WHERE p.client_id = c.id) AS last_prescription_on,
    COALESCE((SELECT x.granted FROM customer_consents x WHERE x.client_id = c.id AND x.channel = 'email'
              ORDER BY x.given_at DESC, x.id DESC LIMIT 1), FALSE) AS email_ok,
    COALESCE((SELECT x.granted FROM customer_consents x WHERE x.client_id = c.id AND x.channel = 'sms'
              ORDER BY x.given_at DESC, x.id DESC LIMIT 1), FALSE) AS sms_ok
FROM clients c;

CREATE TRIGGER customer_stats_new AFTER INSERT ON customer_stats
BEGIN
    UPDATE customer_stats SET (orders, spend_haler, last_order_at, open_complaints, last_prescription_on, email_ok, sms_ok) =
        (SELECT f.orders, f.spend_haler, f.last_order_at, f.open_complaints, f.last_prescription_on, f.email_ok, f.sms_ok
         FROM customer_facts f WHERE f.client_id = customer_stats.client_id)
    WHERE client_id = NEW.client_id;
END;
-- A new order (the bulk of writes: the projection, imports) adds itself; the rarer
-- changes below compute the client's facts again.
CREATE TRIGGER customer_stats_order_new AFTER INSERT ON orders
BEGIN
    UPDATE customer_stats SET
        orders = orders + (NEW.status <> 'cancelled'),
        spend_haler = spend_haler + CASE WHEN NEW.status <> 'cancelled' THEN NEW.total_haler ELSE 0 END,
        last_order_at = CASE WHEN NEW.status <> 'cancelled' AND (last_order_at IS NULL OR NEW.created_at > last_order_at)
                             THEN NEW.created_at ELSE last_order_at END,
        open_complaints = open_complaints + (NEW.status = 'complaint')
    WHERE client_id = NEW.client_id;
END;
CREATE TRIGGER customer_stats_order_change AFTER UPDATE OF client_id, status, total_haler, created_at ON orders
BEGIN
    UPDATE customer_stats SET (orders, spend_haler, last_order_at, open_complaints, last_prescription_on, email_ok, sms_ok) =
        (SELECT f.orders, f.spend_haler, f.last_order_at, f.open_complaints, f.last_prescription_on, f.email_ok, f.sms_ok
         FROM customer_facts f WHERE f.client_id = customer_stats.client_id)
    WHERE client_id IN (OLD.client_id, NEW.client_id);
END;
CREATE TRIGGER customer_stats_order_gone AFTER DELETE ON orders
BEGIN
    UPDATE customer_stats SET (orders, spend_haler, last_order_at, open_complaints, last_prescription_on, email_ok, sms_ok) =
        (SELECT f.orders, f.spend_haler, f.last_order_at, f.open_complaints, f.last_prescription_on, f.email_ok, f.sms_ok
         FROM customer_facts f WHERE f.client_id = customer_stats.client_id)
    WHERE client_id = OLD.client_id;
END;
CREATE TRIGGER customer_stats_prescription_new AFTER INSERT ON prescriptions
BEGIN
    UPDATE customer_stats SET last_prescription_on = CASE
        WHEN last_prescription_on IS NULL OR NEW.measured_on > last_prescription_on THEN NEW.measured_on
        ELSE last_prescription_on END
    WHERE client_id = NEW.client_id;
END;
CREATE TRIGGER customer_stats_prescription_change AFTER UPDATE OF client_id, measured_on ON prescriptions
BEGIN
    UPDATE customer_stats SET (orders, spend_haler, last_order_at, open_complaints, last_prescription_on, email_ok, sms_ok) =
        (SELECT f.orders, f.spend_haler, f.last_order_at, f.open_complaints, f.last_prescription_on, f.email_ok, f.sms_ok
         FROM customer_facts f WHERE f.client_id = customer_stats.client_id)
    WHERE client_id IN (OLD.client_id, NEW.client_id);
END;
CREATE TRIGGER customer_stats_prescription_gone AFTER DELETE ON prescriptions
BEGIN
    UPDATE customer_stats SET (orders, spend_haler, last_order_at, open_complaints, last_prescription_on, email_ok, sms_ok) =
        (SELECT f.orders, f.spend_haler, f.last_order_at, f.open_complaints, f.last_prescription_on, f.email_ok, f.sms_ok
         FROM customer_facts f WHERE f.client_id = customer_stats.client_id)
    WHERE client_id = OLD.client_id;
END;
-- A new consent is the channel's current one unless a later one exists.
CREATE TRIGGER customer_stats_consent_new AFTER INSERT ON customer_consents
WHEN NOT EXISTS (SELECT 1 FROM customer_consents y WHERE y.client_id = NEW.client_id AND y.channel = NEW.channel
                 AND (y.given_at > NEW.given_at OR (y.given_at = NEW.given_at AND y.id > NEW.id)))
BEGIN
    UPDATE customer_stats SET
        email_ok = CASE WHEN NEW.channel = 'email' THEN NEW.granted ELSE email_ok END,
        sms_ok = CASE WHEN NEW.channel = 'sms' THEN NEW.granted ELSE sms_ok END
    WHERE client_id = NEW.client_id;
END;

CREATE TABLE customer_segments (
    id         BLOB PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    criteria   TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT customer_segments_name_key UNIQUE (name)
);
