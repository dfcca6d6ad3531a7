-- Campaigns (issue 15, slice 5): an e-mail or SMS to a saved segment's customers
-- who consent to the channel, sent through the outbox at a set rate, with a
-- random hold-out of the same audience that is not sent, so the campaign's
-- effect (orders and turnover within N days of the launch) is measured against
-- it. campaigns: the draft (its text with {first_name} / {last_name}, the rate
-- per hour, the hold-out's share, the days the effect is counted over) and, once
-- launched, the segment's criteria as they were and the one care event its
-- messages hang on (planned at once: the planner never sees it).
-- campaign_recipients: who was drawn into the campaign, held out or sent (their
-- message in the outbox, the secret token of their unsubscribe link, when they
-- used it). A customer's own unsubscribe is also a consent row (withdrawn).
-- Twin: ../postgres/0045_campaigns.sql.
CREATE TABLE campaigns (
    id           BLOB PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    segment_id   BLOB REFERENCES customer_segments (id) ON DELETE SET NULL,
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
    event_id     INTEGER REFERENCES care_events (id),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    launched_by  TEXT,
    launched_at  TEXT
);
CREATE INDEX campaigns_created_idx ON campaigns (created_at);
CREATE TABLE campaign_recipients (
    campaign_id     BLOB NOT NULL REFERENCES campaigns (id),
    client_id       BLOB NOT NULL REFERENCES clients (id),
    held_out        BOOLEAN NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    token           TEXT,
    message_id      BLOB REFERENCES notification_outbox (id),
    unsubscribed_at TEXT,
    PRIMARY KEY (campaign_id, client_id),
    CONSTRAINT campaign_recipients_token_key UNIQUE (token)
);
CREATE INDEX campaign_recipients_message_idx ON campaign_recipients (message_id);
ALTER TABLE care_events ADD COLUMN campaign_id BLOB REFERENCES campaigns (id);
