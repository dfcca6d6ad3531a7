//! Order search at scale (issue 11's target: 1,000,000 orders, search p95 < 50 ms):
//! seeds the demo network with ORDERS orders into DATABASE_URL (a fresh SQLite file
//! or PostgreSQL database), then times the Orders list's text filter, the full-text
//! index (`OrderStore::list_orders`) against the naive `LIKE '%…%'` over the client's
//! name and the variable symbol (the list's filter before the index), same queries,
//! same run; then the rest of the Orders page at that size: a list page with its
//! status tabs' counts (first page, a status tab, 20 pages deep by keyset) and the
//! order card. A database that already holds the orders is not seeded again.
//! Then the same for customers (`customers.rs`; ORDERS / 5 of them). With
//! `customers` as the third argument, only the customers part runs.
//! Release build only:
//! `cargo run --release -p fieldcase-search-bench -- DATABASE_URL [ORDERS] [customers]`.

mod customers;
mod segments;

use std::time::Instant;

use fieldcase_server::demo::{self, Scale};
use fieldcase_server::store::{HubStore, OrderFilter, OrderStore, SqlStore};

/// What people type: surnames (folded, with and without diacritics), a prefix, a
/// phone fragment, a variable-symbol prefix, two words, a product.
const QUERIES: [&str; 8] = [
    "novak",
    "Šimková",
    "dvor",
    "603",
    "2026000",
    "jana nov",
    "ray-ban",
    "kopecky tomas",
];
pub(crate) const ROUNDS: usize = 20;
/// The naive baseline takes seconds a query: fewer rounds.
const LIKE_ROUNDS: usize = 5;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub(crate) fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "{name}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} searches",
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.last().copied().unwrap_or(0.0),
        ms.len()
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: search-bench DATABASE_URL [ORDERS]"))?;
    let orders: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let only_customers = args.next().as_deref() == Some("customers");
    let store = SqlStore::connect(&url).await?;
    store.migrate().await?;
    let scale = Scale {
        advisers: 250,
        clients: orders / 5,
        orders,
    };
    let held: i64 = store.count_orders(&OrderFilter::default()).await?.total();
    if held >= orders as i64 {
        println!("the database already holds {held} orders: not seeded again");
    } else {
        let started = Instant::now();
        let summary = demo::seed(&store, scale, false).await?;
        println!(
            "seeded {summary:?} in {:.1} s (with the search index)",
            started.elapsed().as_secs_f64()
        );
    }

    customers::customers(&store).await?;
    segments::segments(&store).await?;
    if only_customers {
        return Ok(());
    }

    let mut fts = Vec::new();
    let mut per_query: Vec<Vec<f64>> = vec![Vec::new(); QUERIES.len()];
    let mut found = Vec::new();
    for _ in 0..ROUNDS {
        for (i, q) in QUERIES.into_iter().enumerate() {
            let t = Instant::now();
            let rows = store
                .list_orders(&OrderFilter {
                    text: q.into(),
                    limit: 100,
                    ..Default::default()
                })
                .await?;
            let ms = t.elapsed().as_secs_f64() * 1e3;
            fts.push(ms);
            per_query[i].push(ms);
            found.push((q, rows.len()));
        }
    }
    found.truncate(QUERIES.len());
    println!("full-text hits per query (limit 100): {found:?}");
    report("full-text index (list_orders)", fts);
    for (q, ms) in QUERIES.iter().zip(per_query) {
        report(&format!("  {q:?}"), ms);
    }

    // The list's filter before the index, on its own pool to the same database.
    let like_sql = "SELECT o.id FROM orders o JOIN clients c ON c.id = o.client_id \
                    WHERE o.variable_symbol LIKE $1 OR LOWER(c.last_name || ' ' || c.first_name) LIKE $1 \
                    ORDER BY o.created_at DESC LIMIT 100";
    let mut like = Vec::new();
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&url).await?;
        for _ in 0..LIKE_ROUNDS {
            for q in QUERIES {
                let t = Instant::now();
                let _: Vec<(sqlx::types::Uuid,)> = sqlx::query_as(like_sql)
                    .bind(format!("%{}%", q.to_lowercase()))
                    .fetch_all(&pool)
                    .await?;
                like.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
    } else {
        let pool = sqlx::SqlitePool::connect(&url).await?;
        for _ in 0..LIKE_ROUNDS {
            for q in QUERIES {
                let t = Instant::now();
                let _: Vec<(sqlx::types::Uuid,)> = sqlx::query_as(like_sql)
                    .bind(format!("%{}%", q.to_lowercase()))
                    .fetch_all(&pool)
                    .await?;
                like.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    report("naive LIKE '%…%' (name, VS)", like);
    list_and_card(&store).await
}

/// The Orders page's server work at this size: one list page (50 rows) with the
/// tabs' counts, as the page asks for them, and the card of an order.
async fn list_and_card(store: &SqlStore) -> anyhow::Result<()> {
    use fieldcase_shared::OrderStatus;
    let page = |f: OrderFilter| async move {
        let t = Instant::now();
        let rows = store.list_orders(&f).await?;
        let counts = store.count_orders(&f).await?;
        anyhow::Ok((t.elapsed().as_secs_f64() * 1e3, rows, counts))
    };
    let base = OrderFilter {
        limit: 50,
        ..Default::default()
    };
    let mut first = Vec::new();
    let mut tab = Vec::new();
    let mut deep = Vec::new();
    let mut search = Vec::new();
    let mut ids = Vec::new();
    for round in 0..ROUNDS {
        let (ms, rows, _) = page(base.clone()).await?;
        first.push(ms);
        let (ms, _, _) = page(OrderFilter {
            status: Some(OrderStatus::InLab),
            ..base.clone()
        })
        .await?;
        tab.push(ms);
        let (ms, _, _) = page(OrderFilter {
            text: QUERIES[round % QUERIES.len()].into(),
            ..base.clone()
        })
        .await?;
        search.push(ms);
        // 20 pages deep by keyset: the 21st page is timed.
        let mut f = base.clone();
        let mut last = rows.last().map(|o| o.cursor());
        for _ in 0..20 {
            f.after = last;
            let rows = store.list_orders(&f).await?;
            last = rows.last().map(|o| o.cursor());
            ids.extend(rows.iter().map(|o| o.id));
        }
        f.after = last;
        let (ms, _, _) = page(f).await?;
        deep.push(ms);
    }
    report("list page + tab counts, first page", first);
    report("list page + tab counts, status tab in_lab", tab);
    report("list page + tab counts, with a text search", search);
    report("list page + tab counts, 21st page by keyset", deep);
    let mut card = Vec::new();
    for id in ids.iter().step_by((ids.len() / 200).max(1)).take(200) {
        let t = Instant::now();
        let found = store
            .order_card(*id, fieldcase_shared::Role::Office)
            .await?;
        card.push(t.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(found.is_some(), "order {id} has no card");
    }
    report("order card", card);
    Ok(())
}
