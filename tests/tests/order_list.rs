//! The office's order list (issue 11, point 1), on SQLite and PostgreSQL: each
//! filter (status, store, adviser, channel, dates, paid) narrows it, each sort orders
//! it, keyset pages walk every order exactly once in every sort, and the status tabs
//! count under the other filters.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::Arc;

use fieldcase_server::orders::store::{Channel, OrderSort, Paid, SEARCH_COUNT_CAP};
use fieldcase_server::store::{
    Actor, NetworkStore, NewShop, OrderFilter, OrderRow, OrderStore, ProjectionBatch,
    ProjectionStore, SqlStore,
};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{ClientId, Money, OrderId, OrderStatus};
use time::{Duration, OffsetDateTime};

fieldcase_tests::conformance!(filters_sorts_and_pages, a_search_counts_up_to_the_cap);

async fn ids(store: &SqlStore, filter: OrderFilter) -> anyhow::Result<Vec<OrderId>> {
    Ok(store
        .list_orders(&filter)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect())
}

async fn filters_sorts_and_pages(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 2).await?;
    let other_shop = store
        .create_shop(
            &Actor::system("test"),
            &NewShop {
                code: "OST1".into(),
                name: "Ostrava".into(),
                ..NewShop::default()
            },
        )
        .await?;
    let client = client_named(&store, network.advisers[0], "Ema", "Dvořáková").await?;
    // 23 orders: a day apart, totals that tie in pairs (the id breaks ties), every
    // third one paid, every fourth one at Ostrava and by the second adviser.
    let now = OffsetDateTime::now_utc();
    let rows: Vec<OrderRow> = (0..23)
        .map(|i| {
            let total = 100_000 + (i / 2) * 1_000;
            OrderRow {
                id: OrderId::new(),
                variable_symbol: format!("20265{i:05}"),
                client,
                adviser: Some(network.advisers[usize::from(i % 4 == 0)]),
                shop: (i % 4 == 0).then_some(other_shop.id),
                prescription: None,
                status: if i % 5 == 0 {
                    OrderStatus::Confirmed
                } else {
                    OrderStatus::Intake
                },
                total: Money::from_haler(total),
                deposit: Money::from_haler(if i % 3 == 0 { total } else { 0 }),
                created_at: now - Duration::days(i),
                updated_at: now,
            }
        })
        .collect();
    store.insert_orders(&rows, &[]).await?;
    let all: HashSet<OrderId> = rows.iter().map(|r| r.id).collect();
    let base = OrderFilter {
        limit: 500,
        ..OrderFilter::default()
    };
    let pick = |f: &dyn Fn(&OrderRow) -> bool| -> HashSet<OrderId> {
        rows.iter().filter(|r| f(r)).map(|r| r.id).collect()
    };
    let set = |v: Vec<OrderId>| v.into_iter().collect::<HashSet<_>>();

    assert_eq!(set(ids(&store, base.clone()).await?), all);
    let ostrava = OrderFilter {
        shop: Some(other_shop.id),
        ..base.clone()
    };
    assert_eq!(
        set(ids(&store, ostrava).await?),
        pick(&|r| r.shop.is_some())
    );
    let second = OrderFilter {
        adviser: Some(network.advisers[1]),
        ..base.clone()
    };
    assert_eq!(
        set(ids(&store, second).await?),
        pick(&|r| r.adviser == Some(network.advisers[1]))
    );
    let paid = OrderFilter {
        paid: Some(Paid::Paid),
        ..base.clone()
    };
    assert_eq!(
        set(ids(&store, paid).await?),
        pick(&|r| r.deposit == r.total)
    );
    let unpaid = OrderFilter {
        paid: Some(Paid::Unpaid),
        ..base.clone()
    };
    assert_eq!(
        set(ids(&store, unpaid).await?),
        pick(&|r| r.deposit < r.total)
    );
    let week = OrderFilter {
        from: Some(now - Duration::days(7) - Duration::hours(1)),
        until: Some(now - Duration::days(2) + Duration::hours(1)),
        ..base.clone()
    };
    assert_eq!(
        set(ids(&store, week).await?),
        pick(&|r| (2..=7).contains(&(now - r.created_at).whole_days()))
    );
    let eshop = OrderFilter {
        channel: Some(Channel::Eshop),
        ..base.clone()
    };
    assert!(ids(&store, eshop).await?.is_empty(), "no e-shop orders yet");
    let adviser_channel = OrderFilter {
        channel: Some(Channel::Adviser),
        ..base.clone()
    };
    assert_eq!(ids(&store, adviser_channel).await?.len(), 23);

    // Tabs: counts per status, whatever status is picked, under the other filters.
    let confirmed = OrderFilter {
        status: Some(OrderStatus::Confirmed),
        ..base.clone()
    };
    let counts = store.count_orders(&confirmed).await?;
    assert_eq!(
        counts.by_status,
        vec![(OrderStatus::Intake, 18), (OrderStatus::Confirmed, 5)]
    );
    assert!(!counts.more);
    // A search counts the same, its text aside.
    let searched = store
        .count_orders(&OrderFilter {
            text: "dvorak".into(),
            ..confirmed.clone()
        })
        .await?;
    assert_eq!(searched, counts);
    let counts = store
        .count_orders(&OrderFilter {
            paid: Some(Paid::Paid),
            ..base.clone()
        })
        .await?;
    assert_eq!(counts.total(), 8);
    assert_eq!(ids(&store, confirmed).await?.len(), 5);

    // Every sort, in pages of 5: each order once, in the sort's order; also with a
    // word every order matches (the search's first, windowed, phase answers the
    // full pages, the index the last one).
    for (text, sort) in ["", "dvorakova"].into_iter().flat_map(|t| {
        [
            OrderSort::Newest,
            OrderSort::Oldest,
            OrderSort::TotalDesc,
            OrderSort::TotalAsc,
            OrderSort::NumberAsc,
            OrderSort::NumberDesc,
        ]
        .map(|s| (t, s))
    }) {
        let mut seen = Vec::new();
        let mut filter = OrderFilter {
            limit: 5,
            sort,
            text: text.into(),
            ..base.clone()
        };
        loop {
            let page = store.list_orders(&filter).await?;
            if page.is_empty() {
                break;
            }
            filter.after = page.last().map(|o| o.cursor());
            seen.extend(page);
        }
        assert_eq!(seen.len(), 23, "{sort:?}");
        assert_eq!(
            seen.iter().map(|o| o.id).collect::<HashSet<_>>(),
            all,
            "{sort:?}"
        );
        let ordered = seen.windows(2).all(|w| match sort {
            OrderSort::Newest => w[0].created_at >= w[1].created_at,
            OrderSort::Oldest => w[0].created_at <= w[1].created_at,
            OrderSort::TotalDesc => w[0].total >= w[1].total,
            OrderSort::TotalAsc => w[0].total <= w[1].total,
            OrderSort::NumberAsc => w[0].variable_symbol <= w[1].variable_symbol,
            OrderSort::NumberDesc => w[0].variable_symbol >= w[1].variable_symbol,
        });
        assert!(ordered, "{sort:?}");
    }

    // A search with the other filters, paged in time order (the index walked in the
    // list's order): the same orders as the filter without the text.
    let narrowed = [
        OrderFilter {
            status: Some(OrderStatus::Intake),
            ..base.clone()
        },
        OrderFilter {
            shop: Some(other_shop.id),
            paid: Some(Paid::Unpaid),
            ..base.clone()
        },
        OrderFilter {
            from: Some(now - Duration::days(7) - Duration::hours(1)),
            until: Some(now - Duration::days(2) + Duration::hours(1)),
            ..base.clone()
        },
    ];
    for (filter, sort) in narrowed
        .iter()
        .flat_map(|f| [OrderSort::Newest, OrderSort::Oldest].map(|s| (f, s)))
    {
        let expected = ids(
            &store,
            OrderFilter {
                sort,
                ..filter.clone()
            },
        )
        .await?;
        assert!(!expected.is_empty());
        assert_eq!(
            walk(
                &store,
                OrderFilter {
                    text: "dvorak".into(),
                    sort,
                    limit: 2,
                    ..filter.clone()
                }
            )
            .await?,
            expected,
            "{filter:?}"
        );
    }

    // Orders made at the same instant still page exactly once each in a search.
    let same = now - Duration::days(40);
    let ties: Vec<OrderRow> = (0..4)
        .map(|i| OrderRow {
            id: OrderId::new(),
            variable_symbol: format!("20266{i:05}"),
            created_at: same,
            ..rows[0].clone()
        })
        .collect();
    store.insert_orders(&ties, &[]).await?;
    for sort in [OrderSort::Newest, OrderSort::Oldest] {
        let found = walk(
            &store,
            OrderFilter {
                text: "20266".into(),
                sort,
                limit: 1,
                ..base.clone()
            },
        )
        .await?;
        assert_eq!(
            found.iter().copied().collect::<HashSet<_>>(),
            ties.iter().map(|r| r.id).collect::<HashSet<_>>(),
            "{sort:?}"
        );
        assert_eq!(found.len(), 4, "{sort:?}");
    }
    Ok(())
}

/// Every page of `filter` by keyset, in order.
async fn walk(store: &SqlStore, mut filter: OrderFilter) -> anyhow::Result<Vec<OrderId>> {
    let mut seen = Vec::new();
    loop {
        let page = store.list_orders(&filter).await?;
        let Some(last) = page.last() else {
            return Ok(seen);
        };
        filter.after = Some(last.cursor());
        seen.extend(page.iter().map(|o| o.id));
    }
}

/// The tabs of a search that more orders match than the cap: the numbers add up to
/// the cap and say there were more; the list itself is still exact.
async fn a_search_counts_up_to_the_cap(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let client = client_named(&store, network.advisers[0], "Iva", "Zábranská").await?;
    let now = OffsetDateTime::now_utc();
    let rows: Vec<OrderRow> = (0..=SEARCH_COUNT_CAP)
        .map(|i| OrderRow {
            id: OrderId::new(),
            variable_symbol: format!("20267{i:05}"),
            client,
            adviser: Some(network.advisers[0]),
            shop: None,
            prescription: None,
            status: if i % 2 == 0 {
                OrderStatus::Intake
            } else {
                OrderStatus::Confirmed
            },
            total: Money::from_haler(100_000),
            deposit: Money::from_haler(0),
            created_at: now - Duration::minutes(i),
            updated_at: now,
        })
        .collect();
    store.insert_orders(&rows, &[]).await?;
    let text = OrderFilter {
        text: "zabran".into(),
        ..OrderFilter::default()
    };
    let counts = store.count_orders(&text).await?;
    assert!(counts.more);
    assert_eq!(counts.total(), SEARCH_COUNT_CAP);
    let exact = store.count_orders(&OrderFilter::default()).await?;
    assert!(!exact.more);
    assert_eq!(exact.total(), SEARCH_COUNT_CAP + 1);
    // Under a narrower filter the search is counted exactly again.
    let confirmed = store
        .count_orders(&OrderFilter {
            from: Some(now - Duration::minutes(100)),
            ..text.clone()
        })
        .await?;
    assert!(!confirmed.more);
    assert_eq!(confirmed.total(), 101);
    let page = store.list_orders(&OrderFilter { limit: 3, ..text }).await?;
    assert_eq!(
        page.iter().map(|o| o.id).collect::<Vec<_>>(),
        rows[..3].iter().map(|r| r.id).collect::<Vec<_>>()
    );
    Ok(())
}

/// A client of `adviser`, as a phone would send them.
async fn client_named(
    store: &SqlStore,
    adviser: fieldcase_shared::AdviserId,
    first: &str,
    last: &str,
) -> anyhow::Result<ClientId> {
    let client = ClientId::new();
    let record = ClientRecord {
        first_name: first.into(),
        last_name: last.into(),
        ..Default::default()
    };
    let batch = ProjectionBatch {
        clients: vec![(client, record)],
        ..Default::default()
    };
    store.project(adviser, &batch).await?;
    Ok(client)
}
