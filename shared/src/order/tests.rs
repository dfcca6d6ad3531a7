#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::*;
use crate::frame::FrameSize;
use crate::lens::{Coating, LensDesign, LensIndex, LensSpec};

fn line(kind: LineKind, czk: i64, qty: u32, vat: VatRate, discount: Discount) -> OrderLine {
    OrderLine {
        id: OrderLineId::new(),
        kind,
        product: None,
        text: format!("{kind:?}"),
        quantity: qty,
        unit_price: Money::from_czk(czk),
        vat,
        discount,
    }
}

fn lens(design: LensDesign) -> LensSpec {
    LensSpec {
        index: LensIndex::I160,
        design,
        coatings: vec![Coating::AntiReflective],
    }
}

fn order() -> GlassesOrder {
    GlassesOrder {
        id: OrderId::new(),
        client: ClientId::new(),
        adviser: AdviserId::new(),
        prescription: Some(PrescriptionId::new()),
        frame: Some(Frame {
            product: ProductId::new(),
            sku: "OB-123".into(),
            brand: "Lindberg".into(),
            model: "Strip 9704".into(),
            colour: "10".into(),
            size: FrameSize {
                eye_mm: 52,
                bridge_mm: 18,
                temple_mm: 140,
            },
        }),
        lenses: Some(LensPair {
            right: lens(LensDesign::Progressive),
            left: lens(LensDesign::Progressive),
        }),
        lines: vec![
            line(
                LineKind::Frame,
                2490,
                1,
                VatRate::STANDARD,
                Discount::Percent(1000),
            ),
            line(LineKind::Lens, 3200, 2, VatRate::STANDARD, Discount::None),
            line(
                LineKind::Service,
                300,
                1,
                VatRate::STANDARD,
                Discount::Amount(Money::from_czk(300)),
            ),
            line(
                LineKind::ContactLens,
                450,
                2,
                VatRate::REDUCED,
                Discount::None,
            ),
        ],
        order_discount: Discount::Amount(Money::from_czk(500)),
        deposit: Money::from_czk(3000),
        status: OrderStatus::Intake,
        variable_symbol: "2025000123".into(),
        note: String::new(),
    }
}

#[test]
fn totals_of_a_typical_order() {
    let t = order().totals();
    // 2490 + 6400 + 300 + 900 = 10 090; line discounts 249 + 300 = 549 → 9 541; −500 → 9 041.
    assert_eq!(t.gross_before_discounts, Money::from_czk(10_090));
    assert_eq!(t.discounts, Money::from_czk(1049));
    assert_eq!(t.gross, Money::from_czk(9041));
    assert_eq!(t.to_pay, Money::from_czk(6041));
    // 500 spread over 2241 / 6400 / 0 / 900 of 9541: 117.440… / 335.394… / 0 / 47.164…
    // floored, and the remainder of 0.01 on the lens line (the largest).
    let shares: Vec<i64> = t.lines.iter().map(|l| l.order_discount.haler()).collect();
    assert_eq!(shares, vec![11_744, 33_539 + 1, 0, 4_716]);
    assert_eq!(t.lines[2].gross, Money::ZERO);
    let standard = Money::from_czk(2241 + 6400) - Money::from_haler(11_744 + 33_540);
    let reduced = Money::from_czk(900) - Money::from_haler(4716);
    assert_eq!(
        t.vat_breakdown,
        vec![
            (
                VatRate::STANDARD,
                standard - vat_of(standard, 21),
                vat_of(standard, 21)
            ),
            (
                VatRate::REDUCED,
                reduced - vat_of(reduced, 12),
                vat_of(reduced, 12)
            ),
        ]
    );
    assert_eq!(vat_of(reduced, 12), Money::from_haler(9138));
    assert!(order().validate().is_empty(), "{:?}", order().validate());
}

fn vat_of(gross: Money, pct: u8) -> Money {
    crate::vat::vat_from_gross(gross, VatRate::from_percent(pct).unwrap()).1
}

#[test]
fn discounts_never_go_below_zero() {
    let mut o = order();
    o.lines = vec![line(
        LineKind::Other,
        100,
        1,
        VatRate::STANDARD,
        Discount::Amount(Money::from_czk(150)),
    )];
    o.order_discount = Discount::Percent(20_000);
    let t = o.totals();
    assert_eq!(t.gross, Money::ZERO);
    assert_eq!(t.discounts, Money::from_czk(100));
    let fields: Vec<_> = o.validate().into_iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        vec!["lines[0].discount", "order_discount", "deposit"]
    );
}

#[test]
fn the_rounding_remainder_flows_on_when_the_largest_line_is_full() {
    let mut o = order();
    o.lines = (0..3)
        .map(|_| {
            let mut l = line(LineKind::Accessory, 0, 1, VatRate::STANDARD, Discount::None);
            l.unit_price = Money::from_haler(1);
            l
        })
        .collect();
    o.order_discount = Discount::Amount(Money::from_haler(2));
    let t = o.totals();
    let grosses: Vec<i64> = t.lines.iter().map(|l| l.gross.haler()).collect();
    assert_eq!(grosses, vec![0, 0, 1]);
}

#[test]
fn validation_reports_each_problem() {
    let mut o = order();
    o.lines[1].quantity = 0;
    o.lines[0].text = " ".into();
    o.lines[3].unit_price = Money::from_haler(-1);
    o.prescription = None;
    o.lenses.as_mut().unwrap().left.design = LensDesign::SingleVision;
    o.variable_symbol = "VS-1".into();
    o.frame.as_mut().unwrap().sku.clear();
    o.deposit = Money::ZERO;
    let errors = o.validate();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "lines[0].text",
            "lines[1].quantity",
            "lines[3].unit_price",
            "frame.sku",
            "prescription",
            "lenses.left.design",
            "variable_symbol"
        ]
    );
    assert_eq!(
        errors[4].message(Lang::Cs),
        "Brýle s čočkami vyžadují předpis"
    );

    let mut empty = order();
    empty.lines.clear();
    empty.deposit = Money::ZERO;
    empty.order_discount = Discount::None;
    assert_eq!(
        empty.validate(),
        vec![FieldError::new("lines", Problem::Required)]
    );
    assert_eq!(empty.totals().vat_breakdown, vec![]);
}

#[test]
fn discount_labels_and_json() {
    assert_eq!(Discount::Percent(1000).label(Lang::Cs), "10 %");
    assert_eq!(Discount::Percent(1250).label(Lang::En), "12.50%");
    assert_eq!(
        Discount::Amount(Money::from_czk(100)).label(Lang::Cs),
        "100,00 Kč"
    );
    assert_eq!(
        serde_json::to_string(&Discount::Percent(1000)).unwrap(),
        r#"{"kind":"percent","value":1000}"#
    );
    assert_eq!(
        serde_json::to_string(&Discount::None).unwrap(),
        r#"{"kind":"none"}"#
    );
    let o = order();
    let back: GlassesOrder = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
    assert_eq!(back, o);
}

fn arb_discount() -> impl Strategy<Value = Discount> {
    prop_oneof![
        Just(Discount::None),
        (0u16..=12_000).prop_map(Discount::Percent),
        (-1_000i64..5_000_000).prop_map(|h| Discount::Amount(Money::from_haler(h))),
    ]
}

fn arb_line() -> impl Strategy<Value = OrderLine> {
    (0i64..2_000_000, 0u32..20, 0usize..3, arb_discount()).prop_map(|(p, q, r, d)| OrderLine {
        id: OrderLineId::new(),
        kind: LineKind::Other,
        product: None,
        text: "x".into(),
        quantity: q,
        unit_price: Money::from_haler(p),
        vat: VatRate::ALL[r],
        discount: d,
    })
}

proptest! {
    #[test]
    fn totals_are_consistent(
        lines in proptest::collection::vec(arb_line(), 0..8),
        order_discount in arb_discount(),
        deposit_permille in 0i64..=1000,
    ) {
        let gross = super::totals::compute(&lines, order_discount, Money::ZERO).gross;
        let deposit = Money::from_haler(gross.haler() * deposit_permille / 1000);
        let t = super::totals::compute(&lines, order_discount, deposit);

        let line_sum: Money = t.lines.iter().map(|l| l.gross).sum();
        prop_assert_eq!(line_sum, t.gross);
        let (base, vat) = t.vat_breakdown.iter().fold((Money::ZERO, Money::ZERO), |(b, v), r| (b + r.1, v + r.2));
        prop_assert_eq!(base + vat, t.gross);
        prop_assert_eq!(t.gross_before_discounts - t.discounts, t.gross);
        prop_assert_eq!(t.to_pay, t.gross - t.deposit);
        prop_assert!(!t.to_pay.is_negative());
        for l in &t.lines {
            prop_assert!(!l.gross.is_negative() && !l.line_discount.is_negative());
            prop_assert!(!l.order_discount.is_negative());
            prop_assert_eq!(l.gross_before_discounts - l.line_discount - l.order_discount, l.gross);
        }
        for (_, b, v) in &t.vat_breakdown {
            prop_assert!(!b.is_negative() && !v.is_negative());
        }
        // The whole order discount is spent, unless there was nothing to discount.
        let after_lines: Money = t.lines.iter().map(LineTotal::gross_before_order_discount).sum();
        let spent: Money = t.lines.iter().map(|l| l.order_discount).sum();
        prop_assert_eq!(spent, order_discount.amount_off(after_lines));
    }
}
