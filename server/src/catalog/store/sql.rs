//! [`CatalogStore`] on [`SqlStore`]: products and coupons, with their rows.

use async_trait::async_trait;
use fieldcase_shared::ProductId;
use fieldcase_shared::docs::catalog::{CouponRecord, ProductRecord};
use sqlx::QueryBuilder;
use uuid::Uuid;

use crate::catalog::store::{CatalogStore, Product};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{BATCH, Classify, SqlStore, now, on_db};

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: Uuid,
    sku: String,
    kind: String,
    name: String,
    brand: String,
    colour: String,
    size: String,
    price_haler: i64,
    vat_bp: i64,
    active: bool,
}

#[derive(sqlx::FromRow)]
struct CouponRow {
    code: String,
    percent_bp: i32,
    amount_haler: i64,
    valid_until: Option<String>,
    active: bool,
}

#[async_trait]
impl CatalogStore for SqlStore {
    async fn insert_products(&self, products: &[Product]) -> StoreResult<u64> {
        let mut inserted = 0;
        for chunk in products.chunks(BATCH) {
            on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "INSERT INTO products (id, sku, kind, name, brand, colour, size, price_haler, vat_bp, active) ",
                );
                q.push_values(chunk, |mut b, p| {
                    b.push_bind(p.id.as_uuid())
                        .push_bind(p.sku.clone())
                        .push_bind(p.kind.code())
                        .push_bind(p.name.clone())
                        .push_bind(p.brand.clone())
                        .push_bind(p.colour.clone())
                        .push_bind(p.size.clone())
                        .push_bind(p.price.haler())
                        .push_bind(p.vat_bp)
                        .push_bind(true);
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                inserted += q.build().execute(pool).await.classify()?.rows_affected();
            });
        }
        Ok(inserted)
    }

    async fn catalog_products(&self) -> StoreResult<Vec<(ProductId, ProductRecord)>> {
        let rows: Vec<ProductRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, sku, kind, name, brand, colour, size, price_haler, vat_bp, active FROM products ORDER BY id",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    ProductId::from_uuid(r.id),
                    ProductRecord {
                        sku: r.sku,
                        kind: r.kind,
                        name: r.name,
                        brand: r.brand,
                        colour: r.colour,
                        size: r.size,
                        price: r.price_haler,
                        vat_bp: u32::try_from(r.vat_bp).unwrap_or_default(),
                        active: r.active,
                    },
                )
            })
            .collect())
    }

    async fn coupons(&self) -> StoreResult<Vec<(String, CouponRecord)>> {
        let rows: Vec<CouponRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT code, percent_bp, amount_haler, valid_until, active FROM coupons ORDER BY code",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    r.code,
                    CouponRecord {
                        percent_bp: u32::try_from(r.percent_bp).unwrap_or_default(),
                        amount: r.amount_haler,
                        valid_until: r.valid_until.unwrap_or_default(),
                        active: r.active,
                    },
                )
            })
            .collect())
    }

    async fn put_coupon(
        &self,
        actor: &Actor,
        code: &str,
        coupon: &CouponRecord,
    ) -> StoreResult<()> {
        let until = (!coupon.valid_until.is_empty()).then_some(coupon.valid_until.as_str());
        on_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO coupons (code, percent_bp, amount_haler, valid_until, active, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO UPDATE SET percent_bp = excluded.percent_bp, amount_haler = excluded.amount_haler, \
                 valid_until = excluded.valid_until, active = excluded.active",
            )
            .bind(code)
            .bind(i32::try_from(coupon.percent_bp).unwrap_or(i32::MAX))
            .bind(coupon.amount)
            .bind(until)
            .bind(coupon.active)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "coupon.put", code.to_owned(), format!("{} bp {} h until {:?} active {}", coupon.percent_bp, coupon.amount, until, coupon.active))?;
            tx.commit().await?;
        });
        Ok(())
    }
}
