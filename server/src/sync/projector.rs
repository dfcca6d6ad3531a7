//! The hub's authority over workspaces and their SQL projection: a thin shell
//! around `fieldcase_shared::authority::review`, the pure function that holds the
//! rules (and that the convergence property test runs too).
//!
//! The hub watches every workspace document. After each change it reads the records
//! the change touched, looks up what it accepted before (one query per kind, however
//! many records were touched), reviews them, writes the corrections (with their inbox
//! entries) into the document, and upserts what stands into the SQL tables the
//! office queries. What SQL will not take is reported to the adviser too.

use std::sync::Arc;

use automerge::ChangeHash;
use fieldcase_shared::AdviserId;
use fieldcase_shared::authority::{self, Known, Touched};
use futures::StreamExt;
use samod::DocHandle;

use crate::store::Store;

mod reports;

pub use fieldcase_shared::authority::Mode;
use reports::{now_text, report_skipped};

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
    let touched = handle.with_document(|doc| authority::read_touched(doc, &since));
    for u in &touched.unreadable {
        tracing::warn!(
            map = u.map,
            id = u.id,
            why = u.why,
            "record does not read; reported and left out of the projection"
        );
    }
    let heads = touched.heads.clone();
    let known = match mode {
        Mode::Enforce => known(store, adviser, &touched).await?,
        Mode::Rebuild => Known::default(),
    };
    let now = time::OffsetDateTime::now_utc();
    // Coupon uses are counted for orders that name a coupon or held one before.
    let enforce = mode == Mode::Enforce;
    let named = enforce && !authority::touched_coupons(&touched).is_empty();
    let held = enforce
        && known
            .accepted_pricing
            .values()
            .any(|p| !p.coupon.is_empty());
    // A second look is needed only if a coupon runs out (see below).
    let again = named.then(|| touched.clone());
    let mut verdict = authority::review(touched, &known, now, mode);
    if named || held {
        // The hub takes a use for each accepted order (one transaction per step;
        // phones syncing at once queue on the coupon's row). Orders that came after
        // the last use lose the coupon: they are reviewed again.
        let claims = authority::coupon_claims(&verdict, &known);
        let used_up = store.claim_coupons(adviser, &claims).await?;
        if let (false, Some(touched)) = (used_up.is_empty(), again) {
            let known = Known {
                coupons_used_up: used_up,
                ..known
            };
            verdict = authority::review(touched, &known, now, mode);
        }
    }
    if !verdict.corrections.is_empty() {
        let at = now_text();
        let fresh = handle
            .with_document(|doc| authority::apply(doc, &verdict.corrections, &at))
            .map_err(|e| anyhow::anyhow!("writing a correction: {e}"))?;
        tracing::info!(adviser = %adviser, corrections = verdict.corrections.len(), "workspace changes corrected by the hub");
        // A new rejection in the inbox: the adviser is pushed (as the office's
        // triggers say), so the phone syncs and shows why.
        for i in fresh {
            if let Some(authority::Report::Rejected(r)) = &verdict.corrections[i].report
                && let Err(err) = store
                    .add_adviser_event(
                        crate::care::rules::RECORD_REJECTED,
                        adviser,
                        &r.text(fieldcase_shared::Lang::Cs),
                    )
                    .await
            {
                tracing::warn!(%err, %adviser, "telling the adviser of a rejection");
            }
        }
    }
    // Same-field conflicts the hub settled: the values that did not stand go to the
    // customer's history (the adviser's inbox has them too).
    for (client, field, kept, others) in &verdict.accept.conflicts {
        let body = format!(
            "Souběžná změna pole {field}: platí „{kept}“, přepsáno: „{}“.",
            others.join("“, „")
        );
        let actor = crate::store::Actor::system("conflict");
        if let Err(err) = store
            .add_customer_note(&actor, *client, crate::store::ContactKind::Note, &body)
            .await
        {
            tracing::warn!(%err, %client, "recording a settled conflict in the history");
        }
    }
    if !verdict.accept.reminders.is_empty() {
        // What the adviser did with the office's reminders (done, snoozed).
        let tasks: Vec<_> = verdict
            .accept
            .reminders
            .iter()
            .map(|(id, planned, done)| {
                let done = time::OffsetDateTime::parse(
                    done,
                    &time::format_description::well_known::Rfc3339,
                )
                .ok();
                (*id, planned.clone(), done)
            })
            .collect();
        store.update_reminders(adviser, &tasks).await?;
    }
    if !verdict.accept.is_empty() {
        let skipped = store.project(adviser, &verdict.accept).await?;
        if mode == Mode::Enforce && !skipped.is_empty() {
            report_skipped(handle, &skipped)?;
        }
    }
    Ok(heads)
}

/// What the hub accepted before, for the records `touched` holds: one query per
/// kind (none for a kind the change did not touch).
async fn known(store: &dyn Store, adviser: AdviserId, touched: &Touched) -> anyhow::Result<Known> {
    let mut known = Known::default();
    let clients = authority::touched_clients(touched);
    if !clients.is_empty() {
        known.merged = store.merged_clients(&clients).await?;
    }
    let orders = authority::touched_orders(touched);
    if !orders.is_empty() {
        known.order_statuses = store.order_statuses(&orders).await?;
        known.accepted_pricing = store.accepted_pricing(&orders).await?;
        known.orders_after = store.orders_arrive_after(adviser).await?;
    }
    let products = authority::touched_products(touched);
    if !products.is_empty() {
        known.prices = store.price_history(&products).await?;
    }
    let customers = authority::touched_order_clients(touched);
    if !customers.is_empty() {
        known.customer_terms = store.customer_terms(&customers).await?;
        // Tiers and the products' classes matter only to customers in a tier.
        if known.customer_terms.values().any(|t| !t.tier.is_empty()) {
            known.tiers = store.discount_tiers().await?;
            known.products = store.products_by_id(&products).await?;
        }
    }
    let coupons = authority::touched_coupons(touched);
    if !coupons.is_empty() {
        known.coupons = store.coupons_by_code(&coupons).await?;
    }
    if !touched.payout_requests.is_empty() {
        let ids = authority::touched_payouts(touched);
        known.payout_available = store.payout_available(adviser).await?;
        known.judged_payouts = store.judged_payout_requests(adviser, &ids).await?;
    }
    Ok(known)
}
