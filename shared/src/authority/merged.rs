//! What arrives for a client the office merged into another (`crate::customer::merge`):
//! an edit made offline to the merged client is written onto the survivor (and the
//! merged record frozen again); an order or a prescription naming the merged client
//! is re-pointed at the survivor. Each is reported in the adviser's inbox.

use crate::ClientId;
use crate::customer::merge::{Redirect, edited_fields};
use crate::docs::records::{ClientRecord, OrderRecord, PrescriptionRecord};

use super::{Correction, Fix, Known, Report, Touched, Verdict};

/// The clients a change names: the touched clients and the clients of its touched
/// orders and prescriptions (for the [`Known::merged`] lookup).
pub fn touched_clients(touched: &Touched) -> Vec<ClientId> {
    let mut ids: Vec<ClientId> = touched
        .clients
        .iter()
        .filter_map(|(id, _)| id.parse().ok())
        .chain(
            touched
                .orders
                .iter()
                .filter_map(|(_, o)| o.as_ref()?.client.parse().ok()),
        )
        .chain(
            touched
                .prescriptions
                .iter()
                .filter_map(|(_, p)| p.as_ref()?.client.parse().ok()),
        )
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A touched client the office merged: its edits (fields that differ from the
/// frozen record) go to the survivor. True when the client was merged (it is not
/// projected: SQL keeps it frozen).
pub(super) fn client(
    id: &str,
    cid: ClientId,
    now: &ClientRecord,
    known: &Known,
    v: &mut Verdict,
) -> bool {
    let Some(redirect) = known.merged.get(&cid) else {
        return false;
    };
    let fields = edited_fields(&redirect.frozen, now);
    let into = redirect.into.to_string();
    if fields.is_empty() && now.merged_into == into {
        return true;
    }
    let report = (!fields.is_empty()).then(|| Report::MergedEdit {
        client: id.to_owned(),
        survivor: into.clone(),
        fields: fields.iter().map(|(name, _)| *name).collect(),
    });
    let mut frozen = redirect.frozen.clone();
    frozen.merged_into = into.clone();
    v.corrections.push(Correction {
        fix: Fix::MergedClient {
            merged: id.to_owned(),
            frozen: Box::new(frozen),
            survivor: into,
            fields,
        },
        report,
    });
    true
}

/// Where `client` (an id as text) was merged, if it was.
fn redirect<'a>(client: &str, known: &'a Known) -> Option<&'a Redirect> {
    known.merged.get(&client.parse::<ClientId>().ok()?)
}

/// An order naming a merged client names its survivor.
pub(super) fn order(id: &str, order: &mut OrderRecord, known: &Known, v: &mut Verdict) {
    let Some(redirect) = redirect(&order.client, known) else {
        return;
    };
    let into = redirect.into.to_string();
    v.corrections.push(Correction {
        fix: Fix::OrderClient {
            order: id.to_owned(),
            client: into.clone(),
        },
        report: Some(Report::MovedToSurvivor {
            map: crate::docs::records::ORDERS,
            id: id.to_owned(),
            merged: std::mem::replace(&mut order.client, into.clone()),
            survivor: into,
        }),
    });
}

/// A prescription naming a merged client names its survivor.
pub(super) fn prescription(id: &str, rx: &mut PrescriptionRecord, known: &Known, v: &mut Verdict) {
    let Some(redirect) = redirect(&rx.client, known) else {
        return;
    };
    let merged = rx.client.clone();
    crate::customer::merge::repoint_prescription(rx, redirect.into);
    v.corrections.push(Correction {
        fix: Fix::Prescription {
            id: id.to_owned(),
            record: rx.clone(),
        },
        report: Some(Report::MovedToSurvivor {
            map: crate::docs::records::PRESCRIPTIONS,
            id: id.to_owned(),
            merged,
            survivor: redirect.into.to_string(),
        }),
    });
}
