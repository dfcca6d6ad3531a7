//! Customers changed by the office: created, and edited field by field. A customer
//! with an adviser lives in the adviser's workspace, so the document is changed
//! first (`customers/edit.rs`) and SQL then gets the fields that changed; a customer
//! without one (the office's own) is changed here, compare-and-set against what the
//! user saw. Each write has its audit entry in the same transaction and the search
//! bodies (the customer's and their orders') follow.

use fieldcase_shared::customer::{CLIENT_FIELDS, Stale, apply_edit};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{AdviserId, ClientId};
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, Db, SqlStore, now, on_db};

/// A client's owner and editable fields as SQL holds them.
#[derive(sqlx::FromRow)]
pub(super) struct Row {
    pub(super) adviser_id: Option<Uuid>,
    first_name: String,
    last_name: String,
    phone: String,
    email: String,
    street: String,
    city: String,
    postal_code: String,
    note: String,
    custom: String,
}

impl Row {
    pub(super) fn record(self) -> ClientRecord {
        ClientRecord {
            first_name: self.first_name,
            last_name: self.last_name,
            phone: self.phone,
            email: self.email,
            street: self.street,
            city: self.city,
            postal_code: self.postal_code,
            note: self.note,
            created_at: String::new(),
            merged_into: String::new(),
            custom: super::fields::values_from_json(&self.custom),
        }
    }
}

/// `UPDATE clients SET <fields> = …, updated_at = … WHERE id = …` binding the
/// values of `rec` (the field names are [`CLIENT_FIELDS`], never input).
macro_rules! update_fields {
    ($tx:expr, $id:expr, $rec:expr, $fields:expr) => {{
        let mut q = sqlx::QueryBuilder::new("UPDATE clients SET updated_at = ");
        q.push_bind(now());
        for name in $fields {
            if name == "custom" {
                q.push(", custom = ")
                    .push_bind($crate::customers::store::fields::values_json(&$rec.custom));
                continue;
            }
            let value = fieldcase_shared::customer::field($rec, name)
                .cloned()
                .unwrap_or_default();
            q.push(format!(", {name} = ")).push_bind(value);
        }
        q.push(" WHERE id = ").push_bind($id);
        q.build().execute(&mut *$tx).await.classify()?
    }};
}

pub(super) use update_fields;

impl SqlStore {
    /// Whose the client is: `None` no such client, `Some(None)` the office's own.
    pub(crate) async fn read_client_owner(
        &self,
        client: ClientId,
    ) -> StoreResult<Option<Option<AdviserId>>> {
        let row: Option<(Option<Uuid>,)> = on_db!(self, pool => sqlx::query_as("SELECT adviser_id FROM clients WHERE id = $1")
            .bind(client.as_uuid())
            .fetch_optional(pool)
            .await
            .classify()?);
        Ok(row.map(|(a,)| a.map(AdviserId::from_uuid)))
    }

    /// Inserts a customer the office created (checked by the caller); with an
    /// adviser, the caller has already written them into the workspace.
    pub(crate) async fn insert_customer(
        &self,
        actor: &Actor,
        client: ClientId,
        adviser: Option<AdviserId>,
        rec: &ClientRecord,
    ) -> StoreResult<()> {
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO clients (id, adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, created_at, updated_at, custom) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) ON CONFLICT (id) DO NOTHING",
            )
            .bind(client.as_uuid())
            .bind(adviser.map(|a| a.as_uuid()))
            .bind(&rec.first_name)
            .bind(&rec.last_name)
            .bind(&rec.phone)
            .bind(&rec.email)
            .bind(&rec.street)
            .bind(&rec.city)
            .bind(&rec.postal_code)
            .bind(&rec.note)
            .bind(at)
            .bind(super::fields::values_json(&rec.custom))
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "client.create", client.to_string(), adviser.map(|a| a.to_string()).unwrap_or_default())?;
            tx.commit().await?;
        });
        self.index_customers(&[client]).await
    }

    /// Inserts customers read from a file (checked by `customers/import.rs`) as the
    /// office's own, in one transaction with one audit entry: all or none.
    pub(crate) async fn insert_customers(
        &self,
        actor: &Actor,
        rows: &[(ClientId, ClientRecord)],
    ) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let at = now();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            for (n, chunk) in rows.chunks(500).enumerate() {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO clients (id, adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, created_at, updated_at) ",
                );
                // Each its own microsecond, in file order: the search index keeps
                // creation order with a bounded number of rows per moment.
                let mut i = n as i64 * 500;
                q.push_values(chunk, |mut b, (id, c)| {
                    let created = at + time::Duration::microseconds(i);
                    i += 1;
                    b.push_bind(id.as_uuid())
                        .push_bind(None::<Uuid>)
                        .push_bind(&c.first_name)
                        .push_bind(&c.last_name)
                        .push_bind(&c.phone)
                        .push_bind(&c.email)
                        .push_bind(&c.street)
                        .push_bind(&c.city)
                        .push_bind(&c.postal_code)
                        .push_bind(&c.note)
                        .push_bind(created)
                        .push_bind(at);
                });
                q.build().execute(&mut *tx).await.classify()?;
            }
            audit_in!(&mut *tx, actor, "client.import", "", format!("{} customers", rows.len()))?;
            tx.commit().await?;
        });
        let ids: Vec<ClientId> = rows.iter().map(|(id, _)| *id).collect();
        self.index_customers(&ids).await
    }

    /// Edits the office's own customer (no adviser): the fields changed from `seen`
    /// are written if nobody changed them meanwhile (`apply_edit`); returns them, or
    /// the stale ones (nothing written). NotFound: no such client; Stale: it has an
    /// adviser (edited through their workspace instead).
    pub(crate) async fn edit_own_customer_cas(
        &self,
        actor: &Actor,
        client: ClientId,
        seen: &ClientRecord,
        new: &ClientRecord,
    ) -> StoreResult<Result<Vec<&'static str>, Stale>> {
        let id = client.as_uuid();
        let lock = match self.db() {
            Db::Sqlite(_) => "",
            Db::Postgres(_) => " FOR UPDATE",
        };
        let outcome = on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT adviser_id, first_name, last_name, phone, email, street, city, postal_code, note, custom FROM clients WHERE id = $1{lock}"
            )))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            let Some(row) = row else {
                return Err(StoreError::NotFound("client"));
            };
            if row.adviser_id.is_some() {
                // Assigned to an adviser since the caller looked: their workspace holds it now.
                return Err(StoreError::Stale("client's adviser"));
            }
            let mut current = row.record();
            match apply_edit(&mut current, seen, new) {
                Err(stale) => Err(stale),
                Ok(changed) if changed.is_empty() => Ok(changed),
                Ok(changed) => {
                    update_fields!(tx, id, &current, changed.iter().copied());
                    audit_in!(&mut *tx, actor, "client.edit", client.to_string(), changed.join(", "))?;
                    tx.commit().await?;
                    Ok(changed)
                }
            }
        });
        if matches!(&outcome, Ok(changed) if !changed.is_empty()) {
            self.reindex_customer(client).await?;
        }
        Ok(outcome)
    }

    /// Writes `fields` of `rec` (what an office edit changed in the adviser's
    /// document, already written there) with the audit entry.
    pub(crate) async fn write_customer_fields(
        &self,
        actor: &Actor,
        client: ClientId,
        rec: &ClientRecord,
        fields: &[&'static str],
    ) -> StoreResult<()> {
        let id = client.as_uuid();
        let fields: Vec<&'static str> = fields
            .iter()
            .copied()
            .filter(|f| CLIENT_FIELDS.contains(f) || *f == "custom")
            .collect();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = update_fields!(tx, id, rec, fields.iter().copied());
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("client"));
            }
            audit_in!(&mut *tx, actor, "client.edit", client.to_string(), fields.join(", "))?;
            tx.commit().await?;
        });
        self.reindex_customer(client).await
    }

    /// The search bodies of a customer and of their orders (which hold the name).
    pub(super) async fn reindex_customer(&self, client: ClientId) -> StoreResult<()> {
        self.index_customers(&[client]).await?;
        let orders = self.orders_of_clients(&[client]).await?;
        self.index_orders(&orders).await
    }
}
