-- Assignment by region (SQLite). Twin: ../postgres/0028_assignment_rules.sql.
-- A rule gives the customers whose postal code (5 digits, as customer_stats.postal
-- keeps them) lies in [postal_from, postal_to] to an adviser. Customers who arrive
-- without an adviser (the office's own, a store's, the e-shop's) are assigned by
-- the narrowest rule that covers them (customers/assign.rs); the office can move a
-- customer to any adviser by hand.
CREATE TABLE assignment_rules (
    id          BLOB PRIMARY KEY NOT NULL,
    postal_from TEXT NOT NULL,
    postal_to   TEXT NOT NULL,
    adviser_id  BLOB NOT NULL REFERENCES advisers (id),
    created_at  TEXT NOT NULL,
    CONSTRAINT assignment_rules_range_check CHECK (length(postal_from) = 5 AND length(postal_to) = 5 AND postal_from <= postal_to)
);
