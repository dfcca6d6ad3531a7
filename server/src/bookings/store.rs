//! Bookings in SQL (migration 0043): a store's opening hours, closed days and
//! the optometrists' shifts; a day's plan (what the slots are cut from, and the
//! slots held); bookings inserted (the partial unique index lets one live
//! booking hold a slot: a second is `StoreError::Duplicate`), read, moved and
//! changed compare-and-set (the status it must have), their result recorded, the
//! day-before reminders marked. Every staff write audited; the events of the
//! notifications come from the table's triggers.

use async_trait::async_trait;
use fieldcase_shared::ClientId;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::rules::{Hours, Shift, Slot, Status, parse_time, time_text};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, write_tx};

/// What a day's slots are cut from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayPlan {
    pub hours: Option<Hours>,
    pub closed: bool,
    pub shifts: Vec<Shift>,
    /// The live bookings' shift and start.
    pub taken: Vec<(Uuid, OffsetDateTime)>,
}

/// A booking as it is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub id: Uuid,
    pub shop: Uuid,
    pub slot: Slot,
    pub contact: super::rules::Contact,
    pub client: Option<ClientId>,
    pub token: String,
}

/// A booking.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Booking {
    pub id: Uuid,
    pub shop_id: Uuid,
    pub shop_name: String,
    pub shop_address: String,
    pub shift_id: Uuid,
    pub optometrist: String,
    pub mobile: bool,
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub status: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub note: String,
    pub client_id: Option<Uuid>,
    pub token: String,
    pub created_at: OffsetDateTime,
    pub decided_by: Option<String>,
    pub result: String,
}

impl Booking {
    /// Its status (an unknown stored code is a corrupt row).
    pub fn status(&self) -> StoreResult<Status> {
        Status::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("booking status {:?}", self.status)))
    }

    /// Where the exam takes place.
    pub fn place(&self) -> &str {
        if self.mobile {
            &self.address
        } else {
            &self.shop_address
        }
    }
}

/// Which bookings a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BookingFilter {
    pub shop: Option<Uuid>,
    /// From this moment on (none: any).
    pub from: Option<OffsetDateTime>,
    /// Only these waiting for the store.
    pub pending_only: bool,
    pub client: Option<ClientId>,
}

/// Bookings.
#[async_trait]
pub trait BookingStore: Send + Sync {
    /// Replaces a store's opening hours (audited).
    async fn set_hours(&self, actor: &Actor, shop: Uuid, hours: &[Hours]) -> StoreResult<()>;
    /// A store's opening hours.
    async fn hours(&self, shop: Uuid) -> StoreResult<Vec<Hours>>;
    /// Marks a day closed (audited; again: the reason replaced).
    async fn close_day(
        &self,
        actor: &Actor,
        shop: Uuid,
        day: Date,
        reason: &str,
    ) -> StoreResult<()>;
    /// Adds a shift (audited).
    async fn add_shift(&self, actor: &Actor, shift: &Shift) -> StoreResult<()>;
    /// The shifts of a store from `from` to `to` (days, inclusive).
    async fn exam_shifts(&self, shop: Uuid, from: Date, to: Date) -> StoreResult<Vec<Shift>>;
    /// What `day`'s slots at `shop` are cut from.
    async fn day_plan(&self, shop: Uuid, day: Date) -> StoreResult<DayPlan>;
    /// Inserts a booking (pending); `Duplicate` when its slot is held.
    async fn insert_booking(&self, b: &NewBooking) -> StoreResult<()>;
    /// One booking.
    async fn booking(&self, id: Uuid) -> StoreResult<Option<Booking>>;
    /// The booking of a page's token.
    async fn booking_by_token(&self, token: &str) -> StoreResult<Option<Booking>>;
    /// The bookings `filter` picks, by their start; at most `limit`.
    async fn bookings(&self, filter: BookingFilter, limit: i64) -> StoreResult<Vec<Booking>>;
    /// Sets the status if it is one of `from` (audited when a staff member does
    /// it); false when it was not.
    async fn set_booking_status(
        &self,
        actor: &Actor,
        id: Uuid,
        from: &[Status],
        to: Status,
    ) -> StoreResult<bool>;
    /// Moves a booking to `slot` with status `to` if its status is one of
    /// `from`; false when it was not; `Duplicate` when the slot is held.
    async fn move_booking(
        &self,
        actor: &Actor,
        id: Uuid,
        from: &[Status],
        slot: &Slot,
        to: Status,
    ) -> StoreResult<bool>;
    /// Records the exam's result of an approved booking (it is then done);
    /// false when it was not approved.
    async fn record_result(&self, actor: &Actor, id: Uuid, result: &str) -> StoreResult<bool>;
    /// Marks the approved bookings starting in `[from, to)`, approved before
    /// `decided_before` and not reminded yet, as reminded at `at` (their events
    /// follow); how many.
    async fn mark_reminders(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        decided_before: OffsetDateTime,
        at: OffsetDateTime,
    ) -> StoreResult<u64>;
    /// A customer with this e-mail or phone (`+420 …`), if any.
    async fn client_by_contact(&self, email: &str, phone: &str) -> StoreResult<Option<ClientId>>;
}

const COLUMNS: &str = "b.id, b.shop_id, s.name AS shop_name, (s.street || ', ' || s.city) AS shop_address, b.shift_id, \
     x.optometrist, x.mobile, b.starts_at, b.ends_at, b.status, b.name, b.email, b.phone, b.address, b.note, b.client_id, b.token, \
     b.created_at, b.decided_by, b.result \
     FROM bookings b JOIN shops s ON s.id = b.shop_id JOIN exam_shifts x ON x.id = b.shift_id";

type ShiftRow = (Uuid, Uuid, String, String, String, String, bool);

fn shift(r: ShiftRow) -> StoreResult<Shift> {
    let (id, shop, optometrist, day, starts, ends, mobile) = r;
    let corrupt = || StoreError::Corrupt(format!("exam shift {id}"));
    Ok(Shift {
        id,
        shop,
        optometrist,
        day: fieldcase_shared::calendar::parse_day(&day).ok_or_else(corrupt)?,
        starts: parse_time(&starts).ok_or_else(corrupt)?,
        ends: parse_time(&ends).ok_or_else(corrupt)?,
        mobile,
    })
}

fn hours_of(rows: Vec<(i32, String, String)>) -> StoreResult<Vec<Hours>> {
    rows.into_iter()
        .map(|(weekday, opens, closes)| {
            let corrupt = || StoreError::Corrupt(format!("opening hours {weekday}"));
            Ok(Hours {
                weekday: u8::try_from(weekday).map_err(|_| corrupt())?,
                opens: parse_time(&opens).ok_or_else(corrupt)?,
                closes: parse_time(&closes).ok_or_else(corrupt)?,
            })
        })
        .collect()
}

fn codes(statuses: &[Status]) -> String {
    statuses
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs the UPDATE `q` with `binds` in a writing transaction, and when it changed
/// a row, its audit entry; whether it did.
macro_rules! audited_update {
    ($self:expr, $q:expr, [$($bind:expr),* $(,)?], $actor:expr, $action:expr, $id:expr, $detail:expr) => {
        on_db!($self, pool => {
            let mut tx = write_tx(pool).await?;
            let n = sqlx::query(sqlx::AssertSqlSafe($q))
                $(.bind($bind))*
                .execute(&mut *tx)
                .await
                .classify()?
                .rows_affected();
            if n > 0 {
                audit_in!(&mut *tx, $actor, $action, $id.to_string(), $detail)?;
            }
            tx.commit().await.classify()?;
            n > 0
        })
    };
}

#[async_trait]
impl BookingStore for SqlStore {
    async fn set_hours(&self, actor: &Actor, shop: Uuid, hours: &[Hours]) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query("DELETE FROM shop_hours WHERE shop_id = $1").bind(shop).execute(&mut *tx).await.classify()?;
            for h in hours {
                sqlx::query("INSERT INTO shop_hours (shop_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)")
                    .bind(shop)
                    .bind(i32::from(h.weekday))
                    .bind(time_text(h.opens))
                    .bind(time_text(h.closes))
                    .execute(&mut *tx)
                    .await
                    .classify()?;
            }
            let text = hours.iter().map(|h| format!("{} {}–{}", h.weekday, time_text(h.opens), time_text(h.closes))).collect::<Vec<_>>().join(", ");
            audit_in!(&mut *tx, actor, "booking.hours", shop.to_string(), text)?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn hours(&self, shop: Uuid) -> StoreResult<Vec<Hours>> {
        let rows: Vec<(i32, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT CAST(weekday AS INTEGER), opens, closes FROM shop_hours WHERE shop_id = $1 ORDER BY weekday",
        )
        .bind(shop)
        .fetch_all(pool)
        .await
        .classify())?;
        hours_of(rows)
    }

    async fn close_day(
        &self,
        actor: &Actor,
        shop: Uuid,
        day: Date,
        reason: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO shop_closed_days (shop_id, day, reason) VALUES ($1, $2, $3) \
                 ON CONFLICT (shop_id, day) DO UPDATE SET reason = excluded.reason",
            )
            .bind(shop)
            .bind(day.to_string())
            .bind(reason)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "booking.closed", shop.to_string(), format!("{day} {reason}"))?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn add_shift(&self, actor: &Actor, s: &Shift) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO exam_shifts (id, shop_id, optometrist, day, starts, ends, mobile) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(s.id)
            .bind(s.shop)
            .bind(&s.optometrist)
            .bind(s.day.to_string())
            .bind(time_text(s.starts))
            .bind(time_text(s.ends))
            .bind(s.mobile)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "booking.shift", s.id.to_string(), format!("{} {} {}–{}", s.optometrist, s.day, time_text(s.starts), time_text(s.ends)))?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn exam_shifts(&self, shop: Uuid, from: Date, to: Date) -> StoreResult<Vec<Shift>> {
        let rows: Vec<ShiftRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, shop_id, optometrist, day, starts, ends, mobile FROM exam_shifts \
             WHERE shop_id = $1 AND day >= $2 AND day <= $3 ORDER BY day, starts, optometrist",
        )
        .bind(shop)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(pool)
        .await
        .classify())?;
        rows.into_iter().map(shift).collect()
    }

    async fn day_plan(&self, shop: Uuid, day: Date) -> StoreResult<DayPlan> {
        let weekday = i32::from(day.weekday().number_from_monday());
        let shifts = self.exam_shifts(shop, day, day).await?;
        let (hours, closed, taken) = on_db!(self, pool => {
            let hours: Vec<(i32, String, String)> = sqlx::query_as(
                "SELECT CAST(weekday AS INTEGER), opens, closes FROM shop_hours WHERE shop_id = $1 AND weekday = $2",
            )
            .bind(shop)
            .bind(weekday)
            .fetch_all(pool)
            .await
            .classify()?;
            let closed: Option<(String,)> = sqlx::query_as("SELECT reason FROM shop_closed_days WHERE shop_id = $1 AND day = $2")
                .bind(shop)
                .bind(day.to_string())
                .fetch_optional(pool)
                .await
                .classify()?;
            let ids: Vec<Uuid> = shifts.iter().map(|s| s.id).collect();
            let mut taken: Vec<(Uuid, OffsetDateTime)> = Vec::new();
            if !ids.is_empty() {
                let mut q = sqlx::QueryBuilder::new("SELECT shift_id, starts_at FROM bookings WHERE status IN ('pending', 'proposed', 'approved') AND shift_id IN (");
                let mut list = q.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                q.push(")");
                taken = q.build_query_as().fetch_all(pool).await.classify()?;
            }
            (hours, closed.is_some(), taken)
        });
        Ok(DayPlan {
            hours: hours_of(hours)?.into_iter().next(),
            closed,
            shifts,
            taken,
        })
    }

    async fn insert_booking(&self, b: &NewBooking) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO bookings (id, shop_id, shift_id, starts_at, ends_at, status, name, email, phone, address, note, client_id, token, created_at, lang) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(b.id)
            .bind(b.shop)
            .bind(b.slot.shift)
            .bind(b.slot.starts_at)
            .bind(b.slot.ends_at)
            .bind(&b.contact.name)
            .bind(&b.contact.email)
            .bind(&b.contact.phone)
            .bind(&b.contact.address)
            .bind(&b.contact.note)
            .bind(b.client.map(|c| c.as_uuid()))
            .bind(&b.token)
            .bind(now())
            .bind(b.contact.lang.code())
            .execute(&mut *tx)
            .await
            .classify()?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn booking(&self, id: Uuid) -> StoreResult<Option<Booking>> {
        let q = format!("SELECT {COLUMNS} WHERE b.id = $1");
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(id).fetch_optional(pool).await.classify())?,
        )
    }

    async fn booking_by_token(&self, token: &str) -> StoreResult<Option<Booking>> {
        let q = format!("SELECT {COLUMNS} WHERE b.token = $1");
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(q)).bind(token).fetch_optional(pool).await.classify())?,
        )
    }

    async fn bookings(&self, f: BookingFilter, limit: i64) -> StoreResult<Vec<Booking>> {
        let q = format!(
            "SELECT {COLUMNS} WHERE ($1 IS NULL OR b.shop_id = $1) AND ($2 IS NULL OR b.starts_at >= $2) \
             AND (NOT $3 OR b.status = 'pending') AND ($4 IS NULL OR b.client_id = $4) ORDER BY b.starts_at, x.optometrist LIMIT $5"
        );
        Ok(on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(q))
            .bind(f.shop)
            .bind(f.from)
            .bind(f.pending_only)
            .bind(f.client.map(|c| c.as_uuid()))
            .bind(limit)
            .fetch_all(pool)
            .await
            .classify())?)
    }

    async fn set_booking_status(
        &self,
        actor: &Actor,
        id: Uuid,
        from: &[Status],
        to: Status,
    ) -> StoreResult<bool> {
        let q = format!(
            "UPDATE bookings SET status = $1, decided_by = CASE WHEN $1 IN ('approved', 'proposed') THEN $2 ELSE decided_by END, \
             decided_at = CASE WHEN $1 IN ('approved', 'proposed') THEN $3 ELSE decided_at END WHERE id = $4 AND status IN ({})",
            codes(from)
        );
        let done = audited_update!(
            self,
            q,
            [to.code(), &actor.label, now(), id],
            actor,
            "booking.status",
            id,
            to.code().to_owned()
        );
        Ok(done)
    }

    async fn move_booking(
        &self,
        actor: &Actor,
        id: Uuid,
        from: &[Status],
        slot: &Slot,
        to: Status,
    ) -> StoreResult<bool> {
        let q = format!(
            "UPDATE bookings SET shift_id = $1, starts_at = $2, ends_at = $3, status = $4, reminded_at = NULL, \
             decided_by = $5, decided_at = $6 WHERE id = $7 AND status IN ({})",
            codes(from)
        );
        let detail = format!("{} {}", slot.starts_at, to.code());
        let done = audited_update!(
            self,
            q,
            [
                slot.shift,
                slot.starts_at,
                slot.ends_at,
                to.code(),
                &actor.label,
                now(),
                id
            ],
            actor,
            "booking.move",
            id,
            detail
        );
        Ok(done)
    }

    async fn record_result(&self, actor: &Actor, id: Uuid, result: &str) -> StoreResult<bool> {
        let q = "UPDATE bookings SET status = 'done', result = $1, result_by = $2, result_at = $3 WHERE id = $4 AND status = 'approved'";
        let done = audited_update!(
            self,
            q,
            [result, &actor.label, now(), id],
            actor,
            "booking.result",
            id,
            String::new()
        );
        Ok(done)
    }

    async fn mark_reminders(
        &self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        decided_before: OffsetDateTime,
        at: OffsetDateTime,
    ) -> StoreResult<u64> {
        Ok(on_db!(self, pool => sqlx::query(
            "UPDATE bookings SET reminded_at = $1 WHERE status = 'approved' AND reminded_at IS NULL \
             AND starts_at >= $2 AND starts_at < $3 AND decided_at < $4",
        )
        .bind(at)
        .bind(from)
        .bind(to)
        .bind(decided_before)
        .execute(pool)
        .await
        .classify()?
        .rows_affected()))
    }

    async fn client_by_contact(&self, email: &str, phone: &str) -> StoreResult<Option<ClientId>> {
        let row: Option<(Uuid,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT id FROM clients WHERE merged_into IS NULL AND erased_at IS NULL AND ((email <> '' AND LOWER(email) = LOWER($1)) OR (phone <> '' AND phone = $2)) \
             ORDER BY id LIMIT 1",
        )
        .bind(email.trim())
        .bind(phone.trim())
        .fetch_optional(pool)
        .await
        .classify())?;
        Ok(row.map(|(id,)| ClientId::from_uuid(id)))
    }
}
