//! Office data the hub publishes into documents: the products into the catalog and
//! each adviser's commission ledger into their workspace. SQL stays the source of
//! truth; the documents get only what differs, so republishing is cheap and a
//! device downloads nothing new when nothing changed.

use anyhow::Context;
use fieldcase_shared::docs::catalog::{self, PRODUCTS};
use fieldcase_shared::docs::commission::{
    COMMISSION, CommissionEntryRecord, CommissionKind, PAYOUT_REQUESTS, PayoutRequestRecord,
    PayoutStatus,
};
use fieldcase_shared::docs::{self, records};
use fieldcase_shared::{AdviserId, Lang, Money};
use samod::DocHandle;

use super::SyncHub;
use crate::store::Actor;

impl SyncHub {
    /// Writes every product from SQL into the catalog document where it differs;
    /// returns how many records changed. Products are never removed (old orders
    /// refer to them); a withdrawn one is `active = false`.
    pub async fn publish_catalog(&self) -> anyhow::Result<usize> {
        let products = self.store.catalog_products().await?;
        let handle = self.handle(&self.catalog).await?;
        write_differences(
            &handle,
            PRODUCTS,
            products.iter().map(|(id, p)| (id.to_string(), p)),
        )
        .map(|w| w.changed)
    }

    /// Publishes the products at the hub's start and again when the catalog in SQL
    /// changed since (a price set by the CLI while the hub runs): one meta read when
    /// nothing changed.
    pub async fn publish_catalog_if_changed(&self) -> anyhow::Result<()> {
        let version = Some(
            self.store
                .get_meta(crate::catalog::price::CATALOG_VERSION)
                .await?,
        );
        let last = || {
            self.catalog_version
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if *last() == version {
            return Ok(());
        }
        let changed = self.publish_catalog().await?;
        if changed > 0 {
            tracing::info!(products = changed, "published products into the catalog");
        }
        *last() = version;
        Ok(())
    }

    /// Writes the offers from SQL into the catalog document where they differ:
    /// every coupon, every discount tier and every customer's price terms (a
    /// customer whose terms the office removed gets empty ones). Returns how many
    /// records changed.
    pub async fn publish_offers(&self) -> anyhow::Result<usize> {
        let coupons = self.store.coupons().await?;
        let tiers = self.store.discount_tiers().await?;
        let mut terms = self.store.all_customer_terms().await?;
        let handle = self.handle(&self.catalog).await?;
        let published = handle.with_document(|doc| records::ids(doc, catalog::CUSTOMER_TERMS));
        let removed: Vec<String> = published
            .into_iter()
            .filter(|id| !terms.iter().any(|(t, _)| t == id))
            .collect();
        terms.extend(
            removed
                .into_iter()
                .map(|id| (id, catalog::CustomerTermsRecord::default())),
        );
        let mut changed = write_differences(
            &handle,
            catalog::COUPONS,
            coupons.iter().map(|(code, c)| (code.clone(), c)),
        )?
        .changed;
        changed += write_differences(
            &handle,
            catalog::DISCOUNT_TIERS,
            tiers.iter().map(|(code, t)| (code.clone(), t)),
        )?
        .changed;
        changed += write_differences(
            &handle,
            catalog::CUSTOMER_TERMS,
            terms.iter().map(|(id, t)| (id.clone(), t)),
        )?
        .changed;
        Ok(changed + self.publish_custom_fields(&handle).await?)
    }

    /// Writes the custom fields in use into the catalog document (`<entity>.<key>`)
    /// where they differ, and removes withdrawn ones (their values stay with the
    /// records). Returns how many records changed.
    async fn publish_custom_fields(&self, handle: &DocHandle) -> anyhow::Result<usize> {
        use fieldcase_shared::custom_field::CUSTOM_FIELDS;
        let fields: Vec<(String, fieldcase_shared::custom_field::FieldRecord)> = self
            .store
            .custom_fields()
            .await?
            .into_iter()
            .filter(|f| f.withdrawn_at.is_none())
            .map(|f| (format!("{}.{}", f.entity.code(), f.key), f.record()))
            .collect();
        let changed = write_differences(
            handle,
            CUSTOM_FIELDS,
            fields.iter().map(|(k, r)| (k.clone(), r)),
        )?
        .changed;
        let gone: Vec<String> = handle
            .with_document(|doc| records::ids(doc, CUSTOM_FIELDS))
            .into_iter()
            .filter(|k| !fields.iter().any(|(f, _)| f == k))
            .collect();
        if !gone.is_empty() {
            handle
                .with_document(|d| {
                    d.transact(|tx| {
                        gone.iter()
                            .try_for_each(|k| records::remove(tx, CUSTOM_FIELDS, k))
                    })
                })
                .map_err(|f| anyhow::anyhow!("removing withdrawn custom fields: {}", f.error))?;
        }
        Ok(changed + gone.len())
    }

    /// Writes the account clients pay to (the phones' QR payment codes) into the
    /// catalog document, if it differs.
    pub async fn publish_payee(&self, iban: &str, name: &str) -> anyhow::Result<()> {
        let handle = self.handle(&self.catalog).await?;
        let payee = catalog::Payee {
            iban: iban.to_owned(),
            name: name.to_owned(),
        };
        handle.with_document(|doc| {
            if catalog::payee(doc).as_ref() == Some(&payee) {
                return Ok(());
            }
            doc.transact(|tx| {
                autosurgeon::reconcile_prop(tx, automerge::ROOT, catalog::PAYEE, &payee)
            })
            .map(drop)
            .map_err(|f| anyhow::anyhow!("writing the payee: {}", f.error))
        })
    }

    /// Adds a line to an adviser's commission ledger (SQL, audited) and publishes it
    /// into their workspace. Returns the line's id.
    pub async fn add_commission_entry(
        &self,
        actor: &Actor,
        adviser: AdviserId,
        entry: &CommissionEntryRecord,
    ) -> anyhow::Result<uuid::Uuid> {
        anyhow::ensure!(
            CommissionKind::parse(&entry.kind).is_some(),
            "unknown ledger line kind {:?} (one of {})",
            entry.kind,
            CommissionKind::codes()
        );
        let id = uuid::Uuid::now_v7();
        self.store
            .add_commission_entry(actor, adviser, id, entry)
            .await?;
        self.publish_commission(adviser).await?;
        Ok(id)
    }

    /// Writes tasks the office made for an adviser (reminders) into their
    /// workspace, each under its id; a task already there is left as the adviser
    /// has it. Returns how many were written.
    pub async fn put_tasks(
        &self,
        adviser: AdviserId,
        tasks: &[(String, records::VisitRecord)],
    ) -> anyhow::Result<usize> {
        let doc = self.ensure_workspace(adviser).await?;
        let handle = self.handle(&doc).await?;
        let present = handle.with_document(|d| records::ids(d, records::VISITS));
        let new: Vec<(String, &records::VisitRecord)> = tasks
            .iter()
            .filter(|(id, _)| !present.contains(id))
            .map(|(id, t)| (id.clone(), t))
            .collect();
        Ok(write_differences(&handle, records::VISITS, new.into_iter())?.changed)
    }

    /// Writes an adviser's ledger from SQL into their workspace where it differs, with
    /// an inbox note for each new accrual; returns how many lines changed.
    pub async fn publish_commission(&self, adviser: AdviserId) -> anyhow::Result<usize> {
        let entries = self.store.commission_entries(adviser).await?;
        let doc = self.ensure_workspace(adviser).await?;
        let handle = self.handle(&doc).await?;
        let written = write_differences(
            &handle,
            COMMISSION,
            entries.iter().map(|(id, e)| (id.to_string(), e)),
        )?;
        let notes: Vec<(String, records::InboxRecord)> = written
            .new
            .iter()
            .filter(|(_, e)| e.kind == CommissionKind::Accrual.code())
            .map(|(id, e)| {
                (
                    format!("commission-{id}"),
                    records::InboxRecord {
                        at: e.at.clone(),
                        kind: "notification".into(),
                        about: format!("{COMMISSION}/{id}"),
                        text_cs: format!(
                            "Připsána provize {}.",
                            Money::from_haler(e.amount).format(Lang::Cs)
                        ),
                        text_en: format!(
                            "Commission of {} credited.",
                            Money::from_haler(e.amount).format(Lang::En)
                        ),
                        read: false,
                    },
                )
            })
            .collect();
        write_differences(
            &handle,
            records::INBOX,
            notes.iter().map(|(id, n)| (id.clone(), n)),
        )?;
        // Requests paid out, or rejected in the office or by the bank, show so on
        // the phone.
        let accepted: Vec<(String, PayoutRequestRecord)> = handle.with_document(|doc| {
            records::all::<PayoutRequestRecord, _>(doc, PAYOUT_REQUESTS)
                .into_iter()
                .filter(|(_, r)| r.status() == PayoutStatus::Accepted)
                .collect()
        });
        // What SQL says of them: one query, not one per request.
        let ids: Vec<uuid::Uuid> = accepted
            .iter()
            .filter_map(|(id, _)| uuid::Uuid::parse_str(id).ok())
            .collect();
        let judged = self.store.judged_payout_requests(adviser, &ids).await?;
        let paid: Vec<(String, PayoutRequestRecord)> = accepted
            .into_iter()
            .filter_map(|(id, mut request)| {
                let j = uuid::Uuid::parse_str(&id)
                    .ok()
                    .and_then(|u| judged.get(&u))?;
                matches!(j.status(), PayoutStatus::Paid | PayoutStatus::Rejected).then(|| {
                    request.status = j.status.clone();
                    request.reason = j.reason.clone();
                    (id, request)
                })
            })
            .collect();
        let paid_written = write_differences(
            &handle,
            PAYOUT_REQUESTS,
            paid.iter().map(|(id, r)| (id.clone(), r)),
        )?;
        Ok(written.changed + paid_written.changed)
    }

    /// Writes what the office knows of `order` (status timeline, carrier and
    /// tracking link, public page, complaints) into its adviser's workspace,
    /// where it differs.
    pub async fn publish_order_info(&self, order: fieldcase_shared::OrderId) -> anyhow::Result<()> {
        use fieldcase_shared::docs::order_info::{
            ComplaintInfoRecord, ORDER_INFO, OrderInfoRecord, StepRecord,
        };
        // Its status or payment changed: what it earns may have too.
        self.commission_due.notify_one();
        let Some(adviser) = self.store.order_adviser(order).await? else {
            return Ok(());
        };
        // Read as the adviser may: no private notes (none are published anyway).
        let Some(card) = self
            .store
            .order_card(order, fieldcase_shared::Role::Adviser)
            .await?
        else {
            return Ok(());
        };
        let complaints = self
            .store
            .complaints(
                crate::complaints::store::ComplaintFilter {
                    open_only: false,
                    order: Some(order),
                },
                50,
            )
            .await?;
        let config = self.config();
        let record = OrderInfoRecord {
            carrier: card
                .delivery
                .carrier
                .map(|c| c.code().to_owned())
                .unwrap_or_default(),
            tracking: card.delivery.number.clone(),
            tracking_url: card
                .delivery
                .carrier
                .map(|c| config.tracking_url(c, &card.delivery.number))
                .unwrap_or_default(),
            public_url: card
                .link
                .as_ref()
                .map(|t| format!("{}/o/{t}", config.public_url()))
                .unwrap_or_default(),
            settled: card.settled.haler(),
            timeline: card
                .status_steps()
                .into_iter()
                .map(|(at, status)| StepRecord {
                    at: crate::store::sql::rfc3339(at),
                    status: status.code().to_owned(),
                })
                .collect(),
            complaints: complaints
                .into_iter()
                .map(|c| ComplaintInfoRecord {
                    number: c.number,
                    opened_at: crate::store::sql::rfc3339(c.opened_at),
                    deadline_at: crate::store::sql::rfc3339(c.deadline_at),
                    reason: c.reason,
                    decision: c.decision.unwrap_or_default(),
                    decision_reason: c.decision_reason,
                })
                .collect(),
        };
        let doc = self.ensure_workspace(adviser).await?;
        let handle = self.handle(&doc).await?;
        write_differences(
            &handle,
            ORDER_INFO,
            std::iter::once((order.to_string(), &record)),
        )?;
        Ok(())
    }

    pub(super) async fn handle(&self, doc: &samod::DocumentId) -> anyhow::Result<DocHandle> {
        self.repo
            .find(doc.clone())
            .await
            .map_err(|_| anyhow::anyhow!("the sync repo has stopped"))?
            .with_context(|| format!("document {doc} missing from storage"))
    }
}

/// What [`write_differences`] wrote.
struct Written<'a, R> {
    /// Records written (new or changed).
    changed: usize,
    /// The ones that were not in the document before.
    new: Vec<(String, &'a R)>,
}

/// Puts each record whose stored form differs, in one change.
fn write_differences<'a, R>(
    handle: &DocHandle,
    map: &str,
    wanted: impl Iterator<Item = (String, &'a R)>,
) -> anyhow::Result<Written<'a, R>>
where
    R: autosurgeon::Reconcile + autosurgeon::Hydrate + PartialEq + 'a,
{
    handle.with_document(|doc| {
        let mut changed: Vec<(String, &R)> = Vec::new();
        let mut new = Vec::new();
        for (id, record) in wanted {
            match records::get::<R>(doc, map, &id).ok().flatten() {
                Some(stored) if stored == *record => {}
                Some(_) => changed.push((id, record)),
                None => {
                    new.push((id.clone(), record));
                    changed.push((id, record));
                }
            }
        }
        if !changed.is_empty() {
            doc.transact::<_, _, docs::DocError>(|tx| {
                for (id, record) in &changed {
                    records::put(tx, map, id, *record)?;
                }
                Ok(())
            })
            .map_err(|f| anyhow::anyhow!("publishing into {map}: {}", f.error))?;
        }
        Ok(Written {
            changed: changed.len(),
            new,
        })
    })
}
