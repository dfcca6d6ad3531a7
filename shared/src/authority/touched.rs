//! What one change of a workspace touched, read as typed records.

use automerge::{Automerge, ChangeHash};

use crate::docs::commission::{PAYOUT_REQUESTS, PayoutRequestRecord};
use crate::docs::records::{
    self, CaseMovementRecord, ClientRecord, OrderRecord, PrescriptionRecord, VisitRecord,
};

/// A record that does not read as its kind: reported, left out, kept in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The map it sits in.
    pub map: String,
    /// Its id.
    pub id: String,
    /// Why it does not read.
    pub why: String,
}

/// What the hub reads out of one change (`None`: the record was deleted).
#[derive(Debug, Clone, Default)]
pub struct Touched {
    /// The heads this reading covers.
    pub heads: Vec<ChangeHash>,
    /// Touched clients.
    pub clients: Vec<(String, Option<ClientRecord>)>,
    /// Touched prescriptions.
    pub prescriptions: Vec<(String, Option<PrescriptionRecord>)>,
    /// Touched orders.
    pub orders: Vec<(String, Option<OrderRecord>)>,
    /// Every movement of the case, when any was touched (stock needs them all).
    pub case_movements: Option<Vec<(String, CaseMovementRecord)>>,
    /// Touched payout requests.
    pub payout_requests: Vec<(String, PayoutRequestRecord)>,
    /// Touched visits.
    pub visits: Vec<(String, VisitRecord)>,
    /// Records that do not read as their kind.
    pub unreadable: Vec<Unreadable>,
    /// Fields of touched clients written concurrently (the same field changed by
    /// the office and on a phone offline, or on two phones): client id, field, the
    /// value that stands first, then the others.
    pub conflicts: Vec<(String, String, Vec<String>)>,
}

impl Touched {
    /// True when the change touched nothing the hub judges or projects.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
            && self.prescriptions.is_empty()
            && self.orders.is_empty()
            && self.case_movements.is_none()
            && self.payout_requests.is_empty()
            && self.visits.is_empty()
            && self.unreadable.is_empty()
    }
}

/// The records changed between `since` and the document's heads (empty `since`:
/// every record).
pub fn read_touched(doc: &Automerge, since: &[ChangeHash]) -> Touched {
    let heads = doc.get_heads();
    let mut t = Touched {
        heads: heads.clone(),
        ..Touched::default()
    };
    for (map, id) in records::touched(doc, since, &heads) {
        match map.as_str() {
            records::CLIENTS => {
                if let Some(c) = read(doc, &map, &id, &mut t.unreadable) {
                    t.conflicts.extend(
                        records::conflicts(doc, &map, &id)
                            .into_iter()
                            .map(|(field, values)| (id.clone(), field, values)),
                    );
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
/// noted in `unreadable` and left out (it stays in the document, nothing is lost).
fn read<H: autosurgeon::Hydrate>(
    doc: &Automerge,
    map: &str,
    id: &str,
    unreadable: &mut Vec<Unreadable>,
) -> Option<Option<H>> {
    match records::get(doc, map, id) {
        Ok(record) => Some(record),
        Err(err) => {
            unreadable.push(Unreadable {
                map: map.to_owned(),
                id: id.to_owned(),
                why: err.to_string(),
            });
            None
        }
    }
}
