//! The office's side of the products: a checked price list saved in one go (new
//! products, changed ones, new prices kept in the price history), the record of
//! each import with its per-row report, and withdrawing or reinstating a product.

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::ProductId;
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::catalog::import::{ProductInput, RowProblem};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, LOOKUP_CHUNK, SqlStore, now, on_db, one_row};

/// What an import did (or, checked only, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// New products.
    pub created: i64,
    /// Products whose texts, attributes or state changed.
    pub updated: i64,
    /// Products with a new price (from the moment of the import).
    pub repriced: i64,
    /// Rows that matched their product exactly.
    pub unchanged: i64,
}

/// An import as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    pub id: Uuid,
    pub at: OffsetDateTime,
    /// Who imported (as the audit log shows them).
    pub actor: String,
    pub file_name: String,
    /// Checked only, nothing saved.
    pub dry_run: bool,
    /// Rows read (the header aside).
    pub rows_read: i64,
    pub summary: ImportSummary,
    /// The refused rows and why.
    pub refused: Vec<RowProblem>,
}

/// Products as the office changes them.
#[async_trait]
pub trait ProductStore: Send + Sync {
    /// Saves the valid rows of a price list in one transaction — all or nothing —
    /// (unless `dry_run`: then they are only counted) and records the import with
    /// its refused rows; audited. Returns the import's id and what it did.
    async fn import_products(
        &self,
        actor: &Actor,
        file_name: &str,
        rows_read: usize,
        valid: &[ProductInput],
        refused: &[RowProblem],
        dry_run: bool,
    ) -> StoreResult<(Uuid, ImportSummary)>;
    /// A recorded import.
    async fn catalog_import(&self, id: Uuid) -> StoreResult<Option<ImportRecord>>;
    /// Withdraws a product from sale, or reinstates it (audited); phones keep it
    /// for orders already taken but offer it no more.
    async fn set_product_active(
        &self,
        actor: &Actor,
        id: ProductId,
        active: bool,
    ) -> StoreResult<()>;
}

type Existing = (
    Uuid,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    bool,
);

const PRODUCT_COLS: &str = "id, sku, kind, name, brand, model, colour, size, lens_maker, lens_index, lens_design, lens_coatings, price_haler, CAST(vat_bp AS BIGINT), active";

/// The row as it will be stored: the columns the file lacks keep the product's values.
fn merged(e: &Existing, p: &ProductInput) -> ProductInput {
    let g = p.given;
    let pick =
        |given: bool, new: &String, old: &String| if given { new.clone() } else { old.clone() };
    ProductInput {
        kind: if g.kind {
            p.kind
        } else {
            crate::catalog::store::ProductKind::from_code(&e.2).unwrap_or(p.kind)
        },
        brand: pick(g.brand, &p.brand, &e.4),
        model: pick(g.model, &p.model, &e.5),
        colour: pick(g.colour, &p.colour, &e.6),
        size: pick(g.size, &p.size, &e.7),
        lens_maker: pick(g.lens_maker, &p.lens_maker, &e.8),
        lens_index: pick(g.lens_index, &p.lens_index, &e.9),
        lens_design: pick(g.lens_design, &p.lens_design, &e.10),
        lens_coatings: pick(g.lens_coatings, &p.lens_coatings, &e.11),
        active: if g.active { p.active } else { e.14 },
        ..p.clone()
    }
}

fn same_texts(e: &Existing, p: &ProductInput) -> bool {
    e.2 == p.kind.code()
        && e.3 == p.name
        && e.4 == p.brand
        && e.5 == p.model
        && e.6 == p.colour
        && e.7 == p.size
        && e.8 == p.lens_maker
        && e.9 == p.lens_index
        && e.10 == p.lens_design
        && e.11 == p.lens_coatings
        && e.14 == p.active
}

#[async_trait]
impl ProductStore for SqlStore {
    async fn import_products(
        &self,
        actor: &Actor,
        file_name: &str,
        rows_read: usize,
        valid: &[ProductInput],
        refused: &[RowProblem],
        dry_run: bool,
    ) -> StoreResult<(Uuid, ImportSummary)> {
        let at = now();
        let id = Uuid::now_v7();
        let report =
            serde_json::to_string(refused).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut sum = ImportSummary::default();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            // What the database has of these SKUs, a chunk per query.
            let mut existing: HashMap<String, Existing> = HashMap::with_capacity(valid.len());
            for chunk in valid.chunks(LOOKUP_CHUNK) {
                let mut q = QueryBuilder::new(format!("SELECT {PRODUCT_COLS} FROM products WHERE sku IN ("));
                let mut list = q.separated(", ");
                for p in chunk {
                    list.push_bind(p.sku.clone());
                }
                q.push(")");
                let rows: Vec<Existing> = q.build_query_as().fetch_all(&mut *tx).await.classify()?;
                existing.extend(rows.into_iter().map(|r| (r.1.clone(), r)));
            }
            for p in valid {
                match existing.get(&p.sku) {
                    None => {
                        let pid = Uuid::now_v7();
                        sqlx::query(
                            "INSERT INTO products (id, sku, kind, name, brand, model, colour, size, lens_maker, lens_index, \
                             lens_design, lens_coatings, price_haler, vat_bp, active) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                        )
                        .bind(pid).bind(&p.sku).bind(p.kind.code()).bind(&p.name).bind(&p.brand).bind(&p.model)
                        .bind(&p.colour).bind(&p.size).bind(&p.lens_maker).bind(&p.lens_index).bind(&p.lens_design)
                        .bind(&p.lens_coatings).bind(p.price.haler()).bind(p.vat_bp).bind(p.active)
                        .execute(&mut *tx).await.classify()?;
                        sqlx::query("INSERT INTO product_prices (product_id, valid_from, price_haler, vat_bp) VALUES ($1, $2, $3, $4)")
                            .bind(pid).bind(OffsetDateTime::UNIX_EPOCH).bind(p.price.haler()).bind(p.vat_bp)
                            .execute(&mut *tx).await.classify()?;
                        sum.created += 1;
                    }
                    Some(e) => {
                        let p = &merged(e, p);
                        let texts = same_texts(e, p);
                        let price = e.12 == p.price.haler() && e.13 == p.vat_bp;
                        if !texts {
                            sqlx::query(
                                "UPDATE products SET kind = $2, name = $3, brand = $4, model = $5, colour = $6, size = $7, \
                                 lens_maker = $8, lens_index = $9, lens_design = $10, lens_coatings = $11, active = $12 WHERE id = $1",
                            )
                            .bind(e.0).bind(p.kind.code()).bind(&p.name).bind(&p.brand).bind(&p.model).bind(&p.colour)
                            .bind(&p.size).bind(&p.lens_maker).bind(&p.lens_index).bind(&p.lens_design)
                            .bind(&p.lens_coatings).bind(p.active)
                            .execute(&mut *tx).await.classify()?;
                            sum.updated += 1;
                        }
                        if !price {
                            // Orders taken before keep their price: the new one is
                            // valid from now on (the price history).
                            sqlx::query(
                                "INSERT INTO product_prices (product_id, valid_from, price_haler, vat_bp) VALUES ($1, $2, $3, $4) \
                                 ON CONFLICT (product_id, valid_from) DO UPDATE SET price_haler = excluded.price_haler, vat_bp = excluded.vat_bp",
                            )
                            .bind(e.0).bind(at).bind(p.price.haler()).bind(p.vat_bp)
                            .execute(&mut *tx).await.classify()?;
                            sqlx::query("UPDATE products SET price_haler = $2, vat_bp = $3 WHERE id = $1")
                                .bind(e.0).bind(p.price.haler()).bind(p.vat_bp)
                                .execute(&mut *tx).await.classify()?;
                            sum.repriced += 1;
                        }
                        if texts && price {
                            sum.unchanged += 1;
                        }
                    }
                }
            }
            if dry_run {
                tx.rollback().await?;
                tx = crate::store::sql::write_tx(pool).await?;
            }
            sqlx::query(
                "INSERT INTO catalog_imports (id, at, actor, file_name, dry_run, rows_read, created, updated, repriced, unchanged, refused, report) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(id).bind(at).bind(&actor.label).bind(file_name).bind(dry_run)
            .bind(i64::try_from(rows_read).unwrap_or(i64::MAX))
            .bind(sum.created).bind(sum.updated).bind(sum.repriced).bind(sum.unchanged)
            .bind(i64::try_from(refused.len()).unwrap_or(i64::MAX)).bind(&report)
            .execute(&mut *tx).await.classify()?;
            let action = if dry_run { "catalog.import_check" } else { "catalog.import" };
            audit_in!(&mut *tx, actor, action, id.to_string(), format!(
                "{file_name}: {rows_read} rows, {} new, {} changed, {} new prices, {} refused",
                sum.created, sum.updated, sum.repriced, refused.len()
            ))?;
            tx.commit().await?;
        });
        Ok((id, sum))
    }

    async fn catalog_import(&self, id: Uuid) -> StoreResult<Option<ImportRecord>> {
        type Row = (
            Uuid,
            OffsetDateTime,
            String,
            String,
            bool,
            i64,
            i64,
            i64,
            i64,
            i64,
            String,
        );
        let row: Option<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, at, actor, file_name, dry_run, rows_read, created, updated, repriced, unchanged, report \
             FROM catalog_imports WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
        .classify())?;
        row.map(
            |(
                id,
                at,
                actor,
                file_name,
                dry_run,
                rows_read,
                created,
                updated,
                repriced,
                unchanged,
                report,
            )| {
                Ok(ImportRecord {
                    id,
                    at,
                    actor,
                    file_name,
                    dry_run,
                    rows_read,
                    summary: ImportSummary {
                        created,
                        updated,
                        repriced,
                        unchanged,
                    },
                    refused: serde_json::from_str(&report)
                        .map_err(|e| StoreError::Corrupt(format!("catalog_imports.report: {e}")))?,
                })
            },
        )
        .transpose()
    }

    async fn set_product_active(
        &self,
        actor: &Actor,
        id: ProductId,
        active: bool,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE products SET active = $2 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(active)
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "product")?;
            let action = if active { "product.reinstate" } else { "product.withdraw" };
            audit_in!(&mut *tx, actor, action, id.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }
}
