//! Reading and writing records in a document: one record at `root.<map>.<id>`, all
//! of a map, and which records a change touched.

use std::collections::BTreeSet;

use automerge::{ChangeHash, ObjType, Prop, ROOT, ReadDoc, Value, patches::PatchAction};
use autosurgeon::{Doc, Hydrate, Reconcile, hydrate_prop, reconcile_prop};

use super::{CLIENTS, ClientRecord, ORDERS, OrderRecord, PRESCRIPTIONS, PrescriptionRecord};
use crate::docs::DocError;

fn hydrate_err(e: autosurgeon::HydrateError) -> DocError {
    DocError::Automerge(format!("hydrate: {e}"))
}

/// Reads `root.<map>.<id>`, if present.
pub fn get<H: Hydrate>(
    doc: &impl autosurgeon::ReadDoc,
    map: &str,
    id: &str,
) -> Result<Option<H>, DocError> {
    let Some((Value::Object(ObjType::Map), obj)) = doc.get(&ROOT, map)? else {
        return Ok(None);
    };
    if doc.get(&obj, id)?.is_none() {
        return Ok(None);
    }
    hydrate_prop(doc, &obj, id).map(Some).map_err(hydrate_err)
}

/// Writes `root.<map>.<id>` (creating the map if an old document lacks it). Only the
/// fields that differ are written, so concurrent edits to other fields survive.
pub fn put<R: Reconcile>(
    doc: &mut impl Doc,
    map: &str,
    id: &str,
    record: &R,
) -> Result<(), DocError> {
    let obj = match doc.get(&ROOT, map)? {
        Some((Value::Object(ObjType::Map), obj)) => obj,
        _ => doc.put_object(&ROOT, map, ObjType::Map)?,
    };
    reconcile_prop(doc, obj, id, record).map_err(|e| DocError::Automerge(format!("reconcile: {e}")))
}

/// Ids of every record in `root.<map>`.
pub fn ids(doc: &impl ReadDoc, map: &str) -> Vec<String> {
    match doc.get(ROOT, map) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => doc.keys(obj).collect(),
        _ => Vec::new(),
    }
}

/// Every record in `root.<map>` that reads as `H`, with its id (ids order).
pub fn all<H: Hydrate, D: ReadDoc + autosurgeon::ReadDoc>(doc: &D, map: &str) -> Vec<(String, H)> {
    ids(doc, map)
        .into_iter()
        .filter_map(|id| {
            let record = get(doc, map, &id).ok().flatten()?;
            Some((id, record))
        })
        .collect()
}

/// The records touched between two sets of heads: `(map, id)` pairs, found from the
/// patches, so a projection only re-reads what changed.
pub fn touched(
    doc: &automerge::Automerge,
    before: &[ChangeHash],
    after: &[ChangeHash],
) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for patch in doc.diff(before, after) {
        let mut path = patch.path.iter().map(|(_, prop)| prop);
        match (path.next(), path.next()) {
            // An edit inside a record: root.<map>.<id>.…
            (Some(Prop::Map(map)), Some(Prop::Map(id))) => {
                out.insert((map.clone(), id.clone()));
            }
            // A record put into or deleted from a map: the key is the id.
            (Some(Prop::Map(map)), None) => match &patch.action {
                PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => {
                    out.insert((map.clone(), key.clone()));
                }
                _ => {}
            },
            _ => {}
        }
    }
    out
}

/// Puts many records of the three main maps in one go (a new workspace starting
/// with the office's records).
pub fn put_many(
    doc: &mut impl Doc,
    clients: &[(String, ClientRecord)],
    prescriptions: &[(String, PrescriptionRecord)],
    orders: &[(String, OrderRecord)],
) -> Result<(), DocError> {
    for (id, c) in clients {
        put(doc, CLIENTS, id, c)?;
    }
    for (id, p) in prescriptions {
        put(doc, PRESCRIPTIONS, id, p)?;
    }
    for (id, o) in orders {
        put(doc, ORDERS, id, o)?;
    }
    Ok(())
}

/// The fields of `root.<map>.<id>` written concurrently by two devices (or a device
/// and the hub) and not written since: each with its values as text, the one every
/// reader sees first (Automerge's deterministic winner), then the others.
pub fn conflicts(doc: &impl ReadDoc, map: &str, id: &str) -> Vec<(String, Vec<String>)> {
    let Ok(Some((Value::Object(ObjType::Map), maps))) = doc.get(&ROOT, map) else {
        return Vec::new();
    };
    let Ok(Some((Value::Object(ObjType::Map), record))) = doc.get(&maps, id) else {
        return Vec::new();
    };
    let text = |value: &Value<'_>, at: &automerge::ObjId| match value {
        Value::Scalar(s) => match s.as_ref() {
            automerge::ScalarValue::Str(t) => t.to_string(),
            other => other.to_string(),
        },
        Value::Object(ObjType::Text) => doc.text(at).unwrap_or_default(),
        Value::Object(_) => String::new(),
    };
    let mut out = Vec::new();
    for field in doc.keys(&record) {
        let Ok(all) = doc.get_all(&record, field.as_str()) else {
            continue;
        };
        if all.len() < 2 {
            continue;
        }
        let winner = doc.get(&record, field.as_str()).ok().flatten();
        let mut values: Vec<String> = Vec::with_capacity(all.len());
        if let Some((v, at)) = &winner {
            values.push(text(v, at));
        }
        for (v, at) in &all {
            if winner.as_ref().is_some_and(|(_, w)| w == at) {
                continue;
            }
            values.push(text(v, at));
        }
        out.push((field, values));
    }
    out
}

/// Writes `value` into `field` of `root.<map>.<id>` even if it reads so already: a
/// concurrent write of the field (a conflict) is settled on every device.
pub fn settle(
    tx: &mut impl automerge::transaction::Transactable,
    map: &str,
    id: &str,
    field: &str,
    value: &str,
) -> Result<(), DocError> {
    let Some((Value::Object(ObjType::Map), maps)) = tx.get(&ROOT, map)? else {
        return Ok(());
    };
    let Some((Value::Object(ObjType::Map), record)) = tx.get(&maps, id)? else {
        return Ok(());
    };
    tx.put(&record, field, value)?;
    Ok(())
}

/// Removes `root.<map>.<id>` (nothing when it is not there).
pub fn remove(
    tx: &mut impl automerge::transaction::Transactable,
    map: &str,
    id: &str,
) -> Result<(), DocError> {
    if let Some((Value::Object(ObjType::Map), maps)) = tx.get(&ROOT, map)?
        && tx.get(&maps, id)?.is_some()
    {
        tx.delete(&maps, id)?;
    }
    Ok(())
}
