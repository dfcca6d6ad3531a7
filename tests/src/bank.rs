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

/// The company as the money tests configure it (name, IBAN, IČO, DIČ, address).
pub fn company() -> fieldcase_server::config::Config {
    fieldcase_server::config::Config {
        payee_name: "Optika Test s.r.o.".into(),
        payee_iban: "CZ6508000000192000145399".into(),
        company_ico: "27074358".into(),
        company_dic: "CZ27074358".into(),
        company_street: "Masarykova 12".into(),
        company_city: "Brno".into(),
        company_postal_code: "602 00".into(),
        ..fieldcase_server::config::Config::default()
    }
}

/// A confirmed order `vs` of a frame (5 040 Kč, 21 %) and two lenses (2 × 2 670
/// Kč, 12 %) for 10 000 Kč after a 380 Kč order-wide discount, nothing paid, with
/// [`seed`]'s bank account.
pub async fn order_with_lines(store: &SqlStore, vs: &str) -> anyhow::Result<(OrderId, Uuid)> {
    use fieldcase_server::store::OrderLineRow;
    let s = seed(store, &[(vs, 10_000, 0, OrderStatus::Confirmed)]).await?;
    let order = s.orders[0];
    let line = |position, text: &str, quantity, price, vat_bp| OrderLineRow {
        id: fieldcase_shared::OrderLineId::new(),
        order,
        position,
        product: None,
        text: text.into(),
        quantity,
        unit_price: Money::from_czk(price),
        vat_bp,
        discount: Money::ZERO,
    };
    store
        .insert_orders(
            &[],
            &[
                line(0, "Obruba Ray-Ban RX5154", 1, 5_040, 2100),
                line(1, "Čočka Rodenstock 1.60", 2, 2_670, 1200),
            ],
        )
        .await?;
    Ok((order, s.account))
}
