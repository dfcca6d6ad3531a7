//! Custom fields' definitions in SQL (migration 0030): listed, added and
//! withdrawn by an administrator, audited. Their values live with the records
//! (`clients.custom`, `orders.custom`, projected from the workspaces).

use async_trait::async_trait;
use fieldcase_shared::custom_field::{Entity, FieldRecord, Kind};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, write_tx};

/// A custom field's definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomField {
    pub id: Uuid,
    pub entity: Entity,
    pub key: String,
    pub label_cs: String,
    pub label_en: String,
    pub kind: Kind,
    pub choices: Vec<String>,
    pub required: bool,
    pub position: i64,
    pub created_at: OffsetDateTime,
    /// Withdrawn: no longer in forms; its values stay with the records.
    pub withdrawn_at: Option<OffsetDateTime>,
}

impl CustomField {
    /// As the catalog document and the shared rules carry it.
    pub fn record(&self) -> FieldRecord {
        FieldRecord {
            entity: self.entity.code().into(),
            key: self.key.clone(),
            label_cs: self.label_cs.clone(),
            label_en: self.label_en.clone(),
            kind: self.kind.code().into(),
            choices: self.choices.clone(),
            required: self.required,
            position: self.position,
        }
    }
}

/// A new definition (checked by `customers/fields.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomField {
    pub entity: Entity,
    pub key: String,
    pub label_cs: String,
    pub label_en: String,
    pub kind: Kind,
    pub choices: Vec<String>,
    pub required: bool,
}

type Row = (
    Uuid,
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    i64,
    OffsetDateTime,
    Option<OffsetDateTime>,
);

fn field(r: Row) -> StoreResult<CustomField> {
    let (
        id,
        entity,
        key,
        label_cs,
        label_en,
        kind,
        choices,
        required,
        position,
        created_at,
        withdrawn_at,
    ) = r;
    Ok(CustomField {
        id,
        entity: Entity::from_code(&entity)
            .ok_or_else(|| StoreError::Corrupt(format!("custom field entity {entity:?}")))?,
        key,
        label_cs,
        label_en,
        kind: Kind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("custom field kind {kind:?}")))?,
        choices: serde_json::from_str(&choices).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        required,
        position,
        created_at,
        withdrawn_at,
    })
}

/// Custom fields' definitions.
#[async_trait]
pub trait CustomFieldStore: Send + Sync {
    /// Every definition (withdrawn ones too), by entity and position.
    async fn custom_fields(&self) -> StoreResult<Vec<CustomField>>;
    /// Adds a definition at the end of its entity's form (audited);
    /// `Duplicate { field: "key" }` when the key is taken for that entity.
    async fn add_custom_field(&self, actor: &Actor, field: &NewCustomField) -> StoreResult<Uuid>;
    /// Withdraws a definition (audited); NotFound when there is none.
    async fn withdraw_custom_field(&self, actor: &Actor, id: Uuid) -> StoreResult<()>;
    /// Sets an order's custom values (checked by the caller; audited) and its
    /// search body; NotFound when there is no such order.
    async fn set_order_custom(
        &self,
        actor: &Actor,
        order: fieldcase_shared::OrderId,
        values: &std::collections::BTreeMap<String, String>,
    ) -> StoreResult<()>;
}

#[async_trait]
impl CustomFieldStore for SqlStore {
    async fn custom_fields(&self) -> StoreResult<Vec<CustomField>> {
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, entity, key, label_cs, label_en, kind, choices, required, CAST(position AS BIGINT), created_at, withdrawn_at \
             FROM custom_fields ORDER BY entity, position, key",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        rows.into_iter().map(field).collect()
    }

    async fn add_custom_field(&self, actor: &Actor, f: &NewCustomField) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        let choices =
            serde_json::to_string(&f.choices).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO custom_fields (id, entity, key, label_cs, label_en, kind, choices, required, position, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM custom_fields WHERE entity = $2), $9)",
            )
            .bind(id)
            .bind(f.entity.code())
            .bind(&f.key)
            .bind(&f.label_cs)
            .bind(&f.label_en)
            .bind(f.kind.code())
            .bind(&choices)
            .bind(f.required)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "custom_field.add", id.to_string(), format!("{}.{} ({})", f.entity.code(), f.key, f.kind.code()))?;
            tx.commit().await?;
        });
        Ok(id)
    }

    async fn set_order_custom(
        &self,
        actor: &Actor,
        order: fieldcase_shared::OrderId,
        values: &std::collections::BTreeMap<String, String>,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let done = sqlx::query("UPDATE orders SET custom = $2, updated_at = $3 WHERE id = $1")
                .bind(order.as_uuid())
                .bind(values_json(values))
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("order"));
            }
            audit_in!(&mut *tx, actor, "order.custom", order.to_string(), values.keys().cloned().collect::<Vec<_>>().join(", "))?;
            tx.commit().await?;
        });
        self.index_orders(&[order]).await
    }

    async fn withdraw_custom_field(&self, actor: &Actor, id: Uuid) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let done = sqlx::query("UPDATE custom_fields SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL")
                .bind(id)
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("custom field"));
            }
            audit_in!(&mut *tx, actor, "custom_field.withdraw", id.to_string(), String::new())?;
            tx.commit().await?;
        });
        Ok(())
    }
}

/// A record's custom values as SQL keeps them (a JSON object, key → text).
pub fn values_json(values: &std::collections::BTreeMap<String, String>) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "{}".into())
}

/// A record's custom values from SQL's JSON (anything unreadable reads as none).
pub fn values_from_json(json: &str) -> std::collections::BTreeMap<String, String> {
    serde_json::from_str(json).unwrap_or_default()
}
