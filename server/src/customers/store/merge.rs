//! A merge of two records of one person in SQL, in one transaction: the merged
//! client is kept frozen with `merged_into`; its orders and prescriptions name the
//! survivor (each order's history says so); its notes, calls and consents are
//! copied to the survivor (those tables are append-only: the originals stay with the
//! merged client); the survivor takes the fields it lacked; the merge is recorded
//! with the merged record as it was, audited, and closes the pair in the duplicate
//! queue. The workspace side is `customers/merge.rs`.

use fieldcase_shared::customer::merge::{Redirect, Redirects};
use fieldcase_shared::customer::{CLIENT_FIELDS, field};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{AdviserId, ClientId};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use super::write::{Row, update_fields};
use crate::orders::store::history::{event_in, field as order_field};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, Db, LOOKUP_CHUNK, SqlStore, now, on_db};

/// A merge as the caller decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePlan {
    /// The record that goes away (kept, frozen).
    pub merged: ClientId,
    /// The record that stays.
    pub survivor: ClientId,
    /// The merged record as it is frozen (the workspace's, when it has one).
    pub frozen: ClientRecord,
    /// The survivor's fields to write, with the record holding their values.
    pub fill: (ClientRecord, Vec<&'static str>),
    /// The adviser the survivor has afterwards (an office customer merged with an
    /// adviser's client becomes the adviser's).
    pub adviser: Option<AdviserId>,
}

/// What a merge moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub orders: i64,
    pub prescriptions: i64,
    /// Notes, logged calls and consents copied.
    pub notes: i64,
}

/// A merge as the survivor's card lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeEntry {
    pub merged: ClientId,
    /// The merged record's name as it was.
    pub name: String,
    pub summary: MergeSummary,
    pub author: String,
    pub at: OffsetDateTime,
}

/// The merged record as JSON (kept with the merge).
fn record_json(rec: &ClientRecord) -> String {
    let map: serde_json::Map<String, serde_json::Value> = CLIENT_FIELDS
        .iter()
        .map(|name| {
            let value = field(rec, name).cloned().unwrap_or_default();
            ((*name).to_owned(), serde_json::Value::String(value))
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

impl SqlStore {
    /// Merges `plan.merged` into `plan.survivor` (see the module). Stale: one of
    /// them is merged already; NotFound: one of them does not exist.
    pub(crate) async fn merge_customers_sql(
        &self,
        actor: &Actor,
        plan: &MergePlan,
    ) -> StoreResult<MergeSummary> {
        let (m, s) = (plan.merged.as_uuid(), plan.survivor.as_uuid());
        let lock = match self.db() {
            Db::Sqlite(_) => "",
            Db::Postgres(_) => " FOR UPDATE",
        };
        let at = now();
        let actor_id = actor.user.map(|u| u.as_uuid());
        let (summary, orders) = on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let rows: Vec<(Uuid, Option<Uuid>, Option<Uuid>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id, adviser_id, merged_into FROM clients WHERE id IN ($1, $2){lock}"
            )))
            .bind(m)
            .bind(s)
            .fetch_all(&mut *tx)
            .await
            .classify()?;
            if rows.len() != 2 || m == s {
                return Err(StoreError::NotFound("client"));
            }
            if rows.iter().any(|(_, _, into)| into.is_some()) {
                return Err(StoreError::Stale("merged already"));
            }
            if let Some(adviser) = plan.adviser {
                sqlx::query("UPDATE clients SET adviser_id = $1 WHERE id = $2 AND adviser_id IS NULL")
                    .bind(adviser.as_uuid())
                    .bind(s)
                    .execute(&mut *tx)
                    .await
                    .classify()?;
            }
            update_fields!(tx, m, &plan.frozen, CLIENT_FIELDS.iter().copied());
            sqlx::query("UPDATE clients SET merged_into = $1 WHERE id = $2")
                .bind(s)
                .bind(m)
                .execute(&mut *tx)
                .await
                .classify()?;
            if !plan.fill.1.is_empty() {
                update_fields!(tx, s, &plan.fill.0, plan.fill.1.iter().copied());
            }
            let orders: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM orders WHERE client_id = $1")
                .bind(m)
                .fetch_all(&mut *tx)
                .await
                .classify()?;
            sqlx::query("UPDATE orders SET client_id = $1 WHERE client_id = $2")
                .bind(s)
                .bind(m)
                .execute(&mut *tx)
                .await
                .classify()?;
            for order in &orders {
                event_in!(&mut *tx, *order, actor.via, actor_id, &actor.label, order_field::CLIENT, m.to_string(), s.to_string())?;
            }
            let prescriptions = sqlx::query("UPDATE prescriptions SET client_id = $1 WHERE client_id = $2")
                .bind(s)
                .bind(m)
                .execute(&mut *tx)
                .await
                .classify()?
                .rows_affected() as i64;
            // Notes, calls and consents are append-only: copied to the survivor
            // with ids of their own, the originals stay with the merged client.
            let notes: Vec<(String, String, Option<Uuid>, String, OffsetDateTime)> = sqlx::query_as(
                "SELECT kind, body, author_id, author, at FROM customer_notes WHERE client_id = $1 ORDER BY at, id",
            )
            .bind(m)
            .fetch_all(&mut *tx)
            .await
            .classify()?;
            for (kind, body, author_id, author, when) in &notes {
                sqlx::query(
                    "INSERT INTO customer_notes (id, client_id, kind, body, author_id, author, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(Uuid::now_v7())
                .bind(s)
                .bind(kind)
                .bind(body)
                .bind(author_id)
                .bind(author)
                .bind(when)
                .execute(&mut *tx)
                .await
                .classify()?;
            }
            type ConsentRow = (String, bool, OffsetDateTime, String, String, Option<Uuid>, String, OffsetDateTime);
            let consents: Vec<ConsentRow> = sqlx::query_as(
                "SELECT channel, granted, given_at, place, evidence, author_id, author, recorded_at \
                 FROM customer_consents WHERE client_id = $1 ORDER BY given_at, id",
            )
            .bind(m)
            .fetch_all(&mut *tx)
            .await
            .classify()?;
            for (channel, granted, given_at, place, evidence, author_id, author, recorded_at) in &consents {
                sqlx::query(
                    "INSERT INTO customer_consents (id, client_id, channel, granted, given_at, place, evidence, author_id, author, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(Uuid::now_v7())
                .bind(s)
                .bind(channel)
                .bind(granted)
                .bind(given_at)
                .bind(place)
                .bind(evidence)
                .bind(author_id)
                .bind(author)
                .bind(recorded_at)
                .execute(&mut *tx)
                .await
                .classify()?;
            }
            let copied = (notes.len() + consents.len()) as i64;
            let summary = MergeSummary {
                orders: orders.len() as i64,
                prescriptions,
                notes: copied,
            };
            sqlx::query(
                "INSERT INTO customer_merges (id, survivor_id, merged_id, merged, orders, prescriptions, notes, author_id, author, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(Uuid::now_v7())
            .bind(s)
            .bind(m)
            .bind(record_json(&plan.frozen))
            .bind(summary.orders)
            .bind(summary.prescriptions)
            .bind(summary.notes)
            .bind(actor_id)
            .bind(&actor.label)
            .bind(at)
            .execute(&mut *tx)
            .await
            .classify()?;
            sqlx::query(
                "UPDATE customer_duplicates SET status = 'merged', decided_by = $1, decided_at = $2 \
                 WHERE status = 'open' AND (client_a = $3 OR client_b = $3)",
            )
            .bind(&actor.label)
            .bind(at)
            .bind(m)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "client.merge", plan.survivor.to_string(),
                format!("merged {}: {} orders, {} prescriptions, {} notes", plan.merged, summary.orders, summary.prescriptions, summary.notes))?;
            tx.commit().await?;
            (summary, orders)
        });
        self.index_customers(&[plan.merged, plan.survivor]).await?;
        let orders: Vec<_> = orders
            .into_iter()
            .map(fieldcase_shared::OrderId::from_uuid)
            .collect();
        self.index_orders(&orders).await?;
        Ok(summary)
    }

    /// The merged clients among `clients`: whom each was merged into and its frozen
    /// record (what the projection's authority redirects).
    pub(crate) async fn read_merged_clients(&self, clients: &[ClientId]) -> StoreResult<Redirects> {
        let mut out = Redirects::new();
        for chunk in clients.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(Uuid, Uuid, Row)> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT id, merged_into, adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, custom \
                     FROM clients WHERE merged_into IS NOT NULL AND id IN (",
                );
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(id.as_uuid());
                }
                q.push(")");
                let rows = q.build().fetch_all(pool).await.classify()?;
                rows.iter()
                    .map(|r| {
                        use sqlx::Row as _;
                        Ok((r.try_get("id")?, r.try_get("merged_into")?, <Row as sqlx::FromRow<_>>::from_row(r)?))
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
            });
            for (id, into, row) in rows {
                out.insert(
                    ClientId::from_uuid(id),
                    Redirect {
                        into: ClientId::from_uuid(into),
                        frozen: row.record(),
                    },
                );
            }
        }
        Ok(out)
    }

    /// The merges into `survivor`, newest first.
    pub(crate) async fn read_merges_into(
        &self,
        survivor: ClientId,
    ) -> StoreResult<Vec<MergeEntry>> {
        let rows: Vec<(Uuid, String, i64, i64, i64, String, OffsetDateTime)> = on_db!(self, pool => sqlx::query_as(
            "SELECT merged_id, merged, orders, prescriptions, notes, author, at FROM customer_merges \
             WHERE survivor_id = $1 ORDER BY at DESC, id DESC",
        )
        .bind(survivor.as_uuid())
        .fetch_all(pool)
        .await
        .classify()?);
        Ok(rows
            .into_iter()
            .map(|(merged, json, orders, prescriptions, notes, author, at)| {
                let rec: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
                let part = |k: &str| rec.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
                MergeEntry {
                    merged: ClientId::from_uuid(merged),
                    name: format!("{} {}", part("first_name"), part("last_name"))
                        .trim()
                        .to_owned(),
                    summary: MergeSummary {
                        orders,
                        prescriptions,
                        notes,
                    },
                    author,
                    at,
                }
            })
            .collect())
    }
}
