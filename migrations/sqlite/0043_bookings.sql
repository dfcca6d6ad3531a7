-- Eye-exam bookings (issue 15, slice 4). shop_hours: a store's opening hours per
-- weekday (1 Monday … 7 Sunday; a day without a row is closed). shop_closed_days:
-- holidays and other days a store is closed. exam_shifts: when an optometrist
-- examines at a store on a day (`mobile`: in the mobile examination room that
-- drives to customers from that store). bookings: a customer's request for a
-- slot of a shift — pending until the store's staff approve it or propose
-- another time (`proposed`, the customer confirms on the booking's page), then
-- approved, cancelled or done with the exam's result (a prescription, as JSON).
-- A live booking (pending, proposed, approved) holds its slot: the partial
-- unique index lets exactly one of simultaneous requests for a slot in. The
-- booking's secret token is its page (`/b/{token}`: cancel, another time).
-- Requesting, approving, proposing, cancelling and the reminder are events of
-- the notifications (care_events.booking_id), written by triggers.
-- Twin: ../postgres/0043_bookings.sql.
CREATE TABLE shop_hours (
    shop_id BLOB NOT NULL REFERENCES shops (id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens   TEXT NOT NULL,
    closes  TEXT NOT NULL,
    PRIMARY KEY (shop_id, weekday)
);

CREATE TABLE shop_closed_days (
    shop_id BLOB NOT NULL REFERENCES shops (id),
    day     TEXT NOT NULL,
    reason  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (shop_id, day)
);

CREATE TABLE exam_shifts (
    id          BLOB PRIMARY KEY NOT NULL,
    shop_id     BLOB NOT NULL REFERENCES shops (id),
    optometrist TEXT NOT NULL,
    day         TEXT NOT NULL,
    starts      TEXT NOT NULL,
    ends        TEXT NOT NULL,
    mobile      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX exam_shifts_day_idx ON exam_shifts (shop_id, day);

CREATE TABLE bookings (
    id          BLOB PRIMARY KEY NOT NULL,
    shop_id     BLOB NOT NULL REFERENCES shops (id),
    shift_id    BLOB NOT NULL REFERENCES exam_shifts (id),
    starts_at   TEXT NOT NULL,
    ends_at     TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'proposed', 'approved', 'cancelled', 'done')),
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    client_id   BLOB REFERENCES clients (id),
    token       TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    decided_by  TEXT,
    decided_at  TEXT,
    reminded_at TEXT,
    result      TEXT NOT NULL DEFAULT '',
    result_by   TEXT,
    result_at   TEXT
);
CREATE UNIQUE INDEX bookings_slot_once ON bookings (shift_id, starts_at) WHERE status IN ('pending', 'proposed', 'approved');
CREATE INDEX bookings_shop_day_idx ON bookings (shop_id, starts_at);
CREATE INDEX bookings_client_idx ON bookings (client_id);

ALTER TABLE care_events ADD COLUMN booking_id BLOB REFERENCES bookings (id);

CREATE TRIGGER care_events_booking_requested AFTER INSERT ON bookings
BEGIN INSERT INTO care_events (kind, booking_id, status) VALUES ('booking_requested', NEW.id, NEW.status); END;

CREATE TRIGGER care_events_booking_status AFTER UPDATE OF status ON bookings
WHEN NEW.status IS NOT OLD.status AND NEW.status IN ('proposed', 'approved', 'cancelled')
BEGIN INSERT INTO care_events (kind, booking_id, status) VALUES ('booking_' || NEW.status, NEW.id, NEW.status); END;

CREATE TRIGGER care_events_booking_reminded AFTER UPDATE OF reminded_at ON bookings
WHEN OLD.reminded_at IS NULL AND NEW.reminded_at IS NOT NULL
BEGIN INSERT INTO care_events (kind, booking_id, status) VALUES ('booking_reminded', NEW.id, NEW.status); END;
