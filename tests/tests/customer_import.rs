//! Customers imported from a file (issue 12, bad input), on SQLite and PostgreSQL:
//! 10,000 rows in Windows-1250 with Czech headers in their own order, 5 % of them
//! invalid → each refused row named with its line and why, every valid row saved
//! (found by search without diacritics); a UTF-8 file with one row of broken bytes
//! → that row refused, the others saved; a file without the surname column →
//! refused whole, nothing saved; a row that looks like a customer on file is saved
//! and the pair queued for review.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::customers::import::{ImportError, import};
use fieldcase_server::store::{CustomerFilter, CustomerStore, SqlStore};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{ClientId, Lang};

fieldcase_tests::conformance!(a_file_is_imported_row_by_row_and_all_or_none);

async fn count(store: &SqlStore) -> i64 {
    store
        .count_customers(&CustomerFilter::default())
        .await
        .unwrap()
        .n
}

async fn a_file_is_imported_row_by_row_and_all_or_none(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = &network.office;
    let on_file = ClientId::new();
    store
        .create_customer(
            office,
            on_file,
            None,
            &ClientRecord {
                first_name: "Běla".into(),
                last_name: "Stará".into(),
                phone: "+420 777 000 001".into(),
                ..Default::default()
            },
        )
        .await?;
    let before = count(&store).await;

    // 10,000 rows, every 20th invalid in one of four ways; the last row is Běla
    // again (her number written another way).
    let mut text = String::from("PSČ;Příjmení;Jméno;Telefon;E-mail;Obec;Ulice\n");
    let mut bad_lines = Vec::new();
    for i in 0..10_000 {
        let line = i + 2;
        let (surname, phone, email, postal) = match (i % 20 == 7, (i / 20) % 4) {
            (true, 0) => ("", "", "", "30100"),
            (true, 1) => ("Dvořáková", "12345", "", "30100"),
            (true, 2) => ("Dvořáková", "", "není@", "30100"),
            (true, _) => ("Dvořáková", "", "", "3010"),
            (false, _) => ("Dvořáková", "", "", "30100"),
        };
        if i % 20 == 7 {
            bad_lines.push(line);
        }
        let phone = if phone.is_empty() && i % 3 == 0 {
            format!("6{:08}", 10_000_000 + i)
        } else {
            phone.to_owned()
        };
        text.push_str(&format!(
            "{postal};{surname};Růžena{i};{phone};{email};Plzeň;Škroupova {i}\n"
        ));
    }
    text.push_str("30100;Stará;Běla;777000001;;Plzeň;\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1250.encode(&text);
    assert!(!unmappable);
    let report = import(store.as_ref(), office, "zakaznici.csv", &bytes, Lang::Cs).await?;
    assert_eq!(report.rows, 10_001);
    assert_eq!(
        report.refused.iter().map(|r| r.line).collect::<Vec<_>>(),
        bad_lines
    );
    assert_eq!(report.imported.len(), 10_001 - 500);
    let first = &report.refused[0];
    assert!(first.problems[0].starts_with("příjmení:"), "{first:?}");
    assert!(
        report.refused[1].problems[0].starts_with("telefon:"),
        "{:?}",
        report.refused[1]
    );
    assert!(
        report.refused[3].problems[0].starts_with("PSČ:"),
        "{:?}",
        report.refused[3]
    );
    assert_eq!(count(&store).await, before + 9_501);
    let found = store
        .list_customers(&CustomerFilter {
            text: "ruzena4242 dvorakova skroupova".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(found.len(), 1, "found without diacritics");
    assert_eq!(found[0].city, "Plzeň");
    assert_eq!(found[0].postal_code, "301 00", "normalised");
    // Běla's second record is saved and the pair queued.
    assert!(report.duplicates >= 1);
    let (pairs, _) = store.open_duplicates(50, 0).await?;
    assert!(
        pairs.iter().any(|p| p.a.id == on_file || p.b.id == on_file),
        "{pairs:?}"
    );

    // UTF-8 with one row of broken bytes: that row refused, the others saved.
    let mut utf8 = "last_name,first_name,city\nNováková,Jana,Brno\n"
        .as_bytes()
        .to_vec();
    utf8.extend_from_slice(b"Nov\xE1k,Petr,Brno\n");
    utf8.extend_from_slice("Šťastná,Eva,Třebíč\n".as_bytes());
    let before = count(&store).await;
    let report = import(store.as_ref(), office, "x.csv", &utf8, Lang::En).await?;
    assert_eq!(report.imported.len(), 2);
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].line, 3);
    assert!(
        report.refused[0].problems[0].contains("encoding"),
        "{report:?}"
    );
    assert_eq!(count(&store).await, before + 2);

    // No surname column: the file is refused whole.
    let before = count(&store).await;
    let refused = import(
        store.as_ref(),
        office,
        "x.csv",
        "jmeno;telefon\nJana;603123456\n".as_bytes(),
        Lang::Cs,
    )
    .await;
    assert!(
        matches!(&refused, Err(ImportError::MissingColumns(m)) if m == &["last_name"]),
        "{refused:?}"
    );
    assert_eq!(count(&store).await, before, "nothing saved");
    Ok(())
}
