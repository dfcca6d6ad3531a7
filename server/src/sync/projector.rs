//! The hub's authority over workspaces and their SQL projection.
//!
//! The hub watches every workspace document. After each change it reads only the
//! records the change touched, checks them against the rules in `shared/`, writes
//! a compensating change plus an inbox entry for anything that breaks a rule, and
//! upserts what stands into the SQL tables the office queries.
//!
//! Rules enforced so far: an order's status may only move along the transitions an
//! adviser may make (from the last status the hub accepted); a new order starts in
//! `intake`; a prescription must be valid (an invalid one stays in the document for
//! the adviser to fix but is not projected).

use std::sync::Arc;

use automerge::{Automerge, ChangeHash};
use fieldcase_shared::authority::judge_status;
use fieldcase_shared::docs::records::{
    self, CaseMovementRecord, ClientRecord, InboxRecord, OrderRecord, PrescriptionRecord,
};
use fieldcase_shared::{AdviserId, ClientId, Lang, OrderId, Prescription};
use futures::StreamExt;
use samod::DocHandle;

use crate::store::{ProjectionBatch, Store};

/// What the hub reads out of one change.
struct Touched {
    heads: Vec<ChangeHash>,
    clients: Vec<(String, Option<ClientRecord>)>,
    prescriptions: Vec<(String, Option<PrescriptionRecord>)>,
    orders: Vec<(String, Option<OrderRecord>)>,
    /// Every movement of the case, when any was touched (stock needs them all).
    case_movements: Option<Vec<(String, CaseMovementRecord)>>,
}

fn read_touched(doc: &Automerge, since: &[ChangeHash]) -> Touched {
    let heads = doc.get_heads();
    let mut t = Touched {
        heads: heads.clone(),
        clients: Vec::new(),
        prescriptions: Vec::new(),
        orders: Vec::new(),
        case_movements: None,
    };
    for (map, id) in records::touched(doc, since, &heads) {
        match map.as_str() {
            records::CLIENTS => t.clients.push((id.clone(), read(doc, &map, &id))),
            records::PRESCRIPTIONS => t.prescriptions.push((id.clone(), read(doc, &map, &id))),
            records::ORDERS => t.orders.push((id.clone(), read(doc, &map, &id))),
            records::CASE_MOVEMENTS if t.case_movements.is_none() => {
                let all = records::ids(doc, records::CASE_MOVEMENTS)
                    .into_iter()
                    .filter_map(|id| {
                        read::<CaseMovementRecord>(doc, records::CASE_MOVEMENTS, &id)
                            .map(|m| (id, m))
                    })
                    .collect();
                t.case_movements = Some(all);
            }
            _ => {}
        }
    }
    t
}

/// One record; a record that does not read is logged and left out (it stays in the
/// document, nothing is lost).
fn read<H: autosurgeon::Hydrate>(doc: &Automerge, map: &str, id: &str) -> Option<H> {
    records::get(doc, map, id).unwrap_or_else(|err| {
        tracing::warn!(%err, map, id, "record does not read; left out of the projection");
        None
    })
}

/// A compensating change to write back, with the inbox entry that explains it.
struct Correction {
    order: String,
    status: Option<String>,
    /// A case movement to mark rejected (with this reason code).
    movement: Option<(String, String)>,
    inbox_id: String,
    inbox: InboxRecord,
}

fn now_text() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn rejection(about: String, cs: String, en: String) -> InboxRecord {
    InboxRecord {
        at: now_text(),
        kind: "rejection".into(),
        about,
        text_cs: cs,
        text_en: en,
        read: false,
    }
}

/// How a projection step treats the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Live changes: check them against the rules and correct what breaks one.
    Enforce,
    /// Rebuilding the projection: the document already holds the accepted state.
    Rebuild,
}

/// Watches one workspace for as long as the hub runs.
pub async fn watch(store: Arc<dyn Store>, handle: DocHandle, adviser: AdviserId) {
    let mut changes = handle.changes();
    // Empty heads: the first pass reads the whole document (the projection catches up
    // with whatever changed while the hub was down).
    let mut since: Vec<ChangeHash> = Vec::new();
    let mut retry = std::time::Duration::from_millis(200);
    loop {
        match step(store.as_ref(), &handle, adviser, &since, Mode::Enforce).await {
            Ok(heads) => {
                since = heads;
                retry = std::time::Duration::from_millis(200);
                if changes.next().await.is_none() {
                    return;
                }
            }
            Err(err) => {
                // Keep `since` (nothing is skipped) and try again after a back-off, or
                // sooner if another change arrives.
                tracing::error!(%err, doc = %handle.document_id(), retry_ms = retry.as_millis() as u64, "projecting a workspace failed; retrying");
                tokio::select! {
                    () = tokio::time::sleep(retry) => {}
                    next = changes.next() => if next.is_none() { return },
                }
                retry = (retry * 2).min(std::time::Duration::from_secs(30));
            }
        }
    }
}

/// Projects one change; returns the heads it covered.
pub async fn step(
    store: &dyn Store,
    handle: &DocHandle,
    adviser: AdviserId,
    since: &[ChangeHash],
    mode: Mode,
) -> anyhow::Result<Vec<ChangeHash>> {
    let since = since.to_vec();
    let touched = handle.with_document(|doc| read_touched(doc, &since));
    let today = time::OffsetDateTime::now_utc().date();
    let mut batch = ProjectionBatch::default();
    let mut corrections = Vec::new();

    for (id, record) in touched.clients {
        match (id.parse::<ClientId>(), record) {
            (Ok(cid), Some(c)) => batch.clients.push((cid, c)),
            (Err(_), _) => tracing::warn!(id, "client with an unreadable id left out"),
            (Ok(_), None) => {} // deletions are kept in SQL for history
        }
    }
    for (id, record) in touched.prescriptions {
        let Some(rx) = record else { continue };
        match serde_json::from_str::<Prescription>(&rx.body) {
            Ok(p) => {
                let problems = p.validate(today);
                if problems.is_empty() {
                    batch.prescriptions.push(p);
                } else {
                    let list_cs: Vec<String> = problems
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.message(Lang::Cs)))
                        .collect();
                    let list_en: Vec<String> = problems
                        .iter()
                        .map(|e| format!("{}: {}", e.field, e.message(Lang::En)))
                        .collect();
                    corrections.push(Correction {
                        order: String::new(),
                        status: None,
                        movement: None,
                        inbox_id: format!("rx-invalid-{id}"),
                        inbox: rejection(
                            format!("prescriptions/{id}"),
                            format!("Předpis nebyl přijat, opravte ho: {}.", list_cs.join("; ")),
                            format!(
                                "The prescription was not accepted; please correct it: {}.",
                                list_en.join("; ")
                            ),
                        ),
                    });
                }
            }
            Err(err) => corrections.push(Correction {
                order: String::new(),
                status: None,
                movement: None,
                inbox_id: format!("rx-invalid-{id}"),
                inbox: rejection(
                    format!("prescriptions/{id}"),
                    "Předpis se nepodařilo přečíst; zadejte ho prosím znovu.".into(),
                    format!("The prescription could not be read ({err}); please enter it again."),
                ),
            }),
        }
    }
    for (id, record) in touched.orders {
        let (Ok(oid), Some(mut order)) = (id.parse::<OrderId>(), record) else {
            continue;
        };
        let verdict = match mode {
            Mode::Enforce => judge_status(store.order_status(oid).await?.as_deref(), &order.status),
            Mode::Rebuild => Ok(()),
        };
        if let Err((back_to, cs, en)) = verdict {
            corrections.push(Correction {
                order: id.clone(),
                status: Some(back_to.code().to_owned()),
                movement: None,
                inbox_id: format!("status-{id}-{}", order.status),
                inbox: rejection(format!("orders/{id}"), cs, en),
            });
            order.status = back_to.code().to_owned();
        }
        batch.orders.push((oid, order));
    }

    if let Some(movements) = touched.case_movements {
        let below = match mode {
            Mode::Enforce => records::movements_below_zero(&movements),
            Mode::Rebuild => Vec::new(),
        };
        for (id, mut m) in movements {
            if below.contains(&id) {
                corrections.push(Correction {
                    order: String::new(),
                    status: None,
                    movement: Some((id.clone(), "below_zero".into())),
                    inbox_id: format!("case-{id}"),
                    inbox: rejection(
                        format!("case_movements/{id}"),
                        format!("Pohyb vzorkovnice ({} ks, {}) by snížil stav pod nulu; nebyl započten. Zkontrolujte stav kufru a zapište inventuru.", m.quantity, m.product),
                        format!("The case movement ({} pcs, {}) would take the stock below zero; it was not counted. Check the case and record a count.", m.quantity, m.product),
                    ),
                });
                m.rejected = "below_zero".into();
            }
            match uuid::Uuid::parse_str(&id) {
                Ok(uid) => batch.case_movements.push((uid, m)),
                Err(_) => tracing::warn!(id, "case movement with an unreadable id left out"),
            }
        }
    }
    if mode == Mode::Rebuild {
        // Problems were reported when the changes arrived; a rebuild only re-reads.
        corrections.clear();
    }
    if !corrections.is_empty() {
        handle.with_document(|doc| {
            doc.transact::<_, _, fieldcase_shared::docs::DocError>(|tx| {
                for c in &corrections {
                    if let Some(status) = &c.status
                        && let Some(mut order) =
                            records::get::<OrderRecord>(tx, records::ORDERS, &c.order)?
                    {
                        order.status = status.clone();
                        records::put(tx, records::ORDERS, &c.order, &order)?;
                    }
                    if let Some((id, reason)) = &c.movement
                        && let Some(mut m) =
                            records::get::<CaseMovementRecord>(tx, records::CASE_MOVEMENTS, id)?
                    {
                        m.rejected = reason.clone();
                        records::put(tx, records::CASE_MOVEMENTS, id, &m)?;
                    }
                    // One inbox entry per distinct problem, however often it recurs.
                    if records::get::<InboxRecord>(tx, records::INBOX, &c.inbox_id)?.is_none() {
                        records::put(tx, records::INBOX, &c.inbox_id, &c.inbox)?;
                    }
                }
                Ok(())
            })
            .map_err(|f| anyhow::anyhow!("writing a correction: {}", f.error))
        })?;
        tracing::info!(adviser = %adviser, corrections = corrections.len(), "workspace changes corrected by the hub");
    }
    if !batch.is_empty() {
        store.project(adviser, &batch).await?;
    }
    Ok(touched.heads)
}
