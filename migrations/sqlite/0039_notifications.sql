-- Customer notifications (issue 15, slice 1). care_events: what happened that a
-- customer may be told of; an order's status change is written by the trigger
-- below in the transaction that changes it (the office, the API, a phone's
-- projection alike), so no path can forget it; `planned` once the planner has
-- turned it into messages. notification_triggers: which status change sends on
-- which channel. notification_templates: per event, channel and language the
-- subject and body with {variables}. notification_outbox: one message per event
-- and channel (unique: planning twice sends once), its recipient and text as
-- rendered, its state (pending, sending, sent, failed, skipped with the reason),
-- attempts, the next attempt (back-off, SMS quiet hours) and the last error.
-- Twin: ../postgres/0039_notifications.sql.
CREATE TABLE care_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind     TEXT NOT NULL,
    order_id BLOB REFERENCES orders (id),
    status   TEXT NOT NULL DEFAULT '',
    planned  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX care_events_open_idx ON care_events (id) WHERE NOT planned;
CREATE TRIGGER care_events_order_status AFTER UPDATE OF status ON orders
WHEN NEW.status IS NOT OLD.status
BEGIN INSERT INTO care_events (kind, order_id, status) VALUES ('order_status', NEW.id, NEW.status); END;

CREATE TABLE notification_triggers (
    event      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT '',
    channel    TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    actor      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
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
    updated_at TEXT NOT NULL,
    PRIMARY KEY (event, channel, lang),
    CONSTRAINT notification_templates_channel_check CHECK (channel IN ('email', 'sms'))
);

CREATE TABLE notification_outbox (
    id          BLOB PRIMARY KEY NOT NULL,
    event_id    INTEGER NOT NULL REFERENCES care_events (id),
    channel     TEXT NOT NULL,
    order_id    BLOB REFERENCES orders (id),
    client_id   BLOB REFERENCES clients (id),
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    state       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    provider_id TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    CONSTRAINT notification_outbox_once UNIQUE (event_id, channel),
    CONSTRAINT notification_outbox_state_check CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped'))
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_at) WHERE state = 'pending';
CREATE INDEX notification_outbox_order_idx ON notification_outbox (order_id);
CREATE INDEX notification_outbox_client_idx ON notification_outbox (client_id);
