//! Assignment by region (issue 12, point 6) against a real hub and two advisers'
//! phones: a customer the office added without an adviser is given by the rule
//! that covers their postal code to that adviser, whose phone gets them; moved by
//! hand to another adviser with an open order, the new adviser's phone gets the
//! customer and the order, the old one's loses both (and is told), and SQL follows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::customers::assign::{assign, by_rules};
use fieldcase_server::store::{ClientRow, Product, ProductKind};
use fieldcase_shared::docs::records::{LineRecord, OrderRecord};
use fieldcase_shared::{ClientId, Money, OrderId, ProductId};
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;
use fieldcase_tests::world::WAIT;
use time::OffsetDateTime;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_goes_to_the_advisers_region_and_moves_with_their_open_orders() {
    let frame = ProductId::new();
    let field = Field::start_with(
        &[Product {
            id: frame,
            sku: "RB-1".into(),
            kind: ProductKind::Frame,
            name: "Wayfarer".into(),
            brand: "Ray-Ban".into(),
            colour: String::new(),
            size: String::new(),
            price: Money::from_czk(2_000),
            vat_bp: 2100,
            attrs: Default::default(),
        }],
        2,
    )
    .await;
    let store = field.hub.store.clone();
    let state = &field.hub.state;
    let (brno, plzen) = (field.advisers[0], field.advisers[1]);
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let first = field.phone_of(brno, &dirs[0], "Brno").await;
    let second = field.phone_of(plzen, &dirs[1], "Plzeň").await;
    // Brno's region: 600 00–699 99.
    store
        .add_assignment_rule(&field.office, "60000", "69999", brno)
        .await
        .unwrap();
    store
        .add_assignment_rule(&field.office, "30000", "39999", plzen)
        .await
        .unwrap();
    // A customer from the e-shop (no adviser) in Brno, one outside every region.
    let (eva, ota) = (ClientId::new(), ClientId::new());
    let row = |id, name: &str, postal: &str| ClientRow {
        id,
        adviser: None,
        first_name: name.into(),
        last_name: "Přiřazená".into(),
        phone: String::new(),
        email: String::new(),
        street: String::new(),
        city: "Brno".into(),
        postal_code: postal.into(),
        created_at: OffsetDateTime::now_utc(),
    };
    store
        .insert_clients(&[row(eva, "Eva", "602 00"), row(ota, "Ota", "110 00")], &[])
        .await
        .unwrap();
    assert_eq!(
        store.unassigned_covered(100).await.unwrap(),
        vec![(eva, brno)]
    );
    assert_eq!(by_rules(state, &field.office).await.unwrap(), 1);
    assert_eq!(store.client_owner(eva).await.unwrap(), Some(Some(brno)));
    assert_eq!(
        store.client_owner(ota).await.unwrap(),
        Some(None),
        "no rule covers Ota"
    );
    let has = |phone: &fieldcase_device::Device, id: ClientId| {
        phone.clients().iter().any(|(c, _)| *c == id)
    };
    eventually("Eva on the Brno phone", WAIT, || async { has(&first, eva) })
        .await
        .unwrap();

    // The Brno adviser takes an order for Eva.
    let order = OrderId::new();
    first
        .take_order(
            order,
            &OrderRecord {
                client: eva.to_string(),
                variable_symbol: "9000400001".into(),
                status: "intake".into(),
                lines: vec![LineRecord {
                    id: uuid::Uuid::now_v7().to_string(),
                    kind: "frame".into(),
                    product: Some(frame.to_string()),
                    text: "Wayfarer".into(),
                    quantity: 1,
                    unit_price: 200_000,
                    vat_bp: 2100,
                    discount: 0,
                }],
                created_at: OffsetDateTime::now_utc()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    eventually("the order in SQL", WAIT, || {
        let store = store.clone();
        async move { store.order_status(order).await.unwrap().is_some() }
    })
    .await
    .unwrap();

    // The office moves Eva to Plzeň by hand.
    assert_eq!(
        assign(state, &field.office, eva, plzen).await.unwrap(),
        Some(brno)
    );
    let holds_order = |phone: &fieldcase_device::Device| {
        phone.orders().iter().any(|(o, _)| *o == order.to_string())
    };
    eventually(
        "Eva and her order moved between the phones",
        WAIT,
        || async {
            has(&second, eva) && holds_order(&second) && !has(&first, eva) && !holds_order(&first)
        },
    )
    .await
    .unwrap();
    assert!(
        !first.inbox_about(&format!("clients/{eva}")).is_empty(),
        "the Brno adviser is told"
    );
    assert_eq!(store.client_owner(eva).await.unwrap(), Some(Some(plzen)));
    let card = store
        .order_card(order, fieldcase_shared::Role::Office)
        .await
        .unwrap()
        .unwrap();
    assert!(
        card.adviser_name
            .contains(&store.get_adviser(plzen).await.unwrap().name)
    );
    // Unknown customer: refused, nothing moved.
    assert!(
        assign(state, &field.office, ClientId::new(), plzen)
            .await
            .is_err()
    );
    field.hub.stop().await.unwrap();
}
