//! Changing a product's price: the one path for the CLI (and the office's product
//! pages when they come). Prices keep their history (`product_prices`): the hub
//! re-prices an order with the price valid when it was taken.

use fieldcase_shared::{FieldError, Money, Problem, ProductId};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::service::ServiceError;
use crate::store::{Actor, Store, StoreError};

/// The meta key that changes whenever the catalog in SQL changes: the hub
/// republishes the catalog document when a phone connects and it differs.
pub const CATALOG_VERSION: &str = "catalog_version";

/// What the operator typed.
#[derive(Debug, Clone, Default)]
pub struct NewPrice<'a> {
    /// The product's SKU.
    pub sku: &'a str,
    /// Gross price in CZK (`1290` or `1 290,50`).
    pub price: &'a str,
    /// VAT in basis points (2100 = 21 %); `None` keeps the product's.
    pub vat_bp: Option<i64>,
    /// From when (RFC 3339); `None`: now. Not in the future.
    pub from: Option<&'a str>,
}

/// Validates and records a new price (audited); returns the product.
pub async fn set_price(
    store: &dyn Store,
    actor: &Actor,
    input: &NewPrice<'_>,
) -> Result<ProductId, ServiceError> {
    let mut problems = Vec::new();
    let price = match Money::parse(input.price) {
        Ok(m) if !m.is_negative() => Some(m),
        Ok(_) => {
            problems.push(FieldError::new(
                "price",
                Problem::OutOfRange {
                    min: "0".into(),
                    max: "∞".into(),
                },
            ));
            None
        }
        Err(_) => {
            problems.push(FieldError::new("price", Problem::Invalid));
            None
        }
    };
    if let Some(vat) = input.vat_bp
        && !(0..=10_000).contains(&vat)
    {
        problems.push(FieldError::new(
            "vat_bp",
            Problem::OutOfRange {
                min: "0".into(),
                max: "10000".into(),
            },
        ));
    }
    let now = OffsetDateTime::now_utc();
    let from = match input.from {
        None => Some(now),
        Some(text) => match OffsetDateTime::parse(text.trim(), &Rfc3339) {
            Ok(at) if at <= now => Some(at),
            Ok(_) => {
                problems.push(FieldError::new(
                    "from",
                    Problem::NotAllowed(fieldcase_shared::validate::reason::IN_FUTURE.into()),
                ));
                None
            }
            Err(_) => {
                problems.push(FieldError::new("from", Problem::Invalid));
                None
            }
        },
    };
    let (Some(price), Some(from), true) = (price, from, problems.is_empty()) else {
        return Err(ServiceError::Invalid(problems));
    };
    let id = match store
        .set_product_price(actor, input.sku, price, input.vat_bp, from)
        .await
    {
        Ok(id) => id,
        Err(StoreError::NotFound(_)) => {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "sku",
                Problem::Invalid,
            )]));
        }
        Err(err) => return Err(err.into()),
    };
    catalog_changed(store).await?;
    Ok(id)
}

/// Marks the catalog in SQL as changed: the hub republishes the products into the
/// catalog document (at once if it runs, else when a phone next connects).
pub async fn catalog_changed(store: &dyn Store) -> crate::store::StoreResult<()> {
    let now = OffsetDateTime::now_utc();
    store
        .set_meta(CATALOG_VERSION, &crate::store::sql::rfc3339(now))
        .await
}

/// `catalog` subcommands of the CLI.
#[derive(Debug, clap::Subcommand)]
pub enum CatalogCommand {
    /// Give a product a new price (audited, kept with its history: orders taken
    /// before keep theirs). Phones get it when they next connect.
    Price {
        /// The product's SKU.
        #[arg(long)]
        sku: String,
        /// Gross price in CZK, e.g. 1290 or 1290,50.
        #[arg(long)]
        price: String,
        /// VAT in basis points (2100 = 21 %); default: the product's.
        #[arg(long)]
        vat_bp: Option<i64>,
        /// From when (RFC 3339, not in the future); default: now.
        #[arg(long)]
        from: Option<String>,
        /// E-mail of the staff user (recorded in the audit log).
        #[arg(long)]
        by: String,
    },
    /// Import a supplier's price list (CSV or XLSX): the valid rows are saved
    /// together, each invalid one is reported with its line; exits 1 when any row
    /// was refused. Phones get the new catalog when they next connect.
    Import {
        /// The file.
        file: std::path::PathBuf,
        /// Check only: report, save nothing.
        #[arg(long)]
        dry_run: bool,
        /// E-mail of the staff user (recorded in the audit log).
        #[arg(long)]
        by: String,
    },
}
