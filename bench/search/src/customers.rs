//! The Customers page's server work at this size (issue 12's targets: 200,000
//! customers, search p95 < 50 ms): a search as the page asks for it (one page of 50
//! and the count), the list in its sorts (first page, by store, 21st page by keyset)
//! and the card; and the duplicate scan of the whole base (< 30 s). The segments
//! follow (`segments.rs`).

use std::time::Instant;

use fieldcase_server::customers::segment::Criteria;
use fieldcase_server::store::{
    CustomerFilter, CustomerSort, CustomerStore, NetworkStore, SqlStore,
};

use crate::{ROUNDS, report};

/// What people type into the customer search: surnames with and without
/// diacritics, prefixes, a phone in pieces and with the country code, an e-mail's
/// start, a town without diacritics, a postal code with its space, two words.
const QUERIES: [&str; 10] = [
    "novak",
    "Šimková",
    "dvor",
    "603",
    "603 1",
    "+420 604",
    "jana.n",
    "plzen",
    "796 01",
    "kopecky tomas",
];

pub async fn customers(store: &SqlStore) -> anyhow::Result<()> {
    let page = |f: CustomerFilter| async move {
        let t = Instant::now();
        let rows = store.list_customers(&f).await?;
        let n = store.count_customers(&f).await?;
        anyhow::Ok((t.elapsed().as_secs_f64() * 1e3, rows, n))
    };
    let base = CustomerFilter {
        limit: 50,
        ..Default::default()
    };
    println!(
        "customers: {}",
        store.count_customers(&CustomerFilter::default()).await?.n
    );
    let mut all = Vec::new();
    let mut per_query: Vec<Vec<f64>> = vec![Vec::new(); QUERIES.len()];
    let mut found = Vec::new();
    for _ in 0..ROUNDS {
        for (i, q) in QUERIES.into_iter().enumerate() {
            let (ms, rows, n) = page(CustomerFilter {
                text: q.into(),
                ..base.clone()
            })
            .await?;
            all.push(ms);
            per_query[i].push(ms);
            found.push((q, rows.len(), n.n, n.more));
        }
    }
    found.truncate(QUERIES.len());
    println!("customer search (rows, count, more) per query: {found:?}");
    report("customer search: page of 50 + count", all);
    for (q, ms) in QUERIES.iter().zip(per_query) {
        report(&format!("  {q:?}"), ms);
    }

    let shop = store.list_shops().await?.first().map(|s| s.id);
    let mut first = Vec::new();
    let mut newest = Vec::new();
    let mut by_shop = Vec::new();
    let mut deep = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..ROUNDS {
        let (ms, rows, _) = page(base.clone()).await?;
        first.push(ms);
        let (ms, _, _) = page(CustomerFilter {
            sort: CustomerSort::Newest,
            ..base.clone()
        })
        .await?;
        newest.push(ms);
        let (ms, _, _) = page(CustomerFilter {
            criteria: Criteria {
                shop,
                ..Default::default()
            },
            ..base.clone()
        })
        .await?;
        by_shop.push(ms);
        let mut f = base.clone();
        let mut last = rows.last().map(|c| c.cursor());
        for _ in 0..20 {
            f.after = last;
            let rows = store.list_customers(&f).await?;
            last = rows.last().map(|c| c.cursor());
            ids.extend(rows.iter().map(|c| c.id));
        }
        f.after = last;
        let (ms, _, _) = page(f).await?;
        deep.push(ms);
    }
    report("customer list + count, first page by name", first);
    report("customer list + count, newest first", newest);
    report("customer list + count, one store's", by_shop);
    report("customer list + count, 21st page by keyset", deep);
    let mut card = Vec::new();
    for id in ids.iter().step_by((ids.len() / 200).max(1)).take(200) {
        let t = Instant::now();
        let found = store.customer_card(*id).await?;
        card.push(t.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(found.is_some(), "customer {id} has no card");
    }
    report("customer card", card);
    scan(store).await
}

/// Issue 12's target: the duplicate scan of the whole base < 30 s (one run: it is a
/// background job, its time is what the page's progress shows).
async fn scan(store: &SqlStore) -> anyhow::Result<()> {
    let n = store.live_clients().await?;
    let t = Instant::now();
    let id = store.start_scan("system:bench").await?;
    let found = fieldcase_server::customers::scan::run(store, id).await?;
    println!(
        "duplicate scan of {n} customers: {:.1} s, {found} pairs found",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
