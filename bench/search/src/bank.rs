//! `bank-bench DATABASE_URL`: issue 13's target — importing and matching 50,000
//! bank movements (one FIO statement at its largest) in under 2 s, on SQLite and
//! PostgreSQL. Seeds 50,000 unpaid orders into a fresh database (a new SQLite file
//! or a new PostgreSQL schema is the caller's), then books a statement of 50,000
//! movements — 80 % paying an order exactly (VS with leading zeros in one of ten),
//! 8 % short, 2 % over, 5 % unknown VS, 3 % in EUR, 2 % outgoing — and the same
//! statement again (everything already booked). Prints the timings; the numbers go
//! to bench/RESULTS.md.

use std::time::Instant;

use fieldcase_server::integrations::fio::Movement;
use fieldcase_server::store::{
    Actor, BankStore, ClientRow, HubStore, OrderRow, OrderStore, ProjectionStore, SqlStore,
};
use fieldcase_shared::{ClientId, Money, OrderId, OrderStatus};
use time::OffsetDateTime;

const N: usize = 50_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: bank-bench DATABASE_URL (a fresh database)"))?;
    let store = SqlStore::connect(&url).await?;
    store.migrate().await?;
    let now = OffsetDateTime::now_utc();
    let client = ClientId::new();
    store
        .insert_clients(
            &[ClientRow {
                id: client,
                adviser: None,
                first_name: "Jana".into(),
                last_name: "Nováková".into(),
                phone: String::new(),
                email: String::new(),
                street: String::new(),
                city: String::new(),
                postal_code: String::new(),
                created_at: now,
            }],
            &[],
        )
        .await?;
    let total = Money::from_czk(2_490);
    let orders: Vec<OrderRow> = (0..N)
        .map(|i| OrderRow {
            id: OrderId::new(),
            variable_symbol: format!("77{i:08}"),
            client,
            adviser: None,
            shop: None,
            prescription: None,
            status: OrderStatus::Confirmed,
            total,
            deposit: Money::ZERO,
            created_at: now,
            updated_at: now,
        })
        .collect();
    let t = Instant::now();
    for chunk in orders.chunks(5_000) {
        store.insert_orders(chunk, &[]).await?;
    }
    // As a live database's statistics would be (autovacuum analyses a table that
    // grew this much).
    store.execute_raw("ANALYZE").await?;
    println!("seeded {N} orders in {:.1} s", t.elapsed().as_secs_f64());
    let account = uuid::Uuid::now_v7();
    let actor = Actor::system("bench");
    store
        .add_bank_account(
            &actor,
            account,
            "Bench",
            "CZ6520100000002900000098",
            b"sealed",
        )
        .await?;
    let movements: Vec<Movement> = (0..N)
        .map(|i| {
            let vs = format!("77{i:08}");
            let (amount, currency, vs) = match i % 100 {
                0..=79 => (
                    total,
                    "CZK",
                    if i % 10 == 0 { format!("00{vs}") } else { vs },
                ),
                80..=87 => (Money::from_czk(1_000), "CZK", vs),
                88..=89 => (Money::from_czk(3_000), "CZK", vs),
                90..=94 => (total, "CZK", format!("99{i:08}")),
                95..=97 => (Money::from_czk(100), "EUR", vs),
                _ => (Money::from_czk(-500), "CZK", String::new()),
            };
            Movement {
                id: 30_000_000_000 + i as i64,
                date: Some(now.date()),
                amount,
                currency: currency.into(),
                vs,
                counter_account: "2900000000".into(),
                bank_code: "2010".into(),
                counter_name: "Plátce".into(),
                ..Movement::default()
            }
        })
        .collect();
    let t = Instant::now();
    let done = store.import_movements(&actor, account, &movements).await?;
    let first = t.elapsed().as_secs_f64();
    println!(
        "import and match {N}: {first:.2} s — {} matched, {} partial, {} over, {} receivable, {} ignored",
        done.matched, done.partial, done.over, done.receivable, done.ignored
    );
    let t = Instant::now();
    let again = store.import_movements(&actor, account, &movements).await?;
    println!(
        "the same statement again: {:.2} s — {} new, {} already booked",
        t.elapsed().as_secs_f64(),
        again.new,
        again.seen
    );
    anyhow::ensure!(
        done.new == N && again.new == 0,
        "every movement booked once"
    );
    Ok(())
}
