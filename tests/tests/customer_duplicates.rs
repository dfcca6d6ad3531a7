//! The duplicate review queue and the scan of the whole base (issue 12, point 2), on
//! SQLite and PostgreSQL: the scan finds customers sharing a phone (however
//! written), an e-mail, or a similar name at a similar address, each pair once,
//! reports its progress and finishes; a pair marked "different people" stays so
//! when a later scan finds it again; a second scan is refused while one runs; merged
//! customers drop out of the queue and the list.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::customers::scan;
use fieldcase_server::store::{CustomerFilter, CustomerStore, SqlStore, StoreError};
use fieldcase_shared::ClientId;
use fieldcase_shared::customer::Match;
use fieldcase_shared::docs::records::ClientRecord;

fieldcase_tests::conformance!(the_scan_fills_the_queue_and_decisions_stand);

fn person(
    first: &str,
    last: &str,
    phone: &str,
    email: &str,
    street: &str,
    postal: &str,
) -> ClientRecord {
    ClientRecord {
        first_name: first.into(),
        last_name: last.into(),
        phone: phone.into(),
        email: email.into(),
        street: street.into(),
        postal_code: postal.into(),
        city: "Plzeň".into(),
        ..Default::default()
    }
}

async fn the_scan_fills_the_queue_and_decisions_stand(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = &network.office;
    let people = [
        person(
            "Jana",
            "Nováková",
            "+420 603 123 456",
            "",
            "Hlavní 1",
            "301 00",
        ),
        person("J.", "Jiná", "603123456", "", "", ""),
        person("Petr", "Svoboda", "", "petr@example.cz", "Dlouhá 5", ""),
        person("Pavel", "Dvořák", "", "PETR@example.cz", "", ""),
        person("Jana", "Novakova", "", "", "Hlavni 1", "30100"),
        person("Karel", "Novotný", "", "", "Krátká 9", "301 00"),
    ];
    let mut ids = Vec::new();
    for p in &people {
        let id = ClientId::new();
        store.create_customer(office, id, None, p).await?;
        ids.push(id);
    }
    let first = store.start_scan("test").await?;
    assert!(
        matches!(store.start_scan("test").await, Err(StoreError::Stale(_))),
        "a second scan waits for the first"
    );
    let found = scan::run(store.as_ref(), first).await?;
    assert_eq!(found, 3);
    let done = store.latest_scan().await?.unwrap();
    assert_eq!((done.id, done.found, done.percent()), (first, 3, 100));
    assert!(done.finished_at.is_some() && done.error.is_none());
    let (pairs, open) = store.open_duplicates(10, 0).await?;
    assert_eq!(open, 3);
    let pair_of = |a: usize, b: usize| {
        pairs.iter().find(|p| {
            (p.a.id == ids[a] && p.b.id == ids[b]) || (p.a.id == ids[b] && p.b.id == ids[a])
        })
    };
    assert_eq!(pair_of(0, 1).unwrap().likeness.matches, [Match::Phone]);
    assert_eq!(pair_of(2, 3).unwrap().likeness.matches, [Match::Email]);
    assert_eq!(
        pair_of(0, 4).unwrap().likeness.matches,
        [Match::NameAddress]
    );
    assert!(
        pairs[0].likeness.score >= pairs[2].likeness.score,
        "most alike first"
    );

    // "Different people" stands when a later scan finds the pair again.
    store.not_duplicates(office, ids[3], ids[2]).await?;
    assert!(matches!(
        store.not_duplicates(office, ids[3], ids[2]).await,
        Err(StoreError::NotFound(_))
    ));
    let second = store.start_scan("test").await?;
    assert_eq!(scan::run(store.as_ref(), second).await?, 3);
    let (_, open) = store.open_duplicates(10, 0).await?;
    assert_eq!(open, 2);
    let count = store.count_customers(&CustomerFilter::default()).await?;
    assert_eq!(count.n, 6);
    Ok(())
}
