-- Customer notifications (PostgreSQL). Twin: ../sqlite/0039_notifications.sql
-- (what they are is said there).
CREATE TABLE care_events (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind     TEXT NOT NULL,
    order_id UUID REFERENCES orders (id),
    status   TEXT NOT NULL DEFAULT '',
    planned  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX care_events_open_idx ON care_events (id) WHERE NOT planned;
CREATE FUNCTION care_event_order_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, order_id, status) VALUES ('order_status', NEW.id, NEW.status);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_order_status AFTER UPDATE OF status ON orders
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
    EXECUTE FUNCTION care_event_order_status();

CREATE TABLE notification_triggers (
    event      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT '',
    channel    TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    actor      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event, status, channel),
    CONSTRAINT notification_triggers_channel_check CHECK (channel IN ('email', 'sms'))
);

CREATE TABLE notification_templates (
    event      TEXT NOT NULL,
    channel    TEXT NOT NULL,
    lang       TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event, channel, lang),
    CONSTRAINT notification_templates_channel_check CHECK (channel IN ('email', 'sms'))
);

CREATE TABLE notification_outbox (
    id          UUID PRIMARY KEY NOT NULL,
    event_id    BIGINT NOT NULL REFERENCES care_events (id),
    channel     TEXT NOT NULL,
    order_id    UUID REFERENCES orders (id),
    client_id   UUID REFERENCES clients (id),
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    state       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TIMESTAMPTZ NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    provider_id TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    sent_at     TIMESTAMPTZ,
    CONSTRAINT notification_outbox_once UNIQUE (event_id, channel),
    CONSTRAINT notification_outbox_state_check CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped'))
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_at) WHERE state = 'pending';
CREATE INDEX notification_outbox_order_idx ON notification_outbox (order_id);
CREATE INDEX notification_outbox_client_idx ON notification_outbox (client_id);
