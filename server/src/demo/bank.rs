//! The demo's bank: one FIO account (switched off: the demo reaches no bank; its
//! token is a made-up one, sealed like a real one) with two months of movements
//! booked and matched as a download would — orders paid exactly, one short, one
//! over, payments nobody's (unknown or missing VS, euros) and an outgoing one —
//! so the Bank and Receivables pages and the order cards have something to show.

use fieldcase_shared::{Money, OrderStatus, Role};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Duration, OffsetDateTime};

use crate::integrations::fio::Movement;
use crate::money::connection::Bank;
use crate::orders::store::{OrderFilter, OrderSort, Paid};
use crate::store::{Actor, Store};

/// The demo account.
pub const DEMO_IBAN: &str = "CZ3620100000002900000099";

fn movement(
    id: i64,
    days_ago: i64,
    czk: Money,
    vs: &str,
    name: &str,
    today: time::Date,
) -> Movement {
    Movement {
        id,
        date: Some(today - Duration::days(days_ago)),
        amount: czk,
        currency: "CZK".into(),
        counter_account: "2900000000".into(),
        bank_code: "2010".into(),
        counter_name: name.into(),
        vs: vs.into(),
        message: format!("Platba {vs}"),
        kind: "Bezhotovostní příjem".into(),
        ..Movement::default()
    }
}

/// Seeds the account and its movements (once: nothing when the account exists).
pub async fn seed(store: &dyn Store, bank: &Bank) -> anyhow::Result<()> {
    if store
        .bank_accounts()
        .await?
        .iter()
        .any(|a| a.iban == DEMO_IBAN)
    {
        return Ok(());
    }
    let actor = Actor::system("demo");
    let account = crate::money::bank::add_account(
        store,
        bank,
        &actor,
        Role::Admin,
        "Provozní účet (demo)",
        DEMO_IBAN,
        "demoTokenNikdyNeodesilany0000000000000000000000000000000000000000",
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    store
        .set_bank_account_active(&actor, account, false)
        .await?;
    let unpaid = store
        .list_orders(&OrderFilter {
            paid: Some(Paid::Unpaid),
            sort: OrderSort::Oldest,
            limit: 60,
            ..OrderFilter::default()
        })
        .await?;
    let today = OffsetDateTime::now_utc().date();
    let mut rng = StdRng::seed_from_u64(0x00BA_4C00);
    let mut lines = Vec::new();
    let mut next = 24_000_000_000i64;
    let mut id = || {
        next += 1;
        next
    };
    // Orders already in the lab or further are paid by now; those just taken or
    // confirmed still owe.
    let fresh = |s: OrderStatus| matches!(s, OrderStatus::Intake | OrderStatus::Confirmed);
    for (i, o) in unpaid.iter().filter(|o| !fresh(o.status)).enumerate() {
        let left = o.payment().left();
        let days = rng.random_range(0..70);
        let amount = match i % 10 {
            // One in ten pays short, one over; the rest exactly.
            3 => Money::from_haler(left.haler() / 2 / 100 * 100),
            7 => left + Money::from_czk(100),
            _ => left,
        };
        if amount.haler() > 0 && i % 4 != 1 {
            lines.push(movement(
                id(),
                days,
                amount,
                &o.variable_symbol,
                &o.client_name,
                today,
            ));
        }
    }
    lines.push(movement(
        id(),
        3,
        Money::from_czk(1_290),
        "2026000999",
        "Karel Dvořák",
        today,
    ));
    lines.push(movement(
        id(),
        20,
        Money::from_czk(450),
        "",
        "Marie Horáková",
        today,
    ));
    lines.push(movement(
        id(),
        40,
        Money::from_czk(2_500),
        "123",
        "Optik Brno s.r.o.",
        today,
    ));
    let mut euros = movement(id(), 65, Money::from_czk(120), "", "Hans Müller", today);
    euros.currency = "EUR".into();
    lines.push(euros);
    lines.push(movement(
        id(),
        10,
        Money::from_czk(-8_400),
        "",
        "Dodavatel čoček a.s.",
        today,
    ));
    store.import_movements(&actor, account, &lines).await?;
    Ok(())
}
