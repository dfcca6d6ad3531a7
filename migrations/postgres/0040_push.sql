-- Push to advisers' phones (issue 15, slice 2): 'push' becomes a channel of the
-- triggers, templates and outbox; a push goes to each of the adviser's phones, so
-- the outbox keeps one message per event, channel and recipient (the recipient of
-- a push is the device; e-mail and SMS have one recipient per event, as before),
-- and a push message names its device.
-- Twin: ../sqlite/0040_push.sql.
ALTER TABLE notification_triggers DROP CONSTRAINT notification_triggers_channel_check;
ALTER TABLE notification_triggers ADD CONSTRAINT notification_triggers_channel_check CHECK (channel IN ('email', 'sms', 'push'));
ALTER TABLE notification_templates DROP CONSTRAINT notification_templates_channel_check;
ALTER TABLE notification_templates ADD CONSTRAINT notification_templates_channel_check CHECK (channel IN ('email', 'sms', 'push'));

ALTER TABLE notification_outbox ADD COLUMN device_id UUID REFERENCES devices (id);
ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_once;
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_once UNIQUE (event_id, channel, recipient);
ALTER TABLE notification_outbox ADD CONSTRAINT notification_outbox_channel_check CHECK (channel IN ('email', 'sms', 'push'));
CREATE INDEX notification_outbox_device_idx ON notification_outbox (device_id);
