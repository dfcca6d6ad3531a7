//! Merging two records of one person inside an adviser's workspace, and what the hub
//! does with what arrives for a merged client afterwards. The office picks the
//! survivor; the merged-away client is kept, frozen as it was merged, with
//! `merged_into` naming the survivor (so the phone shows where it went and every
//! reference still resolves). The survivor takes the fields it lacks, and every
//! order and prescription of the merged-away client now names the survivor.
//!
//! A phone that was offline during the merge may still edit the merged-away client
//! or take an order for it. When that change arrives the hub moves it to the
//! survivor (`crate::authority` with [`Redirect`]s): the edited fields are written
//! onto the survivor and the merged record is frozen again; an order or a
//! prescription is re-pointed at the survivor. The adviser's inbox says so.

use std::collections::HashMap;

use automerge::transaction::Transaction;

use crate::ClientId;
use crate::customer::{CLIENT_FIELDS, field, field_mut};
use crate::docs::DocError;
use crate::docs::records::{self, ClientRecord, OrderRecord, PrescriptionRecord};

/// A merged client as the hub accepted its merge: whom it was merged into and the
/// record as it was frozen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The survivor.
    pub into: ClientId,
    /// The merged record as frozen at the merge (`merged_into` set).
    pub frozen: ClientRecord,
}

/// Merged clients by id (what the hub looks up for a change's clients).
pub type Redirects = HashMap<ClientId, Redirect>;

/// Copies onto `survivor` the fields it lacks and `merged` has (custom fields key by
/// key); a note the survivor has is kept and the merged one's appended (unless it
/// holds it already). Returns the fields written.
pub fn fill_from(survivor: &mut ClientRecord, merged: &ClientRecord) -> Vec<&'static str> {
    let mut filled = Vec::new();
    for name in CLIENT_FIELDS {
        let from = field(merged, name).cloned().unwrap_or_default();
        let Some(to) = field_mut(survivor, name) else {
            continue;
        };
        if from.trim().is_empty() || to.contains(from.as_str()) {
            continue;
        }
        if to.trim().is_empty() {
            *to = from;
        } else if name == "note" {
            *to = format!("{to}\n{from}");
        } else {
            continue;
        }
        filled.push(name);
    }
    // Custom fields the survivor has no value for (reported together as `custom`).
    let mut custom = false;
    for (key, value) in &merged.custom {
        let lacks = survivor.custom.get(key).is_none_or(|v| v.trim().is_empty());
        if lacks && !value.trim().is_empty() {
            survivor.custom.insert(key.clone(), value.clone());
            custom = true;
        }
    }
    if custom {
        filled.push("custom");
    }
    filled
}

/// The fields of `now` that differ from `frozen` (an edit made to a merged client).
pub fn edited_fields(frozen: &ClientRecord, now: &ClientRecord) -> Vec<(&'static str, String)> {
    CLIENT_FIELDS
        .iter()
        .filter(|name| field(frozen, name) != field(now, name))
        .map(|name| (*name, field(now, name).cloned().unwrap_or_default()))
        .collect()
}

/// Writes `fields` onto `record`.
pub fn set_fields(record: &mut ClientRecord, fields: &[(&'static str, String)]) {
    for (name, value) in fields {
        if let Some(to) = field_mut(record, name) {
            value.clone_into(to);
        }
    }
}

/// What a merge changed in a workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// The survivor as it now stands.
    pub survivor: ClientRecord,
    /// The fields the survivor took from the merged client.
    pub filled: Vec<&'static str>,
    /// The orders moved to the survivor (ids).
    pub orders: Vec<String>,
    /// The prescriptions moved to the survivor (ids).
    pub prescriptions: Vec<String>,
}

/// Merges `merged` into `survivor` inside a workspace transaction: the merged
/// record is written as `frozen` with `merged_into`, the survivor takes what it
/// lacks from the merged record as the document holds it now (written first as
/// `survivor_if_absent` when the workspace does not hold it: an office customer
/// joining the adviser's client), and orders and prescriptions are re-pointed.
/// `None` when the workspace does not hold the merged client.
pub fn merge_in(
    tx: &mut Transaction<'_>,
    merged: ClientId,
    survivor: ClientId,
    frozen: &ClientRecord,
    survivor_if_absent: &ClientRecord,
) -> Result<Option<Merged>, DocError> {
    let (m, s) = (merged.to_string(), survivor.to_string());
    let Some(current) = records::get::<ClientRecord>(tx, records::CLIENTS, &m)? else {
        return Ok(None);
    };
    let mut out = Merged {
        survivor: records::get::<ClientRecord>(tx, records::CLIENTS, &s)?
            .unwrap_or_else(|| survivor_if_absent.clone()),
        ..Merged::default()
    };
    out.filled = fill_from(&mut out.survivor, &current);
    // Whatever the document holds of the merged client beyond the frozen record (an
    // edit synced in meanwhile) lands on the survivor too.
    set_fields(&mut out.survivor, &edited_fields(frozen, &current));
    records::put(tx, records::CLIENTS, &s, &out.survivor)?;
    let mut frozen = frozen.clone();
    frozen.merged_into = s.clone();
    records::put(tx, records::CLIENTS, &m, &frozen)?;
    for id in records::ids(tx, records::ORDERS) {
        if let Some(mut order) = records::get::<OrderRecord>(tx, records::ORDERS, &id)?
            && order.client == m
        {
            order.client.clone_from(&s);
            records::put(tx, records::ORDERS, &id, &order)?;
            out.orders.push(id);
        }
    }
    for id in records::ids(tx, records::PRESCRIPTIONS) {
        if let Some(mut rx) = records::get::<PrescriptionRecord>(tx, records::PRESCRIPTIONS, &id)?
            && rx.client == m
        {
            repoint_prescription(&mut rx, survivor);
            records::put(tx, records::PRESCRIPTIONS, &id, &rx)?;
            out.prescriptions.push(id);
        }
    }
    Ok(Some(out))
}

/// Points a prescription record (its client and the client inside its body) at
/// `client`; a body that does not read as JSON keeps its text.
pub fn repoint_prescription(rx: &mut PrescriptionRecord, client: ClientId) {
    rx.client = client.to_string();
    if let Ok(mut body) = serde_json::from_str::<serde_json::Value>(&rx.body)
        && let Some(obj) = body.as_object_mut()
    {
        obj.insert(
            "client".into(),
            serde_json::Value::String(rx.client.clone()),
        );
        rx.body = body.to_string();
    }
}

/// Whether a document's client record is merged (into whom).
pub fn merged_into(doc: &impl autosurgeon::ReadDoc, client: &str) -> Option<ClientId> {
    records::get::<ClientRecord>(doc, records::CLIENTS, client)
        .ok()
        .flatten()
        .and_then(|c| c.merged_into.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::new_workspace;
    use crate::{AdviserId, ClientId};

    fn client(first: &str, last: &str, phone: &str, email: &str) -> ClientRecord {
        ClientRecord {
            first_name: first.into(),
            last_name: last.into(),
            phone: phone.into(),
            email: email.into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            ..ClientRecord::default()
        }
    }

    #[test]
    fn the_survivor_takes_only_what_it_lacks_and_notes_are_joined() {
        let mut s = client("Jana", "Nováková", "+420 603 123 456", "");
        s.note = "Má ráda kulaté obroučky.".into();
        let mut m = client("Jana", "Novakova", "", "jana@example.cz");
        m.city = "Plzeň".into();
        m.note = "Volat po 17. hodině.".into();
        s.custom.insert("od".into(), "2020-01-01".into());
        m.custom.insert("od".into(), "2024-05-05".into());
        m.custom.insert("karta".into(), "zlatá".into());
        let filled = fill_from(&mut s, &m);
        assert_eq!(filled, ["email", "city", "note", "custom"]);
        assert_eq!(
            s.custom
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>(),
            ["karta=zlatá", "od=2020-01-01"],
            "the survivor's own value stands"
        );
        assert_eq!(s.last_name, "Nováková");
        assert_eq!(s.email, "jana@example.cz");
        assert_eq!(s.note, "Má ráda kulaté obroučky.\nVolat po 17. hodině.");
        assert!(
            fill_from(&mut s, &m).is_empty(),
            "a second merge adds nothing"
        );
    }

    #[test]
    fn a_merge_repoints_orders_and_prescriptions_and_freezes_the_merged_client() {
        let mut doc = new_workspace(AdviserId::new()).unwrap();
        let (m, s, other) = (ClientId::new(), ClientId::new(), ClientId::new());
        let m_rec = client("Jan", "Novak", "", "jan@example.cz");
        let s_rec = client("Jan", "Novák", "+420 603 123 456", "");
        let order = |c: ClientId| OrderRecord {
            client: c.to_string(),
            status: "intake".into(),
            ..OrderRecord::default()
        };
        let rx = PrescriptionRecord {
            client: m.to_string(),
            body: format!(r#"{{"id":"x","client":"{m}","note":"n"}}"#),
        };
        doc.transact::<_, _, DocError>(|tx| {
            records::put(tx, records::CLIENTS, &m.to_string(), &m_rec)?;
            records::put(tx, records::CLIENTS, &s.to_string(), &s_rec)?;
            records::put(tx, records::ORDERS, "o1", &order(m))?;
            records::put(tx, records::ORDERS, "o2", &order(other))?;
            records::put(tx, records::PRESCRIPTIONS, "p1", &rx)
        })
        .unwrap();
        let done = doc
            .transact::<_, _, DocError>(|tx| merge_in(tx, m, s, &m_rec, &ClientRecord::default()))
            .unwrap()
            .result
            .unwrap();
        assert_eq!(done.orders, ["o1"]);
        assert_eq!(done.prescriptions, ["p1"]);
        assert_eq!(done.filled, ["email"]);
        let get = |map, id: &str| records::get::<OrderRecord>(&doc, map, id).unwrap().unwrap();
        assert_eq!(get(records::ORDERS, "o1").client, s.to_string());
        assert_eq!(get(records::ORDERS, "o2").client, other.to_string());
        let moved = records::get::<PrescriptionRecord>(&doc, records::PRESCRIPTIONS, "p1")
            .unwrap()
            .unwrap();
        assert_eq!(moved.client, s.to_string());
        assert!(moved.body.contains(&s.to_string()) && !moved.body.contains(&m.to_string()));
        assert_eq!(merged_into(&doc, &m.to_string()), Some(s));
        assert_eq!(merged_into(&doc, &s.to_string()), None);
        let survivor = records::get::<ClientRecord>(&doc, records::CLIENTS, &s.to_string())
            .unwrap()
            .unwrap();
        assert_eq!(survivor.email, "jan@example.cz");
        assert_eq!(survivor.last_name, "Novák");
    }

    #[test]
    fn an_edit_of_a_merged_client_is_the_fields_changed_from_the_frozen_record() {
        let frozen = client("Jan", "Novak", "", "");
        let mut now = frozen.clone();
        now.phone = "+420 777 000 111".into();
        now.merged_into = "whatever".into();
        assert_eq!(
            edited_fields(&frozen, &now),
            [("phone", "+420 777 000 111".to_owned())]
        );
    }
}
