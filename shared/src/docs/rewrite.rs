//! A workspace rewritten without its history, for a GDPR erasure (issue 12, point
//! 7). An Automerge document keeps every value it ever held; removing a person
//! from its current state leaves their name in its history. So the hub makes a new
//! document holding only the current state, with the erased customers' personal
//! data left out ([`without_history`]); the old document is deleted from the hub,
//! and each phone, told its workspace moved, carries over what it changed offline
//! since the hub last confirmed it ([`port`]), except edits of erased customers,
//! then deletes its old copy. Why this design: docs/decisions.md, "GDPR erasure".

use std::collections::BTreeSet;

use automerge::hydrate::{Map, Value as Hydrated};
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value};

use super::DocError;
use super::records::{self, ClientRecord};

/// The root map of a rewritten workspace naming its erased customers (id → when),
/// so a phone carrying offline edits over skips theirs.
pub const ERASED: &str = "erased";

/// The name an erased customer keeps: the record stays (orders point to it), the
/// person does not.
pub const ERASED_NAME: &str = "(vymazáno / erased)";

/// The record maps a phone writes and [`port`] carries over (the hub-owned
/// `commission` is the hub's to publish again).
const PORTED: [&str; 7] = [
    records::CLIENTS,
    records::PRESCRIPTIONS,
    records::ORDERS,
    records::VISITS,
    records::CASE_MOVEMENTS,
    "payout_requests",
    records::INBOX,
];

/// The text of a hydrated scalar string or text object.
fn text(value: Option<&Hydrated>) -> Option<String> {
    match value? {
        Hydrated::Scalar(ScalarValue::Str(s)) => Some(s.to_string()),
        Hydrated::Text(t) => Some(t.to_string()),
        _ => None,
    }
}

fn map_mut<'a>(root: &'a mut Map, key: &str) -> Option<&'a mut Map> {
    match root.get_mut(key)? {
        Hydrated::Map(m) => Some(m),
        _ => None,
    }
}

/// A record's field as text (`""` when absent or not text).
fn field(record: &Hydrated, name: &str) -> String {
    match record {
        Hydrated::Map(m) => text(m.get(name)).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The anonymised record an erased customer keeps: no name, contacts, address or
/// note; when they were created and whom they were merged into stay.
pub fn erased_record(was: &ClientRecord) -> ClientRecord {
    ClientRecord {
        last_name: ERASED_NAME.into(),
        created_at: was.created_at.clone(),
        merged_into: was.merged_into.clone(),
        ..ClientRecord::default()
    }
}

/// What identifies a person in free text (an inbox entry naming them): their full
/// name both ways, phone and e-mail, each at least five characters long.
fn identifying(client: &Hydrated) -> Vec<String> {
    let (first, last) = (field(client, "first_name"), field(client, "last_name"));
    let mut out = vec![
        format!("{first} {last}"),
        format!("{last} {first}"),
        field(client, "phone"),
        field(client, "email"),
    ];
    out.retain(|t| t.trim().chars().count() >= 5);
    out.iter_mut().for_each(|t| *t = t.trim().to_lowercase());
    out
}

/// A new document with `doc`'s current state and no history, the customers
/// `erased` (ids) anonymised ([`erased_record`]): their prescriptions and visits
/// left out, the notes and custom fields of their orders emptied, inbox entries about them or naming
/// them left out; [`ERASED`] lists them (with `at`, RFC 3339), with any listed
/// before. Everything else is copied as it is now.
pub fn without_history(
    doc: &Automerge,
    erased: &BTreeSet<String>,
    at: &str,
) -> Result<Automerge, DocError> {
    let Hydrated::Map(mut root) = doc.hydrate(None) else {
        return Err(DocError::NotOurs("the root is not a map".into()));
    };
    let mut kept: Vec<(String, ClientRecord)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    if let Some(clients) = map_mut(&mut root, records::CLIENTS) {
        for id in erased {
            if let Some(client) = clients.remove(id) {
                names.extend(identifying(&client.value));
                let was = ClientRecord {
                    created_at: field(&client.value, "created_at"),
                    merged_into: field(&client.value, "merged_into"),
                    ..ClientRecord::default()
                };
                kept.push((id.clone(), erased_record(&was)));
            }
        }
    }
    let of_erased = |r: &Hydrated| erased.contains(&field(r, "client"));
    for map in [records::PRESCRIPTIONS, records::VISITS] {
        if let Some(m) = map_mut(&mut root, map) {
            m.retain(|_, r| !of_erased(&r.value));
        }
    }
    if let Some(orders) = map_mut(&mut root, records::ORDERS) {
        for order in orders.values_mut() {
            if of_erased(&order.value)
                && let Hydrated::Map(o) = &mut order.value
            {
                o.remove("note");
                o.remove("custom");
            }
        }
    }
    if let Some(inbox) = map_mut(&mut root, records::INBOX) {
        inbox.retain(|_, entry| {
            let about = field(&entry.value, "about");
            let about_erased = about
                .strip_prefix("clients/")
                .is_some_and(|id| erased.contains(id));
            let words = format!(
                "{} {}",
                field(&entry.value, "text_cs"),
                field(&entry.value, "text_en")
            )
            .to_lowercase();
            !about_erased && !names.iter().any(|n| words.contains(n.as_str()))
        });
    }
    let mut listed: BTreeSet<(String, String)> = BTreeSet::new();
    if let Some(before) = map_mut(&mut root, ERASED) {
        for (id, when) in before.iter() {
            listed.insert((id.clone(), text(Some(&when.value)).unwrap_or_default()));
        }
        before.clear();
    }
    let mut out = Automerge::new();
    out.init_from_hydrate(&root)?;
    out.transact::<_, _, DocError>(|tx| {
        for (id, record) in &kept {
            records::put(tx, records::CLIENTS, id, record)?;
        }
        let list = match tx.get(ROOT, ERASED)? {
            Some((Value::Object(ObjType::Map), obj)) => obj,
            _ => tx.put_object(ROOT, ERASED, ObjType::Map)?,
        };
        for (id, when) in &listed {
            tx.put(&list, id, when.as_str())?;
        }
        for id in erased {
            if !listed.iter().any(|(l, _)| l == id) {
                tx.put(&list, id, at)?;
            }
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(out)
}

/// The customers a workspace lists as erased.
pub fn erased_ids(doc: &impl ReadDoc) -> BTreeSet<String> {
    match doc.get(ROOT, ERASED) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => doc.keys(obj).collect(),
        _ => BTreeSet::new(),
    }
}

/// What [`port`] carries: a whole record, or one field of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Edit {
    Record(String, String),
    Field(String, String, String),
}

/// The edits made in `old` after `base`: records put or deleted, fields of records
/// put or changed (found from automerge's diff).
fn edits(old: &Automerge, base: &[ChangeHash]) -> BTreeSet<Edit> {
    let mut out = BTreeSet::new();
    for patch in old.diff(base, &old.get_heads()) {
        let path: Vec<&Prop> = patch.path.iter().map(|(_, p)| p).collect();
        let key = match &patch.action {
            automerge::PatchAction::PutMap { key, .. }
            | automerge::PatchAction::DeleteMap { key } => Some(key.clone()),
            _ => None,
        };
        match (path.first(), path.get(1), path.get(2)) {
            (Some(Prop::Map(map)), Some(Prop::Map(id)), Some(Prop::Map(f))) => {
                out.insert(Edit::Field(map.clone(), id.clone(), f.clone()));
            }
            (Some(Prop::Map(map)), Some(Prop::Map(id)), None) => {
                if let Some(f) = key {
                    out.insert(Edit::Field(map.clone(), id.clone(), f));
                }
            }
            (Some(Prop::Map(map)), None, None) => {
                if let Some(id) = key {
                    out.insert(Edit::Record(map.clone(), id));
                }
            }
            _ => {}
        }
    }
    // A record made or deleted whole carries all its fields.
    let whole: BTreeSet<(String, String)> = out
        .iter()
        .filter_map(|e| match e {
            Edit::Record(m, i) => Some((m.clone(), i.clone())),
            Edit::Field(..) => None,
        })
        .collect();
    out.retain(|e| match e {
        Edit::Record(m, _) => PORTED.contains(&m.as_str()),
        Edit::Field(m, i, _) => {
            PORTED.contains(&m.as_str()) && !whole.contains(&(m.clone(), i.clone()))
        }
    });
    out
}

/// Carries what `old` changed after `base` (the heads the hub confirmed) into
/// `into` (the rewritten workspace), in one change: a record created or deleted
/// whole, a field of a record `into` still holds set to its value in `old` (or
/// removed). Skipped: anything of a customer `into` lists as erased (the client,
/// their prescriptions and visits), and fields of records `into` no longer holds
/// (moved away). Returns how many edits were carried.
pub fn port(old: &Automerge, base: &[ChangeHash], into: &mut Automerge) -> Result<usize, DocError> {
    let edits = edits(old, base);
    if edits.is_empty() {
        return Ok(0);
    }
    let Hydrated::Map(now) = old.hydrate(None) else {
        return Err(DocError::NotOurs("the root is not a map".into()));
    };
    let erased = erased_ids(into);
    let record = |map: &str, id: &str| match now.get(map) {
        Some(Hydrated::Map(m)) => m.get(id).cloned(),
        _ => None,
    };
    let of_erased = |map: &str, id: &str| {
        (map == records::CLIENTS && erased.contains(id))
            || ([records::PRESCRIPTIONS, records::VISITS].contains(&map)
                && record(map, id).is_some_and(|r| erased.contains(&field(&r, "client"))))
    };
    let mut carried = 0;
    into.transact::<_, _, DocError>(|tx| {
        for edit in &edits {
            let (map, id) = match edit {
                Edit::Record(m, i) | Edit::Field(m, i, _) => (m.as_str(), i.as_str()),
            };
            if of_erased(map, id) {
                continue;
            }
            let map_obj = match tx.get(ROOT, map)? {
                Some((Value::Object(ObjType::Map), obj)) => obj,
                _ => tx.put_object(ROOT, map, ObjType::Map)?,
            };
            match edit {
                Edit::Record(..) => match record(map, id) {
                    Some(value) => {
                        tx.batch_create_object(&map_obj, id, &value, false)?;
                    }
                    None => tx.delete(&map_obj, id)?,
                },
                Edit::Field(_, _, f) => {
                    let Some((Value::Object(ObjType::Map), rec_obj)) = tx.get(&map_obj, id)? else {
                        continue;
                    };
                    let value = match record(map, id) {
                        Some(Hydrated::Map(r)) => r.get(f).cloned(),
                        _ => None,
                    };
                    match value {
                        Some(Hydrated::Scalar(s)) => tx.put(&rec_obj, f.as_str(), s)?,
                        Some(v) => {
                            tx.batch_create_object(&rec_obj, f.as_str(), &v, false)?;
                        }
                        None => tx.delete(&rec_obj, f.as_str())?,
                    }
                }
            }
            carried += 1;
        }
        Ok(())
    })
    .map_err(|f| f.error)?;
    Ok(carried)
}

#[cfg(test)]
mod tests;
