//! The hub's authority over workspaces and their SQL projection.
//!
//! The hub watches every workspace document. After each change it reads only the
//! records the change touched, checks them against the rules in `shared/`, writes
//! a compensating change plus an inbox entry for anything that breaks a rule, and
//! upserts what stands into the SQL tables the office queries.
//!
//! Rules enforced: an order's status may only move along the transitions an adviser
//! may make (from the last status the hub accepted); a new order starts in `intake`;
//! a prescription must be valid (an invalid one stays in the document for the
//! adviser to fix but is not projected); the sample case never goes below zero; a
//! payout request must be positive and within the available balance (ledger less
//! accepted requests), and once judged its amount and verdict stand; a visit needs
//! a title, a kind and a date (reported, not changed).

use std::sync::Arc;

use automerge::ChangeHash;
use fieldcase_shared::Money;
use fieldcase_shared::authority::judge_status;
use fieldcase_shared::docs::commission::{
    PAYOUT_REQUESTS, PayoutRequestRecord, PayoutStatus, judge_payout,
};
use fieldcase_shared::docs::records::{self, CaseMovementRecord, InboxRecord, OrderRecord};
use fieldcase_shared::{AdviserId, ClientId, Lang, OrderId, Prescription};
use futures::StreamExt;
use samod::DocHandle;

use crate::store::{ProjectionBatch, Store};

mod reports;
mod touched;

use reports::{inbox, rejection, report_skipped, unreadable_record, unreadable_time};
use touched::read_touched;

/// What the hub writes back into a record.
pub(super) enum Fix {
    /// Nothing: the inbox entry alone explains the problem.
    Nothing,
    /// Restore an order's status.
    OrderStatus { order: String, status: String },
    /// Mark a case movement rejected with this reason code.
    Movement { id: String, reason: String },
    /// Write the hub's verdict on a payout request.
    Payout {
        id: String,
        record: PayoutRequestRecord,
    },
}

/// A hub write into the document, with the inbox entry (id, text) that explains it.
pub(super) struct Correction {
    pub(super) fix: Fix,
    pub(super) inbox: Option<(String, InboxRecord)>,
}

/// How a projection step treats the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Live changes: check them against the rules and correct what breaks one.
    Enforce,
    /// Rebuilding the projection: the document already holds the accepted state.
    Rebuild,
}

/// Watches one workspace for as long as the hub runs, from `since`. Empty heads:
/// the first pass reads the whole document (the projection catches up with whatever
/// changed while the hub was down); a document the hub just created from SQL starts
/// at its own heads (its records are SQL's already, and projecting them again could
/// race an office change made meanwhile).
pub async fn watch(
    store: Arc<dyn Store>,
    handle: DocHandle,
    adviser: AdviserId,
    since: Vec<ChangeHash>,
) {
    let mut changes = handle.changes();
    let mut since = since;
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

/// Projects one change; returns the heads it covered. Its database queries do not
/// grow with the number of records touched (tests/tests/projector_queries.rs).
#[tracing::instrument(name = "projection", skip_all, fields(%adviser))]
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

    for (map, id, why) in &touched.unreadable {
        corrections.push(unreadable_record(map, id, why));
    }
    for (id, record) in touched.clients {
        if let Some(c) = record.as_ref()
            && let Some(bad) = unreadable_time(records::CLIENTS, &id, "created_at", &c.created_at)
        {
            corrections.push(bad);
            continue;
        }
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
                        fix: Fix::Nothing,
                        inbox: Some((
                            format!("rx-invalid-{id}"),
                            rejection(
                                format!("prescriptions/{id}"),
                                format!(
                                    "Předpis nebyl přijat, opravte ho: {}.",
                                    list_cs.join("; ")
                                ),
                                format!(
                                    "The prescription was not accepted; please correct it: {}.",
                                    list_en.join("; ")
                                ),
                            ),
                        )),
                    });
                }
            }
            Err(err) => corrections.push(Correction {
                fix: Fix::Nothing,
                inbox: Some((
                    format!("rx-invalid-{id}"),
                    rejection(
                        format!("prescriptions/{id}"),
                        "Předpis se nepodařilo přečíst; zadejte ho prosím znovu.".into(),
                        format!(
                            "The prescription could not be read ({err}); please enter it again."
                        ),
                    ),
                )),
            }),
        }
    }
    // What the hub accepted for every touched order: one query for the batch.
    let accepted = match mode {
        Mode::Enforce => {
            let ids: Vec<OrderId> = touched
                .orders
                .iter()
                .filter(|(_, r)| r.is_some())
                .filter_map(|(id, _)| id.parse().ok())
                .collect();
            store.order_statuses(&ids).await?
        }
        Mode::Rebuild => std::collections::HashMap::new(),
    };
    for (id, record) in touched.orders {
        let (Ok(oid), Some(mut order)) = (id.parse::<OrderId>(), record) else {
            continue;
        };
        if let Some(bad) = unreadable_time(records::ORDERS, &id, "created_at", &order.created_at) {
            corrections.push(bad);
            continue;
        }
        let verdict = match mode {
            Mode::Enforce => judge_status(accepted.get(&oid).map(String::as_str), &order.status),
            Mode::Rebuild => Ok(()),
        };
        if let Err((back_to, cs, en)) = verdict {
            corrections.push(Correction {
                fix: Fix::OrderStatus {
                    order: id.clone(),
                    status: back_to.code().to_owned(),
                },
                inbox: Some((
                    format!("status-{id}-{}", order.status),
                    rejection(format!("orders/{id}"), cs, en),
                )),
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
            if let Some(bad) = unreadable_time(records::CASE_MOVEMENTS, &id, "at", &m.at) {
                corrections.push(bad);
                continue;
            }
            if below.contains(&id) {
                corrections.push(Correction {
                    fix: Fix::Movement { id: id.clone(), reason: "below_zero".into() },
                    inbox: Some((format!("case-{id}"), rejection(
                        format!("case_movements/{id}"),
                        format!("Pohyb vzorkovnice ({} ks, {}) by snížil stav pod nulu; nebyl započten. Zkontrolujte stav kufru a zapište inventuru.", m.quantity, m.product),
                        format!("The case movement ({} pcs, {}) would take the stock below zero; it was not counted. Check the case and record a count.", m.quantity, m.product),
                    ))),
                });
                m.rejected = "below_zero".into();
            }
            match uuid::Uuid::parse_str(&id) {
                Ok(uid) => batch.case_movements.push((uid, m)),
                Err(_) => tracing::warn!(id, "case movement with an unreadable id left out"),
            }
        }
    }
    let mut payout_requests = touched.payout_requests;
    payout_requests.retain(|(id, p)| {
        match unreadable_time(PAYOUT_REQUESTS, id, "requested_at", &p.requested_at) {
            Some(bad) => {
                corrections.push(bad);
                false
            }
            None => true,
        }
    });
    judge_payouts(
        store,
        adviser,
        payout_requests,
        mode,
        &mut batch,
        &mut corrections,
    )
    .await?;
    for (id, visit) in touched.visits {
        let problems = visit.problems();
        if problems.is_empty() {
            continue;
        }
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        corrections.push(Correction {
            fix: Fix::Nothing,
            inbox: Some((
                format!("visit-{id}-{}", fields.join("-")),
                rejection(
                    format!("visits/{id}"),
                    format!(
                        "Návštěvě „{}“ chybí údaje ({}); doplňte je prosím.",
                        visit.title,
                        fields.join(", ")
                    ),
                    format!(
                        "The visit \"{}\" is missing details ({}); please complete it.",
                        visit.title,
                        fields.join(", ")
                    ),
                ),
            )),
        });
    }
    if mode == Mode::Rebuild {
        // Problems were reported when the changes arrived; a rebuild only re-reads.
        corrections.clear();
    }
    if !corrections.is_empty() {
        handle.with_document(|doc| {
            doc.transact::<_, _, fieldcase_shared::docs::DocError>(|tx| {
                for c in &corrections {
                    match &c.fix {
                        Fix::Nothing => {}
                        Fix::OrderStatus { order, status } => {
                            if let Some(mut rec) =
                                records::get::<OrderRecord>(tx, records::ORDERS, order)?
                            {
                                rec.status = status.clone();
                                records::put(tx, records::ORDERS, order, &rec)?;
                            }
                        }
                        Fix::Movement { id, reason } => {
                            if let Some(mut m) =
                                records::get::<CaseMovementRecord>(tx, records::CASE_MOVEMENTS, id)?
                            {
                                m.rejected = reason.clone();
                                records::put(tx, records::CASE_MOVEMENTS, id, &m)?;
                            }
                        }
                        Fix::Payout { id, record } => {
                            records::put(tx, PAYOUT_REQUESTS, id, record)?;
                        }
                    }
                    // One inbox entry per distinct problem, however often it recurs.
                    if let Some((inbox_id, entry)) = &c.inbox
                        && records::get::<InboxRecord>(tx, records::INBOX, inbox_id)?.is_none()
                    {
                        records::put(tx, records::INBOX, inbox_id, entry)?;
                    }
                }
                Ok(())
            })
            .map_err(|f| anyhow::anyhow!("writing a correction: {}", f.error))
        })?;
        tracing::info!(adviser = %adviser, corrections = corrections.len(), "workspace changes corrected by the hub");
    }
    if !batch.is_empty() {
        let skipped = store.project(adviser, &batch).await?;
        if mode == Mode::Enforce && !skipped.is_empty() {
            report_skipped(handle, &skipped)?;
        }
    }
    Ok(touched.heads)
}

/// Payout requests: a new one is judged against what the adviser has available
/// (oldest first, each acceptance reserving its amount); a judged one keeps its
/// verdict and amount whatever a device writes later (only its note may change).
async fn judge_payouts(
    store: &dyn Store,
    adviser: AdviserId,
    mut requests: Vec<(String, PayoutRequestRecord)>,
    mode: Mode,
    batch: &mut ProjectionBatch,
    corrections: &mut Vec<Correction>,
) -> anyhow::Result<()> {
    if requests.is_empty() {
        return Ok(());
    }
    requests.sort_by(|(ia, a), (ib, b)| a.requested_at.cmp(&b.requested_at).then(ia.cmp(ib)));
    let mut available = match mode {
        Mode::Enforce => store.payout_available(adviser).await?,
        Mode::Rebuild => 0,
    };
    // The verdicts the hub already gave: one query for the batch.
    let mut judged_before = match mode {
        Mode::Enforce => {
            let ids: Vec<uuid::Uuid> = requests
                .iter()
                .filter_map(|(id, _)| uuid::Uuid::parse_str(id).ok())
                .collect();
            store.judged_payout_requests(adviser, &ids).await?
        }
        Mode::Rebuild => std::collections::HashMap::new(),
    };
    for (id, request) in requests {
        let Ok(uid) = uuid::Uuid::parse_str(&id) else {
            tracing::warn!(id, "payout request with an unreadable id left out");
            continue;
        };
        if mode == Mode::Rebuild {
            if request.status() != PayoutStatus::Pending {
                batch.payout_requests.push((uid, request));
            }
            continue;
        }
        if let Some(judged) = judged_before.remove(&uid) {
            let standing = PayoutRequestRecord {
                note: request.note.clone(),
                ..judged
            };
            if standing != request {
                corrections.push(Correction {
                    fix: Fix::Payout {
                        id: id.clone(),
                        record: standing.clone(),
                    },
                    inbox: (standing.amount != request.amount).then(|| {
                        (
                            format!("payout-{id}-changed"),
                            rejection(
                                format!("{PAYOUT_REQUESTS}/{id}"),
                                "Vyřízenou žádost o výplatu nelze měnit; vytvořte prosím novou.".into(),
                                "A payout request that was already decided cannot be changed; please make a new one.".into(),
                            ),
                        )
                    }),
                });
            }
            batch.payout_requests.push((uid, standing));
            continue;
        }
        let mut verdict = request.clone();
        let entry = match judge_payout(request.amount, available) {
            Ok(()) => {
                available -= request.amount;
                verdict.status = PayoutStatus::Accepted.code().into();
                verdict.reason.clear();
                inbox(
                    "notification",
                    format!("{PAYOUT_REQUESTS}/{id}"),
                    format!(
                        "Žádost o výplatu {} byla přijata.",
                        Money::from_haler(request.amount).format(Lang::Cs)
                    ),
                    format!(
                        "The payout request of {} was accepted.",
                        Money::from_haler(request.amount).format(Lang::En)
                    ),
                )
            }
            Err(denied) => {
                verdict.status = PayoutStatus::Rejected.code().into();
                verdict.reason = denied.code().into();
                rejection(
                    format!("{PAYOUT_REQUESTS}/{id}"),
                    denied.message(Lang::Cs),
                    denied.message(Lang::En),
                )
            }
        };
        corrections.push(Correction {
            fix: Fix::Payout {
                id: id.clone(),
                record: verdict.clone(),
            },
            inbox: Some((format!("payout-{id}"), entry)),
        });
        batch.payout_requests.push((uid, verdict));
    }
    Ok(())
}
