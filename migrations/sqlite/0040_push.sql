-- Push to advisers' phones (issue 15, slice 2): 'push' becomes a channel of the
-- triggers, templates and outbox; a push goes to each of the adviser's phones, so
-- the outbox keeps one message per event, channel and recipient (the recipient of
-- a push is the device; e-mail and SMS have one recipient per event, as before),
-- and a push message names its device. SQLite cannot change a table's checks or
-- unique keys, so the three tables are rebuilt with their rows.
-- Twin: ../postgres/0040_push.sql.
CREATE TABLE notification_triggers_new (
    event      TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT '',
    channel    TEXT NOT NULL,
    enabled    BOOLEAN NOT NULL,
    actor      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (event, status, channel),
    CONSTRAINT notification_triggers_channel_check CHECK (channel IN ('email', 'sms', 'push'))
);
INSERT INTO notification_triggers_new SELECT event, status, channel, enabled, actor, updated_at FROM notification_triggers;
DROP TABLE notification_triggers;
ALTER TABLE notification_triggers_new RENAME TO notification_triggers;

CREATE TABLE notification_templates_new (
    event      TEXT NOT NULL,
    channel    TEXT NOT NULL,
    lang       TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (event, channel, lang),
    CONSTRAINT notification_templates_channel_check CHECK (channel IN ('email', 'sms', 'push'))
);
INSERT INTO notification_templates_new SELECT event, channel, lang, subject, body, actor, updated_at FROM notification_templates;
DROP TABLE notification_templates;
ALTER TABLE notification_templates_new RENAME TO notification_templates;

CREATE TABLE notification_outbox_new (
    id          BLOB PRIMARY KEY NOT NULL,
    event_id    INTEGER NOT NULL REFERENCES care_events (id),
    channel     TEXT NOT NULL,
    order_id    BLOB REFERENCES orders (id),
    client_id   BLOB REFERENCES clients (id),
    device_id   BLOB REFERENCES devices (id),
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
    CONSTRAINT notification_outbox_once UNIQUE (event_id, channel, recipient),
    CONSTRAINT notification_outbox_channel_check CHECK (channel IN ('email', 'sms', 'push')),
    CONSTRAINT notification_outbox_state_check CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped'))
);
INSERT INTO notification_outbox_new (id, event_id, channel, order_id, client_id, recipient, subject, body, state, reason, attempts, next_at, last_error, provider_id, created_at, sent_at)
SELECT id, event_id, channel, order_id, client_id, recipient, subject, body, state, reason, attempts, next_at, last_error, provider_id, created_at, sent_at FROM notification_outbox;
DROP TABLE notification_outbox;
ALTER TABLE notification_outbox_new RENAME TO notification_outbox;
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_at) WHERE state = 'pending';
CREATE INDEX notification_outbox_order_idx ON notification_outbox (order_id);
CREATE INDEX notification_outbox_client_idx ON notification_outbox (client_id);
CREATE INDEX notification_outbox_device_idx ON notification_outbox (device_id);
