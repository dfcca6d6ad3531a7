//! Staff roles. A user has one or more; the order status machine and the server's
//! permission checks are written in terms of these.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// What a user does in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A field adviser visiting clients at home.
    Adviser,
    /// The head office: confirms orders, handles complaints.
    Office,
    /// Staff of a store where clients pick up glasses.
    Store,
    /// The lab that orders and grinds lenses and fits them.
    Lab,
    /// Accounting: closes delivered orders once settled.
    Accounting,
    /// Customer service: takes complaints.
    CustomerService,
    /// Administrator: may do everything.
    Admin,
}

/// The text is not a role code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role: {0:?}; expected one of adviser, office, store, lab, accounting, customer_service, admin"
)]
pub struct UnknownRole(pub String);

impl Role {
    /// Every role, in a stable order used by UIs and tests.
    pub const ALL: [Role; 7] = [
        Role::Adviser,
        Role::Office,
        Role::Store,
        Role::Lab,
        Role::Accounting,
        Role::CustomerService,
        Role::Admin,
    ];

    /// Stable code used in the database, JSON and configuration.
    pub const fn code(self) -> &'static str {
        match self {
            Role::Adviser => "adviser",
            Role::Office => "office",
            Role::Store => "store",
            Role::Lab => "lab",
            Role::Accounting => "accounting",
            Role::CustomerService => "customer_service",
            Role::Admin => "admin",
        }
    }

    /// Name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Adviser => lang.pick("Poradce", "Adviser"),
            Role::Office => lang.pick("Kancelář", "Office"),
            Role::Store => lang.pick("Prodejna", "Store"),
            Role::Lab => lang.pick("Laboratoř", "Lab"),
            Role::Accounting => lang.pick("Účetní", "Accounting"),
            Role::CustomerService => lang.pick("Zákaznická péče", "Customer service"),
            Role::Admin => lang.pick("Správce", "Admin"),
        }
    }
}

impl fmt::Display for Role {
    /// The code (not the label: Display ends up in logs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    /// Accepts the code, ignoring case and surrounding whitespace.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.code() == wanted)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_text_and_json() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.code()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
        }
        assert_eq!(
            " Customer_Service ".parse::<Role>(),
            Ok(Role::CustomerService)
        );
    }

    #[test]
    fn unknown_role_lists_the_choices() {
        let e = "boss".parse::<Role>().unwrap_err();
        assert_eq!(e, UnknownRole("boss".into()));
        assert_eq!(
            e.to_string(),
            "unknown role: \"boss\"; expected one of adviser, office, store, lab, accounting, customer_service, admin"
        );
        assert!(serde_json::from_str::<Role>("\"boss\"").is_err());
    }

    #[test]
    fn labels() {
        assert_eq!(Role::Adviser.label(Lang::Cs), "Poradce");
        assert_eq!(Role::CustomerService.label(Lang::Cs), "Zákaznická péče");
        assert_eq!(Role::Lab.label(Lang::En), "Lab");
        for role in Role::ALL {
            assert_ne!(role.label(Lang::Cs), role.label(Lang::En), "{role}");
        }
    }
}
