-- Reminders (PostgreSQL). Twin: ../sqlite/0027_reminders.sql (what the tables and
-- columns are for is said there).
CREATE TABLE reminder_rules (
    rule          TEXT PRIMARY KEY,
    months        INTEGER NOT NULL DEFAULT 0,
    days_per_unit INTEGER NOT NULL DEFAULT 0,
    lead_days     INTEGER NOT NULL DEFAULT 0,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT reminder_rules_rule_check CHECK (rule IN ('eye_exam', 'contact_lenses')),
    CONSTRAINT reminder_rules_numbers_check CHECK (months BETWEEN 0 AND 120 AND days_per_unit BETWEEN 0 AND 3660 AND lead_days BETWEEN 0 AND 365)
);
INSERT INTO reminder_rules (rule, months, days_per_unit, lead_days, active) VALUES
    ('eye_exam', 24, 0, 14, TRUE),
    ('contact_lenses', 0, 30, 7, TRUE);
CREATE TABLE reminders (
    id          UUID PRIMARY KEY,
    rule        TEXT NOT NULL REFERENCES reminder_rules (rule),
    client_id   UUID NOT NULL REFERENCES clients (id),
    adviser_id  UUID NOT NULL REFERENCES advisers (id),
    basis       TEXT NOT NULL,
    due_on      DATE NOT NULL,
    title       TEXT NOT NULL,
    planned_for TEXT NOT NULL,
    done_at     TIMESTAMPTZ,
    pushed_at   TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT reminders_once UNIQUE (rule, client_id, basis)
);
CREATE INDEX reminders_open_idx ON reminders (done_at, planned_for);
CREATE INDEX reminders_unpushed_idx ON reminders (pushed_at);
CREATE INDEX reminders_client_idx ON reminders (client_id);
