-- Segments of the customer base and the facts they filter on (PostgreSQL). Twin:
-- ../sqlite/0022_customer_segments.sql (what each part is for is said there). Here
-- one function recomputes the facts of some clients, one trigger function calls it
-- for the rows a changed order or prescription names, and three add a new order,
-- prescription or consent on their own.
CREATE TABLE customer_stats (
    client_id            UUID PRIMARY KEY,
    adviser_id           UUID,
    merged               BOOLEAN NOT NULL DEFAULT FALSE,
    town                 TEXT NOT NULL DEFAULT '',
    postal               TEXT NOT NULL DEFAULT '',
    orders               BIGINT NOT NULL DEFAULT 0,
    spend_haler          BIGINT NOT NULL DEFAULT 0,
    last_order_at        TIMESTAMPTZ,
    open_complaints      BIGINT NOT NULL DEFAULT 0,
    last_prescription_on DATE,
    email_ok             BOOLEAN NOT NULL DEFAULT FALSE,
    sms_ok               BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX customer_stats_adviser_idx ON customer_stats (adviser_id);

CREATE VIEW customer_facts AS
SELECT c.id AS client_id,
    (SELECT COUNT(*) FROM orders o WHERE o.client_id = c.id AND o.status <> 'cancelled') AS orders,
    (SELECT CAST(COALESCE(SUM(o.total_haler), 0) AS BIGINT) FROM orders o WHERE o.client_id = c.id AND o.status <> 'cancelled') AS spend_haler,
    (SELECT MAX(o.created_at) FROM orders o WHERE o.client_id = c.id AND o.status <> 'cancelled') AS last_order_at,
    (SELECT COUNT(*) FROM orders o WHERE o.client_id = c.id AND o.status = 'complaint') AS open_complaints,
    (SELECT MAX(p.measured_on) FROM prescriptions p WHERE p.client_id = c.id) AS last_prescription_on,
    COALESCE((SELECT x.granted FROM customer_consents x WHERE x.client_id = c.id AND x.channel = 'email'
              ORDER BY x.given_at DESC, x.id DESC LIMIT 1), FALSE) AS email_ok,
    COALESCE((SELECT x.granted FROM customer_consents x WHERE x.client_id = c.id AND x.channel = 'sms'
              ORDER BY x.given_at DESC, x.id DESC LIMIT 1), FALSE) AS sms_ok
FROM clients c;

CREATE FUNCTION customer_stats_refresh(ids UUID[]) RETURNS void LANGUAGE sql AS $$
    UPDATE customer_stats s SET (orders, spend_haler, last_order_at, open_complaints, last_prescription_on, email_ok, sms_ok) =
        (SELECT f.orders, f.spend_haler, f.last_order_at, f.open_complaints, f.last_prescription_on, f.email_ok, f.sms_ok
         FROM customer_facts f WHERE f.client_id = s.client_id)
    WHERE s.client_id = ANY (ids);
$$;

CREATE FUNCTION customer_stats_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM customer_stats_refresh(ARRAY[NEW.client_id]);
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM customer_stats_refresh(ARRAY[OLD.client_id, NEW.client_id]);
    ELSE
        PERFORM customer_stats_refresh(ARRAY[OLD.client_id]);
    END IF;
    RETURN NULL;
END;
$$;

-- A new order or prescription only adds itself (the bulk of writes).
CREATE FUNCTION customer_stats_add_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customer_stats SET
        orders = orders + CASE WHEN NEW.status <> 'cancelled' THEN 1 ELSE 0 END,
        spend_haler = spend_haler + CASE WHEN NEW.status <> 'cancelled' THEN NEW.total_haler ELSE 0 END,
        last_order_at = CASE WHEN NEW.status <> 'cancelled' AND (last_order_at IS NULL OR NEW.created_at > last_order_at)
                             THEN NEW.created_at ELSE last_order_at END,
        open_complaints = open_complaints + CASE WHEN NEW.status = 'complaint' THEN 1 ELSE 0 END
    WHERE client_id = NEW.client_id;
    RETURN NULL;
END;
$$;

CREATE FUNCTION customer_stats_add_prescription() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customer_stats SET last_prescription_on = GREATEST(last_prescription_on, NEW.measured_on)
    WHERE client_id = NEW.client_id;
    RETURN NULL;
END;
$$;

-- A new consent is the channel's current one unless a later one exists.
CREATE FUNCTION customer_stats_add_consent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM customer_consents y WHERE y.client_id = NEW.client_id AND y.channel = NEW.channel
                   AND (y.given_at > NEW.given_at OR (y.given_at = NEW.given_at AND y.id > NEW.id))) THEN
        UPDATE customer_stats SET
            email_ok = CASE WHEN NEW.channel = 'email' THEN NEW.granted ELSE email_ok END,
            sms_ok = CASE WHEN NEW.channel = 'sms' THEN NEW.granted ELSE sms_ok END
        WHERE client_id = NEW.client_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER customer_stats_new AFTER INSERT ON customer_stats
    FOR EACH ROW EXECUTE FUNCTION customer_stats_follow();
CREATE TRIGGER customer_stats_order_new AFTER INSERT ON orders
    FOR EACH ROW EXECUTE FUNCTION customer_stats_add_order();
CREATE TRIGGER customer_stats_orders AFTER DELETE OR UPDATE OF client_id, status, total_haler, created_at ON orders
    FOR EACH ROW EXECUTE FUNCTION customer_stats_follow();
CREATE TRIGGER customer_stats_prescription_new AFTER INSERT ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION customer_stats_add_prescription();
CREATE TRIGGER customer_stats_prescriptions AFTER DELETE OR UPDATE OF client_id, measured_on ON prescriptions
    FOR EACH ROW EXECUTE FUNCTION customer_stats_follow();
CREATE TRIGGER customer_stats_consents AFTER INSERT ON customer_consents
    FOR EACH ROW EXECUTE FUNCTION customer_stats_add_consent();

CREATE TABLE customer_segments (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL,
    criteria   TEXT NOT NULL,
    author     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT customer_segments_name_key UNIQUE (name)
);
