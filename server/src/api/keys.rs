//! Staff API keys: a key belongs to one staff user, acts with that user's current
//! role (so a user's demotion or deactivation reaches their keys at once), and is
//! narrowed by its [`Scope`]s. Only the SHA-256 of the secret is stored; the secret
//! is shown once, when the key is made. Creating and revoking are audited; every
//! change made through a key is written with the key's user as author and
//! `Via::Api` as its source. Its SQL is in `api/keys/sql.rs`.

mod sql;

use async_trait::async_trait;
use fieldcase_shared::{Role, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::actor::{Actor, Via};
use crate::store::error::StoreResult;

/// What a key may do, on top of what its user's role allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Search and read orders (list, card).
    OrdersRead,
    /// Change orders: notes, delivery, status.
    OrdersWrite,
    /// Search and read customers (list, card).
    CustomersRead,
    /// Create and edit customers, add notes, calls and consents.
    CustomersWrite,
    /// Read the bank: accounts, movements and their decisions.
    MoneyRead,
    /// Add bank accounts, start downloads.
    MoneyWrite,
}

/// The text is not a scope code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown scope: {0:?}; expected orders:read, orders:write, customers:read, customers:write, money:read or money:write"
)]
pub struct UnknownScope(pub String);

impl Scope {
    /// Every scope, in the order the office lists them.
    pub const ALL: [Scope; 6] = [
        Scope::OrdersRead,
        Scope::OrdersWrite,
        Scope::CustomersRead,
        Scope::CustomersWrite,
        Scope::MoneyRead,
        Scope::MoneyWrite,
    ];

    /// Stable code (SQL, CLI, API documentation).
    pub fn code(self) -> &'static str {
        match self {
            Scope::OrdersRead => "orders:read",
            Scope::OrdersWrite => "orders:write",
            Scope::CustomersRead => "customers:read",
            Scope::CustomersWrite => "customers:write",
            Scope::MoneyRead => "money:read",
            Scope::MoneyWrite => "money:write",
        }
    }

    /// What it allows, for people.
    pub fn label(self, lang: fieldcase_shared::Lang) -> &'static str {
        match self {
            Scope::OrdersRead => lang.pick("Objednávky: hledat a číst", "Orders: search and read"),
            Scope::OrdersWrite => lang.pick(
                "Objednávky: poznámky, doprava, stav",
                "Orders: notes, delivery, status",
            ),
            Scope::CustomersRead => {
                lang.pick("Zákazníci: hledat a číst", "Customers: search and read")
            }
            Scope::CustomersWrite => lang.pick(
                "Zákazníci: zakládat, upravovat, poznámky, souhlasy",
                "Customers: create, edit, notes, consents",
            ),
            Scope::MoneyRead => lang.pick("Peníze: účty a pohyby", "Money: accounts and movements"),
            Scope::MoneyWrite => lang.pick(
                "Peníze: přidat účet, stáhnout z banky",
                "Money: add accounts, download from the bank",
            ),
        }
    }

    /// Scopes from a list such as `orders:read orders:write` (spaces or commas);
    /// an empty list is refused by the callers that make keys.
    pub fn parse_list(text: &str) -> Result<Vec<Scope>, UnknownScope> {
        let mut scopes = Vec::new();
        for code in text.split([' ', ',']).filter(|c| !c.is_empty()) {
            let scope = code.parse()?;
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        scopes.sort_by_key(|s| Scope::ALL.iter().position(|a| a == s));
        Ok(scopes)
    }

    /// `orders:read orders:write`, as stored.
    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(|s| s.code())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl std::str::FromStr for Scope {
    type Err = UnknownScope;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.code() == s.trim())
            .ok_or_else(|| UnknownScope(s.to_owned()))
    }
}

/// Longest key name accepted (characters).
pub const MAX_NAME_CHARS: usize = 80;

/// Every secret starts with this, so a leaked one is recognisable (secret scanners).
pub const SECRET_PREFIX: &str = "fck_";

/// How many characters of the secret are kept to tell keys apart.
const SHOWN_CHARS: usize = 12;

/// A new secret: [`SECRET_PREFIX`] and 256 random bits.
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", crate::auth::new_token())
}

/// The part of a secret shown in lists (`fck_AbCdEfGh…`).
pub fn shown_prefix(secret: &str) -> String {
    secret.chars().take(SHOWN_CHARS).collect()
}

/// A key's name, trimmed, or why it cannot be taken (cs, en).
pub fn check_name(name: &str) -> Result<String, (&'static str, &'static str)> {
    let name = name.trim();
    if name.is_empty() {
        return Err((
            "Pojmenujte klíč (k čemu slouží).",
            "Give the key a name (what it is for).",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err((
            "Název klíče je delší než 80 znaků.",
            "The key's name is longer than 80 characters.",
        ));
    }
    if name.chars().any(char::is_control) {
        return Err((
            "Název klíče obsahuje neplatné znaky.",
            "The key's name contains invalid characters.",
        ));
    }
    Ok(name.to_owned())
}

/// Whether `role` may hold API keys: staff, not advisers (they sync from the phone).
pub fn may_hold_keys(role: Role) -> bool {
    role != Role::Adviser
}

/// A key as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Id.
    pub id: Uuid,
    /// Whose key it is.
    pub user: UserId,
    /// The user's e-mail (lists).
    pub user_email: String,
    /// What it is for.
    pub name: String,
    /// The secret's first characters.
    pub prefix: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// Made.
    pub created_at: OffsetDateTime,
    /// Last used for a request.
    pub last_used_at: Option<OffsetDateTime>,
    /// Revoked (it no longer works).
    pub revoked_at: Option<OffsetDateTime>,
}

/// A live key with its user, as a request presents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCaller {
    /// The key.
    pub key: Uuid,
    /// The secret's first characters.
    pub prefix: String,
    /// What the key may do.
    pub scopes: Vec<Scope>,
    /// The key's user (active).
    pub user: crate::network::store::User,
}

impl ApiCaller {
    /// Whether the key has `scope`.
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// The user's role (their current one).
    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Who changes are written for: the key's user, through the API, with the key
    /// named in the audit log.
    pub fn actor(&self) -> Actor {
        Actor {
            user: Some(self.user.id),
            label: format!("{} (API {})", self.user.email, self.prefix),
            via: Via::Api,
        }
    }
}

/// The keys' store part.
#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// Stores a new key for `user` (its secret's hash and shown prefix), audited.
    async fn create_api_key(
        &self,
        actor: &Actor,
        user: UserId,
        name: &str,
        scopes: &[Scope],
        secret: &str,
    ) -> StoreResult<ApiKey>;
    /// Keys, newest first: one user's, or everyone's (`None`).
    async fn list_api_keys(&self, user: Option<UserId>) -> StoreResult<Vec<ApiKey>>;
    /// One key (live or revoked).
    async fn api_key(&self, key: Uuid) -> StoreResult<Option<ApiKey>>;
    /// Revokes a live key (audited); NotFound when it is unknown or already revoked.
    async fn revoke_api_key(&self, actor: &Actor, key: Uuid) -> StoreResult<()>;
    /// The live key whose secret hashes to `token_hash`, with its active user; notes
    /// the use.
    async fn api_caller(&self, token_hash: &str) -> StoreResult<Option<ApiCaller>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_join() {
        assert_eq!(
            Scope::parse_list("orders:write, orders:read orders:write"),
            Ok(vec![Scope::OrdersRead, Scope::OrdersWrite])
        );
        assert_eq!(Scope::parse_list(""), Ok(vec![]));
        assert!(Scope::parse_list("orders:delete").is_err());
        assert_eq!(
            Scope::join(&[Scope::OrdersRead, Scope::OrdersWrite]),
            "orders:read orders:write"
        );
    }

    #[test]
    fn secrets_are_prefixed_and_shown_short() {
        let secret = new_secret();
        assert!(secret.starts_with(SECRET_PREFIX) && secret.len() > 40);
        assert_eq!(shown_prefix(&secret).len(), 12);
        assert_ne!(new_secret(), secret);
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(check_name("  e-shop  "), Ok("e-shop".into()));
        assert!(check_name(" ").is_err());
        assert!(check_name(&"x".repeat(81)).is_err());
        assert!(check_name("a\u{7}b").is_err());
    }
}
