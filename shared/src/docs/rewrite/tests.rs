use super::*;
use crate::docs::records::{InboxRecord, OrderRecord, PrescriptionRecord, VisitRecord};

fn client(first: &str, last: &str, phone: &str) -> ClientRecord {
    ClientRecord {
        first_name: first.into(),
        last_name: last.into(),
        phone: phone.into(),
        email: format!("{}@example.cz", last.to_lowercase()),
        created_at: "2026-11-25T10:00:00Z".into(),
        ..ClientRecord::default()
    }
}

fn put<R: autosurgeon::Reconcile>(doc: &mut Automerge, map: &str, id: &str, r: &R) {
    doc.transact::<_, _, DocError>(|tx| records::put(tx, map, id, r))
        .unwrap();
}

/// Every byte of the document, history included, uncompressed.
fn bytes(doc: &Automerge) -> String {
    String::from_utf8_lossy(&doc.save_nocompress()).into_owned()
}

/// A workspace where Zdeňka Vymazalová (x) was entered, renamed and noted about,
/// beside Petr Zůstal (y).
fn workspace() -> Automerge {
    let mut doc = crate::docs::new_workspace(crate::AdviserId::new()).unwrap();
    put(
        &mut doc,
        records::CLIENTS,
        "x",
        &client("Zdena", "Vymazalová", "603111222"),
    );
    put(
        &mut doc,
        records::CLIENTS,
        "x",
        &client("Zdeňka", "Vymazalová", "603111222"),
    );
    put(
        &mut doc,
        records::CLIENTS,
        "y",
        &client("Petr", "Zůstal", "604333444"),
    );
    put(
        &mut doc,
        records::PRESCRIPTIONS,
        "rx",
        &PrescriptionRecord {
            client: "x".into(),
            body: "{\"od\":\"-2.25\"}".into(),
        },
    );
    let order = |client: &str| OrderRecord {
        client: client.into(),
        variable_symbol: format!("90001{client}"),
        status: "delivered".into(),
        note: format!("volat {client} po 17h"),
        ..OrderRecord::default()
    };
    put(&mut doc, records::ORDERS, "ox", &order("x"));
    put(&mut doc, records::ORDERS, "oy", &order("y"));
    put(
        &mut doc,
        records::VISITS,
        "vx",
        &VisitRecord {
            client: "x".into(),
            title: "Kontrola: Zdeňka Vymazalová".into(),
            ..VisitRecord::default()
        },
    );
    let note = |about: &str, text: &str| InboxRecord {
        at: "2026-11-25T10:00:00Z".into(),
        kind: "notification".into(),
        about: about.into(),
        text_cs: text.into(),
        text_en: text.into(),
        read: false,
    };
    put(
        &mut doc,
        records::INBOX,
        "n1",
        &note("orders/ox", "Objednávka pro Zdeňka Vymazalová je hotová"),
    );
    put(
        &mut doc,
        records::INBOX,
        "n2",
        &note("clients/x", "Klientka sloučena"),
    );
    put(
        &mut doc,
        records::INBOX,
        "n3",
        &note("orders/oy", "Objednávka Petr Zůstal je hotová"),
    );
    doc
}

#[test]
fn the_rewrite_keeps_the_present_and_no_trace_of_the_erased() {
    let doc = workspace();
    assert!(
        bytes(&doc).contains("Zdena"),
        "the history holds the old name"
    );
    let erased: BTreeSet<String> = ["x".to_owned()].into();
    let out = without_history(&doc, &erased, "2026-12-04T10:00:00Z").unwrap();
    let all = bytes(&out);
    for gone in [
        "Vymazal",
        "Zdena",
        "Zde\u{148}ka",
        "603111222",
        "-2.25",
        "volat x",
    ] {
        assert!(
            !all.contains(gone),
            "{gone:?} is still in the rewritten bytes"
        );
    }
    assert!(all.contains("Zůstal") && all.contains("604333444"));
    let x: ClientRecord = records::get(&out, records::CLIENTS, "x").unwrap().unwrap();
    assert_eq!(x.last_name, ERASED_NAME);
    assert_eq!(x.created_at, "2026-11-25T10:00:00Z");
    let y: ClientRecord = records::get(&out, records::CLIENTS, "y").unwrap().unwrap();
    assert_eq!(y, client("Petr", "Zůstal", "604333444"));
    assert!(records::ids(&out, records::PRESCRIPTIONS).is_empty());
    assert!(records::ids(&out, records::VISITS).is_empty());
    let ox: OrderRecord = records::get(&out, records::ORDERS, "ox").unwrap().unwrap();
    assert_eq!((ox.note.as_str(), ox.status.as_str()), ("", "delivered"));
    let oy: OrderRecord = records::get(&out, records::ORDERS, "oy").unwrap().unwrap();
    assert!(
        oy.note.starts_with("volat y"),
        "the others' orders stay whole"
    );
    assert_eq!(records::ids(&out, records::INBOX), vec!["n3".to_owned()]);
    assert_eq!(erased_ids(&out), erased);
    assert_eq!(
        out.get_changes(&[]).len(),
        2,
        "no history: the copy and the anonymised records"
    );
    assert_eq!(
        crate::docs::header(&out).unwrap(),
        crate::docs::header(&doc).unwrap()
    );
    // A second erasure keeps the first one's list.
    let again = without_history(&out, &["y".to_owned()].into(), "2026-12-05T10:00:00Z").unwrap();
    assert_eq!(erased_ids(&again), ["x".to_owned(), "y".to_owned()].into());
    assert!(!bytes(&again).contains("Zůstal"));
}

#[test]
fn offline_edits_move_to_the_rewritten_workspace_except_the_erased_ones() {
    let hub = workspace();
    let confirmed = hub.get_heads();
    // The phone's copy, changed offline after the hub's last confirmation.
    let mut phone = hub.clone();
    put(
        &mut phone,
        records::CLIENTS,
        "y",
        &ClientRecord {
            phone: "777000111".into(),
            ..client("Petr", "Zůstal", "604333444")
        },
    );
    put(
        &mut phone,
        records::CLIENTS,
        "z",
        &client("Nová", "Klientka", "605000000"),
    );
    put(
        &mut phone,
        records::CLIENTS,
        "x",
        &ClientRecord {
            note: "Vymazalová volala".into(),
            ..client("Zdeňka", "Vymazalová", "603111222")
        },
    );
    put(
        &mut phone,
        records::PRESCRIPTIONS,
        "rx2",
        &PrescriptionRecord {
            client: "x".into(),
            body: "{}".into(),
        },
    );
    phone
        .transact::<_, _, DocError>(|tx| records::remove(tx, records::ORDERS, "oy"))
        .unwrap();
    let mut rewritten =
        without_history(&hub, &["x".to_owned()].into(), "2026-12-04T10:00:00Z").unwrap();
    // Meanwhile the office changed another field of y on the hub.
    let mut office_y: ClientRecord = records::get(&rewritten, records::CLIENTS, "y")
        .unwrap()
        .unwrap();
    office_y.city = "Brno".into();
    put(&mut rewritten, records::CLIENTS, "y", &office_y);

    let carried = port(&phone, &confirmed, &mut rewritten).unwrap();
    assert_eq!(carried, 3, "y's phone, z, the deleted order");
    let y: ClientRecord = records::get(&rewritten, records::CLIENTS, "y")
        .unwrap()
        .unwrap();
    assert_eq!((y.phone.as_str(), y.city.as_str()), ("777000111", "Brno"));
    let z: ClientRecord = records::get(&rewritten, records::CLIENTS, "z")
        .unwrap()
        .unwrap();
    assert_eq!(z, client("Nová", "Klientka", "605000000"));
    assert!(records::ids(&rewritten, records::ORDERS) == vec!["ox".to_owned()]);
    assert!(!bytes(&rewritten).contains("Vymazal"));
    assert!(records::ids(&rewritten, records::PRESCRIPTIONS).is_empty());
    // Nothing changed offline: nothing to carry.
    assert_eq!(port(&hub, &confirmed, &mut rewritten).unwrap(), 0);
}
