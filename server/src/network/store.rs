//! The network's store part: shops, staff users, their sessions and the login
//! bookkeeping (failed attempts, lockout). Their SQL, with its row types, is in
//! `network/store/sql.rs`.

mod sql;

use async_trait::async_trait;
use fieldcase_shared::{Lang, Role, StoreId, UserId};
use time::OffsetDateTime;

use crate::store::actor::Actor;
use crate::store::error::StoreResult;

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

// Here rather than in store/actor.rs: the actor knows nothing of the domains.
impl Actor {
    /// A logged-in user.
    pub fn user(user: &User) -> Self {
        Self {
            user: Some(user.id),
            label: user.email.clone(),
            via: crate::store::actor::Via::Office,
        }
    }
}

/// Shops, staff users and sessions.
#[async_trait]
pub trait NetworkStore: Send + Sync {
    // --- shops -----------------------------------------------------------------
    /// All shops, by code.
    async fn list_shops(&self) -> StoreResult<Vec<Shop>>;
    /// Creates a shop.
    async fn create_shop(&self, actor: &Actor, shop: &NewShop) -> StoreResult<Shop>;
    /// Changes a shop's details.
    async fn update_shop(&self, actor: &Actor, id: StoreId, shop: &NewShop) -> StoreResult<Shop>;
    /// Opens or closes a shop.
    async fn set_shop_active(&self, actor: &Actor, id: StoreId, active: bool) -> StoreResult<()>;

    // --- users -----------------------------------------------------------------
    /// Creates a staff user.
    async fn create_user(&self, actor: &Actor, user: &NewUser) -> StoreResult<User>;
    /// One user.
    async fn get_user(&self, id: UserId) -> StoreResult<User>;
    /// A user and their password hash, for login (e-mail compared case-insensitively).
    async fn find_login(&self, email: &str) -> StoreResult<Option<(User, String)>>;
    /// Staff users (advisers excluded), by name.
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    /// Changes a user's role and shop.
    async fn set_user_role(
        &self,
        actor: &Actor,
        id: UserId,
        role: Role,
        shop: Option<StoreId>,
    ) -> StoreResult<()>;
    /// Activates or deactivates a user; deactivation ends their sessions.
    async fn set_user_active(&self, actor: &Actor, id: UserId, active: bool) -> StoreResult<()>;
    /// Replaces the password hash, clears the lockout and ends the user's sessions.
    async fn set_password(&self, actor: &Actor, id: UserId, password_hash: &str)
    -> StoreResult<()>;
    /// Stores the user's preferred UI language.
    async fn set_user_lang(&self, id: UserId, lang: Lang) -> StoreResult<()>;
    /// Counts a failed login; locks the account until `lock_until` when `lock` is set.
    async fn record_failed_login(
        &self,
        id: UserId,
        lock_until: Option<OffsetDateTime>,
    ) -> StoreResult<i64>;
    /// Resets the failure counter after a good login.
    async fn record_good_login(&self, id: UserId) -> StoreResult<()>;

    // --- sessions --------------------------------------------------------------
    /// Stores a new session (token hashed by the caller).
    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;
    /// The live session for a token hash, with its user; expired ones are `None`.
    async fn get_session(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<Session>>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Deletes expired sessions; returns how many.
    async fn purge_sessions(&self, now: OffsetDateTime) -> StoreResult<u64>;
}
