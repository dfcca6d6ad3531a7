//! The field's store part: advisers (with their logins), their devices and the
//! one-time enrolment codes that make a phone a device. Their SQL, with its row
//! types, is in `field/store/sql.rs`.

mod sql;

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, DeviceId, StoreId, UserId};
use time::OffsetDateTime;

use crate::store::actor::Actor;
use crate::store::error::StoreResult;

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

/// Why an enrolment code was refused; each says what the person should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EnrolRefused {
    /// No such code.
    #[error("unknown enrolment code")]
    Unknown,
    /// The code was already used.
    #[error("this enrolment code was already used")]
    Used,
    /// The code is too old (or was replaced by a newer one).
    #[error("this enrolment code has expired")]
    Expired,
    /// The adviser has been deactivated.
    #[error("the adviser is not active")]
    AdviserInactive,
}

/// Advisers, enrolment codes and devices.
#[async_trait]
pub trait FieldStore: Send + Sync {
    // --- advisers ---------------------------------------------------------------
    /// Creates an adviser together with their login.
    async fn create_adviser(&self, actor: &Actor, adviser: &NewAdviser) -> StoreResult<Adviser>;
    /// One adviser.
    async fn get_adviser(&self, id: AdviserId) -> StoreResult<Adviser>;
    /// Advisers matching the filter, by name.
    async fn list_advisers(&self, filter: &AdviserFilter) -> StoreResult<Vec<Adviser>>;
    /// Changes region and home shop.
    async fn update_adviser(
        &self,
        actor: &Actor,
        id: AdviserId,
        region: &str,
        home_shop: StoreId,
    ) -> StoreResult<()>;
    /// Activates or deactivates an adviser (and their login).
    async fn set_adviser_active(
        &self,
        actor: &Actor,
        id: AdviserId,
        active: bool,
    ) -> StoreResult<()>;

    // --- enrolment and devices -------------------------------------------------
    /// Stores a one-time enrolment code (hashed by the caller).
    async fn create_enrolment_code(
        &self,
        actor: &Actor,
        code: &NewEnrolmentCode,
    ) -> StoreResult<()>;
    /// Exchanges a one-time code for a device, atomically: the code is marked used
    /// and the device stored in one transaction.
    async fn redeem_enrolment_code(
        &self,
        code_hash: &str,
        device: &NewDevice,
    ) -> StoreResult<Result<Device, EnrolRefused>>;
    /// An adviser's devices.
    async fn list_devices(&self, adviser: AdviserId) -> StoreResult<Vec<Device>>;
    /// The live (not revoked, adviser active) device holding this token.
    async fn device_by_token(&self, token_hash: &str) -> StoreResult<Option<Device>>;
    /// Revokes a device; its token stops working.
    async fn revoke_device(&self, actor: &Actor, device: DeviceId) -> StoreResult<()>;
    /// Notes that a device synced now.
    async fn touch_device(&self, device: DeviceId, at: OffsetDateTime) -> StoreResult<()>;
    /// The earliest moment an order now arriving from `adviser`'s devices can have
    /// been taken: the earliest previous connection (or enrolment) of their active
    /// devices — an order that existed then would have arrived then. None: no
    /// active device.
    async fn orders_arrive_after(&self, adviser: AdviserId) -> StoreResult<Option<OffsetDateTime>>;
    /// Records a device's current push token (replacing an older one).
    async fn set_push_token(
        &self,
        device: DeviceId,
        platform: &str,
        token: &str,
    ) -> StoreResult<()>;
    /// A device's push token: (platform, token).
    async fn push_token(&self, device: DeviceId) -> StoreResult<Option<(String, String)>>;
    /// Forgets a device's push token FCM no longer knows (unless the phone has
    /// registered another meanwhile); whether it was still the device's.
    async fn forget_push_token(&self, device: DeviceId, token: &str) -> StoreResult<bool>;
}
