//! Store cash registers (issue 13, point 5), on SQLite and PostgreSQL: a shift
//! from the float to the Z report — an order's payment (the order's paid amount
//! follows), goods from the shop's stock (stock follows; more than it has is
//! refused), card and cash, a refund (a whole receipt's goods go back to
//! stock), cash vouchers, no more cash out than the drawer holds — closed with
//! a difference that is recorded; nothing after the close; a store's staff only
//! at their own shop's till; entries never changed; and nine shops selling at
//! once with gap-free numbers and exact totals per shop.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::catalog::store::{Attributes, Product, ProductKind};
use fieldcase_server::money::till::EntryKind;
use fieldcase_server::money::till::service::{self, Clerk, Sale, TillError};
use fieldcase_server::store::{
    Actor, CatalogStore, NetworkStore, NewShop, NewUser, OrderStore, SqlStore, StockStore,
    TillStore,
};
use fieldcase_shared::validate::reason;
use fieldcase_shared::{Lang, Money, OrderStatus, Problem, ProductId, Role, StoreId};

fieldcase_tests::conformance!(a_shift_from_float_to_z_report, nine_shops_sell_at_once);

fn czk(n: i64) -> Money {
    Money::from_czk(n)
}

fn product(sku: &str, kind: ProductKind, price: i64, vat_bp: i64) -> Product {
    Product {
        id: ProductId::new(),
        sku: sku.into(),
        kind,
        name: format!("Zboží {sku}"),
        brand: String::new(),
        colour: String::new(),
        size: String::new(),
        price: czk(price),
        vat_bp,
        attrs: Attributes::default(),
    }
}

/// A shop with a store user (the clerk) and, when `stock` is given, a warehouse
/// holding that many of `product`.
async fn shop(
    store: &SqlStore,
    code: &str,
    stock: Option<(ProductId, i64)>,
) -> anyhow::Result<(StoreId, Clerk)> {
    let system = Actor::system("test");
    let shop = store
        .create_shop(
            &system,
            &NewShop {
                code: code.into(),
                name: format!("Prodejna {code}"),
                street: "Náměstí 1".into(),
                city: "Brno".into(),
                postal_code: "602 00".into(),
                ..Default::default()
            },
        )
        .await?;
    let user = store
        .create_user(
            &system,
            &NewUser {
                email: format!("{}@example.cz", code.to_lowercase()),
                name: format!("Pokladní {code}"),
                password_hash: "x".into(),
                role: Role::Store,
                shop: Some(shop.id),
                lang: Lang::Cs,
            },
        )
        .await?;
    if let Some((product, quantity)) = stock {
        let w = store
            .create_warehouse(&system, &format!("W-{code}"), code, Some(shop.id))
            .await?;
        store
            .record_stock(&system, w.id, product, "receipt", quantity, "")
            .await?;
    }
    Ok((shop.id, Clerk::of(&user, Actor::user(&user))))
}

fn problems(e: TillError) -> Vec<(String, Problem)> {
    match e {
        TillError::Invalid(p) => p.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn refused(key: &str) -> Problem {
    Problem::NotAllowed(key.into())
}

async fn a_shift_from_float_to_z_report(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = store.as_ref();
    // An order of 10 000 Kč with 2 000 Kč deposit (bank::seed makes shop BRN1).
    let seeded =
        fieldcase_tests::bank::seed(s, &[("9600000001", 10_000, 2_000, OrderStatus::Confirmed)])
            .await?;
    let order = seeded.orders[0];
    let case = product("POUZDRO-1", ProductKind::Accessory, 250, 2100);
    let spray = product("SPREJ-1", ProductKind::Accessory, 121, 2100);
    store
        .insert_products(&[case.clone(), spray.clone()])
        .await?;
    let (other_shop, other_clerk) = shop(s, "OST1", None).await?;
    let (shop, clerk) = shop(s, "PRG1", Some((case.id, 3))).await?;

    // No shift yet: nothing is sold.
    let sale = |items: Vec<(&str, i64)>, card: i64| Sale {
        items: items.into_iter().map(|(k, q)| (k.to_owned(), q)).collect(),
        card: czk(card),
        ..Sale::default()
    };
    let e = service::sell(s, &clerk, shop, &sale(vec![("POUZDRO-1", 1)], 0)).await;
    assert!(matches!(e, Err(TillError::NoShift)), "{e:?}");
    // Only the shop's own staff open it.
    let e = service::open(s, &other_clerk, shop, czk(1_000)).await;
    assert!(matches!(e, Err(TillError::Forbidden)), "{e:?}");
    let shift = service::open(s, &clerk, shop, czk(2_000)).await?;
    assert_eq!(shift.float, czk(2_000));
    let e = service::open(s, &clerk, shop, czk(2_000)).await;
    assert!(matches!(e, Err(TillError::AlreadyOpen)), "{e:?}");

    // The order's payment: 5 000 Kč, 3 000 of it by card.
    let pay = Sale {
        vs: Some("9600000001".into()),
        amount: Some(czk(5_000)),
        card: czk(3_000),
        ..Sale::default()
    };
    let paid = service::sell(s, &clerk, shop, &pay).await?;
    assert_eq!(
        paid.number,
        format!(
            "PRG1-P{:02}-000001",
            fieldcase_server::money::invoicing::today().year() % 100
        )
    );
    assert_eq!(
        (paid.cash, paid.card, paid.total),
        (czk(2_000), czk(3_000), czk(5_000))
    );
    let card = store.order_card(order, Role::Admin).await?.unwrap();
    assert_eq!(
        card.payment().paid(),
        czk(7_000),
        "deposit + the till's payment"
    );
    // Beyond what it still owes (3 000 Kč): refused.
    let e = service::sell(
        s,
        &clerk,
        shop,
        &Sale {
            amount: Some(czk(3_001)),
            ..pay.clone()
        },
    )
    .await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("amount".into(), refused(reason::BEYOND_LEFT))]
    );
    let e = service::sell(
        s,
        &clerk,
        shop,
        &Sale {
            vs: Some("123".into()),
            ..pay.clone()
        },
    )
    .await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("vs".into(), refused(reason::NO_SUCH_ORDER))]
    );

    // Goods: two cases (the shop has three) and a spray it does not stock.
    let goods = service::sell(s, &clerk, shop, &sale(vec![("POUZDRO-1", 2)], 0)).await?;
    assert_eq!(goods.total, czk(500));
    assert_eq!(goods.lines[0].line.quantity, 2);
    let e = service::sell(s, &clerk, shop, &sale(vec![("POUZDRO-1", 2)], 0)).await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("items[0].quantity".into(), refused(reason::NOT_IN_STOCK))]
    );
    let e = service::sell(s, &clerk, shop, &sale(vec![("NIC-TAKOVEHO", 1)], 0)).await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("items[0].sku".into(), refused(reason::NOT_SOLD_HERE))]
    );
    let e = service::sell(s, &clerk, shop, &sale(vec![("POUZDRO-1", 1)], 251)).await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("card".into(), refused(reason::BEYOND_TOTAL))]
    );
    let e = service::sell(
        s,
        &clerk,
        shop,
        &Sale {
            items: vec![("POUZDRO-1".into(), 1)],
            ..pay.clone()
        },
    )
    .await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("items".into(), refused(reason::ORDER_OR_GOODS))]
    );
    let warehouse = store
        .warehouses()
        .await?
        .into_iter()
        .find(|w| w.shop == Some(shop))
        .unwrap();
    let level = |levels: Vec<fieldcase_server::stock::store::StockLevel>| {
        levels
            .into_iter()
            .find(|l| l.product == case.id)
            .map(|l| l.on_hand)
    };
    assert_eq!(level(store.stock_levels(warehouse.id).await?), Some(1));

    // The goods come back whole (to stock); part of the order's payment is refunded.
    let e = service::refund(s, &clerk, goods.id, czk(501), Money::ZERO, "vadné").await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("amount".into(), refused(reason::BEYOND_RECEIPT))]
    );
    let e = service::refund(s, &clerk, goods.id, czk(500), Money::ZERO, " ").await;
    assert!(
        matches!(e, Err(TillError::Invalid(_))),
        "a refund needs its reason"
    );
    let back = service::refund(s, &clerk, goods.id, czk(500), Money::ZERO, "vadné pouzdro").await?;
    assert_eq!(
        (back.kind, back.cash, back.total),
        (EntryKind::Refund, czk(-500), czk(-500))
    );
    assert_eq!(level(store.stock_levels(warehouse.id).await?), Some(3));
    let e = service::refund(s, &clerk, goods.id, czk(1), Money::ZERO, "znovu").await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("amount".into(), refused(reason::BEYOND_RECEIPT))]
    );
    service::refund(
        s,
        &clerk,
        paid.id,
        czk(1_000),
        czk(1_000),
        "sleva dodatečně",
    )
    .await?;
    let card = store.order_card(order, Role::Admin).await?.unwrap();
    assert_eq!(card.payment().paid(), czk(6_000));
    // Another shop's staff cannot refund here.
    let e = service::refund(s, &other_clerk, paid.id, czk(1), Money::ZERO, "x").await;
    assert!(matches!(e, Err(TillError::Forbidden)), "{e:?}");

    // Vouchers: 500 in; out no more than the drawer holds.
    service::voucher(s, &clerk, shop, false, czk(500), "drobné z banky").await?;
    // In the drawer: 2 000 + 2 000 + 500 − 500 + 500 = 4 500.
    let e = service::voucher(s, &clerk, shop, true, czk(4_501), "odvod").await;
    assert_eq!(
        problems(e.unwrap_err()),
        [("amount".into(), refused(reason::BEYOND_DRAWER))]
    );
    service::voucher(s, &clerk, shop, true, czk(3_000), "odvod do banky").await?;

    // Closing with 1 480 Kč counted: 20 Kč short.
    let e = service::close(s, &other_clerk, shop, czk(1_480), "").await;
    assert!(matches!(e, Err(TillError::Forbidden)), "{e:?}");
    let z = service::close(s, &clerk, shop, czk(1_480), "chybí 20 Kč").await?;
    assert_eq!(z.expected, czk(1_500));
    assert_eq!(z.shift.counted, Some(czk(1_480)));
    assert_eq!(z.shift.difference, Some(czk(-20)));
    assert_eq!(
        (z.sales.count, z.sales.cash, z.sales.card),
        (2, czk(2_500), czk(3_000))
    );
    assert_eq!((z.refunds.count, z.refunds.total), (2, czk(-1_500)));
    assert_eq!((z.cash_in.total, z.cash_out.total), (czk(500), czk(-3_000)));
    assert_eq!(z.turnover(), czk(4_000));
    let vat: Money = z.vat.iter().map(|v| v.gross).sum();
    assert_eq!(
        vat,
        z.turnover(),
        "the VAT breakdown adds up to the turnover"
    );
    for v in &z.vat {
        assert_eq!(v.base + v.vat, v.gross);
    }
    // The order's lines carry no rate here (none inserted): the payment is at 0 %.
    assert_eq!(z.first.as_deref(), Some(paid.number.as_str()));

    // Closed: nothing more, not closed twice; the shift is kept as it was.
    let e = service::sell(s, &clerk, shop, &sale(vec![("POUZDRO-1", 1)], 0)).await;
    assert!(matches!(e, Err(TillError::NoShift)), "{e:?}");
    let e = service::close(s, &clerk, shop, czk(0), "").await;
    assert!(matches!(e, Err(TillError::NoShift)), "{e:?}");
    let again = store.shift(shift.id).await?.unwrap();
    assert_eq!(again.difference, Some(czk(-20)));
    assert_eq!(again.close_note, "chybí 20 Kč");
    // A new day opens a new shift; the other shop's till is its own.
    service::open(s, &clerk, shop, czk(1_480)).await?;
    service::open(s, &other_clerk, other_shop, czk(0)).await?;
    assert_eq!(
        store.open_shift_of(other_shop).await?.unwrap().shop_code,
        "OST1"
    );

    // Entries cannot be changed or deleted, a closed shift cannot be reopened.
    assert!(
        store
            .execute_raw("UPDATE till_entries SET total_haler = 0")
            .await
            .is_err()
    );
    assert!(store.execute_raw("DELETE FROM till_lines").await.is_err());
    assert!(
        store
            .execute_raw("UPDATE till_shifts SET counted_haler = 0 WHERE closed_at IS NOT NULL")
            .await
            .is_err()
    );
    Ok(())
}

async fn nine_shops_sell_at_once(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let service_product = product("SERVIS-1", ProductKind::Service, 100, 2100);
    store
        .insert_products(std::slice::from_ref(&service_product))
        .await?;
    let mut shops = Vec::new();
    for i in 0..9 {
        let (id, clerk) = shop(&store, &format!("S{i}"), None).await?;
        service::open(store.as_ref(), &clerk, id, czk(1_000)).await?;
        shops.push((id, clerk));
    }
    const SALES: usize = 12;
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (id, clerk)) in shops.iter().cloned().enumerate() {
        let store = store.clone();
        tasks.spawn(async move {
            for n in 0..SALES {
                let sale = Sale {
                    items: vec![("SERVIS-1".into(), 1 + (n % 3) as i64)],
                    card: if n % 2 == 0 { Money::ZERO } else { czk(100) },
                    ..Sale::default()
                };
                service::sell(store.as_ref(), &clerk, id, &sale)
                    .await
                    .map_err(|e| anyhow::anyhow!("shop {i}: {e:?}"))?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    for (id, clerk) in &shops {
        let shift = store.open_shift_of(*id).await?.unwrap();
        let entries = store.shift_entries(shift.id).await?;
        let mut numbers: Vec<String> = entries.iter().map(|e| e.number.clone()).collect();
        numbers.sort();
        let year = fieldcase_server::money::invoicing::today().year() % 100;
        let expected: Vec<String> = (1..=SALES)
            .map(|n| format!("{}-P{year:02}-{n:06}", shift.shop_code))
            .collect();
        assert_eq!(numbers, expected, "gap-free numbers per shop");
        // 4 × (1 + 2 + 3) × 100 Kč, half the sales 100 Kč by card.
        let z = service::close(store.as_ref(), clerk, *id, czk(1_000 + 2_400 - 600), "").await?;
        assert_eq!(z.sales.total, czk(2_400));
        assert_eq!(z.sales.card, czk(600));
        assert_eq!(z.shift.difference, Some(Money::ZERO));
    }
    Ok(())
}
