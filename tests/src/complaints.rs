//! A delivered order to complain about: its customer (with an e-mail), its lines,
//! and an order still in the lab.

use fieldcase_server::store::{OrderLineRow, OrderRow, Store};
use fieldcase_shared::{AdviserId, Money, OrderId, OrderLineId, OrderStatus};
use time::OffsetDateTime;

/// A customer with an e-mail, a delivered order (VS 7100000001: a frame at
/// position 1, a lens at 2) and one in the lab (7100000002), their events closed.
pub struct Seeded {
    pub adviser: AdviserId,
    pub delivered: OrderId,
    pub in_lab: OrderId,
    pub frame: OrderLineRow,
    pub lens: OrderLineRow,
    pub other: OrderLineRow,
}

/// Seeds it into `store`.
pub async fn seed(store: &dyn Store) -> anyhow::Result<Seeded> {
    let network = crate::small_network(store, 1).await?;
    let adviser = network.advisers[0];
    let client =
        crate::customer_with_email(store, adviser, ("Jana", "Nováková"), "jana@example.cz").await?;
    let now = OffsetDateTime::now_utc();
    let order = |vs: &str, status| OrderRow {
        id: OrderId::new(),
        variable_symbol: vs.into(),
        client,
        adviser: Some(adviser),
        shop: None,
        prescription: None,
        status,
        total: Money::from_czk(9_000),
        deposit: Money::ZERO,
        created_at: now,
        updated_at: now,
    };
    let (delivered, in_lab) = (
        order("7100000001", OrderStatus::Delivered),
        order("7100000002", OrderStatus::InLab),
    );
    let line = |order: OrderId, position, text: &str| OrderLineRow {
        id: OrderLineId::new(),
        order,
        position,
        product: None,
        text: text.into(),
        quantity: 1,
        unit_price: Money::from_czk(4_500),
        vat_bp: 2_100,
        discount: Money::ZERO,
    };
    let (frame, lens, other) = (
        line(delivered.id, 1, "Obroučka Esprit"),
        line(delivered.id, 2, "Čočka Essilor 1.6"),
        line(in_lab.id, 1, "Obroučka Ray-Ban"),
    );
    store
        .insert_orders(
            &[delivered.clone(), in_lab.clone()],
            &[frame.clone(), lens.clone(), other.clone()],
        )
        .await?;
    store.close_open_events().await?;

    Ok(Seeded {
        adviser,
        delivered: delivered.id,
        in_lab: in_lab.id,
        frame,
        lens,
        other,
    })
}
