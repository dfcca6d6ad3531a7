-- Eye-exam bookings (issue 15, slice 4): opening hours, closed days, the
-- optometrists' shifts, the bookings (a live one holds its slot: the partial
-- unique index lets exactly one of simultaneous requests in) and their events.
-- Twin: ../sqlite/0043_bookings.sql, which says more.
CREATE TABLE shop_hours (
    shop_id UUID NOT NULL REFERENCES shops (id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens   TEXT NOT NULL,
    closes  TEXT NOT NULL,
    PRIMARY KEY (shop_id, weekday)
);

CREATE TABLE shop_closed_days (
    shop_id UUID NOT NULL REFERENCES shops (id),
    day     TEXT NOT NULL,
    reason  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (shop_id, day)
);

CREATE TABLE exam_shifts (
    id          UUID PRIMARY KEY NOT NULL,
    shop_id     UUID NOT NULL REFERENCES shops (id),
    optometrist TEXT NOT NULL,
    day         TEXT NOT NULL,
    starts      TEXT NOT NULL,
    ends        TEXT NOT NULL,
    mobile      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX exam_shifts_day_idx ON exam_shifts (shop_id, day);

CREATE TABLE bookings (
    id          UUID PRIMARY KEY NOT NULL,
    shop_id     UUID NOT NULL REFERENCES shops (id),
    shift_id    UUID NOT NULL REFERENCES exam_shifts (id),
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'proposed', 'approved', 'cancelled', 'done')),
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    client_id   UUID REFERENCES clients (id),
    token       TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    decided_by  TEXT,
    decided_at  TIMESTAMPTZ,
    reminded_at TIMESTAMPTZ,
    result      TEXT NOT NULL DEFAULT '',
    result_by   TEXT,
    result_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX bookings_slot_once ON bookings (shift_id, starts_at) WHERE status IN ('pending', 'proposed', 'approved');
CREATE INDEX bookings_shop_day_idx ON bookings (shop_id, starts_at);
CREATE INDEX bookings_client_idx ON bookings (client_id);

ALTER TABLE care_events ADD COLUMN booking_id UUID REFERENCES bookings (id);

CREATE FUNCTION care_event_booking_requested() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, booking_id, status) VALUES ('booking_requested', NEW.id, NEW.status);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_booking_requested AFTER INSERT ON bookings
    FOR EACH ROW EXECUTE FUNCTION care_event_booking_requested();

CREATE FUNCTION care_event_booking_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, booking_id, status) VALUES ('booking_' || NEW.status, NEW.id, NEW.status);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_booking_status AFTER UPDATE OF status ON bookings
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('proposed', 'approved', 'cancelled'))
    EXECUTE FUNCTION care_event_booking_status();

CREATE FUNCTION care_event_booking_reminded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO care_events (kind, booking_id, status) VALUES ('booking_reminded', NEW.id, NEW.status);
    RETURN NULL;
END $$;
CREATE TRIGGER care_events_booking_reminded AFTER UPDATE OF reminded_at ON bookings
    FOR EACH ROW WHEN (OLD.reminded_at IS NULL AND NEW.reminded_at IS NOT NULL)
    EXECUTE FUNCTION care_event_booking_reminded();
