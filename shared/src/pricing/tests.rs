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
        &Terms::default(),
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
        &Terms::default(),
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
            ..Default::default()
        },
    )]);
    let order = OrderRecord {
        lines: vec![line("a", Some("p1"), 2, 1), line("free", None, 1, 50_000)],
        discount_pct: 10,
        coupon: "JARO10".into(),
        ..Default::default()
    };
    let at = datetime!(2026-11-05 12:00 UTC);
    let r = reprice(&order, &catalog(), &coupons, &Terms::default(), at);
    // 2 × 1 200 Kč = 240 000; 10 % → 24 000; coupon 10 % of 216 000 → 21 600.
    assert_eq!(r.lines[0].discount, 24_000 + 21_600);
    assert_eq!(r.coupon_discount, 21_600);
    assert_eq!(r.lines[1], order.lines[1], "a free line is left as typed");
    let late = reprice(
        &order,
        &catalog(),
        &coupons,
        &Terms::default(),
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

mod phone_and_hub {
    use proptest::prelude::*;
    use time::Duration;

    use super::*;

    /// A product: its first price and VAT, and later price changes (price, days
    /// from the order's day: before it or after it), whether it is a lens (else a
    /// frame), whether it has its own discount class (`premium`).
    type Product = (i64, u32, Vec<(i64, i64)>, bool, bool);
    /// The customer's terms: a minimum discount (bp) and their tier's discount per
    /// class (bp).
    type CustomerTerms = (u32, Vec<(&'static str, u32)>);
    /// A coupon: percent (basis points; 0: an amount), amount, last day (days from
    /// the order's day), active, minimum order, whose (0: anyone's, 1: this
    /// customer's, 2: another's).
    type Coupon = (u32, i64, i64, bool, i64, u8);

    const CLIENT: &str = "0193a1b2-0000-7000-8000-000000000001";

    fn product() -> impl Strategy<Value = Product> {
        (
            1i64..3_000_000,
            prop::sample::select(vec![0u32, 1_000, 1_200, 2_100]),
            prop::collection::vec((1i64..3_000_000, -400i64..400), 0..3),
            any::<bool>(),
            any::<bool>(),
        )
    }

    fn terms() -> impl Strategy<Value = Option<CustomerTerms>> {
        prop::option::of((
            prop::sample::select(vec![0u32, 500, 1_250, 3_000]),
            prop::collection::vec(
                (
                    prop::sample::select(vec!["frame", "lens", "premium"]),
                    0u32..=5_000,
                ),
                0..3,
            ),
        ))
    }

    proptest! {
        /// The phone prices a new order from its copy of the catalog as it is on
        /// the day (current prices, the coupon if it applies that day, to this
        /// customer and to what the order comes to); the hub
        /// prices the same order against the price list valid when it was taken:
        /// the lines, the coupon and the total are the same.
        #[test]
        fn phone_and_hub_totals_are_equal(
            products in prop::collection::vec(product(), 1..6),
            picks in prop::collection::vec((0usize..6, 1u32..4), 1..8),
            pct in 0u32..=100,
            coupon in prop::option::of((
                0u32..=10_000,
                1i64..2_000_000,
                -30i64..30,
                any::<bool>(),
                prop::sample::select(vec![0i64, 100_000, 1_000_000, 5_000_000]),
                0u8..3,
            )),
            day in 0i64..700,
            terms in terms(),
        ) {
            let start = time::macros::datetime!(2025-01-01 0:00 UTC);
            let at = start + Duration::days(day) + Duration::hours(10);
            // The price list with its history, as the hub keeps it.
            let prices: HashMap<String, Vec<PricePoint>> = products
                .iter()
                .enumerate()
                .map(|(i, (first, vat, changes, _, _))| {
                    let mut points = vec![PricePoint { valid_from: 0, price: *first, vat_bp: *vat }];
                    for (price, offset) in changes {
                        let from = (at + Duration::days(*offset)).date().midnight().assume_utc();
                        points.push(PricePoint { valid_from: from.unix_timestamp(), price: *price, vat_bp: *vat });
                    }
                    (format!("p{i}"), points)
                })
                .collect();
            let coupons: HashMap<String, CouponRecord> = coupon
                .iter()
                .map(|(bp, amount, last, active, min_order, whose): &Coupon| {
                    let record = CouponRecord {
                        percent_bp: *bp,
                        amount: if *bp > 0 { 0 } else { *amount },
                        valid_until: (at.date() + Duration::days(*last)).to_string(),
                        active: *active,
                        min_order: *min_order,
                        client: ["", CLIENT, "someone-else"][usize::from(*whose)].into(),
                        message: "Jarní akce".into(),
                        max_uses: 0,
                        withdrawn_at: String::new(),
                    };
                    ("KUPON".to_owned(), record)
                })
                .collect();
            // The catalog's products, the customer's terms and the tiers.
            let records: Vec<(String, ProductRecord)> = products
                .iter()
                .enumerate()
                .map(|(i, (_, _, _, lens, own))| {
                    let record = ProductRecord {
                        kind: if *lens { "lens" } else { "frame" }.into(),
                        discount_class: if *own { "premium" } else { "" }.into(),
                        ..Default::default()
                    };
                    (format!("p{i}"), record)
                })
                .collect();
            let tiers = BTreeMap::from([(
                "B2B".to_owned(),
                TierRecord {
                    name: "Firmy".into(),
                    classes: terms.iter().flat_map(|(_, t)| t.iter().map(|(c, bp)| ((*c).to_owned(), *bp))).collect(),
                },
            )]);
            let customer = terms.as_ref().map(|(min, _)| CustomerTermsRecord {
                min_discount_bp: *min,
                tier: "B2B".into(),
            });
            // The phone: the catalog's prices on the day, the coupon if it applies,
            // the terms from its copy of the catalog.
            let phone_terms = Terms::of(customer.as_ref(), &tiers, records.iter().map(|(id, p)| (id.as_str(), p)));
            let phone_coupon = coupons.get("KUPON").filter(|c| c.check(at.date()).is_ok());
            let picks: Vec<Pick> = picks
                .iter()
                .enumerate()
                .map(|(n, (i, quantity))| {
                    let id = format!("p{}", i % products.len());
                    let now = price_at(&prices[&id], at).expect("a price from the start");
                    Pick {
                        line: format!("l{n}"),
                        kind: records[i % products.len()].1.kind.clone(),
                        product: id,
                        text: "x".into(),
                        quantity: *quantity,
                        price: now.price,
                        vat_bp: now.vat_bp,
                    }
                })
                .collect();
            // The hub: the terms with the classes of the products the order names.
            let named: Vec<&str> = picks.iter().map(|p| p.product.as_str()).collect();
            let hub_terms = Terms::of(
                customer.as_ref(),
                &tiers,
                records.iter().filter(|(id, _)| named.contains(&id.as_str())).map(|(id, p)| (id.as_str(), p)),
            );
            // A coupon that does not apply to the order is not saved with it.
            let (lines, coupon_off, problem) = price_picks(picks, pct, &phone_terms, phone_coupon, CLIENT);
            let order = OrderRecord {
                client: CLIENT.into(),
                lines,
                discount_pct: pct,
                coupon: if phone_coupon.is_some() && problem.is_none() { "KUPON".into() } else { String::new() },
                coupon_discount: coupon_off,
                ..Default::default()
            };
            // The hub.
            let hub = reprice(&order, &prices, &coupons, &hub_terms, at);
            prop_assert_eq!(&hub.lines, &order.lines);
            prop_assert_eq!(&hub.coupon, &order.coupon);
            prop_assert_eq!(hub.coupon_discount, order.coupon_discount);
            let total = |lines: &[LineRecord]| lines.iter().map(LineRecord::total).sum::<i64>();
            prop_assert_eq!(total(&hub.lines), order.total());
            prop_assert!(order.total() >= 0);
            // No catalog line is discounted less than the customer's minimum.
            if let Some(min) = customer.as_ref().map(|c| i64::from(c.min_discount_bp)) {
                for l in &hub.lines {
                    let gross = l.unit_price * i64::from(l.quantity);
                    prop_assert!(l.discount >= (gross * min + 5_000) / 10_000);
                }
            }
        }
    }
}

#[test]
fn a_coupon_keeps_to_its_customer_and_its_minimum() {
    let coupon = CouponRecord {
        amount: 50_000,
        active: true,
        min_order: 150_000,
        client: "c1".into(),
        ..Default::default()
    };
    let coupons = HashMap::from([("VIP".to_owned(), coupon)]);
    let order = |client: &str, qty: u32| OrderRecord {
        client: client.into(),
        lines: vec![line("a", Some("p1"), qty, 100_000)],
        coupon: "VIP".into(),
        ..Default::default()
    };
    let at = datetime!(2026-10-05 12:00 UTC);
    let ok = reprice(&order("c1", 2), &catalog(), &coupons, &Terms::default(), at);
    assert_eq!((ok.coupon.as_str(), ok.coupon_discount), ("VIP", 50_000));
    let small = reprice(&order("c1", 1), &catalog(), &coupons, &Terms::default(), at);
    assert_eq!(small.coupon, "");
    assert_eq!(
        small.dropped_coupon,
        Some(("VIP".into(), CouponProblem::BelowMinimum(150_000)))
    );
    assert_eq!(small.lines[0].discount, 0);
    let other = reprice(&order("c2", 2), &catalog(), &coupons, &Terms::default(), at);
    assert_eq!(
        other.dropped_coupon,
        Some(("VIP".into(), CouponProblem::OtherCustomer))
    );
    assert_eq!(
        CouponProblem::BelowMinimum(150_000).message(crate::Lang::Cs),
        "Kupón platí pro objednávku od 1 500,00 Kč."
    );
}

#[test]
fn a_customer_gets_their_minimum_or_their_tier_for_the_class_whichever_is_more() {
    let frame = ProductRecord {
        kind: "frame".into(),
        ..Default::default()
    };
    let premium = ProductRecord {
        kind: "frame".into(),
        discount_class: "premium".into(),
        ..Default::default()
    };
    let tiers = BTreeMap::from([(
        "B2B".to_owned(),
        TierRecord {
            name: "Firmy".into(),
            classes: BTreeMap::from([("frame".to_owned(), 1_500), ("lens".to_owned(), 800)]),
        },
    )]);
    let customer = CustomerTermsRecord {
        min_discount_bp: 1_000,
        tier: "B2B".into(),
    };
    let terms = Terms::of(Some(&customer), &tiers, [("P1", &frame), ("P2", &premium)]);
    let mut lens = line("c", Some("p3"), 1, 100_000);
    lens.kind = "lens".into();
    let mut lines = vec![
        line("a", Some("p1"), 1, 100_000),
        line("b", Some("p2"), 1, 100_000),
        lens,
        line("free", None, 1, 100_000),
    ];
    discount_lines(&mut lines, 5, &terms, None);
    let off: Vec<i64> = lines.iter().map(|l| l.discount).collect();
    // A frame: the tier's 15 %; the premium frame (no tier discount for its class)
    // and the lens (8 %): the minimum 10 %; a free line: nothing.
    assert_eq!(off, vec![15_000, 10_000, 10_000, 0]);
    // The adviser may give more.
    discount_lines(&mut lines, 20, &terms, None);
    assert_eq!(lines[0].discount, 20_000);
    // Without terms, only the adviser's discount.
    discount_lines(&mut lines, 5, &Terms::default(), None);
    assert_eq!(lines[0].discount, 5_000);
    assert!(terms.any() && !Terms::default().any());
    assert_eq!(Terms::of(None, &tiers, [("p1", &frame)]), Terms::default());
}
