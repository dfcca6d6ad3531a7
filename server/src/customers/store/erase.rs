//! GDPR erasure in SQL (migration 0029): what an erasure covers (the customer, the
//! records merged into them, the workspaces that held them), the erasure itself in
//! one transaction, and the clean-up that takes the erased values out of the
//! database files (docs/decisions.md, "GDPR erasure").

use std::collections::BTreeSet;

use async_trait::async_trait;
use fieldcase_shared::docs::rewrite::ERASED_NAME;
use fieldcase_shared::{AdviserId, ClientId};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;

use crate::store::sql::{Classify, Db, SqlStore, now, on_db, push_ids, write_tx};

/// Whom and what an erasure of one customer covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErasureScope {
    /// The customer and every record merged into them (transitively).
    pub clients: Vec<ClientId>,
    /// Their orders.
    pub orders: Vec<Uuid>,
    /// The variable symbols of their orders still in progress (an erasure waits
    /// until they are delivered or cancelled).
    pub open_orders: Vec<String>,
    /// Every adviser whose workspace holds or held them: their adviser, their
    /// orders' advisers, advisers they were moved away from.
    pub advisers: BTreeSet<AdviserId>,
    /// When the customer was erased already.
    pub erased_at: Option<OffsetDateTime>,
}

/// What an erasure removed, by kind (for its audit entry and the page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    pub clients: u64,
    pub prescriptions: u64,
    pub orders: u64,
    pub history: u64,
}

/// The erasure's SQL.
#[async_trait]
pub trait ErasureStore: Send + Sync {
    /// What erasing `client` covers; `None`: no such customer.
    async fn erasure_scope(&self, client: ClientId) -> StoreResult<Option<ErasureScope>>;
    /// Erases the scope's customers in one transaction: their names, contacts,
    /// addresses and notes emptied (the name becomes [`ERASED_NAME`]), their
    /// prescriptions, notes, calls, consents, language, messages, reminders and
    /// duplicate pairs deleted (a campaign keeps only that they were drawn),
    /// their orders' notes, note history and change values emptied, the audit
    /// details about them and their orders emptied; audited as `customer.erase`
    /// with `reason`. Then their search entries are written again.
    async fn erase_customers(
        &self,
        actor: &Actor,
        scope: &ErasureScope,
        reason: &str,
    ) -> StoreResult<Erased>;
    /// Takes erased values out of the database files: SQLite's full-text indexes
    /// merged (old segments hold the words) and the write-ahead log truncated
    /// (`secure_delete` zeroes the freed pages); PostgreSQL's touched tables
    /// vacuumed.
    async fn purge_erased(&self) -> StoreResult<()>;
}

/// Every UUID written in `text` (an audit detail such as `Some(…) → …`).
fn uuids_in(text: &str) -> Vec<Uuid> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(35))
        .filter_map(|i| text.get(i..i + 36).and_then(|t| Uuid::parse_str(t).ok()))
        .collect()
}

/// The statements of an erasure over `clients` and `orders` (ids) but the clients'
/// own, each with the ids appended: (head, ids, tail, counted as: 1 prescriptions,
/// 2 orders, 3 history).
fn statements(clients: &[Uuid], orders: &[Uuid]) -> Vec<(String, Vec<Uuid>, &'static str, u8)> {
    let c = clients.to_vec();
    let o = orders.to_vec();
    let erased = ERASED_NAME.replace('\'', "''");
    let mut out = vec![
        (
            "UPDATE orders SET note = '', custom = '{}', prescription_id = NULL WHERE client_id IN ".to_owned(),
            c.clone(),
            "",
            2,
        ),
        (
            "DELETE FROM prescriptions WHERE client_id IN ".into(),
            c.clone(),
            "",
            1,
        ),
        (
            "DELETE FROM customer_notes WHERE client_id IN ".into(),
            c.clone(),
            "",
            3,
        ),
        (
            "DELETE FROM customer_consents WHERE client_id IN ".into(),
            c.clone(),
            "",
            3,
        ),
        (
            "DELETE FROM reminders WHERE client_id IN ".into(),
            c.clone(),
            "",
            3,
        ),
        (
            "DELETE FROM customer_langs WHERE client_id IN ".into(),
            c.clone(),
            "",
            3,
        ),
        // A campaign keeps that they were drawn (its effect), not how to reach them.
        (
            "UPDATE campaign_recipients SET address = '', token = NULL, message_id = NULL WHERE client_id IN ".into(),
            c.clone(),
            "",
            3,
        ),
        (
            "DELETE FROM notification_outbox WHERE client_id IN ".into(),
            c.clone(),
            "",
            3,
        ),
        (
            "DELETE FROM customer_duplicates WHERE client_a IN ".into(),
            c.clone(),
            "",
            3,
        ),
        (
            "DELETE FROM customer_duplicates WHERE client_b IN ".into(),
            c.clone(),
            "",
            3,
        ),
        (
            "UPDATE customer_merges SET merged = '' WHERE merged_id IN ".into(),
            c.clone(),
            "",
            3,
        ),
        (
            "UPDATE customer_merges SET merged = '' WHERE survivor_id IN ".into(),
            c,
            "",
            3,
        ),
    ];
    if !o.is_empty() {
        out.push((
            format!("UPDATE order_notes SET body = '{erased}' WHERE order_id IN "),
            o.clone(),
            "",
            3,
        ));
        out.push((
            "UPDATE order_events SET old_value = '', new_value = '' WHERE order_id IN ".into(),
            o,
            " AND field <> 'status'",
            3,
        ));
    }
    out
}

#[async_trait]
impl ErasureStore for SqlStore {
    async fn erasure_scope(&self, client: ClientId) -> StoreResult<Option<ErasureScope>> {
        let found: Option<(Option<Uuid>, Option<OffsetDateTime>)> = on_db!(self, pool => sqlx::query_as(
            "SELECT adviser_id, erased_at FROM clients WHERE id = $1",
        )
        .bind(client.as_uuid())
        .fetch_optional(pool)
        .await
        .classify())?;
        let Some((adviser, erased_at)) = found else {
            return Ok(None);
        };
        let mut scope = ErasureScope {
            erased_at,
            ..ErasureScope::default()
        };
        scope.advisers.extend(adviser.map(AdviserId::from_uuid));
        // The customer and, level by level, the records merged into them.
        let mut level = vec![client.as_uuid()];
        while !level.is_empty() && scope.clients.len() < 10_000 {
            scope
                .clients
                .extend(level.iter().copied().map(ClientId::from_uuid));
            let rows: Vec<(Uuid, Option<Uuid>)> = on_db!(self, pool => {
                let mut q = QueryBuilder::new("SELECT id, adviser_id FROM clients WHERE merged_into IN ");
                push_ids(&mut q, &level);
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            scope
                .advisers
                .extend(rows.iter().filter_map(|(_, a)| a.map(AdviserId::from_uuid)));
            level = rows.into_iter().map(|(id, _)| id).collect();
        }
        let ids: Vec<Uuid> = scope.clients.iter().map(|c| c.as_uuid()).collect();
        let orders: Vec<(Uuid, String, String, Option<Uuid>)> = on_db!(self, pool => {
            let mut q = QueryBuilder::new("SELECT id, variable_symbol, status, adviser_id FROM orders WHERE client_id IN ");
            push_ids(&mut q, &ids);
            q.push(" ORDER BY variable_symbol");
            q.build_query_as().fetch_all(pool).await.classify()?
        });
        for (id, vs, status, adviser) in orders {
            scope.orders.push(id);
            scope.advisers.extend(adviser.map(AdviserId::from_uuid));
            if !["delivered", "closed", "cancelled"].contains(&status.as_str()) {
                scope.open_orders.push(vs);
            }
        }
        let subjects: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let moves: Vec<String> = on_db!(self, pool => {
            let mut q = QueryBuilder::new("SELECT detail FROM audit_log WHERE action = 'customer.assign' AND subject IN (");
            let mut list = q.separated(", ");
            for s in &subjects {
                list.push_bind(s.clone());
            }
            q.push(")");
            q.build_query_scalar().fetch_all(pool).await.classify()?
        });
        let advisers: Vec<Uuid> = moves.iter().flat_map(|d| uuids_in(d)).collect();
        if !advisers.is_empty() {
            let known: Vec<Uuid> = on_db!(self, pool => {
                let mut q = QueryBuilder::new("SELECT id FROM advisers WHERE id IN ");
                push_ids(&mut q, &advisers);
                q.build_query_scalar().fetch_all(pool).await.classify()?
            });
            scope
                .advisers
                .extend(known.into_iter().map(AdviserId::from_uuid));
        }
        Ok(Some(scope))
    }

    async fn erase_customers(
        &self,
        actor: &Actor,
        scope: &ErasureScope,
        reason: &str,
    ) -> StoreResult<Erased> {
        let clients: Vec<Uuid> = scope.clients.iter().map(|c| c.as_uuid()).collect();
        let Some(first) = scope.clients.first() else {
            return Ok(Erased::default());
        };
        let mut erased = Erased::default();
        let subjects: Vec<String> = clients
            .iter()
            .chain(&scope.orders)
            .map(Uuid::to_string)
            .collect();
        let at = now();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            // First, so the histories' triggers let their rows about them go.
            let mut q = QueryBuilder::new(format!(
                "UPDATE clients SET first_name = '', last_name = '{}', phone = '', email = '', \
                 street = '', city = '', postal_code = '', note = '', custom = '{{}}', erased_at = ",
                ERASED_NAME.replace('\'', "''")
            ));
            q.push_bind(at);
            q.push(" WHERE id IN ");
            push_ids(&mut q, &clients);
            erased.clients = q.build().execute(&mut *tx).await.classify()?.rows_affected();
            for (head, ids, tail, counted) in statements(&clients, &scope.orders) {
                let mut q = QueryBuilder::new(head);
                push_ids(&mut q, &ids);
                q.push(tail);
                let n = q.build().execute(&mut *tx).await.classify()?.rows_affected();
                match counted {
                    1 => erased.prescriptions += n,
                    2 => erased.orders += n,
                    _ => erased.history += n,
                }
            }
            let mut q = QueryBuilder::new("UPDATE audit_log SET detail = '' WHERE subject IN (");
            let mut list = q.separated(", ");
            for s in &subjects {
                list.push_bind(s.clone());
            }
            q.push(")");
            erased.history += q.build().execute(&mut *tx).await.classify()?.rows_affected();
            audit_in!(&mut *tx, actor, "customer.erase", first.to_string(), format!(
                "{reason} ({} records, {} prescriptions, {} orders, {} history entries)",
                erased.clients, erased.prescriptions, erased.orders, erased.history
            ))?;
            tx.commit().await?;
        });
        self.index_customers(&scope.clients).await?;
        let orders: Vec<fieldcase_shared::OrderId> = scope
            .orders
            .iter()
            .copied()
            .map(fieldcase_shared::OrderId::from_uuid)
            .collect();
        self.index_orders(&orders).await?;
        Ok(erased)
    }

    async fn purge_erased(&self) -> StoreResult<()> {
        match self.db() {
            Db::Sqlite(pool) => {
                for index in ["customer_search", "order_search"] {
                    // The index's own name, never input.
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "INSERT INTO {index} ({index}) VALUES ('optimize')"
                    )))
                    .execute(pool)
                    .await
                    .classify()?;
                }
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(pool)
                    .await
                    .classify()?;
            }
            Db::Postgres(pool) => {
                sqlx::query(
                    "VACUUM clients, prescriptions, customer_notes, customer_consents, customer_merges, \
                     customer_search, order_search, orders, order_notes, order_events, audit_log, sync_chunks, notification_outbox",
                )
                .execute(pool)
                .await
                .classify()?;
            }
        }
        Ok(())
    }
}
