-- Reminders (SQLite). Twin: ../postgres/0027_reminders.sql.
-- reminder_rules: the office's rules (fieldcase_shared::reminder::Rule): an eye
-- exam `months` after the last prescription; new contact lenses when the supply
-- bought runs out (`days_per_unit` per unit sold); a reminder is made `lead_days`
-- before it is due. reminders: one per rule, customer and what it follows
-- (`basis`: the last prescription's day, or the contact-lens order's variable
-- symbol), so a run never makes it twice. The hub writes each into the adviser's
-- workspace as a task with the reminder's id (`pushed_at`: when); `planned_for`
-- and `done_at` come back from the phone (snoozed, done) through the projection.
CREATE TABLE reminder_rules (
    rule          TEXT PRIMARY KEY NOT NULL,
    months        INTEGER NOT NULL DEFAULT 0,
    days_per_unit INTEGER NOT NULL DEFAULT 0,
    lead_days     INTEGER NOT NULL DEFAULT 0,
    active        INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT reminder_rules_rule_check CHECK (rule IN ('eye_exam', 'contact_lenses')),
    CONSTRAINT reminder_rules_numbers_check CHECK (months BETWEEN 0 AND 120 AND days_per_unit BETWEEN 0 AND 3660 AND lead_days BETWEEN 0 AND 365)
);
INSERT INTO reminder_rules (rule, months, days_per_unit, lead_days, active) VALUES
    ('eye_exam', 24, 0, 14, 1),
    ('contact_lenses', 0, 30, 7, 1);
CREATE TABLE reminders (
    id          BLOB PRIMARY KEY NOT NULL,
    rule        TEXT NOT NULL REFERENCES reminder_rules (rule),
    client_id   BLOB NOT NULL REFERENCES clients (id),
    adviser_id  BLOB NOT NULL REFERENCES advisers (id),
    basis       TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    title       TEXT NOT NULL,
    planned_for TEXT NOT NULL,
    done_at     TEXT,
    pushed_at   TEXT,
    created_at  TEXT NOT NULL,
    CONSTRAINT reminders_once UNIQUE (rule, client_id, basis)
);
CREATE INDEX reminders_open_idx ON reminders (done_at, planned_for);
CREATE INDEX reminders_unpushed_idx ON reminders (pushed_at);
CREATE INDEX reminders_client_idx ON reminders (client_id);
