//! The hub re-prices every incoming order with the shared pricing rules and the
//! catalog as it was when the order was taken (issue 10, point 7): a tampered or
//! stale price, or a coupon that was not valid that day, is corrected in SQL and in
//! the document and explained in the adviser's inbox; an order taken before a price
//! change keeps its price; a correct order (with the adviser's discount) stands; another
//! customer's coupon is dropped with the reason; an order that arrives after its
//! coupon ran out but was taken while it applied keeps it (the phone's clock bounded
//! by the device's previous connection), with a note to the adviser.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::catalog::price::{NewPrice, set_price};
use fieldcase_server::store::{Product, ProductKind};
use fieldcase_shared::docs::catalog::CouponRecord;
use fieldcase_shared::docs::records::{ClientRecord, LineRecord, OrderRecord};
use fieldcase_shared::pricing::Pricing;
use fieldcase_shared::{ClientId, Money, OrderId, ProductId};
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;
use fieldcase_tests::world::WAIT;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

fn at(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap()
}

fn order(client: ClientId, product: ProductId, vs: &str, price: i64, created: &str) -> OrderRecord {
    OrderRecord {
        client: client.to_string(),
        variable_symbol: vs.into(),
        status: "intake".into(),
        lines: vec![LineRecord {
            id: uuid::Uuid::now_v7().to_string(),
            kind: "frame".into(),
            product: Some(product.to_string()),
            text: "Wayfarer".into(),
            quantity: 1,
            unit_price: price,
            vat_bp: 2100,
            discount: 0,
        }],
        created_at: created.into(),
        ..Default::default()
    }
}

/// A frame at 2 000 Kč.
fn wayfarer(id: ProductId) -> Product {
    Product {
        id,
        sku: "RB-2140".into(),
        kind: ProductKind::Frame,
        name: "Wayfarer".into(),
        brand: "Ray-Ban".into(),
        colour: "Černá".into(),
        size: "52□18 140".into(),
        price: Money::from_czk(2_000),
        vat_bp: 2100,
        attrs: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_prices_incoming_orders_from_the_catalog_of_their_day() {
    let frame = ProductId::new();
    let field = Field::start(&[wayfarer(frame)]).await;
    let store = field.hub.store.clone();
    let now = OffsetDateTime::now_utc();
    // The office raised the price yesterday; a coupon's last day was the day before.
    set_price(
        store.as_ref(),
        &field.office,
        &NewPrice {
            sku: "RB-2140",
            price: "2500",
            vat_bp: None,
            from: Some(&at(now - Duration::days(1))),
        },
    )
    .await
    .unwrap();
    let expired = (now - Duration::days(2)).date().to_string();
    store
        .put_coupon(
            &field.office,
            "STARY5",
            &CouponRecord {
                percent_bp: 500,
                amount: 0,
                valid_until: expired,
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // Another customer's coupon (the phone that took the order had not synced it).
    store
        .put_coupon(
            &field.office,
            "VIP",
            &CouponRecord {
                amount: 10_000,
                active: true,
                client: ClientId::new().to_string(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    // The phone has been in use for days: what it sends now may be that old (an
    // order cannot be older than the device's previous connection).
    for d in store.list_devices(field.adviser).await.unwrap() {
        for _ in 0..2 {
            store
                .touch_device(d.id, now - Duration::days(4))
                .await
                .unwrap();
        }
    }
    let client = ClientId::new();
    phone
        .save_client(
            client,
            &ClientRecord {
                first_name: "Jana".into(),
                created_at: at(now),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let two_days_ago = at(now - Duration::days(2));
    let today = at(now);
    // Taken offline before the change at the old price: keeps it.
    let before = OrderId::new();
    let before_rec = order(client, frame, "9000100001", 200_000, &two_days_ago);
    // Taken today at the old (stale or tampered) price: corrected to 2 500 Kč.
    let stale = OrderId::new();
    let stale_rec = order(client, frame, "9000100002", 200_000, &today);
    // Today's price with an expired coupon: the coupon is dropped.
    let couponed = OrderId::new();
    let mut couponed_rec = order(client, frame, "9000100003", 250_000, &today);
    couponed_rec.coupon = "STARY5".into();
    couponed_rec.coupon_discount = 12_500;
    couponed_rec.lines[0].discount = 12_500;
    // Today's price with the adviser's 10 % discount: stands.
    let discounted = OrderId::new();
    let mut discounted_rec = order(client, frame, "9000100004", 250_000, &today);
    discounted_rec.discount_pct = 10;
    discounted_rec.lines[0].discount = 25_000;
    // Another customer's coupon: dropped.
    let foreign = OrderId::new();
    let mut foreign_rec = order(client, frame, "9000100005", 250_000, &today);
    foreign_rec.coupon = "VIP".into();
    foreign_rec.coupon_discount = 10_000;
    foreign_rec.lines[0].discount = 10_000;
    // Taken two days ago (offline), the coupon's last day: it arrives after the
    // coupon ran out but was taken while it applied, so it stands, and the adviser
    // is told why.
    let late = OrderId::new();
    let mut late_rec = order(client, frame, "9000100006", 200_000, &two_days_ago);
    late_rec.coupon = "STARY5".into();
    late_rec.coupon_discount = 10_000;
    late_rec.lines[0].discount = 10_000;
    phone.take_order(late, &late_rec).await.unwrap();
    for (id, rec) in [
        (before, &before_rec),
        (stale, &stale_rec),
        (couponed, &couponed_rec),
        (discounted, &discounted_rec),
        (foreign, &foreign_rec),
    ] {
        phone.take_order(id, rec).await.unwrap();
    }

    let ids = [before, stale, couponed, discounted, foreign];
    let priced = |p: &Pricing| p.lines.iter().map(|l| (l.3, l.5)).collect::<Vec<_>>();
    eventually("all four orders priced in SQL", WAIT, || {
        let store = store.clone();
        async move {
            let sql = store.accepted_pricing(&ids).await.unwrap();
            sql.len() == 5
                && sql.get(&stale).map(priced) == Some(vec![(250_000, 0)])
                && sql.get(&foreign).is_some_and(|p| p.coupon.is_empty())
                && sql.get(&couponed).is_some_and(|p| p.coupon.is_empty())
        }
    })
    .await
    .unwrap();
    let sql = store.accepted_pricing(&ids).await.unwrap();
    assert_eq!(
        priced(&sql[&before]),
        vec![(200_000, 0)],
        "taken before the change"
    );
    assert_eq!(priced(&sql[&stale]), vec![(250_000, 0)]);
    assert_eq!(priced(&sql[&couponed]), vec![(250_000, 0)]);
    assert_eq!(sql[&couponed].coupon_discount, 0);
    assert_eq!(priced(&sql[&discounted]), vec![(250_000, 25_000)]);
    assert_eq!(
        sql[&discounted],
        Pricing::of(&discounted_rec),
        "a correct order stands"
    );

    // The phone gets the corrected orders and the explanations.
    eventually("the corrections on the phone", WAIT, || {
        let phone = &phone;
        async move {
            let orders = phone.orders();
            let get = |id: OrderId| {
                orders
                    .iter()
                    .find(|(o, _)| *o == id.to_string())
                    .map(|(_, r)| r.clone())
            };
            get(stale).is_some_and(|o| o.total() == 250_000)
                && get(couponed).is_some_and(|o| o.coupon.is_empty() && o.total() == 250_000)
                && !phone.inbox_about(&format!("orders/{stale}")).is_empty()
                && !phone.inbox_about(&format!("orders/{couponed}")).is_empty()
                && !phone.inbox_about(&format!("orders/{foreign}")).is_empty()
                && !phone.inbox_about(&format!("orders/{late}")).is_empty()
        }
    })
    .await
    .unwrap();
    let said = |id: OrderId| phone.inbox_about(&format!("orders/{id}"));
    let stale_said = &said(stale)[0].1;
    assert_eq!(stale_said.kind, "rejection");
    assert!(
        stale_said.text_cs.contains("2 000,00 Kč") && stale_said.text_cs.contains("2 500,00 Kč"),
        "{}",
        stale_said.text_cs
    );
    assert!(
        stale_said.text_en.contains("CZK 2,500.00"),
        "{}",
        stale_said.text_en
    );
    assert!(said(couponed)[0].1.text_cs.contains("STARY5"));
    assert!(
        said(foreign)[0]
            .1
            .text_cs
            .contains("Kupón patří jinému zákazníkovi."),
        "{}",
        said(foreign)[0].1.text_cs
    );
    assert_eq!(priced(&sql[&foreign]), vec![(250_000, 0)]);
    assert!(said(before).is_empty(), "{:?}", said(before));
    let late_sql = &store.accepted_pricing(&[late]).await.unwrap()[&late];
    assert_eq!(
        (late_sql.coupon.as_str(), late_sql.coupon_discount),
        ("STARY5", 10_000)
    );
    let late_said = &said(late)[0].1;
    assert_eq!(late_said.kind, "notification");
    assert!(
        late_said.text_cs.contains("Kupón STARY5 zakázce zůstává"),
        "{}",
        late_said.text_cs
    );
    assert!(said(discounted).is_empty(), "{:?}", said(discounted));
    field.hub.stop().await.unwrap();
}

/// A customer's price terms (issue 12, point 4): the office puts a customer in the
/// B2B tier (15 % off frames) with a 10 % minimum; the phone learns the terms from
/// the catalog document and prices an order with them offline; the hub, pricing
/// the same order from SQL, lets it stand. An order priced without the terms (a
/// phone that had not synced them) is corrected to the customer's discount.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_terms_price_orders_alike_on_phone_and_hub() {
    use fieldcase_shared::docs::catalog::{CustomerTermsRecord, TierRecord};
    use fieldcase_shared::pricing::{Pick, Terms, price_picks};
    let frame = ProductId::new();
    let field = Field::start(&[wayfarer(frame)]).await;
    let store = field.hub.store.clone();
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    let client = ClientId::new();
    let now = OffsetDateTime::now_utc();
    phone
        .save_client(
            client,
            &ClientRecord {
                first_name: "Firma".into(),
                created_at: at(now),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    eventually("the client in SQL", WAIT, || {
        let store = store.clone();
        async move { store.client_owner(client).await.unwrap().is_some() }
    })
    .await
    .unwrap();
    let tier = TierRecord {
        name: "Firmy".into(),
        classes: [("frame".to_owned(), 1_500)].into(),
    };
    store
        .put_discount_tier(&field.office, "B2B", &tier)
        .await
        .unwrap();
    let terms = CustomerTermsRecord {
        min_discount_bp: 1_000,
        tier: "B2B".into(),
    };
    store
        .set_customer_terms(&field.office, client, &terms)
        .await
        .unwrap();
    assert!(field.hub.state.sync.publish_offers().await.unwrap() >= 2);
    eventually("the terms on the phone", WAIT, || {
        let phone = &phone;
        async move { phone.price_terms(&client.to_string()).any() }
    })
    .await
    .unwrap();
    let phone_terms = phone.price_terms(&client.to_string());
    assert_eq!(phone_terms.min_bp, 1_000);
    assert_eq!(phone_terms.tier.get("frame"), Some(&1_500));

    // The phone prices an order with the terms; another was priced without them.
    let pick = || Pick {
        line: uuid::Uuid::now_v7().to_string(),
        kind: "frame".into(),
        product: frame.to_string(),
        text: "Wayfarer".into(),
        quantity: 1,
        price: 200_000,
        vat_bp: 2100,
    };
    let with_terms = OrderId::new();
    let (lines, _, _) = price_picks(vec![pick()], 0, &phone_terms, None, &client.to_string());
    assert_eq!(lines[0].discount, 30_000, "15 % off the frame");
    let with_rec = OrderRecord {
        lines,
        ..order(client, frame, "9000200001", 200_000, &at(now))
    };
    let without = OrderId::new();
    let (lines, _, _) = price_picks(
        vec![pick()],
        0,
        &Terms::default(),
        None,
        &client.to_string(),
    );
    let without_rec = OrderRecord {
        lines,
        ..order(client, frame, "9000200002", 200_000, &at(now))
    };
    phone.take_order(with_terms, &with_rec).await.unwrap();
    phone.take_order(without, &without_rec).await.unwrap();

    let ids = [with_terms, without];
    let discount = |p: &Pricing| p.lines.iter().map(|l| l.5).sum::<i64>();
    eventually("both orders priced in SQL", WAIT, || {
        let store = store.clone();
        async move {
            let sql = store.accepted_pricing(&ids).await.unwrap();
            sql.len() == 2 && sql.values().all(|p| discount(p) == 30_000)
        }
    })
    .await
    .unwrap();
    let sql = store.accepted_pricing(&ids).await.unwrap();
    assert_eq!(
        sql[&with_terms],
        Pricing::of(&with_rec),
        "the phone's pricing stands"
    );
    eventually("the correction on the phone", WAIT, || {
        let phone = &phone;
        async move { !phone.inbox_about(&format!("orders/{without}")).is_empty() }
    })
    .await
    .unwrap();
    assert!(
        phone
            .inbox_about(&format!("orders/{with_terms}"))
            .is_empty()
    );
    let fixed = phone
        .orders()
        .into_iter()
        .find(|(id, _)| *id == without.to_string())
        .unwrap()
        .1;
    assert_eq!(fixed.total(), 170_000);
    // Terms removed: the catalog document says so.
    store
        .set_customer_terms(&field.office, client, &CustomerTermsRecord::default())
        .await
        .unwrap();
    field.hub.state.sync.publish_offers().await.unwrap();
    eventually("the terms gone on the phone", WAIT, || {
        let phone = &phone;
        async move { !phone.price_terms(&client.to_string()).any() }
    })
    .await
    .unwrap();
    field.hub.stop().await.unwrap();
}
