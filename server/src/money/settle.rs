//! Receivables settled by hand (issue 13, point 3), the one path of the
//! Receivables page, the API and the CLI: a payment's open money given to orders
//! found by their variable symbol (split over several), written off with a
//! reason, or sent back to the payer (an outgoing payment order line); an order's
//! payment refunded. Each step is checked against what the payment still has and
//! what each order still owes, audited, and nothing is deleted. The orders whose
//! paid amount changed are published to their advisers' phones.

use std::collections::HashMap;

use fieldcase_shared::validate::reason;
use fieldcase_shared::{FieldError, Lang, Money, OrderId, OrderStatus, Problem, Role};
use uuid::Uuid;

use crate::money::BANKERS;
pub use crate::money::store::Step;
use crate::state::AppState;
use crate::store::{Actor, Store, StoreError};

/// Longest reason of a write-off, return or refund.
pub const REASON_MAX: usize = 200;

/// Which order a part goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderRef {
    /// By id.
    Id(OrderId),
    /// By variable symbol (leading zeros aside).
    Vs(String),
}

/// One step as a form or the API asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Allocate {
        order: OrderRef,
        amount: Money,
    },
    Refund {
        order: OrderRef,
        amount: Money,
        reason: String,
    },
    WriteOff {
        amount: Money,
        reason: String,
    },
    Return {
        amount: Money,
        reason: String,
    },
}

/// Why a settlement was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    #[error("only accounting and administrators settle payments")]
    Forbidden,
    #[error("no such payment")]
    NotFound,
    #[error("invalid settlement")]
    Invalid(Vec<FieldError>),
    #[error("the payment or an order changed meanwhile")]
    Changed,
    #[error(transparent)]
    Store(StoreError),
}

impl SettleError {
    /// What the office reads, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            SettleError::Forbidden => l
                .pick(
                    "Platby vyřizuje jen účtárna a administrátor.",
                    "Only accounting and administrators settle payments.",
                )
                .into(),
            SettleError::NotFound => l
                .pick("Taková platba neexistuje.", "No such payment.")
                .into(),
            SettleError::Invalid(problems) => {
                let list: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message(l)))
                    .collect();
                format!("{} {}", l.pick("Zkontrolujte:", "Check:"), list.join("; "))
            }
            SettleError::Changed => l
                .pick(
                    "Platba nebo objednávka se mezitím změnila; načtěte stránku a zkuste to znovu.",
                    "The payment or an order changed meanwhile; reload and try again.",
                )
                .into(),
            SettleError::Store(_) => l
                .pick(
                    "Uložení se nepovedlo; zkuste to znovu.",
                    "Saving failed; try again.",
                )
                .into(),
        }
    }
}

impl From<StoreError> for SettleError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => SettleError::NotFound,
            StoreError::Stale(_) => SettleError::Changed,
            e => SettleError::Store(e),
        }
    }
}

fn not_allowed(field: &str, key: &str) -> FieldError {
    FieldError::new(field, Problem::NotAllowed(key.into()))
}

fn check_reason(errors: &mut Vec<FieldError>, field: &str, text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, Problem::Required));
    } else if text.chars().count() > REASON_MAX {
        errors.push(FieldError::new(field, Problem::TooLong { max: REASON_MAX }));
    }
    text.to_owned()
}

/// Settles payment `movement` by `requests` (BANKERS only); returns the orders
/// whose paid amount changed (already published to the phones).
pub async fn settle(
    state: &AppState,
    actor: &Actor,
    role: Role,
    movement: Uuid,
    requests: &[Request],
) -> Result<Vec<OrderId>, SettleError> {
    let orders = book(state.store.as_ref(), actor, role, movement, requests).await?;
    for order in &orders {
        if let Err(err) = state.sync.publish_order_info(*order).await {
            tracing::warn!(%err, %order, "publishing an order's payment to the phone; the next change publishes it");
        }
    }
    Ok(orders)
}

/// [`settle`] without publishing (the command line; the running hub's poller
/// publishes what others booked).
pub async fn book(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    movement: Uuid,
    requests: &[Request],
) -> Result<Vec<OrderId>, SettleError> {
    if !BANKERS.contains(&role) {
        return Err(SettleError::Forbidden);
    }
    let m = store
        .bank_movement(movement)
        .await?
        .ok_or(SettleError::NotFound)?;
    let mut errors = Vec::new();
    if m.amount.haler() <= 0 {
        errors.push(FieldError::new("movement", Problem::Invalid));
    }
    if requests.is_empty() {
        errors.push(FieldError::new("steps", Problem::Required));
    }
    // What each order still owes, as the steps use it up.
    let mut owes: HashMap<OrderId, Money> = HashMap::new();
    let mut steps = Vec::new();
    let mut taken = Money::ZERO;
    for (i, request) in requests.iter().enumerate() {
        let at = |name: &str| format!("steps[{i}].{name}");
        let amount = match request {
            Request::Allocate { amount, .. }
            | Request::Refund { amount, .. }
            | Request::WriteOff { amount, .. }
            | Request::Return { amount, .. } => *amount,
        };
        if amount.haler() <= 0 {
            errors.push(not_allowed(&at("amount"), reason::NEGATIVE_AMOUNT));
            continue;
        }
        let order = match request {
            Request::Allocate { order, .. } | Request::Refund { order, .. } => {
                let found = match order {
                    OrderRef::Id(id) => store
                        .order_card(*id, Role::Admin)
                        .await?
                        .map(|c| (c.id, c.status, c.payment().left())),
                    OrderRef::Vs(vs) => {
                        let list = store.orders_by_vs(vs).await?;
                        if list.len() > 1 {
                            errors.push(not_allowed(&at("order"), reason::AMBIGUOUS_ORDER));
                            continue;
                        }
                        list.first().map(|o| (o.id, o.status, o.payment.left()))
                    }
                };
                let Some((id, status, left)) = found else {
                    errors.push(not_allowed(&at("order"), reason::NO_SUCH_ORDER));
                    continue;
                };
                Some((id, status, *owes.entry(id).or_insert(left)))
            }
            _ => None,
        };
        match (request, order) {
            (Request::Allocate { .. }, Some((id, status, left))) => {
                if m.currency != "CZK" {
                    errors.push(not_allowed(&at("order"), reason::FOREIGN_CURRENCY));
                } else if status == OrderStatus::Cancelled {
                    errors.push(not_allowed(&at("order"), reason::ORDER_CANCELLED));
                } else if amount > left {
                    errors.push(not_allowed(&at("amount"), reason::BEYOND_LEFT));
                } else {
                    owes.insert(id, left - amount);
                    taken += amount;
                    steps.push(Step::Allocate { order: id, amount });
                }
            }
            (Request::Refund { reason: why, .. }, Some((id, _, left))) => {
                let why = check_reason(&mut errors, &at("reason"), why);
                let given: Money = store
                    .order_payments(id)
                    .await?
                    .into_iter()
                    .filter(|(p, _)| p.id == movement)
                    .map(|(_, g)| g)
                    .sum();
                if amount > given {
                    errors.push(not_allowed(&at("amount"), reason::BEYOND_GIVEN));
                } else {
                    owes.insert(id, left + amount);
                    steps.push(Step::Refund {
                        order: id,
                        amount,
                        reason: why,
                    });
                }
            }
            (Request::WriteOff { reason: why, .. }, _) => {
                let why = check_reason(&mut errors, &at("reason"), why);
                taken += amount;
                steps.push(Step::WriteOff {
                    amount,
                    reason: why,
                });
            }
            (Request::Return { reason: why, .. }, _) => {
                let why = check_reason(&mut errors, &at("reason"), why);
                taken += amount;
                steps.push(Step::Return {
                    amount,
                    reason: why,
                });
            }
            _ => {}
        }
    }
    if taken > m.open {
        errors.push(not_allowed("steps", reason::BEYOND_OPEN));
    }
    if !errors.is_empty() {
        return Err(SettleError::Invalid(errors));
    }
    Ok(store
        .settle_movement(actor, movement, m.open, &steps)
        .await?)
}
