//! The status machine of a glasses order, with who may move it along.
//!
//! Main path: `intake` (taken by the adviser, often offline) → `confirmed` (office) →
//! `lenses_ordered` (lab) → `in_lab` (grinding and fitting) → `quality_check` →
//! `ready_for_pickup` at a store or `shipped` by a carrier → `delivered` → `closed`
//! (accounting, once paid and settled).
//!
//! Decisions worth knowing:
//! - The lab may go `confirmed → in_lab` directly: stock lenses need no ordering.
//! - A failed quality check goes back `quality_check → in_lab` (lab).
//! - Shipping (`quality_check → shipped`) may be recorded by the lab or the office,
//!   whoever hands the parcel to the carrier and enters the tracking number. A parcel
//!   reaching the client (`shipped → delivered`) is recorded by the office.
//! - The office may cancel any time before the glasses leave (up to `quality_check`,
//!   and `ready_for_pickup` when a client never comes). After shipping or handing
//!   over, the way back is a complaint, then `complaint → cancelled` (refund).
//! - An adviser may only cancel an order still in `intake` (a fresh order of their
//!   own; ownership is the server's check, the machine only knows roles).
//! - Complaints: the store (when handing over), the office and customer service open
//!   one from `delivered`; from `closed` only office and customer service do, as the
//!   store no longer has the client in front of it. The office resolves a complaint by
//!   a remake (`complaint → in_lab`), a settlement (`→ closed`, customer service too)
//!   or a refund (`→ cancelled`).
//! - `closed` and `cancelled` are terminal; the only way out of a terminal status is
//!   `closed → complaint`. `cancelled` is final.
//! - Admin appears in every row, so Admin may do every listed transition, but no
//!   transition that is not listed.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::role::Role;

/// Where a glasses order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Taken by the adviser at the client's home.
    Intake,
    /// Checked and confirmed by the office.
    Confirmed,
    /// Lenses ordered from the supplier.
    LensesOrdered,
    /// Lenses being ground and fitted in the lab.
    InLab,
    /// Fitted glasses under quality check.
    QualityCheck,
    /// Waiting at a store for the client.
    ReadyForPickup,
    /// Handed to a carrier.
    Shipped,
    /// In the client's hands.
    Delivered,
    /// Done and settled.
    Closed,
    /// Cancelled (terminal).
    Cancelled,
    /// The client has complained (reklamace); resolved by remake, settlement or refund.
    Complaint,
}

/// The text is not a status code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown order status: {0:?}")]
pub struct UnknownStatus(pub String);

impl OrderStatus {
    /// Every status, in workflow order.
    pub const ALL: [OrderStatus; 11] = [
        OrderStatus::Intake,
        OrderStatus::Confirmed,
        OrderStatus::LensesOrdered,
        OrderStatus::InLab,
        OrderStatus::QualityCheck,
        OrderStatus::ReadyForPickup,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Closed,
        OrderStatus::Cancelled,
        OrderStatus::Complaint,
    ];

    /// Stable snake_case code for the database and JSON.
    pub const fn code(self) -> &'static str {
        match self {
            OrderStatus::Intake => "intake",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::LensesOrdered => "lenses_ordered",
            OrderStatus::InLab => "in_lab",
            OrderStatus::QualityCheck => "quality_check",
            OrderStatus::ReadyForPickup => "ready_for_pickup",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Closed => "closed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Complaint => "complaint",
        }
    }

    /// Name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            OrderStatus::Intake => lang.pick("Přijato", "Intake"),
            OrderStatus::Confirmed => lang.pick("Potvrzeno", "Confirmed"),
            OrderStatus::LensesOrdered => lang.pick("Čočky objednány", "Lenses ordered"),
            OrderStatus::InLab => lang.pick("V laboratoři", "In lab"),
            OrderStatus::QualityCheck => lang.pick("Kontrola kvality", "Quality check"),
            OrderStatus::ReadyForPickup => lang.pick("Připraveno k vyzvednutí", "Ready for pickup"),
            OrderStatus::Shipped => lang.pick("Odesláno", "Shipped"),
            OrderStatus::Delivered => lang.pick("Předáno", "Delivered"),
            OrderStatus::Closed => lang.pick("Uzavřeno", "Closed"),
            OrderStatus::Cancelled => lang.pick("Zrušeno", "Cancelled"),
            OrderStatus::Complaint => lang.pick("Reklamace", "Complaint"),
        }
    }

    /// True when the order's life is over (`closed`, `cancelled`). A closed order can
    /// still receive a complaint; see [`TRANSITIONS`].
    pub const fn is_terminal(self) -> bool {
        matches!(self, OrderStatus::Closed | OrderStatus::Cancelled)
    }
}

impl fmt::Display for OrderStatus {
    /// The code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for OrderStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        OrderStatus::ALL
            .into_iter()
            .find(|st| st.code() == wanted)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

use OrderStatus as S;
use Role as R;

/// Every allowed transition and the roles that may make it. See the module doc.
pub const TRANSITIONS: &[(OrderStatus, OrderStatus, &[Role])] = &[
    (S::Intake, S::Confirmed, &[R::Office, R::Admin]),
    (S::Intake, S::Cancelled, &[R::Adviser, R::Office, R::Admin]),
    (S::Confirmed, S::LensesOrdered, &[R::Lab, R::Admin]),
    (S::Confirmed, S::InLab, &[R::Lab, R::Admin]),
    (S::Confirmed, S::Cancelled, &[R::Office, R::Admin]),
    (S::LensesOrdered, S::InLab, &[R::Lab, R::Admin]),
    (S::LensesOrdered, S::Cancelled, &[R::Office, R::Admin]),
    (S::InLab, S::QualityCheck, &[R::Lab, R::Admin]),
    (S::InLab, S::Cancelled, &[R::Office, R::Admin]),
    (S::QualityCheck, S::InLab, &[R::Lab, R::Admin]),
    (S::QualityCheck, S::ReadyForPickup, &[R::Store, R::Admin]),
    (S::QualityCheck, S::Shipped, &[R::Office, R::Lab, R::Admin]),
    (S::QualityCheck, S::Cancelled, &[R::Office, R::Admin]),
    // The store hands the glasses over, or the adviser takes them to the client.
    (
        S::ReadyForPickup,
        S::Delivered,
        &[R::Adviser, R::Store, R::Admin],
    ),
    (S::ReadyForPickup, S::Cancelled, &[R::Office, R::Admin]),
    (S::Shipped, S::Delivered, &[R::Office, R::Admin]),
    (S::Delivered, S::Closed, &[R::Accounting, R::Admin]),
    (
        S::Delivered,
        S::Complaint,
        &[R::Office, R::Store, R::CustomerService, R::Admin],
    ),
    (
        S::Closed,
        S::Complaint,
        &[R::Office, R::CustomerService, R::Admin],
    ),
    (S::Complaint, S::InLab, &[R::Office, R::Admin]),
    (
        S::Complaint,
        S::Closed,
        &[R::Office, R::CustomerService, R::Admin],
    ),
    (S::Complaint, S::Cancelled, &[R::Office, R::Admin]),
];

/// Why a status change is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DenyReason {
    /// The order already has that status.
    SameStatus,
    /// No role may make this change.
    NoSuchTransition,
    /// The change exists, but not for this role.
    RoleNotAllowed {
        /// The roles that may make it.
        allowed: Vec<Role>,
    },
    /// The order is closed or cancelled and this is not the complaint exception.
    FromTerminal,
}

/// A refused status change, with enough detail to tell the user why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransitionDenied {
    /// Who tried.
    pub role: Role,
    /// The current status.
    pub from: OrderStatus,
    /// The wanted status.
    pub to: OrderStatus,
    /// Why not.
    pub reason: DenyReason,
}

fn roles_for(from: OrderStatus, to: OrderStatus) -> Option<&'static [Role]> {
    TRANSITIONS
        .iter()
        .find(|(f, t, _)| *f == from && *t == to)
        .map(|(_, _, roles)| *roles)
}

/// Whether `role` may move an order from `from` to `to`.
pub fn can_transition(
    role: Role,
    from: OrderStatus,
    to: OrderStatus,
) -> Result<(), TransitionDenied> {
    let deny = |reason| {
        Err(TransitionDenied {
            role,
            from,
            to,
            reason,
        })
    };
    if from == to {
        return deny(DenyReason::SameStatus);
    }
    match roles_for(from, to) {
        None if from.is_terminal() => deny(DenyReason::FromTerminal),
        None => deny(DenyReason::NoSuchTransition),
        Some(roles) if roles.contains(&role) => Ok(()),
        Some(roles) => deny(DenyReason::RoleNotAllowed {
            allowed: roles.to_vec(),
        }),
    }
}

/// The statuses `role` may move an order to from `from`, in workflow order (for buttons).
pub fn allowed_targets(role: Role, from: OrderStatus) -> Vec<OrderStatus> {
    OrderStatus::ALL
        .into_iter()
        .filter(|to| can_transition(role, from, *to).is_ok())
        .collect()
}

/// Statuses reachable from `from` in one step by anyone.
fn any_targets(from: OrderStatus) -> Vec<OrderStatus> {
    OrderStatus::ALL
        .into_iter()
        .filter(|to| roles_for(from, *to).is_some())
        .collect()
}

fn quoted(lang: Lang, s: OrderStatus) -> String {
    match lang {
        Lang::Cs => format!("„{}“", s.label(lang)),
        Lang::En => format!("“{}”", s.label(lang)),
    }
}

impl TransitionDenied {
    /// A sentence for the user saying why, and what is possible instead.
    pub fn message(&self, lang: Lang) -> String {
        let (from, to) = (quoted(lang, self.from), quoted(lang, self.to));
        let list = |items: Vec<&str>| items.join(", ");
        let targets = list(
            any_targets(self.from)
                .into_iter()
                .map(|s| s.label(lang))
                .collect(),
        );
        match (&self.reason, lang) {
            (DenyReason::SameStatus, Lang::Cs) => format!("Zakázka už je ve stavu {to}."),
            (DenyReason::SameStatus, Lang::En) => format!("The order is already {to}."),
            (DenyReason::RoleNotAllowed { allowed }, _) => {
                let who = self.role.label(lang);
                let allowed = list(allowed.iter().map(|r| r.label(lang)).collect());
                match lang {
                    Lang::Cs => format!("{who} nesmí změnit stav z {from} na {to}; smí: {allowed}"),
                    Lang::En => format!(
                        "{who} may not change the status from {from} to {to}; allowed: {allowed}"
                    ),
                }
            }
            (DenyReason::FromTerminal, Lang::Cs) if targets.is_empty() => {
                format!("Zakázka ve stavu {from} je ukončená a její stav už nelze změnit.")
            }
            (DenyReason::FromTerminal, Lang::En) if targets.is_empty() => {
                format!("An order that is {from} is finished; its status can no longer change.")
            }
            (DenyReason::FromTerminal, Lang::Cs) => {
                format!("Zakázka ve stavu {from} je ukončená; lze jen: {targets}.")
            }
            (DenyReason::FromTerminal, Lang::En) => {
                format!("An order that is {from} is finished; only possible: {targets}.")
            }
            (DenyReason::NoSuchTransition, Lang::Cs) => {
                format!("Stav nelze změnit z {from} na {to}; odtud lze: {targets}.")
            }
            (DenyReason::NoSuchTransition, Lang::En) => format!(
                "The status cannot change from {from} to {to}; possible from here: {targets}."
            ),
        }
    }
}

impl fmt::Display for TransitionDenied {
    /// The English message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for TransitionDenied {}

#[cfg(test)]
mod tests;
