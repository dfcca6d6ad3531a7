use super::*;
use time::macros::datetime;

fn line(id: &str, product: Option<&str>, qty: u32, price: i64) -> LineRecord {
    LineRecord {
        id: id.into(),
        kind: "frame".into(),
        product: product.map(str::to_owned),
        text: "x".into(),
        quantity: qty,
        unit_price: price,
        vat_bp: 2100,
        discount: 0,
    }
}

fn catalog() -> HashMap<String, Vec<PricePoint>> {
    let day = |d: OffsetDateTime| d.unix_timestamp();
    HashMap::from([(
        "p1".to_owned(),
        vec![
            PricePoint {
                valid_from: 0,
                price: 100_000,
                vat_bp: 2100,
            },
            PricePoint {
                valid_from: day(datetime!(2026-11-01 0:00 UTC)),
                price: 120_000,
                vat_bp: 2100,
            },
        ],
    )])
}

#[test]
fn an_order_keeps_the_price_valid_when_it_was_taken() {
    let order = OrderRecord {
        lines: vec![line("a", Some("p1"), 1, 100_000)],
        ..Default::default()
    };
    let before = reprice(
        &order,
        &catalog(),
        &HashMap::new(),
        datetime!(2026-10-31 23:00 UTC),
    );
    assert_eq!(
        before.lines, order.lines,
        "taken before the change: unchanged"
    );
    let after = reprice(
        &order,
        &catalog(),
        &HashMap::new(),
        datetime!(2026-11-02 9:00 UTC),
    );
    assert_eq!(after.lines[0].unit_price, 120_000);
}

#[test]
fn discount_then_coupon_and_a_dropped_coupon_says_why() {
    let coupons = HashMap::from([(
        "JARO10".to_owned(),
        CouponRecord {
            percent_bp: 1_000,
            amount: 0,
            valid_until: "2026-11-10".into(),
            active: true,
        },
    )]);
    let order = OrderRecord {
        lines: vec![line("a", Some("p1"), 2, 1), line("free", None, 1, 50_000)],
        discount_pct: 10,
        coupon: "JARO10".into(),
        ..Default::default()
    };
    let at = datetime!(2026-11-05 12:00 UTC);
    let r = reprice(&order, &catalog(), &coupons, at);
    // 2 × 1 200 Kč = 240 000; 10 % → 24 000; coupon 10 % of 216 000 → 21 600.
    assert_eq!(r.lines[0].discount, 24_000 + 21_600);
    assert_eq!(r.coupon_discount, 21_600);
    assert_eq!(r.lines[1], order.lines[1], "a free line is left as typed");
    let late = reprice(
        &order,
        &catalog(),
        &coupons,
        datetime!(2026-11-11 12:00 UTC),
    );
    assert_eq!(late.coupon, "");
    assert!(matches!(
        late.dropped_coupon,
        Some((_, CouponProblem::Expired(_)))
    ));
    assert_eq!(late.lines[0].discount, 24_000);
}

#[test]
fn pricing_ignores_line_order_and_texts() {
    let mut a = OrderRecord {
        lines: vec![line("a", Some("p1"), 1, 5), line("b", None, 1, 7)],
        ..Default::default()
    };
    let before = Pricing::of(&a);
    a.lines.reverse();
    a.lines[0].text = "changed".into();
    assert_eq!(Pricing::of(&a), before);
    a.lines[0].unit_price = 1;
    assert_ne!(Pricing::of(&a), before);
}
