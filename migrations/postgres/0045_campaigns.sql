-- Campaigns (issue 15, slice 5): the draft and, once launched, its audience —
-- held out or sent (the outbox message, the unsubscribe link's token).
-- Twin: ../sqlite/0045_campaigns.sql, which says more.
CREATE TABLE campaigns (
    id           UUID PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    segment_id   UUID REFERENCES customer_segments (id) ON DELETE SET NULL,
    segment_name TEXT NOT NULL,
    criteria     TEXT NOT NULL DEFAULT '',
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    lang         TEXT NOT NULL DEFAULT 'cs',
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    per_hour     INTEGER NOT NULL CHECK (per_hour BETWEEN 1 AND 100000),
    holdout_pct  INTEGER NOT NULL CHECK (holdout_pct BETWEEN 0 AND 50),
    effect_days  INTEGER NOT NULL CHECK (effect_days BETWEEN 1 AND 365),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'launched', 'stopped')),
    event_id     BIGINT REFERENCES care_events (id),
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    launched_by  TEXT,
    launched_at  TIMESTAMPTZ
);
CREATE INDEX campaigns_created_idx ON campaigns (created_at);
CREATE TABLE campaign_recipients (
    campaign_id     UUID NOT NULL REFERENCES campaigns (id),
    client_id       UUID NOT NULL REFERENCES clients (id),
    held_out        BOOLEAN NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    token           TEXT,
    message_id      UUID REFERENCES notification_outbox (id),
    unsubscribed_at TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, client_id),
    CONSTRAINT campaign_recipients_token_key UNIQUE (token)
);
CREATE INDEX campaign_recipients_message_idx ON campaign_recipients (message_id);
ALTER TABLE care_events ADD COLUMN campaign_id UUID REFERENCES campaigns (id);
