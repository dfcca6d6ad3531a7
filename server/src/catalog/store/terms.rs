//! Price terms on [`SqlStore`]: discount tiers, customers' terms and products'
//! discount classes (migration 0025). Every change is audited; the hub publishes
//! them into the catalog document (`SyncHub::publish_offers`).

use std::collections::{BTreeMap, HashMap};

use fieldcase_shared::docs::catalog::{CustomerTermsRecord, TierRecord};
use fieldcase_shared::{ClientId, ProductId};
use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, LOOKUP_CHUNK, SqlStore, now, on_db, write_tx};

type TermsRow = (Uuid, i32, Option<String>);

fn terms((id, min, tier): TermsRow) -> (String, CustomerTermsRecord) {
    (
        id.to_string(),
        CustomerTermsRecord {
            min_discount_bp: u32::try_from(min).unwrap_or_default(),
            tier: tier.unwrap_or_default(),
        },
    )
}

impl SqlStore {
    /// See [`crate::catalog::store::CatalogStore::discount_tiers`].
    pub(super) async fn read_tiers(&self) -> StoreResult<BTreeMap<String, TierRecord>> {
        let rows: Vec<(String, String, String)> = on_db!(self, pool => sqlx::query_as(
            "SELECT code, name, classes FROM discount_tiers ORDER BY code",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        rows.into_iter()
            .map(|(code, name, classes)| {
                let classes = serde_json::from_str(&classes)
                    .map_err(|e| StoreError::Corrupt(format!("discount tier {code}: {e}")))?;
                Ok((code, TierRecord { name, classes }))
            })
            .collect()
    }

    /// See [`crate::catalog::store::CatalogStore::put_discount_tier`].
    pub(super) async fn write_tier(
        &self,
        actor: &Actor,
        code: &str,
        tier: &TierRecord,
    ) -> StoreResult<()> {
        let classes = serde_json::to_string(&tier.classes)
            .map_err(|e| StoreError::Corrupt(format!("discount tier {code}: {e}")))?;
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO discount_tiers (code, name, classes, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, classes = excluded.classes, updated_at = excluded.updated_at",
            )
            .bind(code)
            .bind(&tier.name)
            .bind(&classes)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "tier.put", code.to_owned(), format!("{:?} {classes}", tier.name))?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// See [`crate::catalog::store::CatalogStore::customer_terms`].
    pub(super) async fn read_customer_terms(
        &self,
        clients: &[ClientId],
    ) -> StoreResult<HashMap<String, CustomerTermsRecord>> {
        let mut out = HashMap::new();
        for chunk in clients.chunks(LOOKUP_CHUNK) {
            let rows: Vec<TermsRow> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT client_id, min_discount_bp, tier FROM customer_terms WHERE client_id IN (",
                );
                let mut list = q.separated(", ");
                for c in chunk {
                    list.push_bind(c.as_uuid());
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            out.extend(rows.into_iter().map(terms));
        }
        Ok(out)
    }

    /// See [`crate::catalog::store::CatalogStore::all_customer_terms`].
    pub(super) async fn read_all_customer_terms(
        &self,
    ) -> StoreResult<Vec<(String, CustomerTermsRecord)>> {
        let rows: Vec<TermsRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT client_id, min_discount_bp, tier FROM customer_terms ORDER BY client_id",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().map(terms).collect())
    }

    /// See [`crate::catalog::store::CatalogStore::set_customer_terms`].
    pub(super) async fn write_customer_terms(
        &self,
        actor: &Actor,
        client: ClientId,
        record: &CustomerTermsRecord,
    ) -> StoreResult<()> {
        let tier = (!record.tier.is_empty()).then_some(record.tier.as_str());
        let min = i32::try_from(record.min_discount_bp).unwrap_or(i32::MAX);
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            if *record == CustomerTermsRecord::default() {
                sqlx::query("DELETE FROM customer_terms WHERE client_id = $1")
                    .bind(client.as_uuid())
                    .execute(&mut *tx)
                    .await
                    .classify()?;
            } else {
                sqlx::query(
                    "INSERT INTO customer_terms (client_id, min_discount_bp, tier, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (client_id) DO UPDATE SET min_discount_bp = excluded.min_discount_bp, tier = excluded.tier, \
                     updated_at = excluded.updated_at",
                )
                .bind(client.as_uuid())
                .bind(min)
                .bind(tier)
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            }
            audit_in!(&mut *tx, actor, "customer.terms", client.to_string(), format!("min {} bp tier {:?}", record.min_discount_bp, record.tier))?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// See [`crate::catalog::store::CatalogStore::set_product_class`].
    pub(super) async fn write_product_class(
        &self,
        actor: &Actor,
        sku: &str,
        class: &str,
    ) -> StoreResult<ProductId> {
        let id: Uuid = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let id: Option<(Uuid,)> = sqlx::query_as(
                "UPDATE products SET discount_class = $1 WHERE sku = $2 RETURNING id",
            )
            .bind(class)
            .bind(sku)
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            let Some((id,)) = id else {
                return Err(StoreError::NotFound("product"));
            };
            audit_in!(&mut *tx, actor, "product.class", sku.to_owned(), format!("{class:?}"))?;
            tx.commit().await?;
            id
        });
        Ok(ProductId::from_uuid(id))
    }
}
