//! The office's customer list (issue 12, point 1), on SQLite and PostgreSQL: a
//! customer is found by name without diacritics, by a phone however written (with
//! or without the country code, stored either way), by e-mail, street, town and
//! postal code; a renamed client by the new name only; adviser and store filters;
//! keyset pages in every sort lose and repeat nothing; FTS operators and a 10 kB
//! query are plain text; a search's count stops at its cap.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::Arc;

use fieldcase_server::customers::segment::Criteria;
use fieldcase_server::store::{
    Actor, ClientRow, CustomerFilter, CustomerSort, CustomerStore, NetworkStore, NewShop,
    ProjectionBatch, ProjectionStore, SqlStore,
};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{AdviserId, ClientId};
use time::OffsetDateTime;

fieldcase_tests::conformance!(
    customers_are_found_however_typed,
    pages_in_every_sort_lose_and_repeat_nothing,
    a_search_count_stops_at_its_cap,
    clients_stamped_with_one_moment_are_all_indexed,
);

async fn found(store: &SqlStore, filter: CustomerFilter) -> anyhow::Result<HashSet<ClientId>> {
    Ok(store
        .list_customers(&filter)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

async fn search(store: &SqlStore, text: &str) -> anyhow::Result<HashSet<ClientId>> {
    found(
        store,
        CustomerFilter {
            text: text.into(),
            ..Default::default()
        },
    )
    .await
}

fn record(
    first: &str,
    last: &str,
    phone: &str,
    email: &str,
    city: &str,
    postal: &str,
) -> ClientRecord {
    ClientRecord {
        first_name: first.into(),
        last_name: last.into(),
        phone: phone.into(),
        email: email.into(),
        street: "Náměstí Republiky 12".into(),
        city: city.into(),
        postal_code: postal.into(),
        created_at: "2026-11-25T10:00:00Z".into(),
        ..Default::default()
    }
}

async fn customers_are_found_however_typed(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 2).await?;
    let (first, second) = (network.advisers[0], network.advisers[1]);
    let (jana, petr, eva) = (ClientId::new(), ClientId::new(), ClientId::new());
    let jana_record = record(
        "Jana",
        "Šimková",
        "603 123 456",
        "jana.simkova@example.cz",
        "Plzeň",
        "301 00",
    );
    store
        .project(
            first,
            &ProjectionBatch {
                clients: vec![
                    (jana, jana_record.clone()),
                    (
                        petr,
                        record(
                            "Petr",
                            "Novák",
                            "+420 777 888 999",
                            "petr@example.cz",
                            "Brno",
                            "602 00",
                        ),
                    ),
                ],
                ..Default::default()
            },
        )
        .await?;
    store
        .project(
            second,
            &ProjectionBatch {
                clients: vec![(
                    eva,
                    record("Eva", "Čermáková", "", "eva@example.cz", "Brno", "60200"),
                )],
                ..Default::default()
            },
        )
        .await?;
    // A customer without an adviser (seeded, as a store or the e-shop would).
    let walk_in = ClientId::new();
    store
        .insert_clients(
            &[ClientRow {
                id: walk_in,
                adviser: None,
                first_name: "Tomáš".into(),
                last_name: "Kopecký".into(),
                phone: "00420 604 111 222".into(),
                email: String::new(),
                street: String::new(),
                city: "Ostrava".into(),
                postal_code: "702 00".into(),
                created_at: OffsetDateTime::now_utc(),
            }],
            &[],
        )
        .await?;

    let only = |ids: &[ClientId]| ids.iter().copied().collect::<HashSet<_>>();
    for q in [
        "šimková",
        "SIMKOVA",
        "simk",
        "jana simk",
        "603123456",
        "603 123 456",
        "+420603123456",
        "+420 603 123 456",
        "00420 603-123-456",
        "(603) 123 456",
        "jana.simkova@example.cz",
        "jana.sim",
        "plzen",
        "301 00",
        "30100",
        "301",
    ] {
        assert_eq!(search(&store, q).await?, only(&[jana]), "{q:?}");
    }
    // Stored with the country code, found without it and with it.
    for q in ["777888999", "777 888 999", "+420 777 888 999", "420777"] {
        assert_eq!(search(&store, q).await?, only(&[petr]), "{q:?}");
    }
    for q in ["cermakova", "Čermáková", "eva@example"] {
        assert_eq!(search(&store, q).await?, only(&[eva]), "{q:?}");
    }
    for q in ["kopecky tomas", "604 111 222", "70200", "ostrava"] {
        assert_eq!(search(&store, q).await?, only(&[walk_in]), "{q:?}");
    }
    assert_eq!(search(&store, "brno").await?, only(&[petr, eva]));
    assert_eq!(search(&store, "602 00").await?, only(&[petr, eva]));
    assert_eq!(search(&store, "namesti").await?.len(), 3);
    assert!(search(&store, "nobody").await?.is_empty());
    // Operators and quotes are plain text; a huge query is no error.
    for q in [
        "a OR b",
        "\"jana",
        "simk* NEAR(x)",
        "-jana",
        "'; DROP TABLE clients; --",
    ] {
        search(&store, q).await?;
    }
    search(&store, &"x".repeat(10_000)).await?;

    // Filters.
    let by_adviser = |adviser: AdviserId, text: &str| CustomerFilter {
        criteria: Criteria {
            adviser: Some(adviser),
            ..Default::default()
        },
        text: text.into(),
        ..Default::default()
    };
    assert_eq!(
        found(&store, by_adviser(first, "")).await?,
        only(&[jana, petr])
    );
    assert_eq!(
        found(&store, by_adviser(second, "brno")).await?,
        only(&[eva])
    );
    let shop = store.list_shops().await?[0].id;
    let all_of_shop = found(
        &store,
        CustomerFilter {
            criteria: Criteria {
                shop: Some(shop),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await?;
    assert_eq!(
        all_of_shop,
        only(&[jana, petr, eva]),
        "the walk-in customer has no store"
    );
    let other = store
        .create_shop(
            &Actor::system("test"),
            &NewShop {
                code: "OST1".into(),
                name: "Ostrava".into(),
                ..Default::default()
            },
        )
        .await?;
    assert!(
        found(
            &store,
            CustomerFilter {
                criteria: Criteria {
                    shop: Some(other.id),
                    ..Default::default()
                },
                text: "brno".into(),
                ..Default::default()
            }
        )
        .await?
        .is_empty()
    );

    // Renamed on the phone: found by the new name only; the card and the count follow.
    let mut renamed = jana_record;
    renamed.last_name = "Dvořáková".into();
    renamed.phone = "605 000 111".into();
    renamed.email = "jana.d@example.cz".into();
    store
        .project(
            first,
            &ProjectionBatch {
                clients: vec![(jana, renamed)],
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(search(&store, "dvorakova").await?, only(&[jana]));
    assert!(search(&store, "simkova").await?.is_empty());
    assert!(search(&store, "603123456").await?.is_empty());
    assert_eq!(search(&store, "605 000 111").await?, only(&[jana]));
    let card = store.customer_card(jana).await?.expect("the card");
    assert_eq!(
        (card.last_name.as_str(), card.adviser),
        ("Dvořáková", Some(first))
    );
    assert!(store.customer_card(ClientId::new()).await?.is_none());
    let n = store
        .count_customers(&CustomerFilter {
            text: "brno".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!((n.n, n.more), (2, false));
    let n = store.count_customers(&CustomerFilter::default()).await?;
    assert_eq!((n.n, n.more), (4, false));
    Ok(())
}

/// `n` clients without an adviser, several of them made in the same instant and
/// with the same name, so ties are broken by the id.
fn many(n: usize, last: &str) -> Vec<ClientRow> {
    let base = OffsetDateTime::now_utc();
    (0..n)
        .map(|i| ClientRow {
            id: ClientId::new(),
            adviser: None,
            first_name: format!("Jméno{}", i % 7),
            last_name: format!("{last} {}", i % 5),
            phone: format!("6031{i:05}"),
            email: String::new(),
            street: String::new(),
            city: "Brno".into(),
            postal_code: String::new(),
            created_at: base + time::Duration::seconds((i / 3) as i64),
        })
        .collect()
}

async fn pages_in_every_sort_lose_and_repeat_nothing(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let rows = many(61, "Nový");
    store.insert_clients(&rows, &[]).await?;
    for (sort, text) in [
        (CustomerSort::NameAsc, ""),
        (CustomerSort::NameDesc, ""),
        (CustomerSort::Newest, ""),
        (CustomerSort::Oldest, ""),
        (CustomerSort::NameAsc, "brno"),
    ] {
        let mut filter = CustomerFilter {
            sort,
            text: text.into(),
            limit: 7,
            ..Default::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = store.list_customers(&filter).await?;
            assert!(page.len() <= 7);
            let Some(last) = page.last() else { break };
            filter.after = Some(last.cursor());
            seen.extend(page);
        }
        let ids: HashSet<ClientId> = seen.iter().map(|c| c.id).collect();
        assert_eq!((ids.len(), seen.len()), (61, 61), "{sort:?} {text:?}");
        let keys: Vec<(String, OffsetDateTime)> = seen
            .iter()
            .map(|c| (c.sort_name.clone(), c.created_at))
            .collect();
        let ordered = keys.windows(2).all(|w| {
            match CustomerSort::effective(&CustomerFilter {
                sort,
                text: text.into(),
                ..Default::default()
            }) {
                CustomerSort::NameAsc => w[0].0 <= w[1].0,
                CustomerSort::NameDesc => w[0].0 >= w[1].0,
                CustomerSort::Newest => w[0].1 >= w[1].1,
                CustomerSort::Oldest => w[0].1 <= w[1].1,
            }
        });
        assert!(ordered, "{sort:?} {text:?}: {keys:?}");
    }
    Ok(())
}

async fn a_search_count_stops_at_its_cap(store: Arc<SqlStore>) -> anyhow::Result<()> {
    store.insert_clients(&many(1_005, "Veselý"), &[]).await?;
    let n = store
        .count_customers(&CustomerFilter {
            text: "vesely".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!((n.n, n.more), (1_000, true));
    let n = store.count_customers(&CustomerFilter::default()).await?;
    assert_eq!((n.n, n.more), (1_005, false));
    let n = store
        .count_customers(&CustomerFilter {
            text: "vesely 0 jmeno1".into(),
            ..Default::default()
        })
        .await?;
    assert!(!n.more && n.n > 0 && n.n < 1_000);
    Ok(())
}

/// Phones' clients all stamped with one creation time (more than the 1,024 search
/// keys one microsecond has, in two batches: the second overflows a full moment
/// again) are all projected, indexed, found and paged (the durability test's load;
/// a collision of keys once failed the hub's start).
async fn clients_stamped_with_one_moment_are_all_indexed(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    for batch in 0..2 {
        let clients = (0..700)
            .map(|i| {
                let mut c = record("Klient", &format!("Dávka{batch}"), "", "", "Brno", "");
                c.first_name = format!("Klient{i}");
                (ClientId::new(), c)
            })
            .collect();
        store
            .project(
                network.advisers[0],
                &ProjectionBatch {
                    clients,
                    ..Default::default()
                },
            )
            .await?;
    }
    let n = store
        .count_customers(&CustomerFilter {
            text: "davka1".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!((n.n, n.more), (700, false));
    assert_eq!(search(&store, "klient699 davka0").await?.len(), 1);
    let mut filter = CustomerFilter {
        sort: CustomerSort::Newest,
        limit: 500,
        ..Default::default()
    };
    let mut seen = HashSet::new();
    loop {
        let page = store.list_customers(&filter).await?;
        let Some(last) = page.last() else { break };
        filter.after = Some(last.cursor());
        seen.extend(page.iter().map(|c| c.id));
    }
    assert_eq!(seen.len(), 1_400);
    Ok(())
}
