//! Segments in SQL (migration 0022): the per-client facts a segment filters on
//! (`customer_stats`: what the hub writes when a client changes, here; what triggers
//! keep current from orders, prescriptions and consents, in the migration), the
//! saved segments, their counts and their exports' contacts.

use async_trait::async_trait;
use fieldcase_shared::ClientId;
use fieldcase_shared::docs::catalog::fold;
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::customers::segment::{Channel, Contact, Criteria};
use crate::customers::store::search::Indexed;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, one_row};

/// A saved segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: Uuid,
    pub name: String,
    pub criteria: Criteria,
    pub author: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// Appends the facts' conditions of `criteria` (each `AND …`) on `customer_stats s`.
macro_rules! push_facts {
    ($q:expr, $criteria:expr) => {{
        let (q, c) = (&mut $q, $criteria);
        let now = $crate::store::sql::now();
        for (column, wanted) in [("s.email_ok", c.email_consent), ("s.sms_ok", c.sms_consent)] {
            if let Some(v) = wanted {
                q.push(format!(" AND {column} = ")).push_bind(v);
            }
        }
        if !c.town.trim().is_empty() {
            q.push(" AND s.town = ").push_bind(c.town_key());
        }
        if !c.postal_prefixes.is_empty() {
            q.push(" AND (FALSE");
            for p in &c.postal_prefixes {
                q.push(" OR s.postal LIKE ").push_bind(format!("{p}%"));
            }
            q.push(")");
        }
        if let Some(m) = c.ordered_within_months {
            q.push(" AND s.last_order_at >= ")
                .push_bind($crate::customers::segment::cutoff(now, m));
        }
        if let Some(m) = c.no_order_months {
            q.push(" AND (s.last_order_at IS NULL OR s.last_order_at < ")
                .push_bind($crate::customers::segment::cutoff(now, m))
                .push(")");
        }
        if let Some(v) = c.min_spend {
            q.push(" AND s.spend_haler >= ")
                .push_bind(v.saturating_mul(100));
        }
        if let Some(v) = c.max_spend {
            q.push(" AND s.spend_haler <= ")
                .push_bind(v.saturating_mul(100));
        }
        if let Some(m) = c.prescription_older_months {
            q.push(" AND s.last_prescription_on < ")
                .push_bind($crate::customers::segment::cutoff(now, m).date());
        }
        if let Some(v) = c.open_complaint {
            q.push(if v {
                " AND s.open_complaints > 0"
            } else {
                " AND s.open_complaints = 0"
            });
        }
    }};
}
pub(crate) use push_facts;

/// Appends the whole segment on `customer_stats s` and `advisers a` (joined on
/// `s.adviser_id`): not merged, the adviser, the store, the facts.
macro_rules! push_segment {
    ($q:expr, $criteria:expr) => {{
        let (q, c) = (&mut $q, $criteria);
        q.push(" AND s.merged = FALSE");
        if let Some(adviser) = c.adviser {
            q.push(" AND s.adviser_id = ").push_bind(adviser.as_uuid());
        }
        if let Some(shop) = c.shop {
            q.push(" AND a.home_shop_id = ").push_bind(shop.as_uuid());
        }
        push_facts!(*q, c);
    }};
}

/// The postal code's digits, as the facts hold it.
fn postal_digits(postal: &str) -> String {
    postal.chars().filter(|c| c.is_ascii_digit()).collect()
}

type SegmentRow = (Uuid, String, String, String, OffsetDateTime, OffsetDateTime);

fn segment(row: SegmentRow) -> StoreResult<Segment> {
    let (id, name, criteria, author, created_at, updated_at) = row;
    Ok(Segment {
        id,
        criteria: serde_json::from_str(&criteria)
            .map_err(|e| StoreError::Corrupt(format!("segment {name:?}: {e}")))?,
        name,
        author,
        created_at,
        updated_at,
    })
}

impl SqlStore {
    /// Writes what the facts take from the clients themselves (adviser, merged,
    /// town, postal code), read by `index_customers`; a new row gets the rest from
    /// its trigger.
    pub(crate) async fn write_customer_stats(&self, rows: &[Indexed]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        on_db!(self, pool => {
            let mut q = QueryBuilder::new(
                "INSERT INTO customer_stats (client_id, adviser_id, merged, town, postal) ",
            );
            q.push_values(rows, |mut b, c| {
                b.push_bind(c.id)
                    .push_bind(c.adviser_id)
                    .push_bind(c.merged_into.is_some())
                    .push_bind(fold(c.city.trim()))
                    .push_bind(postal_digits(&c.postal_code));
            });
            q.push(
                " ON CONFLICT (client_id) DO UPDATE SET adviser_id = excluded.adviser_id, \
                 merged = excluded.merged, town = excluded.town, postal = excluded.postal",
            );
            q.build().execute(pool).await.classify()?;
        });
        Ok(())
    }

    /// Writes the facts of every client that has none yet (after migration 0022,
    /// and after bulk inserts); returns how many.
    pub(crate) async fn stat_unstated_customers(&self) -> StoreResult<u64> {
        crate::store::fulltext::index_unindexed(
            self,
            "clients",
            ("customer_stats", "customer_stats"),
            "client_id",
            |ids| {
                Box::pin(async move {
                    let ids: Vec<ClientId> = ids.into_iter().map(ClientId::from_uuid).collect();
                    // Indexing a client writes its facts too.
                    self.index_customers(&ids).await
                })
            },
        )
        .await
    }
}

/// The contact column and the consent fact of a channel.
fn reach(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Email => ("c.email", "s.email_ok"),
        Channel::Sms => ("c.phone", "s.sms_ok"),
    }
}

/// Saved segments, their counts and exports.
#[async_trait]
pub trait SegmentStore: Send + Sync {
    /// Every saved segment, by name.
    async fn segments(&self) -> StoreResult<Vec<Segment>>;
    /// One segment.
    async fn segment(&self, id: Uuid) -> StoreResult<Option<Segment>>;
    /// Saves a new segment (`Duplicate { field: "name" }` when the name is taken).
    async fn create_segment(
        &self,
        actor: &Actor,
        name: &str,
        criteria: &Criteria,
    ) -> StoreResult<Uuid>;
    /// Changes a segment's name and criteria.
    async fn update_segment(
        &self,
        actor: &Actor,
        id: Uuid,
        name: &str,
        criteria: &Criteria,
    ) -> StoreResult<()>;
    /// Deletes a segment (its criteria go to the audit log).
    async fn delete_segment(&self, actor: &Actor, id: Uuid) -> StoreResult<()>;
    /// How many customers the criteria take now.
    async fn count_segment(&self, criteria: &Criteria) -> StoreResult<i64>;
    /// The contacts an export lists: the segment's customers who consent to
    /// `channel` now and have that contact, by name; the export is audited.
    async fn segment_contacts(
        &self,
        actor: &Actor,
        segment: &Segment,
        channel: Channel,
    ) -> StoreResult<Vec<Contact>>;
    /// A campaign's audience: the segment's customers who consent to `channel`
    /// now and have that contact — id, first and last name, the contact.
    async fn segment_audience(
        &self,
        criteria: &Criteria,
        channel: Channel,
    ) -> StoreResult<Vec<(Uuid, String, String, String)>>;
}

#[async_trait]
impl SegmentStore for SqlStore {
    async fn segments(&self) -> StoreResult<Vec<Segment>> {
        let rows: Vec<SegmentRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, criteria, author, created_at, updated_at FROM customer_segments ORDER BY name",
        )
        .fetch_all(pool)
        .await
        .classify()?);
        rows.into_iter().map(segment).collect()
    }

    async fn segment(&self, id: Uuid) -> StoreResult<Option<Segment>> {
        let row: Option<SegmentRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, criteria, author, created_at, updated_at FROM customer_segments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
        .classify()?);
        row.map(segment).transpose()
    }

    async fn create_segment(
        &self,
        actor: &Actor,
        name: &str,
        criteria: &Criteria,
    ) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        let json =
            serde_json::to_string(criteria).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO customer_segments (id, name, criteria, author, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(id)
            .bind(name)
            .bind(&json)
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "segment.create", id.to_string(), format!("{name}: {json}"))?;
            tx.commit().await?;
        });
        Ok(id)
    }

    async fn update_segment(
        &self,
        actor: &Actor,
        id: Uuid,
        name: &str,
        criteria: &Criteria,
    ) -> StoreResult<()> {
        let json =
            serde_json::to_string(criteria).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE customer_segments SET name = $2, criteria = $3, updated_at = $4 WHERE id = $1")
                .bind(id)
                .bind(name)
                .bind(&json)
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "segment")?;
            audit_in!(&mut *tx, actor, "segment.update", id.to_string(), format!("{name}: {json}"))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn delete_segment(&self, actor: &Actor, id: Uuid) -> StoreResult<()> {
        let Some(old) = self.segment(id).await? else {
            return Err(StoreError::NotFound("segment"));
        };
        let json =
            serde_json::to_string(&old.criteria).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("DELETE FROM customer_segments WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "segment")?;
            audit_in!(&mut *tx, actor, "segment.delete", id.to_string(), format!("{}: {json}", old.name))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn count_segment(&self, criteria: &Criteria) -> StoreResult<i64> {
        Ok(on_db!(self, pool => {
            let mut q = QueryBuilder::new("SELECT COUNT(*) FROM customer_stats s");
            if criteria.shop.is_some() {
                q.push(" LEFT JOIN advisers a ON a.id = s.adviser_id");
            }
            q.push(" WHERE TRUE");
            push_segment!(q, criteria);
            q.build_query_scalar().fetch_one(pool).await.classify()?
        }))
    }

    async fn segment_audience(
        &self,
        criteria: &Criteria,
        channel: Channel,
    ) -> StoreResult<Vec<(Uuid, String, String, String)>> {
        let (column, consent) = reach(channel);
        Ok(on_db!(self, pool => {
            let mut q = QueryBuilder::new(format!(
                "SELECT c.id, c.first_name, c.last_name, {column} FROM customer_stats s \
                 JOIN clients c ON c.id = s.client_id LEFT JOIN advisers a ON a.id = s.adviser_id \
                 WHERE {consent} = TRUE AND {column} <> ''"
            ));
            push_segment!(q, criteria);
            q.push(" ORDER BY c.id");
            q.build_query_as().fetch_all(pool).await.classify()?
        }))
    }

    async fn segment_contacts(
        &self,
        actor: &Actor,
        segment: &Segment,
        channel: Channel,
    ) -> StoreResult<Vec<Contact>> {
        let (column, consent) = reach(channel);
        let criteria = &segment.criteria;
        let rows: Vec<(String, String, String, String, String)> = on_db!(self, pool => {
            let mut q = QueryBuilder::new(format!(
                "SELECT c.first_name, c.last_name, {column}, c.city, c.custom FROM customer_stats s \
                 JOIN clients c ON c.id = s.client_id LEFT JOIN advisers a ON a.id = s.adviser_id \
                 WHERE {consent} = TRUE AND {column} <> ''"
            ));
            push_segment!(q, criteria);
            q.push(" ORDER BY c.last_name, c.first_name, c.id");
            q.build_query_as().fetch_all(pool).await.classify()?
        });
        let detail = format!(
            "{} · {} · {} rows",
            segment.name,
            channel.code(),
            rows.len()
        );
        on_db!(self, pool => audit_in!(pool, actor, "segment.export", segment.id.to_string(), detail)?);
        Ok(rows
            .into_iter()
            .map(|(first_name, last_name, contact, town, custom)| Contact {
                first_name,
                last_name,
                contact,
                town,
                custom: super::fields::values_from_json(&custom),
            })
            .collect())
    }
}
