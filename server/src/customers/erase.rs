//! GDPR erasure, the one path of the customer card and the API: on a customer's
//! request (and once no order of theirs is in progress) their personal data leave
//! SQL (`store/erase.rs`) and every adviser's workspace that held them, history
//! included (`SyncHub::rewrite_workspace`); then the database files are purged.
//! Only an administrator erases; the reason is audited (docs/decisions.md, "GDPR
//! erasure").

use std::collections::BTreeSet;

use fieldcase_shared::{ClientId, Lang, Role};

use crate::customers::store::Erased;
use crate::state::AppState;
use crate::store::{Actor, StoreError};

/// Who erases customers.
pub const ERASERS: &[Role] = &[Role::Admin];

/// The longest reason kept.
const REASON_MAX: usize = 500;

/// Why an erasure was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    #[error("no such customer")]
    NotFound,
    #[error("only an administrator erases customers")]
    Forbidden,
    #[error("the reason is missing or longer than {REASON_MAX} characters")]
    Reason,
    #[error("orders still in progress: {}", .0.join(", "))]
    OpenOrders(Vec<String>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("rewriting a workspace: {0}")]
    Sync(anyhow::Error),
}

impl EraseError {
    /// What the office reads, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            EraseError::NotFound => l.pick("Zákazník neexistuje.", "No such customer.").into(),
            EraseError::Forbidden => l
                .pick("Osobní údaje maže jen administrátor.", "Only an administrator erases personal data.")
                .into(),
            EraseError::Reason => l
                .pick(
                    "Uveďte důvod (žádost zákazníka, nejvýše 500 znaků, bez jména).",
                    "Give the reason (the customer's request, at most 500 characters, without the name).",
                )
                .into(),
            EraseError::OpenOrders(v) => format!(
                "{} {}",
                l.pick(
                    "Zákazník má rozpracované objednávky; vymazat půjde po jejich předání nebo zrušení:",
                    "The customer has orders in progress; erase once they are delivered or cancelled:",
                ),
                v.join(", ")
            ),
            EraseError::Store(_) | EraseError::Sync(_) => l
                .pick(
                    "Vymazání se nedokončilo; zkuste to znovu (co už je vymazáno, zůstane vymazané).",
                    "The erasure did not finish; try again (what is erased stays erased).",
                )
                .into(),
        }
    }
}

/// What an erasure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erasure {
    pub erased: Erased,
    /// Workspaces rewritten.
    pub workspaces: usize,
}

/// Erases `client` (and the records merged into them) for `actor` in `role`, with
/// `reason`. Running it again finishes what a failure left (SQL first, then every
/// workspace, then the purge).
pub async fn erase(
    state: &AppState,
    actor: &Actor,
    role: Role,
    client: ClientId,
    reason: &str,
) -> Result<Erasure, EraseError> {
    if !ERASERS.contains(&role) {
        return Err(EraseError::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        return Err(EraseError::Reason);
    }
    let store = state.store.as_ref();
    let scope = store
        .erasure_scope(client)
        .await?
        .ok_or(EraseError::NotFound)?;
    if !scope.open_orders.is_empty() {
        return Err(EraseError::OpenOrders(scope.open_orders));
    }
    let erased = store.erase_customers(actor, &scope, reason).await?;
    let ids: BTreeSet<String> = scope.clients.iter().map(ToString::to_string).collect();
    let mut workspaces = 0;
    for adviser in &scope.advisers {
        if state
            .sync
            .rewrite_workspace(*adviser, &ids)
            .await
            .map_err(EraseError::Sync)?
            .is_some()
        {
            workspaces += 1;
        }
    }
    store.purge_erased().await?;
    tracing::info!(%client, records = erased.clients, workspaces, "customer erased");
    Ok(Erasure { erased, workspaces })
}
