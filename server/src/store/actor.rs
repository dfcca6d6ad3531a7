//! Who a change is written for: every mutating store call takes an [`Actor`] and
//! writes its audit-log entry in the same transaction.

use fieldcase_shared::UserId;

/// Who is acting: a staff user, or the hub itself (CLI, demo seeding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user, when a person acts.
    pub user: Option<UserId>,
    /// How the actor is shown in the audit log (e-mail or `system:…`).
    pub label: String,
}

// `Actor::user(&User)` is defined beside `User` (network/store.rs), so this file
// needs nothing from the domains that take an actor.
impl Actor {
    /// The hub acting on its own, e.g. `Actor::system("cli")`.
    pub fn system(what: &str) -> Self {
        Self {
            user: None,
            label: format!("system:{what}"),
        }
    }
}
