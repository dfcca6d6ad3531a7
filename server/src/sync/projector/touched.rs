//! What one change of a workspace touched, read as typed records.

use automerge::{Automerge, ChangeHash};
use fieldcase_shared::docs::commission::{PAYOUT_REQUESTS, PayoutRequestRecord};
use fieldcase_shared::docs::records::{
    self, CaseMovementRecord, ClientRecord, OrderRecord, PrescriptionRecord, VisitRecord,
};

/// What the hub reads out of one change.
pub(super) struct Touched {
    pub(super) heads: Vec<ChangeHash>,
    pub(super) clients: Vec<(String, Option<ClientRecord>)>,
    pub(super) prescriptions: Vec<(String, Option<PrescriptionRecord>)>,
    pub(super) orders: Vec<(String, Option<OrderRecord>)>,
    /// Every movement of the case, when any was touched (stock needs them all).
    pub(super) case_movements: Option<Vec<(String, CaseMovementRecord)>>,
    pub(super) payout_requests: Vec<(String, PayoutRequestRecord)>,
    pub(super) visits: Vec<(String, VisitRecord)>,
    /// Records that do not read as their kind: (map, id, why). Reported, left out.
    pub(super) unreadable: Vec<(String, String, String)>,
}

pub(super) fn read_touched(doc: &Automerge, since: &[ChangeHash]) -> Touched {
    let heads = doc.get_heads();
    let mut t = Touched {
        heads: heads.clone(),
        clients: Vec::new(),
        prescriptions: Vec::new(),
        orders: Vec::new(),
        case_movements: None,
        payout_requests: Vec::new(),
        visits: Vec::new(),
        unreadable: Vec::new(),
    };
    for (map, id) in records::touched(doc, since, &heads) {
        match map.as_str() {
            records::CLIENTS => {
                if let Some(c) = read(doc, &map, &id, &mut t.unreadable) {
                    t.clients.push((id.clone(), c));
                }
            }
            records::PRESCRIPTIONS => {
                if let Some(p) = read(doc, &map, &id, &mut t.unreadable) {
                    t.prescriptions.push((id.clone(), p));
                }
            }
            records::ORDERS => {
                if let Some(o) = read(doc, &map, &id, &mut t.unreadable) {
                    t.orders.push((id.clone(), o));
                }
            }
            // Stock needs every movement; the touched one is checked for reading.
            records::CASE_MOVEMENTS
                if read::<CaseMovementRecord>(doc, &map, &id, &mut t.unreadable).is_some()
                    && t.case_movements.is_none() =>
            {
                t.case_movements = Some(records::all(doc, records::CASE_MOVEMENTS));
            }
            PAYOUT_REQUESTS => {
                if let Some(Some(p)) = read(doc, &map, &id, &mut t.unreadable) {
                    t.payout_requests.push((id.clone(), p));
                }
            }
            records::VISITS => {
                if let Some(Some(v)) = read(doc, &map, &id, &mut t.unreadable) {
                    t.visits.push((id.clone(), v));
                }
            }
            _ => {}
        }
    }
    t
}

/// One record (`Some(None)` when deleted); one that does not read as its kind is
/// noted in `unreadable`, to be reported to the adviser, and left out (it stays in
/// the document, nothing is lost).
fn read<H: autosurgeon::Hydrate>(
    doc: &Automerge,
    map: &str,
    id: &str,
    unreadable: &mut Vec<(String, String, String)>,
) -> Option<Option<H>> {
    match records::get(doc, map, id) {
        Ok(record) => Some(record),
        Err(err) => {
            tracing::warn!(%err, map, id, "record does not read; reported and left out of the projection");
            unreadable.push((map.to_owned(), id.to_owned(), err.to_string()));
            None
        }
    }
}
