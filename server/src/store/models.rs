//! Plain data carried in and out of the store.

use fieldcase_shared::{
    AdviserId, AuditId, ClientId, DeviceId, Lang, Money, OrderId, OrderLineId, OrderStatus,
    PrescriptionId, ProductId, Role, StoreId, UserId,
};
use time::{Date, OffsetDateTime};

/// Who is acting: a staff user, or the hub itself (CLI, demo seeding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user, when a person acts.
    pub user: Option<UserId>,
    /// How the actor is shown in the audit log (e-mail or `system:…`).
    pub label: String,
}

impl Actor {
    /// The hub acting on its own, e.g. `Actor::system("cli")`.
    pub fn system(what: &str) -> Self {
        Self {
            user: None,
            label: format!("system:{what}"),
        }
    }
    /// A logged-in user.
    pub fn user(user: &User) -> Self {
        Self {
            user: Some(user.id),
            label: user.email.clone(),
        }
    }
}

/// A shop of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shop {
    /// Id.
    pub id: StoreId,
    /// Short unique code, e.g. `PRG1`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Street and number.
    pub street: String,
    /// Town.
    pub city: String,
    /// Postal code, `123 45`.
    pub postal_code: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Open for business.
    pub active: bool,
    /// When created.
    pub created_at: OffsetDateTime,
}

/// Fields of a shop to create or change (already validated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewShop {
    /// Short unique code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Street and number.
    pub street: String,
    /// Town.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
}

/// A person who logs in (staff, or an adviser's account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Login e-mail (lower-case).
    pub email: String,
    /// Full name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// The shop the user belongs to, where the role has one.
    pub shop: Option<StoreId>,
    /// Preferred UI language.
    pub lang: Lang,
    /// May log in.
    pub active: bool,
    /// Failed logins since the last good one.
    pub failed_logins: i64,
    /// Locked out until then.
    pub locked_until: Option<OffsetDateTime>,
    /// When created.
    pub created_at: OffsetDateTime,
}

/// A user to create (password already hashed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login e-mail (normalised).
    pub email: String,
    /// Full name.
    pub name: String,
    /// argon2 PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Shop, where the role has one.
    pub shop: Option<StoreId>,
    /// UI language.
    pub lang: Lang,
}

/// A session to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 (hex) of the cookie token.
    pub token_hash: String,
    /// Whose.
    pub user: UserId,
    /// The token forms must echo back.
    pub csrf_token: String,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Ends.
    pub expires_at: OffsetDateTime,
}

/// A live session and its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user (checked active).
    pub user: User,
    /// The token forms must echo back.
    pub csrf_token: String,
    /// Ends.
    pub expires_at: OffsetDateTime,
}

/// A field adviser, joined with their login and home shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adviser {
    /// Id.
    pub id: AdviserId,
    /// Their login.
    pub user: UserId,
    /// Adviser number, e.g. `P0042`.
    pub code: String,
    /// Full name.
    pub name: String,
    /// Login e-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// Region they work in.
    pub region: String,
    /// Home shop.
    pub home_shop: StoreId,
    /// Home shop's name.
    pub home_shop_name: String,
    /// Active.
    pub active: bool,
    /// When created.
    pub created_at: OffsetDateTime,
    /// How many clients the office has for the adviser.
    pub clients: i64,
}

/// An adviser to create (fields validated, password hashed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdviser {
    /// Adviser number.
    pub code: String,
    /// Full name.
    pub name: String,
    /// Login e-mail (normalised).
    pub email: String,
    /// Phone (normalised).
    pub phone: String,
    /// Region.
    pub region: String,
    /// Home shop.
    pub home_shop: StoreId,
    /// argon2 PHC string of the initial password.
    pub password_hash: String,
}

/// How to narrow the adviser list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdviserFilter {
    /// Substring of name, e-mail, code or region.
    pub text: String,
    /// Only this home shop.
    pub shop: Option<StoreId>,
    /// Include deactivated advisers.
    pub include_inactive: bool,
}

/// A one-time enrolment code to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnrolmentCode {
    /// SHA-256 (hex) of the code.
    pub code_hash: String,
    /// For whom.
    pub adviser: AdviserId,
    /// Valid until.
    pub expires_at: OffsetDateTime,
}

/// A device to enrol (token hashed by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    /// Id chosen by the hub.
    pub id: DeviceId,
    /// Name the device gave itself (e.g. "Pixel 8 Jany").
    pub name: String,
    /// SHA-256 (hex) of the bearer token.
    pub token_hash: String,
    /// Now.
    pub at: OffsetDateTime,
}

/// An enrolled device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Id.
    pub id: DeviceId,
    /// Whose.
    pub adviser: AdviserId,
    /// Name the device gave itself.
    pub name: String,
    /// Enrolled.
    pub created_at: OffsetDateTime,
    /// Last sync.
    pub last_seen_at: Option<OffsetDateTime>,
    /// Revoked.
    pub revoked_at: Option<OffsetDateTime>,
}

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
}

/// A client row of the projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRow {
    /// Id.
    pub id: ClientId,
    /// Assigned adviser.
    pub adviser: Option<AdviserId>,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Street.
    pub street: String,
    /// Town.
    pub city: String,
    /// Postal code.
    pub postal_code: String,
    /// Created.
    pub created_at: OffsetDateTime,
}

/// A prescription row of the projection (`data` is the JSON of both eyes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrescriptionRow {
    /// Id.
    pub id: PrescriptionId,
    /// Whose.
    pub client: ClientId,
    /// Who measured.
    pub measured_by: String,
    /// When.
    pub measured_on: Date,
    /// Valid until.
    pub valid_until: Date,
    /// Both eyes as JSON.
    pub data: serde_json::Value,
}

/// An order row of the projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    /// Id.
    pub id: OrderId,
    /// Variable symbol for payments.
    pub variable_symbol: String,
    /// Client.
    pub client: ClientId,
    /// Adviser who took it.
    pub adviser: Option<AdviserId>,
    /// Shop that fulfils it.
    pub shop: Option<StoreId>,
    /// Prescription it was made from.
    pub prescription: Option<PrescriptionId>,
    /// Status.
    pub status: OrderStatus,
    /// Gross total.
    pub total: Money,
    /// Deposit paid.
    pub deposit: Money,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Last changed.
    pub updated_at: OffsetDateTime,
}

/// An order line row of the projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLineRow {
    /// Id.
    pub id: OrderLineId,
    /// Order.
    pub order: OrderId,
    /// Position in the order.
    pub position: i64,
    /// Product.
    pub product: Option<ProductId>,
    /// Text.
    pub text: String,
    /// Quantity.
    pub quantity: i64,
    /// Gross unit price.
    pub unit_price: Money,
    /// VAT, basis points.
    pub vat_bp: i64,
    /// Discount on the line.
    pub discount: Money,
}

/// An order as listed in the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSummary {
    /// Id.
    pub id: OrderId,
    /// Variable symbol.
    pub variable_symbol: String,
    /// Client's name.
    pub client_name: String,
    /// Adviser's name.
    pub adviser_name: String,
    /// Status.
    pub status: OrderStatus,
    /// Gross total.
    pub total: Money,
    /// Created.
    pub created_at: OffsetDateTime,
    /// The coupon the order used (empty: none).
    pub coupon: String,
}

/// How to narrow the order list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Only this status.
    pub status: Option<OrderStatus>,
    /// Substring of the variable symbol or the client's name.
    pub text: String,
    /// At most this many (1..=500; default 100).
    pub limit: i64,
}

/// Numbers for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dashboard {
    /// Active shops.
    pub shops: i64,
    /// Active advisers.
    pub advisers: i64,
    /// Clients.
    pub clients: i64,
    /// Active products.
    pub products: i64,
    /// Orders per status.
    pub orders_by_status: Vec<(OrderStatus, i64)>,
    /// Orders created since the given instant.
    pub recent_orders: i64,
    /// Their gross turnover.
    pub recent_turnover: Money,
}

/// An audit log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Id.
    pub id: AuditId,
    /// When.
    pub at: OffsetDateTime,
    /// Acting user, if a person.
    pub actor_id: Option<UserId>,
    /// Actor as shown.
    pub actor: String,
    /// What happened, e.g. `adviser.create`.
    pub action: String,
    /// What it happened to.
    pub subject: String,
    /// Details.
    pub detail: String,
}

/// How to narrow the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Substring of the actor.
    pub actor: String,
    /// Action prefix, e.g. `adviser.`.
    pub action: String,
    /// Substring of subject or detail.
    pub text: String,
    /// Only entries at or after.
    pub since: Option<OffsetDateTime>,
    /// At most this many (capped at 1,000).
    pub limit: i64,
}

/// Records of one workspace to write into the projection tables: what the hub's
/// authority accepted (`fieldcase_shared::authority::review`).
pub use fieldcase_shared::authority::ProjectionBatch;

/// An adviser's records as the office has them, in document form (id → record).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdviserRecords {
    /// Clients.
    pub clients: Vec<(String, fieldcase_shared::docs::records::ClientRecord)>,
    /// Their prescriptions.
    pub prescriptions: Vec<(String, fieldcase_shared::docs::records::PrescriptionRecord)>,
    /// Orders with their lines.
    pub orders: Vec<(String, fieldcase_shared::docs::records::OrderRecord)>,
}

impl AdviserRecords {
    /// No records at all.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty() && self.prescriptions.is_empty() && self.orders.is_empty()
    }
}

/// A record the projection could not write (it stays in the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its map (`orders`, `prescriptions`).
    pub map: &'static str,
    /// Its id.
    pub id: String,
    /// Why.
    pub reason: SkipReason,
}

/// Why a record was not projected (the adviser's inbox says it in their words).
pub use fieldcase_shared::authority::NotTaken as SkipReason;
