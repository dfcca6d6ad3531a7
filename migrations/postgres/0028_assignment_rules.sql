-- Assignment by region (PostgreSQL). Twin: ../sqlite/0028_assignment_rules.sql
-- (what a rule is and how it is used is said there).
CREATE TABLE assignment_rules (
    id          UUID PRIMARY KEY,
    postal_from TEXT NOT NULL,
    postal_to   TEXT NOT NULL,
    adviser_id  UUID NOT NULL REFERENCES advisers (id),
    created_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT assignment_rules_range_check CHECK (length(postal_from) = 5 AND length(postal_to) = 5 AND postal_from <= postal_to)
);
