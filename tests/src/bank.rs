//! What the bank's store tests share: orders of one client with a bank account to
//! book payments on, and movements as FIO gives them.

use fieldcase_server::integrations::fio::Movement;
use fieldcase_server::store::{Actor, BankStore, OrderRow, OrderStore, ProjectionStore, SqlStore};
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{ClientId, Money, OrderId, OrderStatus};
use time::OffsetDateTime;
use uuid::Uuid;

/// Orders seeded by [`seed`] and the account.
pub struct Seeded {
    /// The orders, in the order asked for.
    pub orders: Vec<OrderId>,
    /// The bank account (its token is no real one).
    pub account: Uuid,
}

/// Orders with these (VS, total CZK, deposit CZK, status), of one client of one
/// adviser, and a bank account.
pub async fn seed(
    store: &SqlStore,
    orders: &[(&str, i64, i64, OrderStatus)],
) -> anyhow::Result<Seeded> {
    let network = crate::small_network(store, 1).await?;
    let adviser = network.advisers[0];
    let client = ClientId::new();
    let record = ClientRecord {
        first_name: "Jana".into(),
        last_name: "Nováková".into(),
        ..Default::default()
    };
    let batch = fieldcase_server::store::ProjectionBatch {
        clients: vec![(client, record)],
        ..Default::default()
    };
    store.project(adviser, &batch).await?;
    let now = OffsetDateTime::now_utc();
    let rows: Vec<OrderRow> = orders
        .iter()
        .map(|(vs, total, deposit, status)| OrderRow {
            id: OrderId::new(),
            variable_symbol: (*vs).into(),
            client,
            adviser: Some(adviser),
            shop: None,
            prescription: None,
            status: *status,
            total: Money::from_czk(*total),
            deposit: Money::from_czk(*deposit),
            created_at: now,
            updated_at: now,
        })
        .collect();
    store.insert_orders(&rows, &[]).await?;
    let account = Uuid::now_v7();
    let system = Actor::system("test");
    let iban = "CZ6520100000002900000000";
    store
        .add_bank_account(&system, account, "Hlavní účet", iban, b"sealed")
        .await?;
    Ok(Seeded {
        orders: rows.iter().map(|r| r.id).collect(),
        account,
    })
}

/// An incoming (or, negative, outgoing) movement of `czk` in `currency` with `vs`,
/// booked on `day`, from account 2900000000/2010.
pub fn pay(id: i64, czk: i64, currency: &str, vs: &str, day: time::Date) -> Movement {
    Movement {
        id,
        date: Some(day),
        amount: Money::from_czk(czk),
        currency: currency.into(),
        vs: vs.into(),
        counter_account: "2900000000".into(),
        bank_code: "2010".into(),
        counter_name: "Jana Nováková".into(),
        ..Movement::default()
    }
}
