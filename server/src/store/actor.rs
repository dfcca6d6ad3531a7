//! Who a change is written for: every mutating store call takes an [`Actor`] and
//! writes its audit-log entry in the same transaction. An order's history also
//! records where the change came from ([`Via`]).

use fieldcase_shared::UserId;

/// Who is acting: a staff user, or the hub itself (CLI, demo seeding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user, when a person acts.
    pub user: Option<UserId>,
    /// How the actor is shown in the audit log (e-mail or `system:…`).
    pub label: String,
    /// Where the change comes from.
    pub via: Via,
}

/// Where a change comes from (an order's history shows it; SQL `order_events.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A phone's document, through sync and the projection.
    Phone,
    /// The office web app.
    Office,
    /// The command line.
    Cli,
    /// The JSON API (a staff API key).
    Api,
    /// The hub on its own (seeding, enrolment, its authority).
    Hub,
}

impl Via {
    /// Stable code (SQL).
    pub fn code(self) -> &'static str {
        match self {
            Via::Phone => "phone",
            Via::Office => "office",
            Via::Cli => "cli",
            Via::Api => "api",
            Via::Hub => "hub",
        }
    }

    /// The code read back; an unknown one is the hub's.
    pub fn from_code(code: &str) -> Via {
        match code {
            "phone" => Via::Phone,
            "office" => Via::Office,
            "cli" => Via::Cli,
            "api" => Via::Api,
            _ => Via::Hub,
        }
    }
}

// `Actor::user(&User)` is defined beside `User` (network/store.rs), so this file
// needs nothing from the domains that take an actor.
impl Actor {
    /// The hub acting on its own, e.g. `Actor::system("demo")`; `system("cli")` is the
    /// command line.
    pub fn system(what: &str) -> Self {
        Self {
            user: None,
            label: format!("system:{what}"),
            via: if what == "cli" { Via::Cli } else { Via::Hub },
        }
    }

    /// The same actor acting through `via`.
    pub fn via(mut self, via: Via) -> Self {
        self.via = via;
        self
    }
}
