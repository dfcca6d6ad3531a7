//! [`CatalogStore`] on [`SqlStore`]: products and coupons, with their rows.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use fieldcase_shared::authority::CouponClaim;
use fieldcase_shared::docs::catalog::{
    CouponRecord, CustomerTermsRecord, ProductRecord, TierRecord,
};
use fieldcase_shared::pricing::PricePoint;
use fieldcase_shared::{AdviserId, ClientId, Money, OrderId, ProductId};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::catalog::store::{CatalogStore, Product};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{BATCH, Classify, LOOKUP_CHUNK, SqlStore, now, on_db};

impl From<CouponRow> for (String, CouponRecord) {
    fn from(r: CouponRow) -> Self {
        (
            r.code,
            CouponRecord {
                percent_bp: u32::try_from(r.percent_bp).unwrap_or_default(),
                amount: r.amount_haler,
                valid_until: r.valid_until.unwrap_or_default(),
                active: r.active,
                min_order: r.min_order_haler,
                client: r.client_id.map(|c| c.to_string()).unwrap_or_default(),
                message: r.message,
                max_uses: u32::try_from(r.max_uses).unwrap_or_default(),
                withdrawn_at: r
                    .withdrawn_at
                    .map(crate::store::sql::rfc3339)
                    .unwrap_or_default(),
            },
        )
    }
}

/// The columns of a [`ProductRow`].
const PRODUCT_COLUMNS: &str = "id, sku, kind, name, brand, colour, size, price_haler, vat_bp, active, model, \
     lens_maker, lens_index, lens_design, lens_coatings, discount_class";

/// A product row as the catalog document shows it.
fn product(r: ProductRow) -> (ProductId, ProductRecord) {
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
            model: r.model,
            lens_maker: r.lens_maker,
            lens_index: r.lens_index,
            lens_design: r.lens_design,
            lens_coatings: r.lens_coatings,
            discount_class: r.discount_class,
        },
    )
}

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
    model: String,
    lens_maker: String,
    lens_index: String,
    lens_design: String,
    lens_coatings: String,
    discount_class: String,
}

#[derive(sqlx::FromRow)]
struct CouponRow {
    code: String,
    percent_bp: i32,
    amount_haler: i64,
    valid_until: Option<String>,
    active: bool,
    min_order_haler: i64,
    client_id: Option<Uuid>,
    message: String,
    max_uses: i32,
    withdrawn_at: Option<OffsetDateTime>,
}

#[async_trait]
impl CatalogStore for SqlStore {
    async fn insert_products(&self, products: &[Product]) -> StoreResult<u64> {
        let mut inserted = 0;
        for chunk in products.chunks(BATCH) {
            on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "INSERT INTO products (id, sku, kind, name, brand, colour, size, price_haler, vat_bp, active, model, \
                     lens_maker, lens_index, lens_design, lens_coatings) ",
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
                        .push_bind(true)
                        .push_bind(p.attrs.model.clone())
                        .push_bind(p.attrs.lens_maker.clone())
                        .push_bind(p.attrs.lens_index.clone())
                        .push_bind(p.attrs.lens_design.clone())
                        .push_bind(p.attrs.lens_coatings.clone());
                });
                q.push(" ON CONFLICT (id) DO NOTHING");
                inserted += q.build().execute(pool).await.classify()?.rows_affected();
                // Their prices, valid since always (a product's first price).
                let mut q = QueryBuilder::new(
                    "INSERT INTO product_prices (product_id, valid_from, price_haler, vat_bp) ",
                );
                q.push_values(chunk, |mut b, p| {
                    b.push_bind(p.id.as_uuid())
                        .push_bind(OffsetDateTime::UNIX_EPOCH)
                        .push_bind(p.price.haler())
                        .push_bind(p.vat_bp);
                });
                q.push(" ON CONFLICT (product_id, valid_from) DO NOTHING");
                q.build().execute(pool).await.classify()?;
            });
        }
        Ok(inserted)
    }

    async fn catalog_products(&self) -> StoreResult<Vec<(ProductId, ProductRecord)>> {
        let rows: Vec<ProductRow> = on_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("SELECT {PRODUCT_COLUMNS} FROM products ORDER BY id")),
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().map(product).collect())
    }

    async fn coupons(&self) -> StoreResult<Vec<(String, CouponRecord)>> {
        let rows: Vec<CouponRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT code, percent_bp, amount_haler, valid_until, active, min_order_haler, client_id, message, max_uses, withdrawn_at FROM coupons ORDER BY code",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn put_coupon(
        &self,
        actor: &Actor,
        code: &str,
        coupon: &CouponRecord,
    ) -> StoreResult<()> {
        let until = (!coupon.valid_until.is_empty()).then_some(coupon.valid_until.as_str());
        let client = match coupon.client.as_str() {
            "" => None,
            c => Some(
                c.parse::<Uuid>()
                    .map_err(|_| StoreError::Corrupt(format!("coupon {code}: client {c:?}")))?,
            ),
        };
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO coupons (code, percent_bp, amount_haler, valid_until, active, created_at, min_order_haler, client_id, message, max_uses, withdrawn_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $5 THEN NULL ELSE $6 END) \
                 ON CONFLICT (code) DO UPDATE SET percent_bp = excluded.percent_bp, amount_haler = excluded.amount_haler, \
                 valid_until = excluded.valid_until, active = excluded.active, min_order_haler = excluded.min_order_haler, \
                 client_id = excluded.client_id, message = excluded.message, max_uses = excluded.max_uses, \
                 withdrawn_at = CASE WHEN excluded.active THEN NULL ELSE COALESCE(coupons.withdrawn_at, excluded.withdrawn_at) END",
            )
            .bind(code)
            .bind(i32::try_from(coupon.percent_bp).unwrap_or(i32::MAX))
            .bind(coupon.amount)
            .bind(until)
            .bind(coupon.active)
            .bind(now())
            .bind(coupon.min_order)
            .bind(client)
            .bind(&coupon.message)
            .bind(i32::try_from(coupon.max_uses).unwrap_or(i32::MAX))
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "coupon.put", code.to_owned(), format!("{} bp {} h until {:?} active {} min {} h client {:?} message {:?} max uses {}", coupon.percent_bp, coupon.amount, until, coupon.active, coupon.min_order, coupon.client, coupon.message, coupon.max_uses))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn coupons_by_code(
        &self,
        codes: &[String],
    ) -> StoreResult<HashMap<String, CouponRecord>> {
        let mut out = HashMap::with_capacity(codes.len());
        for chunk in codes.chunks(LOOKUP_CHUNK) {
            let rows: Vec<CouponRow> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT code, percent_bp, amount_haler, valid_until, active, min_order_haler, client_id, message, max_uses, withdrawn_at FROM coupons WHERE code IN (",
                );
                let mut list = q.separated(", ");
                for code in chunk {
                    list.push_bind(code.clone());
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            out.extend(rows.into_iter().map(<(String, CouponRecord)>::from));
        }
        Ok(out)
    }

    async fn claim_coupons(
        &self,
        adviser: AdviserId,
        claims: &[CouponClaim],
    ) -> StoreResult<HashMap<OrderId, u32>> {
        self.claim_coupon_uses(adviser, claims).await
    }

    async fn coupon_use_counts(&self) -> StoreResult<HashMap<String, i64>> {
        self.count_coupon_uses().await
    }

    async fn products_by_id(&self, ids: &[String]) -> StoreResult<HashMap<String, ProductRecord>> {
        let ids: Vec<Uuid> = ids.iter().filter_map(|p| Uuid::parse_str(p).ok()).collect();
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(LOOKUP_CHUNK) {
            let rows: Vec<ProductRow> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id IN ("));
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            out.extend(rows.into_iter().map(|r| {
                let (id, p) = product(r);
                (id.to_string(), p)
            }));
        }
        Ok(out)
    }

    async fn set_product_class(
        &self,
        actor: &Actor,
        sku: &str,
        class: &str,
    ) -> StoreResult<ProductId> {
        self.write_product_class(actor, sku, class).await
    }

    async fn discount_tiers(&self) -> StoreResult<BTreeMap<String, TierRecord>> {
        self.read_tiers().await
    }

    async fn put_discount_tier(
        &self,
        actor: &Actor,
        code: &str,
        tier: &TierRecord,
    ) -> StoreResult<()> {
        self.write_tier(actor, code, tier).await
    }

    async fn customer_terms(
        &self,
        clients: &[ClientId],
    ) -> StoreResult<HashMap<String, CustomerTermsRecord>> {
        self.read_customer_terms(clients).await
    }

    async fn all_customer_terms(&self) -> StoreResult<Vec<(String, CustomerTermsRecord)>> {
        self.read_all_customer_terms().await
    }

    async fn set_customer_terms(
        &self,
        actor: &Actor,
        client: ClientId,
        terms: &CustomerTermsRecord,
    ) -> StoreResult<()> {
        self.write_customer_terms(actor, client, terms).await
    }

    async fn price_history(
        &self,
        products: &[String],
    ) -> StoreResult<HashMap<String, Vec<PricePoint>>> {
        let ids: Vec<Uuid> = products
            .iter()
            .filter_map(|p| Uuid::parse_str(p).ok())
            .collect();
        let mut out: HashMap<String, Vec<PricePoint>> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(LOOKUP_CHUNK) {
            let rows: Vec<(Uuid, OffsetDateTime, i64, i64)> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT product_id, valid_from, price_haler, vat_bp FROM product_prices WHERE product_id IN (",
                );
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            for (id, from, price, vat) in rows {
                out.entry(id.to_string()).or_default().push(PricePoint {
                    valid_from: from.unix_timestamp(),
                    price,
                    vat_bp: u32::try_from(vat).unwrap_or_default(),
                });
            }
        }
        Ok(out)
    }

    async fn set_product_price(
        &self,
        actor: &Actor,
        sku: &str,
        price: Money,
        vat_bp: Option<i64>,
        valid_from: OffsetDateTime,
    ) -> StoreResult<ProductId> {
        let current = valid_from <= now();
        let id = on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let found: Option<(Uuid, i64)> = sqlx::query_as("SELECT id, CAST(vat_bp AS BIGINT) FROM products WHERE sku = $1")
                .bind(sku)
                .fetch_optional(&mut *tx)
                .await
                .classify()?;
            let (id, vat_now) = found.ok_or(StoreError::NotFound("product"))?;
            let vat_bp = vat_bp.unwrap_or(vat_now);
            sqlx::query(
                "INSERT INTO product_prices (product_id, valid_from, price_haler, vat_bp) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (product_id, valid_from) DO UPDATE SET price_haler = excluded.price_haler, vat_bp = excluded.vat_bp",
            )
            .bind(id)
            .bind(valid_from)
            .bind(price.haler())
            .bind(vat_bp)
            .execute(&mut *tx)
            .await
            .classify()?;
            if current {
                sqlx::query("UPDATE products SET price_haler = $1, vat_bp = $2 WHERE id = $3")
                    .bind(price.haler())
                    .bind(vat_bp)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .classify()?;
            }
            audit_in!(&mut *tx, actor, "product.price", sku.to_owned(), format!("{} h, VAT {} bp, from {}", price.haler(), vat_bp, crate::store::sql::rfc3339(valid_from)))?;
            tx.commit().await?;
            id
        });
        Ok(ProductId::from_uuid(id))
    }
}
