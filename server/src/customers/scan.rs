//! The duplicate scan over the whole customer base, a background job with its
//! progress in `customer_scans` (the Duplicates page shows it; `fieldcase customer
//! scan` runs it in the foreground). Every customer is compared with the customers
//! that share a block with them, by the shared rule
//! (`fieldcase_shared::customer::likeness_of`): the same phone, the same e-mail, or
//! the same start of the surname in the same postal code or town. Within a block
//! the customers are sorted by name and street and each is compared with the next
//! [`WINDOW`] (the sorted-neighbourhood method), so a crowded block costs linear
//! time. Found pairs go to the review queue; pairs decided before keep their
//! decision.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use fieldcase_shared::ClientId;
use fieldcase_shared::customer::{Keys, likeness_of};
use uuid::Uuid;

use crate::customers::store::FoundPair;
use crate::store::{Store, StoreError};

/// How many neighbours each customer is compared with in a block.
pub const WINDOW: usize = 25;
/// Customers read per query.
const PAGE: i64 = 5_000;

/// The blocks a customer falls in.
fn blocks(k: &Keys) -> Vec<String> {
    let mut out = Vec::with_capacity(4);
    if let Some(p) = &k.phone {
        out.push(format!("p{p}"));
    }
    if let Some(e) = &k.email {
        out.push(format!("e{e}"));
    }
    let surname: String = k
        .name
        .split(' ')
        .next()
        .unwrap_or("")
        .chars()
        .take(3)
        .collect();
    if !surname.is_empty() {
        if !k.postal.is_empty() {
            out.push(format!("n{surname}|{}", k.postal));
        }
        if !k.city.is_empty() {
            out.push(format!("c{surname}|{}", k.city));
        }
    }
    out
}

/// The pairs among `clients` that may be one person; `done` counts the customers
/// compared so far (for the progress).
pub fn find_pairs(clients: &[(ClientId, Keys)], done: &AtomicI64) -> Vec<FoundPair> {
    let mut by_block: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, k)) in clients.iter().enumerate() {
        for b in blocks(k) {
            by_block.entry(b).or_default().push(i);
        }
    }
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut pairs = Vec::new();
    let mut members: Vec<Vec<usize>> = by_block.into_values().filter(|m| m.len() > 1).collect();
    members.sort_unstable();
    let step = (clients.len() as i64 / members.len().max(1) as i64).max(0);
    for mut m in members {
        m.sort_by(|a, b| {
            let (ka, kb) = (&clients[*a].1, &clients[*b].1);
            (&ka.name, &ka.street).cmp(&(&kb.name, &kb.street))
        });
        for (n, &i) in m.iter().enumerate() {
            for &j in m.iter().skip(n + 1).take(WINDOW) {
                // A pair two blocks share is compared twice (cheaper than
                // remembering every comparison) and kept once.
                let Some(likeness) = likeness_of(&clients[i].1, &clients[j].1) else {
                    continue;
                };
                if seen.insert((i.min(j), i.max(j))) {
                    pairs.push(FoundPair {
                        a: clients[i].0,
                        b: clients[j].0,
                        likeness,
                    });
                }
            }
        }
        done.fetch_add(step, Ordering::Relaxed);
    }
    pairs
}

/// Starts a scan in the background; returns its id (Stale: one is running).
pub async fn start(store: Arc<dyn Store>, author: &str) -> Result<Uuid, StoreError> {
    let id = store.start_scan(author).await?;
    tokio::spawn(async move {
        if let Err(err) = run(store.as_ref(), id).await {
            tracing::error!(%err, scan = %id, "the duplicate scan failed");
            let _ = store
                .scan_progress(id, (0, 0, 0), Some(Some(&err.to_string())))
                .await;
        }
    });
    Ok(id)
}

/// Runs the scan `id` (already started): reads every customer, compares them,
/// stores the pairs; progress is written as it goes. Returns the pairs found.
pub async fn run(store: &dyn Store, id: Uuid) -> Result<i64, StoreError> {
    let n = store.live_clients().await?;
    let total = 2 * n.max(1);
    let clients = read_all(store, Some((id, total))).await?;
    let read = clients.len() as i64;
    let done = Arc::new(AtomicI64::new(0));
    let counter = done.clone();
    let mut compare = tokio::task::spawn_blocking(move || find_pairs(&clients, &counter));
    let pairs = loop {
        tokio::select! {
            joined = &mut compare => break joined.map_err(|e| StoreError::Corrupt(format!("the scan stopped: {e}")))?,
            () = tokio::time::sleep(std::time::Duration::from_millis(500)) => {
                let compared = done.load(Ordering::Relaxed).min(read);
                store.scan_progress(id, (total, read + compared, 0), None).await?;
            }
        }
    };
    store.record_duplicates(&pairs).await?;
    let found = pairs.len() as i64;
    store
        .scan_progress(id, (total, total, found), Some(None))
        .await?;
    Ok(found)
}

/// Every unmerged customer's keys; with `progress`, the scan's progress is written
/// after each page.
async fn read_all(
    store: &dyn Store,
    progress: Option<(Uuid, i64)>,
) -> Result<Vec<(ClientId, Keys)>, StoreError> {
    let mut clients: Vec<(ClientId, Keys)> = Vec::new();
    let mut after = None;
    loop {
        let page = store.clients_page(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.0);
        clients.extend(page.iter().map(|(id, c)| (*id, Keys::of(c))));
        if let Some((id, total)) = progress {
            store
                .scan_progress(id, (total, clients.len() as i64, 0), None)
                .await?;
        }
    }
    Ok(clients)
}

/// Puts into the review queue the pairs the customers `new` (just imported) form
/// with any customer, by the scan's rule; returns how many.
pub async fn queue_pairs_of(store: &dyn Store, new: &[ClientId]) -> Result<usize, StoreError> {
    if new.is_empty() {
        return Ok(0);
    }
    let clients = read_all(store, None).await?;
    let new: HashSet<ClientId> = new.iter().copied().collect();
    let pairs = tokio::task::spawn_blocking(move || {
        let mut pairs = find_pairs(&clients, &AtomicI64::new(0));
        pairs.retain(|p| new.contains(&p.a) || new.contains(&p.b));
        pairs
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("the duplicate check stopped: {e}")))?;
    store.record_duplicates(&pairs).await?;
    Ok(pairs.len())
}

#[cfg(test)]
mod tests {
    use fieldcase_shared::docs::records::ClientRecord;

    use super::*;

    fn keys(first: &str, last: &str, phone: &str, email: &str, street: &str, postal: &str) -> Keys {
        Keys::of(&ClientRecord {
            first_name: first.into(),
            last_name: last.into(),
            phone: phone.into(),
            email: email.into(),
            street: street.into(),
            postal_code: postal.into(),
            city: "Plzeň".into(),
            ..ClientRecord::default()
        })
    }

    #[test]
    fn the_scan_finds_phone_email_and_name_address_pairs_once() {
        let ids: Vec<ClientId> = (0..6).map(|_| ClientId::new()).collect();
        let clients = vec![
            (
                ids[0],
                keys("Jana", "Nováková", "603 123 456", "", "Hlavní 1", "301 00"),
            ),
            (ids[1], keys("J.", "Jiná", "+420603123456", "", "", "")),
            (
                ids[2],
                keys("Petr", "Svoboda", "", "petr@example.cz", "Dlouhá 5", ""),
            ),
            (
                ids[3],
                keys("Pavel", "Dvořák", "", "PETR@example.cz ", "", ""),
            ),
            (
                ids[4],
                keys("Jana", "Novakova", "", "", "Hlavni 1", "30100"),
            ),
            (
                ids[5],
                keys("Karel", "Novotný", "", "", "Krátká 9", "301 00"),
            ),
        ];
        let done = AtomicI64::new(0);
        let mut found: Vec<(ClientId, ClientId)> = find_pairs(&clients, &done)
            .into_iter()
            .map(|p| {
                if p.a.as_uuid() < p.b.as_uuid() {
                    (p.a, p.b)
                } else {
                    (p.b, p.a)
                }
            })
            .collect();
        found.sort();
        let mut want = vec![(ids[0], ids[1]), (ids[2], ids[3]), (ids[0], ids[4])];
        for w in &mut want {
            if w.0.as_uuid() > w.1.as_uuid() {
                *w = (w.1, w.0);
            }
        }
        want.sort();
        assert_eq!(found, want, "each pair once; Novotný is not Nováková");
    }
}
