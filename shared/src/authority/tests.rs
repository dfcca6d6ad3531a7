use super::*;
use crate::docs::records::VisitRecord;
use crate::lang::Lang;

#[test]
fn advisers_may_only_make_their_own_moves() {
    assert!(judge_status("o", None, "intake").is_ok());
    assert_eq!(
        judge_status("o", None, "confirmed").unwrap_err().0,
        OrderStatus::Intake
    );
    assert!(judge_status("o", Some("intake"), "cancelled").is_ok());
    assert!(judge_status("o", Some("confirmed"), "confirmed").is_ok());
    let (back, why) = judge_status("o", Some("intake"), "confirmed").unwrap_err();
    assert_eq!(back, OrderStatus::Intake);
    let (cs, en) = (why.text(Lang::Cs), why.text(Lang::En));
    assert!(
        cs.contains("Stav zůstává") && en.contains("stays"),
        "{cs} / {en}"
    );
    assert_eq!(why.inbox_id(), "status-o-confirmed");
    assert_eq!(
        judge_status("o", Some("in_lab"), "bogus").unwrap_err().0,
        OrderStatus::InLab
    );
}

/// Ids as the app writes them.
const CLIENT: &str = "0193a1b2-0000-7000-8000-0000000000c1";
const LINE: &str = "0193a1b2-0000-7000-8000-0000000000a1";
const P1: &str = "0193a1b2-0000-7000-8000-0000000000b1";

fn now() -> OffsetDateTime {
    time::macros::datetime!(2026-11-25 12:00 UTC)
}

#[test]
fn a_refused_move_is_restored_and_reported_and_sql_gets_the_accepted_status() {
    let id = OrderId::new();
    let touched = Touched {
        orders: vec![(
            id.to_string(),
            Some(OrderRecord {
                client: CLIENT.into(),
                status: "delivered".into(),
                ..Default::default()
            }),
        )],
        ..Touched::default()
    };
    let known = Known {
        order_statuses: HashMap::from([(id, "intake".to_owned())]),
        ..Known::default()
    };
    let v = review(touched.clone(), &known, now(), Mode::Enforce);
    assert_eq!(v.accept.orders[0].1.status, "intake");
    assert_eq!(v.corrections.len(), 1);
    assert_eq!(
        v.corrections[0].fix,
        Fix::OrderStatus {
            order: id.to_string(),
            status: OrderStatus::Intake
        }
    );
    // A rebuild trusts the document and corrects nothing.
    let v = review(touched, &known, now(), Mode::Rebuild);
    assert_eq!(v.accept.orders[0].1.status, "delivered");
    assert!(v.corrections.is_empty());
}

#[test]
fn payouts_reserve_in_time_order_and_a_decided_one_stands() {
    let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let req = |amount, at: &str| PayoutRequestRecord {
        amount,
        requested_at: at.into(),
        status: "pending".into(),
        ..Default::default()
    };
    let judged = PayoutRequestRecord {
        status: "accepted".into(),
        ..req(100, "2026-11-01T10:00:00Z")
    };
    let touched = Touched {
        payout_requests: vec![
            (b.to_string(), req(600, "2026-11-25T10:00:01Z")),
            (a.to_string(), req(500, "2026-11-25T10:00:00Z")),
            (c.to_string(), req(900, "2026-11-01T10:00:00Z")),
        ],
        ..Touched::default()
    };
    let known = Known {
        payout_available: 1_000,
        judged_payouts: HashMap::from([(c, judged.clone())]),
        ..Known::default()
    };
    let v = review(touched, &known, now(), Mode::Enforce);
    let status = |id: Uuid| {
        v.accept
            .payout_requests
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, r)| r.status.clone())
            .unwrap()
    };
    assert_eq!(status(a), "accepted");
    assert_eq!(status(b), "rejected");
    let standing = v
        .accept
        .payout_requests
        .iter()
        .find(|(u, _)| *u == c)
        .unwrap();
    assert_eq!(standing.1.amount, 100, "a decided amount stands");
    let ids: Vec<String> = v
        .corrections
        .iter()
        .filter_map(|c| c.report.as_ref().map(Report::inbox_id))
        .collect();
    assert!(ids.contains(&format!("payout-{c}-changed")), "{ids:?}");
}

#[test]
fn broken_records_are_reported_with_texts_in_both_languages() {
    let touched = Touched {
        prescriptions: vec![(
            "rx1".into(),
            Some(PrescriptionRecord {
                body: "not json".into(),
                ..Default::default()
            }),
        )],
        visits: vec![("v1".into(), VisitRecord::default())],
        case_movements: Some(vec![(
            Uuid::now_v7().to_string(),
            CaseMovementRecord {
                product: "F-1".into(),
                quantity: -1,
                at: "2026-11-25T10:00:00Z".into(),
                ..Default::default()
            },
        )]),
        unreadable: vec![Unreadable {
            map: "orders".into(),
            id: "x".into(),
            why: "expected an integer".into(),
        }],
        ..Touched::default()
    };
    let v = review(touched, &Known::default(), now(), Mode::Enforce);
    assert_eq!(v.corrections.len(), 4);
    assert!(v.accept.case_movements[0].1.rejected == "below_zero");
    for c in &v.corrections {
        let inbox = c.report.as_ref().unwrap().to_inbox("2026-11-25T10:00:00Z");
        assert_eq!(inbox.kind, "rejection");
        assert!(!inbox.text_cs.is_empty() && !inbox.text_en.is_empty());
        assert_ne!(inbox.text_cs, inbox.text_en);
    }
}

#[test]
fn a_tampered_price_is_corrected_and_an_accepted_pricing_is_left_alone() {
    use crate::docs::records::LineRecord;
    let id = OrderId::new();
    let order = OrderRecord {
        client: CLIENT.into(),
        status: "intake".into(),
        created_at: "2026-11-20T10:00:00Z".into(),
        lines: vec![LineRecord {
            id: LINE.into(),
            kind: "frame".into(),
            product: Some(P1.into()),
            quantity: 1,
            unit_price: 100,
            vat_bp: 2100,
            ..Default::default()
        }],
        ..Default::default()
    };
    let touched = Touched {
        orders: vec![(id.to_string(), Some(order.clone()))],
        ..Touched::default()
    };
    let mut known = Known {
        prices: HashMap::from([(
            P1.to_owned(),
            vec![PricePoint {
                valid_from: 0,
                price: 250_000,
                vat_bp: 2100,
            }],
        )]),
        ..Known::default()
    };
    assert_eq!(touched_products(&touched), vec![P1.to_owned()]);
    let v = review(touched.clone(), &known, now(), Mode::Enforce);
    assert_eq!(v.accept.orders[0].1.total(), 250_000);
    let report = v.corrections[0].report.as_ref().unwrap();
    let inbox = report.to_inbox("2026-11-25T12:00:00Z");
    assert!(inbox.text_cs.contains("2 500,00"), "{}", inbox.text_cs);
    assert!(inbox.text_en.contains("2,500.00"), "{}", inbox.text_en);
    // The same pricing, once accepted (e.g. an order older than the rule), stands.
    known
        .accepted_pricing
        .insert(id, crate::pricing::Pricing::of(&order));
    let v = review(touched, &known, now(), Mode::Enforce);
    assert!(v.corrections.is_empty());
    assert_eq!(v.accept.orders[0].1.total(), 100);
}

/// A new order of one 100 Kč frame with `coupon`, taken at `created`, the coupon
/// taking `coupon_off` haléře.
fn couponed(coupon: &str, created: &str, coupon_off: i64) -> OrderRecord {
    OrderRecord {
        client: CLIENT.into(),
        status: "intake".into(),
        coupon: coupon.into(),
        created_at: created.into(),
        lines: vec![records::LineRecord {
            id: LINE.into(),
            kind: "frame".into(),
            product: Some(P1.into()),
            quantity: 1,
            unit_price: 10_000,
            vat_bp: 2100,
            discount: coupon_off,
            ..Default::default()
        }],
        coupon_discount: coupon_off,
        ..Default::default()
    }
}

#[test]
fn an_order_past_a_coupons_last_use_loses_it_and_is_told_why() {
    let (first, late) = (OrderId::new(), OrderId::new());
    let client = ClientId::new().to_string();
    let order = |at: &str| OrderRecord {
        client: client.clone(),
        ..couponed("JEDEN", at, 1_000)
    };
    let touched = Touched {
        orders: vec![
            (late.to_string(), Some(order("2026-11-25T10:00:05Z"))),
            (first.to_string(), Some(order("2026-11-25T10:00:00Z"))),
        ],
        ..Touched::default()
    };
    let mut known = Known {
        coupons: HashMap::from([(
            "JEDEN".to_owned(),
            CouponRecord {
                percent_bp: 1_000,
                active: true,
                max_uses: 1,
                ..Default::default()
            },
        )]),
        ..Known::default()
    };
    // The coupon applies to both as far as the order can tell; both claim a use,
    // the one taken first first.
    let v = review(touched.clone(), &known, now(), Mode::Enforce);
    assert!(v.corrections.is_empty(), "{:?}", v.corrections);
    let claims = coupon_claims(&v, &known);
    assert_eq!(
        claims.iter().map(|c| c.order).collect::<Vec<_>>(),
        vec![first, late]
    );
    assert_eq!(claims[0].client, client.parse().ok());
    // The hub gave the last use to the first: the late one loses the coupon.
    known.coupons_used_up = HashMap::from([(late, 1)]);
    let v = review(touched, &known, now(), Mode::Enforce);
    let accepted = |id: OrderId| &v.accept.orders.iter().find(|(o, _)| *o == id).unwrap().1;
    assert_eq!(accepted(first).coupon, "JEDEN");
    assert_eq!(accepted(late).coupon, "");
    assert_eq!(accepted(late).total(), 10_000, "the full price, no coupon");
    let [report] = &v.corrections[..] else {
        panic!("one correction: {:?}", v.corrections)
    };
    let Some(Report::Rejected(Rejection::Repriced { dropped_coupon, .. })) = &report.report else {
        panic!("a repricing report: {report:?}")
    };
    assert_eq!(
        dropped_coupon,
        &Some(("JEDEN".to_owned(), CouponProblem::UsedUp(1)))
    );
    let text = report
        .report
        .as_ref()
        .unwrap()
        .to_inbox("2026-11-25T12:00:00Z")
        .text_cs;
    assert!(text.contains("lze použít nejvýš 1×"), "{text}");
    // An order that held a coupon and no longer names it claims nothing back… but
    // is listed, so its use is given back.
    let held = OrderId::new();
    let known = Known {
        accepted_pricing: HashMap::from([(
            held,
            Pricing {
                coupon: "JEDEN".into(),
                ..Pricing::default()
            },
        )]),
        ..Known::default()
    };
    let touched = Touched {
        orders: vec![(
            held.to_string(),
            Some(OrderRecord {
                client: CLIENT.into(),
                status: "intake".into(),
                ..Default::default()
            }),
        )],
        ..Touched::default()
    };
    let v = review(touched, &known, now(), Mode::Enforce);
    let claims = coupon_claims(&v, &known);
    assert_eq!(claims.len(), 1);
    assert_eq!((claims[0].order, claims[0].coupon.as_str()), (held, ""));
}

#[test]
fn a_late_coupon_is_judged_at_the_time_the_order_can_have_been_taken() {
    // now() is 2026-11-25 12:00 UTC. The coupon's last day was yesterday.
    let coupon = CouponRecord {
        percent_bp: 1_000,
        active: true,
        valid_until: "2026-11-24".into(),
        ..Default::default()
    };
    let id = OrderId::new();
    let order = |created: &str, coupon_off: i64| couponed("PODZIM", created, coupon_off);
    let review_at = |o: OrderRecord, after: &str, c: &CouponRecord| {
        let known = Known {
            coupons: HashMap::from([("PODZIM".to_owned(), c.clone())]),
            orders_after: Some(
                OffsetDateTime::parse(after, &time::format_description::well_known::Rfc3339)
                    .unwrap(),
            ),
            ..Known::default()
        };
        let touched = Touched {
            orders: vec![(id.to_string(), Some(o))],
            ..Touched::default()
        };
        review(touched, &known, now(), Mode::Enforce)
    };
    // Taken yesterday offline; the phone last connected the day before: kept, and
    // the adviser is told why it stands.
    let v = review_at(
        order("2026-11-24T10:00:00Z", 1_000),
        "2026-11-23T08:00:00Z",
        &coupon,
    );
    assert_eq!(v.accept.orders[0].1.coupon, "PODZIM");
    let [kept] = &v.corrections[..] else {
        panic!("{:?}", v.corrections)
    };
    assert_eq!(kept.fix, Fix::Nothing);
    let news = kept
        .report
        .as_ref()
        .unwrap()
        .to_inbox("2026-11-25T12:00:00Z");
    assert_eq!(
        (news.kind.as_str(), news.about.clone()),
        ("notification", format!("orders/{id}"))
    );
    assert!(
        news.text_cs.contains("24. 11. 2026 10:00"),
        "{}",
        news.text_cs
    );
    // The same claim, but the phone connected this morning without the order: it
    // was taken after that, when the coupon had run out. Dropped, and said why.
    let v = review_at(
        order("2026-11-24T10:00:00Z", 1_000),
        "2026-11-25T07:00:00Z",
        &coupon,
    );
    assert_eq!(v.accept.orders[0].1.coupon, "");
    let Some(Report::Rejected(Rejection::Repriced { dropped_coupon, .. })) =
        &v.corrections[0].report
    else {
        panic!("{:?}", v.corrections)
    };
    assert!(matches!(
        dropped_coupon,
        Some((_, CouponProblem::Expired(_)))
    ));
    // Withdrawn yesterday at noon: an order taken before stands, one after does not.
    let withdrawn = CouponRecord {
        active: false,
        valid_until: String::new(),
        withdrawn_at: "2026-11-24T12:00:00Z".into(),
        ..coupon.clone()
    };
    let v = review_at(
        order("2026-11-24T11:00:00Z", 1_000),
        "2026-11-23T08:00:00Z",
        &withdrawn,
    );
    assert_eq!(v.accept.orders[0].1.coupon, "PODZIM");
    let v = review_at(
        order("2026-11-24T13:00:00Z", 1_000),
        "2026-11-23T08:00:00Z",
        &withdrawn,
    );
    assert_eq!(v.accept.orders[0].1.coupon, "");
    // A clock set ahead is taken as now.
    let known = Known {
        orders_after: Some(now() - time::Duration::days(1)),
        ..Known::default()
    };
    assert_eq!(
        repricing::taken_at(&order("2027-01-01T00:00:00Z", 0), &known, now()),
        now()
    );
}

#[test]
fn an_order_whose_references_do_not_read_is_reported_not_dropped() {
    let id = OrderId::new();
    let with = |client: &str, line: &str, product: &str| OrderRecord {
        client: client.into(),
        lines: vec![records::LineRecord {
            id: line.into(),
            product: Some(product.into()),
            quantity: 1,
            ..Default::default()
        }],
        ..couponed("", "2026-11-25T10:00:00Z", 0)
    };
    for (order, what) in [
        (with("nobody", LINE, P1), "client"),
        (with(CLIENT, "l1", P1), "line"),
        (with(CLIENT, LINE, "frame-7"), "product"),
    ] {
        let touched = Touched {
            orders: vec![(id.to_string(), Some(order))],
            ..Touched::default()
        };
        let v = review(touched, &Known::default(), now(), Mode::Enforce);
        assert!(v.accept.orders.is_empty(), "{what}: left out");
        let Some(Report::Rejected(Rejection::UnreadableRecord { why, .. })) =
            &v.corrections[0].report
        else {
            panic!("{what}: {:?}", v.corrections)
        };
        assert!(why.contains(what), "{why}");
    }
    let fine = with(CLIENT, LINE, P1);
    let touched = Touched {
        orders: vec![(id.to_string(), Some(fine))],
        ..Touched::default()
    };
    assert_eq!(
        review(touched, &Known::default(), now(), Mode::Enforce)
            .accept
            .orders
            .len(),
        1
    );
}
