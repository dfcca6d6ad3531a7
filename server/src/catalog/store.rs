//! The catalog's store part: products (the office's price list, published into
//! the catalog document) and coupons. Their SQL, with its row types, is in
//! `catalog/store/sql.rs`.

mod products;
mod sql;
mod terms;
mod uses;

pub use products::{ImportRecord, ImportSummary, ProductStore};

use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};

use fieldcase_shared::authority::CouponClaim;
use fieldcase_shared::docs::catalog::{
    CouponRecord, CustomerTermsRecord, ProductRecord, TierRecord,
};
use fieldcase_shared::pricing::PricePoint;
use fieldcase_shared::{AdviserId, ClientId, Money, OrderId, ProductId};
use time::OffsetDateTime;

use crate::store::actor::Actor;
use crate::store::error::StoreResult;

/// Kind of catalog product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProductKind {
    /// Spectacle frame.
    Frame,
    /// Spectacle lens.
    Lens,
    /// Lens coating option.
    Coating,
    /// Contact lenses.
    ContactLens,
    /// Cases, cloths, sprays…
    Accessory,
    /// Work (fitting, eye exam…).
    Service,
}

impl ProductKind {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            ProductKind::Frame => "frame",
            ProductKind::Lens => "lens",
            ProductKind::Coating => "coating",
            ProductKind::ContactLens => "contact_lens",
            ProductKind::Accessory => "accessory",
            ProductKind::Service => "service",
        }
    }
}

impl ProductKind {
    /// Every kind, in the order the office lists them.
    pub const ALL: [ProductKind; 6] = [
        ProductKind::Frame,
        ProductKind::Lens,
        ProductKind::Coating,
        ProductKind::ContactLens,
        ProductKind::Accessory,
        ProductKind::Service,
    ];

    /// The kind of a stored code.
    pub fn from_code(code: &str) -> Option<ProductKind> {
        ProductKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Name for people.
    pub fn label(self, lang: fieldcase_shared::Lang) -> &'static str {
        match self {
            ProductKind::Frame => lang.pick("Obruba", "Frame"),
            ProductKind::Lens => lang.pick("Brýlová čočka", "Lens"),
            ProductKind::Coating => lang.pick("Vrstva", "Coating"),
            ProductKind::ContactLens => lang.pick("Kontaktní čočky", "Contact lenses"),
            ProductKind::Accessory => lang.pick("Doplněk", "Accessory"),
            ProductKind::Service => lang.pick("Služba", "Service"),
        }
    }
}

/// A catalog product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Id.
    pub id: ProductId,
    /// Unique SKU.
    pub sku: String,
    /// Kind.
    pub kind: ProductKind,
    /// Name.
    pub name: String,
    /// Brand.
    pub brand: String,
    /// Colour.
    pub colour: String,
    /// Size text (frames: `52□18 140`).
    pub size: String,
    /// Gross price.
    pub price: Money,
    /// VAT rate, basis points.
    pub vat_bp: i64,
    /// What it is a variant of, and a lens's attributes.
    pub attrs: Attributes,
}

/// A product's structured attributes beyond name, brand, colour and size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    /// The model this product is a variant of (frames: model; lenses: the line).
    pub model: String,
    /// Lenses: maker.
    pub lens_maker: String,
    /// Lenses: refractive index, `1.60`.
    pub lens_index: String,
    /// Lenses: a `LensDesign` code.
    pub lens_design: String,
    /// Lenses: `Coating` codes, comma-separated.
    pub lens_coatings: String,
}

/// Products and coupons.
#[async_trait]
pub trait CatalogStore: Send + Sync {
    /// Inserts catalog products; existing ids are left alone.
    async fn insert_products(&self, products: &[Product]) -> StoreResult<u64>;
    /// Every product as the catalog document shows it (inactive ones too).
    async fn catalog_products(&self) -> StoreResult<Vec<(ProductId, ProductRecord)>>;
    /// Every coupon, by code (withdrawn ones too).
    async fn coupons(&self) -> StoreResult<Vec<(String, CouponRecord)>>;
    /// Creates or changes a coupon (audited); `code` is already normalised.
    async fn put_coupon(&self, actor: &Actor, code: &str, coupon: &CouponRecord)
    -> StoreResult<()>;
    /// The coupons among `codes` (one query per batch, for the hub's authority).
    async fn coupons_by_code(&self, codes: &[String])
    -> StoreResult<HashMap<String, CouponRecord>>;
    /// Takes a use of its coupon for each accepted order of `adviser` that names
    /// one, keeps the uses orders already hold and gives back those of orders whose
    /// coupon changed or went, in one transaction. Returns the orders refused
    /// because their coupon's uses ran out, with its limit (claims of one coupon are
    /// served in the order given).
    async fn claim_coupons(
        &self,
        adviser: AdviserId,
        claims: &[CouponClaim],
    ) -> StoreResult<HashMap<OrderId, u32>>;
    /// How many orders use each coupon (coupons nobody used are left out).
    async fn coupon_use_counts(&self) -> StoreResult<HashMap<String, i64>>;
    /// The products among `ids` (text, lower case; unknown or unreadable ids are
    /// left out), one query per batch — the hub's authority reads their discount
    /// classes.
    async fn products_by_id(&self, ids: &[String]) -> StoreResult<HashMap<String, ProductRecord>>;
    /// Sets a product's discount class (empty: the class of its kind; audited);
    /// an unknown SKU is `NotFound`. Returns its id.
    async fn set_product_class(
        &self,
        actor: &Actor,
        sku: &str,
        class: &str,
    ) -> StoreResult<ProductId>;
    /// Every discount tier, by code.
    async fn discount_tiers(&self) -> StoreResult<BTreeMap<String, TierRecord>>;
    /// Creates or changes a discount tier (audited).
    async fn put_discount_tier(
        &self,
        actor: &Actor,
        code: &str,
        tier: &TierRecord,
    ) -> StoreResult<()>;
    /// The price terms of those of `clients` that have any (client id as text).
    async fn customer_terms(
        &self,
        clients: &[ClientId],
    ) -> StoreResult<HashMap<String, CustomerTermsRecord>>;
    /// Every customer's price terms (for the catalog document).
    async fn all_customer_terms(&self) -> StoreResult<Vec<(String, CustomerTermsRecord)>>;
    /// Sets a customer's price terms (audited); no minimum and no tier removes
    /// them. An unknown customer or tier is `NotFound`.
    async fn set_customer_terms(
        &self,
        actor: &Actor,
        client: ClientId,
        terms: &CustomerTermsRecord,
    ) -> StoreResult<()>;
    /// The price histories of `products` (ids as text, lower case; unknown or
    /// unreadable ids are left out), one query per batch.
    async fn price_history(
        &self,
        products: &[String],
    ) -> StoreResult<HashMap<String, Vec<PricePoint>>>;
    /// A new price for a product from `valid_from` on (audited), with `vat_bp` or
    /// the product's own rate. When that moment has come (not in the future), it is
    /// also the product's current price. Returns the product's id; an unknown SKU
    /// is `NotFound`.
    async fn set_product_price(
        &self,
        actor: &Actor,
        sku: &str,
        price: Money,
        vat_bp: Option<i64>,
        valid_from: OffsetDateTime,
    ) -> StoreResult<ProductId>;
}
