//! `commission-bench DATABASE_URL`: issue 14's targets — the accrual of a day's
//! 2,000 paid-and-delivered orders in under 1 s, and a year's statement of one
//! adviser in under 200 ms — on SQLite and PostgreSQL. Seeds a fresh database
//! (a new SQLite file or a new PostgreSQL database is the caller's): 50 advisers
//! with levels and team leads, five rules (frames, lenses, a senior's frames,
//! everything else, the leads' override), and 2,000 orders of a frame and two
//! lenses, delivered and paid (their deposit), which the insert queues for the
//! accrual; then the accrual drains the queue. For the statement, one adviser's
//! year of history: 3,000 lines (accruals, reversals, adjustments, monthly
//! payouts) among 15,000 lines of five other advisers. Prints the timings; the
//! numbers go to bench/RESULTS.md.

use std::time::Instant;

use fieldcase_server::catalog::store::{Attributes, Product, ProductKind};
use fieldcase_server::commission::rules::{Level, Rule};
use fieldcase_server::commission::statement;
use fieldcase_server::commission::store::accrue::ACCRUAL_BATCH;
use fieldcase_server::commission::store::rules::AdviserLevel;
use fieldcase_server::store::{
    Actor, AdviserFilter, CatalogStore, ClientRow, CommissionAccrualStore, CommissionRuleStore,
    CommissionStore, FieldStore, HubStore, NetworkStore, NewAdviser, NewShop, OrderLineRow,
    OrderRow, OrderStore, ProjectionStore, SqlStore,
};
use fieldcase_shared::docs::commission::CommissionEntryRecord;
use fieldcase_shared::{AdviserId, ClientId, Money, OrderId, OrderLineId, OrderStatus, ProductId};
use time::OffsetDateTime;
use time::macros::date;

const ORDERS: usize = 2_000;
const ADVISERS: usize = 50;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::args().nth(1).ok_or_else(|| {
        anyhow::anyhow!("usage: commission-bench DATABASE_URL (a fresh database)")
    })?;
    let store = SqlStore::connect(&url).await?;
    store.migrate().await?;
    let who = Actor::system("bench");
    let advisers = network(&store, &who).await?;
    for (rate, group, level) in [
        (1_000, Some("frame"), None),
        (500, Some("lens"), None),
        (1_200, Some("frame"), Some(Level::Senior)),
        (300, None, None),
        (200, None, Some(Level::Lead)),
    ] {
        let rule = Rule {
            id: uuid::Uuid::now_v7(),
            version: 1,
            group: group.map(str::to_owned),
            level,
            campaign: None,
            rate_bp: rate,
            valid_from: date!(2026 - 01 - 01),
            valid_to: None,
        };
        store.put_commission_rule(&who, &rule).await?;
    }
    let frame = product("RB5154", ProductKind::Frame, 6_050, 2_100);
    let lens = product("ROD160", ProductKind::Lens, 2_240, 1_200);
    store
        .insert_products(&[frame.clone(), lens.clone()])
        .await?;
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
    let total = Money::from_czk(6_050 + 2 * 2_240);
    let mut orders = Vec::with_capacity(ORDERS);
    let mut lines = Vec::with_capacity(ORDERS * 2);
    for i in 0..ORDERS {
        let order = OrderId::new();
        orders.push(OrderRow {
            id: order,
            variable_symbol: format!("88{i:08}"),
            client,
            adviser: Some(advisers[i % ADVISERS]),
            shop: None,
            prescription: None,
            status: OrderStatus::Delivered,
            total,
            deposit: total,
            created_at: now,
            updated_at: now,
        });
        for (position, p, quantity) in [(0, &frame, 1), (1, &lens, 2)] {
            lines.push(OrderLineRow {
                id: OrderLineId::new(),
                order,
                position,
                product: Some(p.id),
                text: p.sku.clone(),
                quantity,
                unit_price: p.price,
                vat_bp: p.vat_bp,
                discount: Money::ZERO,
            });
        }
    }
    let t = Instant::now();
    for (o, l) in orders.chunks(500).zip(lines.chunks(1_000)) {
        store.insert_orders(o, l).await?;
    }
    store.execute_raw("ANALYZE").await?;
    println!(
        "seeded {ORDERS} paid and delivered orders in {:.1} s; queued: {}",
        t.elapsed().as_secs_f64(),
        store.commission_queued().await?
    );

    let job = Actor::system("commission-accrual");
    let t = Instant::now();
    let (mut orders_seen, mut booked) = (0, 0);
    loop {
        let run = store.accrue_queued(&job, ACCRUAL_BATCH).await?;
        if run.orders == 0 {
            break;
        }
        orders_seen += run.orders;
        booked += run.lines;
    }
    let accrual = t.elapsed();
    println!(
        "accrual: {orders_seen} orders, {booked} lines in {:.3} s (target < 1 s)",
        accrual.as_secs_f64()
    );

    // A year of history: adviser 0's 3,000 lines among 15,000 of five others.
    let t = Instant::now();
    let year_start = date!(2025 - 01 - 01).midnight().assume_utc();
    for (n, adviser) in advisers.iter().enumerate().take(6) {
        for i in 0..3_000 {
            let at = year_start + time::Duration::minutes((i as i64) * 175 + n as i64);
            let (kind, amount) = match i % 10 {
                0 => ("reversal", -15_000),
                1 => ("adjustment", 2_500),
                9 if i % 250 == 9 => ("payout", -1_000_000),
                _ => ("accrual", 45_000),
            };
            store
                .add_commission_entry(
                    &who,
                    *adviser,
                    uuid::Uuid::now_v7(),
                    &CommissionEntryRecord {
                        kind: kind.into(),
                        amount,
                        at: at.format(&time::format_description::well_known::Rfc3339)?,
                        note: "bench".into(),
                        ..Default::default()
                    },
                )
                .await?;
        }
    }
    store.execute_raw("ANALYZE").await?;
    println!(
        "seeded 18,000 ledger lines in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let first = store
        .list_advisers(&AdviserFilter::default())
        .await?
        .into_iter()
        .find(|a| a.id == advisers[0])
        .ok_or_else(|| anyhow::anyhow!("adviser 0"))?;
    for run in 1..=3 {
        let t = Instant::now();
        let months = statement::year(&store, &first, 2025).await?;
        let took = t.elapsed();
        let t = Instant::now();
        let one = statement::month(&store, &first, months[11].month).await?;
        let pdf = statement::pdf(&first, &one, "fieldcase", fieldcase_shared::Lang::Cs)?;
        println!(
            "run {run}: a year's statement (12 months, closing {}) in {:.1} ms (target < 200 ms); December's {} lines as a {} kB PDF in {:.1} ms",
            Money::from_haler(months[11].closing).to_decimal_string(),
            took.as_secs_f64() * 1_000.0,
            one.1.len(),
            pdf.len() / 1_024,
            t.elapsed().as_secs_f64() * 1_000.0
        );
    }
    Ok(())
}

fn product(sku: &str, kind: ProductKind, czk: i64, vat_bp: i64) -> Product {
    Product {
        id: ProductId::new(),
        sku: sku.into(),
        kind,
        name: sku.into(),
        brand: String::new(),
        colour: String::new(),
        size: String::new(),
        price: Money::from_czk(czk),
        vat_bp,
        attrs: Attributes::default(),
    }
}

/// A shop and `ADVISERS` advisers: every fifth a team lead, the others seniors
/// and juniors in the lead's team.
async fn network(store: &SqlStore, who: &Actor) -> anyhow::Result<Vec<AdviserId>> {
    let shop = store
        .create_shop(
            who,
            &NewShop {
                code: "BRN1".into(),
                name: "Brno".into(),
                ..Default::default()
            },
        )
        .await?;
    let mut ids = Vec::with_capacity(ADVISERS);
    for i in 0..ADVISERS {
        let a = NewAdviser {
            code: format!("P{i:04}"),
            name: format!("Poradce {i}"),
            email: format!("p{i}@example.cz"),
            phone: String::new(),
            region: "JM".into(),
            home_shop: shop.id,
            password_hash: "x".into(),
        };
        ids.push(store.create_adviser(who, &a).await?.id);
    }
    for (i, adviser) in ids.iter().enumerate() {
        let (level, team_lead) = match i % 5 {
            0 => (Level::Lead, None),
            1 | 2 => (Level::Senior, Some(ids[i - i % 5])),
            _ => (Level::Junior, Some(ids[i - i % 5])),
        };
        store
            .set_adviser_level(
                who,
                &AdviserLevel {
                    adviser: *adviser,
                    valid_from: date!(2026 - 01 - 01),
                    level,
                    team_lead,
                },
            )
            .await?;
    }
    Ok(ids)
}
