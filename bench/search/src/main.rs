//! Order search at scale (issue 11's target: 1,000,000 orders, search p95 < 50 ms):
//! seeds the demo network with ORDERS orders into DATABASE_URL (a fresh SQLite file
//! or PostgreSQL database), then times the Orders list's text filter, the full-text
//! index (`OrderStore::list_orders`) against the naive `LIKE '%…%'` over the client's
//! name and the variable symbol (the list's filter before the index), same queries,
//! same run. Release build only:
//! `cargo run --release -p fieldcase-search-bench -- DATABASE_URL [ORDERS]`.

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
const ROUNDS: usize = 20;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut ms: Vec<f64>) {
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
    let store = SqlStore::connect(&url).await?;
    store.migrate().await?;
    let scale = Scale {
        advisers: 250,
        clients: orders / 5,
        orders,
    };
    let started = Instant::now();
    let summary = demo::seed(&store, scale, false).await?;
    println!(
        "seeded {summary:?} in {:.1} s (with the search index)",
        started.elapsed().as_secs_f64()
    );

    let mut fts = Vec::new();
    let mut found = Vec::new();
    for _ in 0..ROUNDS {
        for q in QUERIES {
            let t = Instant::now();
            let rows = store
                .list_orders(&OrderFilter {
                    text: q.into(),
                    limit: 100,
                    ..Default::default()
                })
                .await?;
            fts.push(t.elapsed().as_secs_f64() * 1e3);
            found.push((q, rows.len()));
        }
    }
    found.truncate(QUERIES.len());
    println!("full-text hits per query (limit 100): {found:?}");
    report("full-text index (list_orders)", fts);

    // The list's filter before the index, on its own pool to the same database.
    let like_sql = "SELECT o.id FROM orders o JOIN clients c ON c.id = o.client_id \
                    WHERE o.variable_symbol LIKE $1 OR LOWER(c.last_name || ' ' || c.first_name) LIKE $1 \
                    ORDER BY o.created_at DESC LIMIT 100";
    let mut like = Vec::new();
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&url).await?;
        for _ in 0..ROUNDS {
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
        for _ in 0..ROUNDS {
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
    Ok(())
}
