use super::*;
use crate::docs::DocError;
use crate::docs::new_workspace;
use automerge::{ObjType, ROOT};

#[test]
fn duplicates_share_a_phone_or_an_email_however_written() {
    let novak = ClientRecord {
        last_name: "Novák".into(),
        phone: "+420 604 111 222".into(),
        email: "Jan.Novak@example.cz".into(),
        ..Default::default()
    };
    let same_phone = ClientRecord {
        phone: "604111222".into(),
        ..Default::default()
    };
    let same_mail = ClientRecord {
        email: " jan.novak@EXAMPLE.cz".into(),
        ..Default::default()
    };
    let other = ClientRecord {
        phone: "604111223".into(),
        ..Default::default()
    };
    let empty = ClientRecord::default();
    let all = [
        ("a", &novak),
        ("b", &same_phone),
        ("c", &same_mail),
        ("d", &other),
        ("e", &empty),
    ];
    assert_eq!(duplicates_of("a", &novak, all), vec!["b", "c"]);
    assert!(duplicates_of("e", &empty, all).is_empty());
    let line = LineRecord {
        quantity: 2,
        unit_price: 89_000,
        discount: 8_900,
        ..Default::default()
    };
    let order = OrderRecord {
        lines: vec![line.clone(), line],
        ..Default::default()
    };
    assert_eq!(order.total(), 338_200);
}

#[test]
fn field_variable_symbols_follow_the_advisers_sequence() {
    assert_eq!(field_variable_symbol("P0007", []), "9000700001");
    assert_eq!(
        field_variable_symbol(
            "P0007",
            ["9000700041", "9000700003", "9000800099", "2025000001"]
        ),
        "9000700042"
    );
    assert_eq!(field_variable_symbol("P123456", []), "9345600001");
    assert!(crate::validate::variable_symbol("vs", &field_variable_symbol("", [])).is_ok());
}

fn client(first: &str) -> ClientRecord {
    ClientRecord {
        first_name: first.into(),
        last_name: "Nováková".into(),
        created_at: "2026-11-23T10:00:00Z".into(),
        ..Default::default()
    }
}

#[test]
fn records_round_trip() {
    let mut doc = new_workspace(crate::AdviserId::new()).unwrap();
    let order = OrderRecord {
        client: "c1".into(),
        status: "intake".into(),
        lines: vec![LineRecord {
            id: "l1".into(),
            kind: "frame".into(),
            text: "Ray-Ban".into(),
            quantity: 1,
            unit_price: 329_000,
            vat_bp: 2100,
            ..Default::default()
        }],
        ..Default::default()
    };
    doc.transact::<_, _, DocError>(|tx| {
        put(tx, CLIENTS, "c1", &client("Jana"))?;
        put(tx, ORDERS, "o1", &order)
    })
    .unwrap();
    assert_eq!(
        get::<ClientRecord>(&doc, CLIENTS, "c1").unwrap(),
        Some(client("Jana"))
    );
    assert_eq!(get::<OrderRecord>(&doc, ORDERS, "o1").unwrap(), Some(order));
    assert_eq!(get::<ClientRecord>(&doc, CLIENTS, "nope").unwrap(), None);
    assert_eq!(ids(&doc, CLIENTS), vec!["c1".to_owned()]);
}

#[test]
fn concurrent_edits_of_different_fields_merge() {
    let mut a = new_workspace(crate::AdviserId::new()).unwrap();
    a.transact::<_, _, DocError>(|tx| put(tx, CLIENTS, "c1", &client("Jana")))
        .unwrap();
    let mut b = a.fork();
    a.transact::<_, _, DocError>(|tx| {
        put(
            tx,
            CLIENTS,
            "c1",
            &ClientRecord {
                phone: "+420 601 000 111".into(),
                ..client("Jana")
            },
        )
    })
    .unwrap();
    b.transact::<_, _, DocError>(|tx| {
        put(
            tx,
            CLIENTS,
            "c1",
            &ClientRecord {
                city: "Brno".into(),
                ..client("Jana")
            },
        )
    })
    .unwrap();
    a.merge(&mut b).unwrap();
    let merged: ClientRecord = get(&a, CLIENTS, "c1").unwrap().unwrap();
    assert_eq!(
        (merged.phone.as_str(), merged.city.as_str()),
        ("+420 601 000 111", "Brno")
    );
}

#[test]
fn records_written_by_javascript_clients_read_too() {
    use automerge::transaction::Transactable as T;
    // automerge-js 3 writes plain strings as text objects and may leave fields out.
    let mut doc = new_workspace(crate::AdviserId::new()).unwrap();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        let (_, clients) = automerge::ReadDoc::get(tx, ROOT, CLIENTS)?.unwrap();
        let rec = T::put_object(tx, &clients, "c1", ObjType::Map)?;
        let name = T::put_object(tx, &rec, "first_name", ObjType::Text)?;
        T::splice_text(tx, &name, 0, 0, "Klient z JS")?;
        T::put(tx, &rec, "phone", "+420 601 000 111")?;
        Ok(())
    })
    .unwrap();
    let c: ClientRecord = get(&doc, CLIENTS, "c1").unwrap().unwrap();
    assert_eq!(c.first_name, "Klient z JS");
    assert_eq!(c.phone, "+420 601 000 111");
    assert_eq!(c.city, "", "missing fields read as empty");
}

#[test]
fn stock_is_a_sum_and_overdraws_are_found_in_time_order() {
    let m = |q: i64, at: &str| CaseMovementRecord {
        product: "P".into(),
        quantity: q,
        kind: "sale".into(),
        at: at.into(),
        ..Default::default()
    };
    let moves = vec![
        ("a".to_owned(), m(2, "1")),
        ("b".to_owned(), m(-1, "2")),
        ("c".to_owned(), m(-2, "3")),
        ("d".to_owned(), m(-1, "4")),
    ];
    assert_eq!(movements_below_zero(&moves), vec!["c".to_owned()]);
    assert_eq!(case_stock(moves.iter().map(|(_, m)| m)).get("P"), Some(&-2));
    let after: Vec<_> = moves
        .iter()
        .map(|(id, m)| {
            (
                id.clone(),
                CaseMovementRecord {
                    rejected: if id == "c" {
                        "below_zero".into()
                    } else {
                        String::new()
                    },
                    ..m.clone()
                },
            )
        })
        .collect();
    assert!(movements_below_zero(&after).is_empty());
    assert_eq!(case_stock(after.iter().map(|(_, m)| m)).get("P"), Some(&0));
}

#[test]
fn touched_finds_new_and_edited_records() {
    let mut doc = new_workspace(crate::AdviserId::new()).unwrap();
    doc.transact::<_, _, DocError>(|tx| put(tx, CLIENTS, "c1", &client("Jana")))
        .unwrap();
    let before = doc.get_heads();
    doc.transact::<_, _, DocError>(|tx| {
        put(tx, CLIENTS, "c1", &client("Janička"))?;
        put(tx, CLIENTS, "c2", &client("Eva"))?;
        put(
            tx,
            ORDERS,
            "o1",
            &OrderRecord {
                client: "c2".into(),
                status: "intake".into(),
                ..Default::default()
            },
        )
    })
    .unwrap();
    let after = doc.get_heads();
    let got: Vec<_> = touched(&doc, &before, &after).into_iter().collect();
    let want: Vec<_> = [("clients", "c1"), ("clients", "c2"), ("orders", "o1")]
        .iter()
        .map(|(m, i)| (m.to_string(), i.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(touched(&doc, &after, &after).is_empty());
}
