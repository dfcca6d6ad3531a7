//! Assignment (issue 12, point 6): postal-code ranges → adviser. Customers who
//! arrive without an adviser (the office's own, a store's, the e-shop's) are given
//! to the adviser of the narrowest rule that covers them — every hour with the
//! reminders, and at once from the Assignment page; the office can also move a
//! customer to any adviser by hand (the card). A move is SQL first (the customer
//! and their open orders), then the new adviser's workspace gets their record,
//! prescriptions and open orders, and the old adviser's loses them with a note.

use fieldcase_shared::{AdviserId, ClientId};

use crate::state::AppState;
use crate::store::{Actor, StoreError};

/// Moves `client` (with their open orders) to `adviser`; the adviser they had.
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    client: ClientId,
    adviser: AdviserId,
) -> anyhow::Result<Option<AdviserId>> {
    let store = state.store.as_ref();
    let target = store.get_adviser(adviser).await?;
    let before = store.assign_customer(actor, client, adviser).await?;
    let moved = store.client_records(client).await?;
    let name = moved
        .clients
        .first()
        .map(|(_, c)| format!("{} {}", c.first_name, c.last_name))
        .unwrap_or_default();
    let note_cs = format!(
        "Klient {name} přešel k poradci {} ({}); jeho záznamy a otevřené zakázky z tohoto telefonu zmizí.",
        target.name, target.code
    );
    let note_en = format!(
        "The client {name} moved to the adviser {} ({}); their records and open orders leave this phone.",
        target.name, target.code
    );
    state
        .sync
        .move_records(&moved, before, adviser, (&note_cs, &note_en))
        .await?;
    Ok(before)
}

/// Gives every customer without an adviser that a rule covers to that rule's
/// adviser; how many.
pub async fn by_rules(state: &AppState, actor: &Actor) -> anyhow::Result<usize> {
    let found = state.store.unassigned_covered(1_000).await?;
    let mut done = 0;
    for (client, adviser) in found {
        match assign(state, actor, client, adviser).await {
            Ok(_) => done += 1,
            Err(err)
                if err
                    .downcast_ref::<StoreError>()
                    .is_some_and(|e| matches!(e, StoreError::NotFound(_))) =>
            {
                tracing::warn!(%client, %adviser, "assignment: the customer or the adviser is gone");
            }
            Err(err) => return Err(err),
        }
    }
    Ok(done)
}

/// A postal code as a rule takes it: its five digits (`602 00` → `60200`).
pub fn postal(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 5 && digits.len() == text.chars().filter(|c| !c.is_whitespace()).count())
        .then_some(digits)
}
