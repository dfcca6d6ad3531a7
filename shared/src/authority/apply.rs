//! Writing the hub's corrections into a workspace document.

use automerge::Automerge;

use crate::customer::merge::set_fields;
use crate::docs::DocError;
use crate::docs::commission::PAYOUT_REQUESTS;
use crate::docs::records::{self, CaseMovementRecord, ClientRecord, InboxRecord, OrderRecord};

use super::{Correction, Fix};

/// Writes `corrections` into the document in one change, their inbox entries
/// stamped `at` (one entry per distinct problem, however often it recurs); the
/// positions of the corrections whose inbox entry is new.
pub fn apply(
    doc: &mut Automerge,
    corrections: &[Correction],
    at: &str,
) -> Result<Vec<usize>, DocError> {
    if corrections.is_empty() {
        return Ok(Vec::new());
    }
    doc.transact::<_, _, DocError>(|tx| {
        let mut fresh = Vec::new();
        for (i, c) in corrections.iter().enumerate() {
            match &c.fix {
                Fix::Nothing => {}
                Fix::Resolve {
                    client,
                    field,
                    value,
                } => records::settle(tx, records::CLIENTS, client, field, value)?,
                Fix::OrderStatus { order, status } => {
                    if let Some(mut rec) = records::get::<OrderRecord>(tx, records::ORDERS, order)?
                    {
                        rec.status = status.code().to_owned();
                        records::put(tx, records::ORDERS, order, &rec)?;
                    }
                }
                Fix::OrderPricing {
                    order,
                    lines,
                    coupon,
                    coupon_discount,
                } => {
                    if let Some(mut rec) = records::get::<OrderRecord>(tx, records::ORDERS, order)?
                    {
                        rec.lines.clone_from(lines);
                        rec.coupon.clone_from(coupon);
                        rec.coupon_discount = *coupon_discount;
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
                Fix::Payout { id, record } => records::put(tx, PAYOUT_REQUESTS, id, record)?,
                Fix::MergedClient {
                    merged,
                    frozen,
                    survivor,
                    fields,
                } => {
                    records::put(tx, records::CLIENTS, merged, frozen)?;
                    if let Some(mut rec) =
                        records::get::<ClientRecord>(tx, records::CLIENTS, survivor)?
                    {
                        set_fields(&mut rec, fields);
                        records::put(tx, records::CLIENTS, survivor, &rec)?;
                    }
                }
                Fix::OrderClient { order, client } => {
                    if let Some(mut rec) = records::get::<OrderRecord>(tx, records::ORDERS, order)?
                    {
                        rec.client.clone_from(client);
                        records::put(tx, records::ORDERS, order, &rec)?;
                    }
                }
                Fix::Prescription { id, record } => {
                    records::put(tx, records::PRESCRIPTIONS, id, record)?;
                }
            }
            if let Some(report) = &c.report {
                let inbox_id = report.inbox_id();
                if records::get::<InboxRecord>(tx, records::INBOX, &inbox_id)?.is_none() {
                    records::put(tx, records::INBOX, &inbox_id, &report.to_inbox(at))?;
                    fresh.push(i);
                }
            }
        }
        Ok(fresh)
    })
    .map(|done| done.result)
    .map_err(|f| f.error)
}
