-- A customer's communication history and marketing consent (PostgreSQL). Twin:
-- ../sqlite/0019_customer_history.sql (what the tables hold is described there).
-- Append-only through append_only() from 0010.
CREATE TABLE customer_notes (
    id        UUID PRIMARY KEY,
    client_id UUID NOT NULL,
    kind      TEXT NOT NULL,
    body      TEXT NOT NULL,
    author_id UUID,
    author    TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT customer_notes_kind_check CHECK (kind IN ('note', 'call_in', 'call_out'))
);
CREATE INDEX customer_notes_client_idx ON customer_notes (client_id, at);
CREATE TRIGGER customer_notes_append_only BEFORE UPDATE OR DELETE ON customer_notes
    FOR EACH ROW EXECUTE FUNCTION append_only();

CREATE TABLE customer_consents (
    id          UUID PRIMARY KEY,
    client_id   UUID NOT NULL,
    channel     TEXT NOT NULL,
    granted     BOOLEAN NOT NULL,
    given_at    TIMESTAMPTZ NOT NULL,
    place       TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '',
    author_id   UUID,
    author      TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT customer_consents_channel_check CHECK (channel IN ('email', 'sms'))
);
CREATE INDEX customer_consents_client_idx ON customer_consents (client_id, channel, given_at, id);
CREATE TRIGGER customer_consents_append_only BEFORE UPDATE OR DELETE ON customer_consents
    FOR EACH ROW EXECUTE FUNCTION append_only();
