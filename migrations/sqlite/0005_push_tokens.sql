-- Push tokens of advisers' devices (SQLite). Twin: ../postgres/0005_push_tokens.sql.
-- One current token per device (FCM registration token or APNs device token).
CREATE TABLE push_tokens (
    device_id   BLOB PRIMARY KEY NOT NULL REFERENCES devices (id),
    platform    TEXT NOT NULL,
    token       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CONSTRAINT push_tokens_platform_check CHECK (platform IN ('android','ios'))
);
