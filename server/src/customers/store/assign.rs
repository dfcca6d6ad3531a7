//! Assignment in SQL (migration 0028): the rules (postal-code ranges → adviser),
//! the customers without an adviser that a rule covers, and the move of a customer
//! with their open orders to an adviser (audited).

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, ClientId};
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, write_tx};

/// A rule: customers whose postal code lies in `from..=to` go to `adviser`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRule {
    pub id: Uuid,
    /// Five digits.
    pub from: String,
    pub to: String,
    pub adviser: AdviserId,
    pub adviser_code: String,
}

/// Assignment: rules and moves.
#[async_trait]
pub trait AssignStore: Send + Sync {
    /// Every rule, by range.
    async fn assignment_rules(&self) -> StoreResult<Vec<AssignmentRule>>;
    /// Adds a rule (audited); `from` and `to` are five digits, `from <= to`.
    async fn add_assignment_rule(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
        adviser: AdviserId,
    ) -> StoreResult<Uuid>;
    /// Deletes a rule (audited).
    async fn delete_assignment_rule(&self, actor: &Actor, id: Uuid) -> StoreResult<()>;
    /// Customers without an adviser (not merged) that a rule covers, with the
    /// adviser of the narrowest rule, at most `limit`.
    async fn unassigned_covered(&self, limit: i64) -> StoreResult<Vec<(ClientId, AdviserId)>>;
    /// Gives `client` and their open orders to `adviser` (audited); returns the
    /// adviser they had (`None`: the office's own). `NotFound`: no such customer or
    /// adviser.
    async fn assign_customer(
        &self,
        actor: &Actor,
        client: ClientId,
        adviser: AdviserId,
    ) -> StoreResult<Option<AdviserId>>;
}

#[async_trait]
impl AssignStore for SqlStore {
    async fn assignment_rules(&self) -> StoreResult<Vec<AssignmentRule>> {
        let rows: Vec<(Uuid, String, String, Uuid, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT r.id, r.postal_from, r.postal_to, r.adviser_id, a.code FROM assignment_rules r \
             JOIN advisers a ON a.id = r.adviser_id ORDER BY r.postal_from, r.postal_to",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|(id, from, to, adviser, code)| AssignmentRule {
                id,
                from,
                to,
                adviser: AdviserId::from_uuid(adviser),
                adviser_code: code,
            })
            .collect())
    }

    async fn add_assignment_rule(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
        adviser: AdviserId,
    ) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO assignment_rules (id, postal_from, postal_to, adviser_id, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(adviser.as_uuid())
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "assignment.rule", id.to_string(), format!("{from}–{to} → {adviser}"))?;
            tx.commit().await?;
        });
        Ok(id)
    }

    async fn delete_assignment_rule(&self, actor: &Actor, id: Uuid) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let done = sqlx::query("DELETE FROM assignment_rules WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .classify()?;
            crate::store::sql::one_row(done.rows_affected(), "assignment rule")?;
            audit_in!(&mut *tx, actor, "assignment.rule.delete", id.to_string(), String::new())?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn unassigned_covered(&self, limit: i64) -> StoreResult<Vec<(ClientId, AdviserId)>> {
        let rows: Vec<(Uuid, Uuid, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT s.client_id, r.adviser_id, r.postal_from, r.postal_to FROM customer_stats s \
             JOIN assignment_rules r ON s.postal >= r.postal_from AND s.postal <= r.postal_to \
             JOIN clients c ON c.id = s.client_id \
             WHERE c.adviser_id IS NULL AND c.merged_into IS NULL AND length(s.postal) = 5 \
             ORDER BY s.client_id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await
        .classify())?;
        // The narrowest rule that covers a customer wins.
        let mut best: std::collections::BTreeMap<Uuid, (Uuid, i64)> = Default::default();
        for (client, adviser, from, to) in rows {
            let width = to.parse::<i64>().unwrap_or(0) - from.parse::<i64>().unwrap_or(0);
            let entry = best.entry(client).or_insert((adviser, width));
            if width < entry.1 {
                *entry = (adviser, width);
            }
        }
        Ok(best
            .into_iter()
            .map(|(c, (a, _))| (ClientId::from_uuid(c), AdviserId::from_uuid(a)))
            .collect())
    }

    async fn assign_customer(
        &self,
        actor: &Actor,
        client: ClientId,
        adviser: AdviserId,
    ) -> StoreResult<Option<AdviserId>> {
        let before: Option<AdviserId> = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let found: Option<(Option<Uuid>,)> = sqlx::query_as("SELECT adviser_id FROM clients WHERE id = $1")
                .bind(client.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .classify()?;
            let Some((before,)) = found else {
                return Err(StoreError::NotFound("client"));
            };
            sqlx::query("UPDATE clients SET adviser_id = $2 WHERE id = $1")
                .bind(client.as_uuid())
                .bind(adviser.as_uuid())
                .execute(&mut *tx)
                .await
                .classify()?;
            sqlx::query(
                "UPDATE orders SET adviser_id = $2 WHERE client_id = $1 AND status NOT IN ('delivered', 'closed', 'cancelled')",
            )
            .bind(client.as_uuid())
            .bind(adviser.as_uuid())
            .execute(&mut *tx)
            .await
            .classify()?;
            sqlx::query("UPDATE customer_stats SET adviser_id = $2 WHERE client_id = $1")
                .bind(client.as_uuid())
                .bind(adviser.as_uuid())
                .execute(&mut *tx)
                .await
                .classify()?;
            audit_in!(&mut *tx, actor, "customer.assign", client.to_string(), format!("{before:?} → {adviser}"))?;
            tx.commit().await?;
            before.map(AdviserId::from_uuid)
        });
        Ok(before)
    }
}
