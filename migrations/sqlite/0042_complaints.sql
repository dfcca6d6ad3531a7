-- Complaints (reklamace; issue 15, slice 3). complaints: one per complaint about
-- an order — who opened it and how (the office, a store, customer service, or the
-- customer on the order's public page), the reason, when it was opened and its
-- statutory deadline (30 days), and once decided the decision (repair, remake,
-- refund, reject) with its reason, who and when (decided once: the row is never
-- reopened). complaint_items: which of the order's lines it is about (their text
-- as it was). complaint_notes: staff notes, append-only. complaint_photos: photos
-- the customer or staff uploaded; the bytes are in the blob store under the
-- photo's id, checked (an image, not too big) before they are kept. Opening and
-- deciding are events of the notifications (care_events.detail: the complaint's
-- reason, or the decision's), written by triggers in the same transaction.
-- Twin: ../postgres/0042_complaints.sql.
CREATE TABLE complaints (
    id              BLOB PRIMARY KEY NOT NULL,
    number          TEXT NOT NULL UNIQUE,
    order_id        BLOB NOT NULL REFERENCES orders (id),
    opened_via      TEXT NOT NULL CHECK (opened_via IN ('office', 'store', 'care', 'customer')),
    opened_by       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    opened_at       TEXT NOT NULL,
    deadline_at     TEXT NOT NULL,
    decision        TEXT CHECK (decision IN ('repair', 'remake', 'refund', 'reject')),
    decision_reason TEXT NOT NULL DEFAULT '',
    decided_by      TEXT,
    decided_at      TEXT
);
CREATE INDEX complaints_order_idx ON complaints (order_id);
CREATE INDEX complaints_open_idx ON complaints (deadline_at) WHERE decision IS NULL;

CREATE TABLE complaint_items (
    complaint_id BLOB NOT NULL REFERENCES complaints (id),
    line_id      BLOB NOT NULL REFERENCES order_lines (id),
    text         TEXT NOT NULL,
    PRIMARY KEY (complaint_id, line_id)
);

CREATE TABLE complaint_notes (
    id           BLOB PRIMARY KEY NOT NULL,
    complaint_id BLOB NOT NULL REFERENCES complaints (id),
    author       TEXT NOT NULL,
    body         TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX complaint_notes_idx ON complaint_notes (complaint_id, at);

CREATE TABLE complaint_photos (
    id           BLOB PRIMARY KEY NOT NULL,
    complaint_id BLOB NOT NULL REFERENCES complaints (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    added_by     TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX complaint_photos_idx ON complaint_photos (complaint_id);

ALTER TABLE care_events ADD COLUMN detail TEXT NOT NULL DEFAULT '';

CREATE TRIGGER care_events_complaint_opened AFTER INSERT ON complaints
BEGIN INSERT INTO care_events (kind, order_id, detail) VALUES ('complaint_opened', NEW.order_id, NEW.reason); END;

CREATE TRIGGER care_events_complaint_decided AFTER UPDATE OF decision ON complaints
WHEN OLD.decision IS NULL AND NEW.decision IS NOT NULL
BEGIN INSERT INTO care_events (kind, order_id, status, detail) VALUES ('complaint_decided', NEW.order_id, NEW.decision, NEW.decision_reason); END;
