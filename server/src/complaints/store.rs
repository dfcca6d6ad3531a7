//! Complaints in SQL (migration 0042): opened with their items and photos in one
//! transaction (numbered `R{order's VS}-{n}`), listed (open ones by deadline),
//! read whole, decided once, noted; every write audited. Opening and deciding
//! write their notification events by the tables' triggers.

use async_trait::async_trait;
use fieldcase_shared::{ClientId, OrderId};
use time::OffsetDateTime;
use uuid::Uuid;

use super::rules::{Decision, Via};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, on_db, write_tx};

/// A complaint as it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    pub id: Uuid,
    pub order: OrderId,
    pub via: Via,
    /// Who opened it (a staff member's e-mail, or "zákazník").
    pub opened_by: String,
    pub reason: String,
    /// The order's lines it is about: id and text.
    pub items: Vec<(Uuid, String)>,
    pub at: OffsetDateTime,
}

/// A photo of a complaint (its bytes are in the blob store under `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub added_by: String,
    pub at: OffsetDateTime,
}

/// A staff note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub author: String,
    pub body: String,
    pub at: OffsetDateTime,
}

/// A complaint in a list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ComplaintRow {
    pub id: Uuid,
    pub number: String,
    pub order_id: Uuid,
    pub vs: String,
    pub first_name: String,
    pub last_name: String,
    pub opened_via: String,
    pub opened_by: String,
    pub reason: String,
    pub opened_at: OffsetDateTime,
    pub deadline_at: OffsetDateTime,
    pub decision: Option<String>,
    pub decision_reason: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub client_id: Option<Uuid>,
}

impl ComplaintRow {
    /// The order.
    pub fn order(&self) -> OrderId {
        OrderId::from_uuid(self.order_id)
    }

    /// The customer.
    pub fn client(&self) -> Option<ClientId> {
        self.client_id.map(ClientId::from_uuid)
    }

    /// The customer's name.
    pub fn customer_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }

    /// How it came in (checked when the row was read: see [`checked`]).
    pub fn via(&self) -> Via {
        Via::parse(&self.opened_via).unwrap_or(Via::Office)
    }

    /// The decision, once made.
    pub fn decision(&self) -> Option<Decision> {
        self.decision.as_deref().and_then(Decision::parse)
    }
}

/// A complaint with everything about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    pub row: ComplaintRow,
    pub items: Vec<(Uuid, String)>,
    pub notes: Vec<Note>,
    pub photos: Vec<Photo>,
}

/// Which complaints a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComplaintFilter {
    /// Only those not decided yet.
    pub open_only: bool,
    /// Only this order's.
    pub order: Option<OrderId>,
}

/// Complaints.
#[async_trait]
pub trait ComplaintStore: Send + Sync {
    /// Opens `c` with its `photos` (already in the blob store); its number.
    async fn open_complaint(
        &self,
        actor: &Actor,
        c: &NewComplaint,
        photos: &[Photo],
    ) -> StoreResult<String>;
    /// The complaints `filter` picks, open ones by deadline first, then the newest;
    /// at most `limit`.
    async fn complaints(
        &self,
        filter: ComplaintFilter,
        limit: i64,
    ) -> StoreResult<Vec<ComplaintRow>>;
    /// How many complaints about `order` came in `via`.
    async fn complaints_via(&self, order: OrderId, via: Via) -> StoreResult<i64>;
    /// How many of an order's complaints are not decided yet.
    async fn open_complaints(&self, order: OrderId) -> StoreResult<i64>;
    /// The order a complaint is about (none: no such complaint).
    async fn complaint_order(&self, id: Uuid) -> StoreResult<Option<OrderId>>;
    /// One complaint whole.
    async fn complaint(&self, id: Uuid) -> StoreResult<Option<Complaint>>;
    /// The id of the complaint numbered `number`.
    async fn complaint_by_number(&self, number: &str) -> StoreResult<Option<Uuid>>;
    /// Decides complaint `id`, with the task it hands on (a team's code and what
    /// to do) in the same transaction; false when it was decided already
    /// (nothing changed).
    async fn decide_complaint(
        &self,
        actor: &Actor,
        id: Uuid,
        decision: Decision,
        reason: &str,
        at: OffsetDateTime,
        task: Option<(&str, &str)>,
    ) -> StoreResult<bool>;
    /// Adds a staff note.
    async fn add_complaint_note(&self, actor: &Actor, id: Uuid, note: &Note) -> StoreResult<()>;
    /// Adds a photo (already in the blob store).
    async fn add_complaint_photo(&self, actor: &Actor, id: Uuid, photo: &Photo) -> StoreResult<()>;
    /// A photo and the complaint it belongs to.
    async fn complaint_photo(&self, photo: Uuid) -> StoreResult<Option<(Uuid, Photo)>>;
}

const ROW_COLUMNS: &str = "c.id, c.number, c.order_id, o.variable_symbol AS vs, COALESCE(k.first_name, '') AS first_name, \
     COALESCE(k.last_name, '') AS last_name, c.opened_via, c.opened_by, c.reason, c.opened_at, c.deadline_at, c.decision, \
     c.decision_reason, c.decided_by, c.decided_at, o.client_id \
     FROM complaints c JOIN orders o ON o.id = c.order_id LEFT JOIN clients k ON k.id = o.client_id";

type PhotoTuple = (Uuid, String, String, i64, String, OffsetDateTime);

/// `rows` as read, or a corrupt row's error: how it came in and its decision
/// must be known codes.
fn checked(rows: Vec<ComplaintRow>) -> StoreResult<Vec<ComplaintRow>> {
    for r in &rows {
        let decision_ok = r
            .decision
            .as_deref()
            .is_none_or(|d| Decision::parse(d).is_some());
        if Via::parse(&r.opened_via).is_none() || !decision_ok {
            return Err(StoreError::Corrupt(format!(
                "complaint {}: {:?} {:?}",
                r.number, r.opened_via, r.decision
            )));
        }
    }
    Ok(rows)
}

/// The rows of a complaint's part (`sql` takes the complaint's id as `$1`).
macro_rules! of_complaint {
    ($pool:expr, $sql:expr, $id:expr) => {
        sqlx::query_as($sql)
            .bind($id)
            .fetch_all($pool)
            .await
            .classify()?
    };
}

fn photo((id, name, content_type, size, added_by, at): PhotoTuple) -> Photo {
    Photo {
        id,
        name,
        content_type,
        size,
        added_by,
        at,
    }
}

macro_rules! insert_photo {
    ($tx:expr, $complaint:expr, $p:expr) => {
        sqlx::query(
            "INSERT INTO complaint_photos (id, complaint_id, name, content_type, size, added_by, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($p.id)
        .bind($complaint)
        .bind(&$p.name)
        .bind(&$p.content_type)
        .bind($p.size)
        .bind(&$p.added_by)
        .bind($p.at)
        .execute(&mut *$tx)
        .await
        .classify()
    };
}

#[async_trait]
impl ComplaintStore for SqlStore {
    async fn open_complaint(
        &self,
        actor: &Actor,
        c: &NewComplaint,
        photos: &[Photo],
    ) -> StoreResult<String> {
        let number = on_db!(self, pool => {
            let mut tx = write_tx(pool).await.classify()?;
            let found: Option<(String, i64)> = sqlx::query_as(
                "SELECT o.variable_symbol, CAST((SELECT COUNT(*) FROM complaints x WHERE x.order_id = o.id) AS BIGINT) FROM orders o WHERE o.id = $1",
            )
            .bind(c.order.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            let Some((vs, before)) = found else {
                return Err(StoreError::NotFound("order"));
            };
            let number = format!("R{vs}-{}", before + 1);
            sqlx::query(
                "INSERT INTO complaints (id, number, order_id, opened_via, opened_by, reason, opened_at, deadline_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(c.id)
            .bind(&number)
            .bind(c.order.as_uuid())
            .bind(c.via.code())
            .bind(&c.opened_by)
            .bind(&c.reason)
            .bind(c.at)
            .bind(super::rules::deadline(c.at))
            .execute(&mut *tx)
            .await
            .classify()?;
            for (line, text) in &c.items {
                let done = sqlx::query(
                    "INSERT INTO complaint_items (complaint_id, line_id, text) SELECT $1, l.id, $3 FROM order_lines l WHERE l.id = $2 AND l.order_id = $4",
                )
                .bind(c.id)
                .bind(line)
                .bind(text)
                .bind(c.order.as_uuid())
                .execute(&mut *tx)
                .await
                .classify()?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("order line"));
                }
            }
            for p in photos {
                insert_photo!(tx, c.id, p)?;
            }
            audit_in!(&mut *tx, actor, "complaint.open", c.id.to_string(), format!("{number} ({}): {}", c.via.code(), c.reason))?;
            tx.commit().await.classify()?;
            number
        });
        Ok(number)
    }

    async fn complaints(
        &self,
        filter: ComplaintFilter,
        limit: i64,
    ) -> StoreResult<Vec<ComplaintRow>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} WHERE ($1 = FALSE OR c.decision IS NULL) AND ($2 IS NULL OR c.order_id = $2) \
             ORDER BY CASE WHEN c.decision IS NULL THEN 0 ELSE 1 END, \
             CASE WHEN c.decision IS NULL THEN c.deadline_at END, c.opened_at DESC, c.id LIMIT $3"
        );
        let rows = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(filter.open_only)
            .bind(filter.order.map(|o| o.as_uuid()))
            .bind(limit)
            .fetch_all(pool)
            .await
            .classify())?;
        checked(rows)
    }

    async fn complaints_via(&self, order: OrderId, via: Via) -> StoreResult<i64> {
        let (n,): (i64,) = on_db!(self, pool => sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM complaints WHERE order_id = $1 AND opened_via = $2",
        )
        .bind(order.as_uuid())
        .bind(via.code())
        .fetch_one(pool)
        .await
        .classify())?;
        Ok(n)
    }

    async fn open_complaints(&self, order: OrderId) -> StoreResult<i64> {
        let (n,): (i64,) = on_db!(self, pool => sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM complaints WHERE order_id = $1 AND decision IS NULL",
        )
        .bind(order.as_uuid())
        .fetch_one(pool)
        .await
        .classify())?;
        Ok(n)
    }

    async fn complaint_order(&self, id: Uuid) -> StoreResult<Option<OrderId>> {
        let found: Option<(Uuid,)> = on_db!(self, pool => sqlx::query_as("SELECT order_id FROM complaints WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
            .classify())?;
        Ok(found.map(|(o,)| OrderId::from_uuid(o)))
    }

    async fn complaint(&self, id: Uuid) -> StoreResult<Option<Complaint>> {
        let sql = format!("SELECT {ROW_COLUMNS} WHERE c.id = $1");
        let found: Option<ComplaintRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(pool)
            .await
            .classify())?;
        let Some(row) = checked(found.into_iter().collect())?.pop() else {
            return Ok(None);
        };
        let (items, notes, photos): (
            Vec<(Uuid, String)>,
            Vec<(String, String, OffsetDateTime)>,
            Vec<PhotoTuple>,
        ) = on_db!(self, pool => {
            let items = of_complaint!(pool, "SELECT i.line_id, i.text FROM complaint_items i JOIN order_lines l ON l.id = i.line_id \
                 WHERE i.complaint_id = $1 ORDER BY l.position", id);
            let notes = of_complaint!(pool, "SELECT author, body, at FROM complaint_notes WHERE complaint_id = $1 ORDER BY at, id", id);
            let photos = of_complaint!(pool, "SELECT id, name, content_type, CAST(size AS BIGINT), added_by, at FROM complaint_photos \
                 WHERE complaint_id = $1 ORDER BY at, id", id);
            (items, notes, photos)
        });
        Ok(Some(Complaint {
            row,
            items,
            notes: notes
                .into_iter()
                .map(|(author, body, at)| Note { author, body, at })
                .collect(),
            photos: photos.into_iter().map(photo).collect(),
        }))
    }

    async fn complaint_by_number(&self, number: &str) -> StoreResult<Option<Uuid>> {
        let found: Option<(Uuid,)> = on_db!(self, pool => sqlx::query_as("SELECT id FROM complaints WHERE number = $1")
            .bind(number)
            .fetch_optional(pool)
            .await
            .classify())?;
        Ok(found.map(|(id,)| id))
    }

    async fn decide_complaint(
        &self,
        actor: &Actor,
        id: Uuid,
        decision: Decision,
        reason: &str,
        at: OffsetDateTime,
        task: Option<(&str, &str)>,
    ) -> StoreResult<bool> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await.classify()?;
            let done = sqlx::query(
                "UPDATE complaints SET decision = $2, decision_reason = $3, decided_by = $4, decided_at = $5 WHERE id = $1 AND decision IS NULL",
            )
            .bind(id)
            .bind(decision.code())
            .bind(reason)
            .bind(&actor.label)
            .bind(at)
            .execute(&mut *tx)
            .await
            .classify()?;
            if done.rows_affected() == 0 {
                let exists: Option<(Uuid,)> = sqlx::query_as("SELECT id FROM complaints WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?;
                return match exists {
                    Some(_) => Ok(false),
                    None => Err(StoreError::NotFound("complaint")),
                };
            }
            audit_in!(&mut *tx, actor, "complaint.decide", id.to_string(), format!("{}: {reason}", decision.code()))?;
            if let Some((team, body)) = task {
                sqlx::query(
                    "INSERT INTO complaint_tasks (id, complaint_id, team, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(Uuid::now_v7())
                .bind(id)
                .bind(team)
                .bind(body)
                .bind(&actor.label)
                .bind(at)
                .execute(&mut *tx)
                .await
                .classify()?;
            }
            tx.commit().await.classify()?;
        });
        Ok(true)
    }

    async fn add_complaint_note(&self, actor: &Actor, id: Uuid, note: &Note) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await.classify()?;
            sqlx::query(
                "INSERT INTO complaint_notes (id, complaint_id, author, body, at) SELECT $1, c.id, $3, $4, $5 FROM complaints c WHERE c.id = $2",
            )
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(&note.author)
            .bind(&note.body)
            .bind(note.at)
            .execute(&mut *tx)
            .await
            .classify()
            .and_then(|d| if d.rows_affected() == 0 { Err(StoreError::NotFound("complaint")) } else { Ok(()) })?;
            audit_in!(&mut *tx, actor, "complaint.note", id.to_string(), note.body.chars().take(200).collect::<String>())?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn add_complaint_photo(&self, actor: &Actor, id: Uuid, p: &Photo) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await.classify()?;
            insert_photo!(tx, id, p)?;
            audit_in!(&mut *tx, actor, "complaint.photo", id.to_string(), format!("{} ({} B)", p.name, p.size))?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn complaint_photo(&self, id: Uuid) -> StoreResult<Option<(Uuid, Photo)>> {
        let found: Option<(Uuid, Uuid, String, String, i64, String, OffsetDateTime)> = on_db!(self, pool => sqlx::query_as(
            "SELECT complaint_id, id, name, content_type, CAST(size AS BIGINT), added_by, at FROM complaint_photos WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
        .classify())?;
        Ok(
            found.map(|(c, id, name, content_type, size, added_by, at)| {
                (c, photo((id, name, content_type, size, added_by, at)))
            }),
        )
    }
}
