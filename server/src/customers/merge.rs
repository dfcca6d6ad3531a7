//! The one path by which two records of one person become one (the office's
//! duplicate queue; the API when it comes). The office picks the survivor. SQL is
//! merged first, in one transaction (`store/merge.rs`): from then on the hub's
//! authority sends whatever arrives for the merged client to the survivor. Then
//! the adviser's workspace gets the same merge (`fieldcase_shared::customer::merge`):
//! the merged client frozen with `merged_into`, the survivor completed, orders and
//! prescriptions re-pointed, and a note in the adviser's inbox; the phones show it
//! on their next sync.
//!
//! Two customers of two different advisers are not merged here: one of them must
//! first be moved to the other adviser (the assignment issue builds that move).

use fieldcase_shared::customer::merge::{fill_from, merge_in};
use fieldcase_shared::docs::{self, records, records::ClientRecord};
use fieldcase_shared::{AdviserId, ClientId};

use crate::customers::edit::inbox;
use crate::customers::store::{CustomerCard, MergePlan, MergeSummary};
use crate::state::AppState;
use crate::store::{Actor, StoreError};

/// Why a merge did not happen (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// One of the two does not exist.
    #[error("no such customer")]
    NotFound,
    /// A customer cannot be merged into itself.
    #[error("the same customer")]
    Same,
    /// One of them was merged already.
    #[error("merged already")]
    AlreadyMerged,
    /// They belong to two advisers.
    #[error("customers of two advisers")]
    TwoAdvisers,
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// The workspace could not be written.
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<StoreError> for MergeError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => MergeError::NotFound,
            StoreError::Stale(_) => MergeError::AlreadyMerged,
            other => MergeError::Store(other),
        }
    }
}

impl MergeError {
    /// What the user is told.
    pub fn text(&self, lang: fieldcase_shared::Lang) -> String {
        match self {
            MergeError::NotFound => lang.pick("Zákazník neexistuje.", "No such customer.").into(),
            MergeError::Same => lang.pick("Zákazníka nelze sloučit se sebou samým.", "A customer cannot be merged with itself.").into(),
            MergeError::AlreadyMerged => lang.pick("Jeden ze zákazníků už byl sloučen; obnovte stránku.", "One of the customers was merged already; reload the page.").into(),
            MergeError::TwoAdvisers => lang.pick(
                "Zákazníci patří dvěma různým poradcům. Nejdřív jednoho převeďte k druhému poradci.",
                "The customers belong to two different advisers. Move one of them to the other adviser first.",
            ).into(),
            MergeError::Store(_) | MergeError::Internal(_) => lang.pick("Sloučení se nepodařilo; nic se nezměnilo.", "The merge failed; nothing was changed.").into(),
        }
    }
}

/// Merges the customer `merged` into `survivor` (see the module). Returns what moved.
pub async fn merge(
    state: &AppState,
    actor: &Actor,
    merged: ClientId,
    survivor: ClientId,
) -> Result<MergeSummary, MergeError> {
    if merged == survivor {
        return Err(MergeError::Same);
    }
    let store = state.store.as_ref();
    let (Some(m), Some(s)) = (
        store.customer_card(merged).await?,
        store.customer_card(survivor).await?,
    ) else {
        return Err(MergeError::NotFound);
    };
    if m.merged_into.is_some() || s.merged_into.is_some() {
        return Err(MergeError::AlreadyMerged);
    }
    let adviser = match (m.adviser, s.adviser) {
        (Some(a), Some(b)) if a != b => return Err(MergeError::TwoAdvisers),
        (a, b) => a.or(b),
    };
    // The records as the workspace holds them (SQL may lag behind a sync).
    let (mut frozen, mut kept) = (m.record(), s.record());
    if let Some(adviser) = adviser {
        let (dm, ds) = read_pair(state, adviser, merged, survivor).await?;
        frozen = dm.unwrap_or(frozen);
        kept = ds.unwrap_or(kept);
    }
    frozen.merged_into = String::new();
    let mut filled = kept.clone();
    let fields = fill_from(&mut filled, &frozen);
    let plan = MergePlan {
        merged,
        survivor,
        frozen: frozen.clone(),
        fill: (filled, fields),
        adviser,
    };
    let summary = store.merge_customers(actor, &plan).await?;
    if let Some(adviser) = adviser
        && let Err(err) = write_merge(state, adviser, &m, &s, &frozen, &kept).await
    {
        // SQL holds the merge: the authority sends what arrives for the merged client
        // to the survivor, so the document converges on the next change.
        tracing::error!(%err, %merged, %survivor, "writing a merge into the workspace");
        return Err(err);
    }
    Ok(summary)
}

/// The two clients as the adviser's workspace holds them (None: not there).
async fn read_pair(
    state: &AppState,
    adviser: AdviserId,
    a: ClientId,
    b: ClientId,
) -> Result<(Option<ClientRecord>, Option<ClientRecord>), MergeError> {
    let handle = workspace(state, adviser).await?;
    handle
        .with_document(|d| {
            Ok::<_, docs::DocError>((
                records::get::<ClientRecord>(d, records::CLIENTS, &a.to_string())?,
                records::get::<ClientRecord>(d, records::CLIENTS, &b.to_string())?,
            ))
        })
        .map_err(|e| MergeError::Internal(anyhow::anyhow!("reading the workspace: {e}")))
}

async fn workspace(state: &AppState, adviser: AdviserId) -> Result<samod::DocHandle, MergeError> {
    crate::customers::edit::workspace(state, adviser)
        .await
        .map_err(MergeError::Internal)?
        .ok_or(MergeError::Internal(anyhow::anyhow!(
            "the workspace is gone"
        )))
}

/// The merge in the adviser's workspace, with a note in their inbox. A merged
/// client the workspace does not hold (the office's own) only completes the
/// survivor.
async fn write_merge(
    state: &AppState,
    adviser: AdviserId,
    m: &CustomerCard,
    s: &CustomerCard,
    frozen: &ClientRecord,
    kept: &ClientRecord,
) -> Result<(), MergeError> {
    let handle = workspace(state, adviser).await?;
    let (mid, sid) = (m.id, s.id);
    let name = |c: &CustomerCard| {
        format!("{} {}", c.first_name, c.last_name)
            .trim()
            .to_owned()
    };
    let (mname, sname) = (name(m), name(s));
    handle
        .with_document(|d| {
            d.transact::<_, _, docs::DocError>(|tx| {
                let done = merge_in(tx, mid, sid, frozen, kept)?;
                if done.is_none() {
                    let key = sid.to_string();
                    let mut survivor = records::get::<ClientRecord>(tx, records::CLIENTS, &key)?
                        .unwrap_or_else(|| kept.clone());
                    fill_from(&mut survivor, frozen);
                    records::put(tx, records::CLIENTS, &key, &survivor)?;
                }
                let (_, note) = inbox(
                    format!(
                        "Kancelář sloučila klienta {mname} s klientem {sname} (tatáž osoba). Zakázky, předpisy a poznámky jsou nyní u klienta {sname}."
                    ),
                    format!(
                        "The office merged the client {mname} into {sname} (the same person). Orders, prescriptions and notes are now with {sname}."
                    ),
                    sid,
                );
                // One note per merge (its own key: a merged client is merged once).
                records::put(tx, records::INBOX, &format!("office-merge-{mid}"), &note)
            })
        })
        .map(|_| ())
        .map_err(|f| MergeError::Internal(anyhow::anyhow!("writing the workspace: {}", f.error)))
}
