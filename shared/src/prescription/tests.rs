#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use time::macros::date;

use super::*;

const TODAY: Date = date!(2025 - 06 - 15);

fn d(h: i32) -> Diopters {
    Diopters::from_hundredths(h)
}

fn sample() -> Prescription {
    Prescription {
        id: PrescriptionId::new(),
        client: ClientId::new(),
        right: EyeRx {
            sph: d(-225),
            cyl: d(-75),
            axis: Some(180),
            add: Some(d(200)),
            prism: None,
            pd_mono_mm: Some(Millimetres::from_tenths(315)),
            fitting_height_mm: Some(Millimetres::from_mm(22)),
        },
        left: EyeRx {
            sph: d(-200),
            add: Some(d(200)),
            prism: Some(Prism {
                amount: d(100),
                base: PrismBase::In,
            }),
            ..EyeRx::default()
        },
        pd_binocular_mm: None,
        measured_by: "Mgr. Jana Nováková".into(),
        measured_on: date!(2025 - 06 - 01),
        valid_until: date!(2027 - 06 - 01),
        note: String::new(),
    }
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_good_prescription_is_clean() {
    assert_eq!(sample().validate(TODAY), vec![]);
}

#[test]
fn every_problem_is_reported_with_its_path() {
    let mut rx = sample();
    rx.right.sph = d(-2010); // out of range
    rx.right.cyl = d(-70); // off step
    rx.left.axis = Some(90); // no cylinder
    rx.left.add = Some(d(25)); // too small
    rx.pd_binocular_mm = Some(Millimetres::from_tenths(642)); // off step
    rx.measured_by = "  ".into();
    rx.measured_on = date!(2025 - 06 - 16);
    rx.valid_until = date!(2025 - 06 - 16);
    let errors = rx.validate(TODAY);
    assert_eq!(
        fields(&errors),
        vec![
            "right.sph",
            "right.cyl",
            "left.axis",
            "left.add",
            "pd_binocular",
            "measured_by",
            "measured_on",
            "valid_until"
        ]
    );
    assert_eq!(
        errors[0].problem,
        Problem::OutOfRange {
            min: "-20.00".into(),
            max: "+20.00".into()
        }
    );
    assert_eq!(
        errors[1].problem,
        Problem::Step {
            step: "0.25".into()
        }
    );
    assert_eq!(errors[4].problem, Problem::Step { step: "0.5".into() });
    assert_eq!(
        errors[3].message(Lang::Cs),
        "Musí být v rozmezí +0.50 až +4.00"
    );
}

#[test]
fn axis_rules() {
    let mut rx = sample();
    rx.right.axis = None;
    assert_eq!(
        rx.validate(TODAY),
        vec![FieldError::new("right.axis", Problem::Required)]
    );
    rx.right.axis = Some(0);
    assert_eq!(fields(&rx.validate(TODAY)), vec!["right.axis"]);
    rx.right.axis = Some(181);
    assert_eq!(fields(&rx.validate(TODAY)), vec!["right.axis"]);
    rx.right.axis = Some(1);
    assert!(rx.validate(TODAY).is_empty());
}

#[test]
fn plus_cylinder_must_be_transposed_first() {
    let mut rx = sample();
    rx.right = EyeRx {
        sph: d(-300),
        cyl: d(75),
        axis: Some(90),
        ..rx.right
    };
    assert_eq!(
        rx.validate(TODAY),
        vec![FieldError::new(
            "right.cyl",
            Problem::NotAllowed(reason::PLUS_CYLINDER.into())
        )]
    );
    let fixed = rx.to_minus_cylinder();
    assert_eq!(fixed.right.sph, d(-225));
    assert_eq!(fixed.right.cyl, d(-75));
    assert_eq!(fixed.right.axis, Some(180));
    assert!(fixed.validate(TODAY).is_empty());
    assert_eq!(fixed.left, rx.left);
}

#[test]
fn transpose_turns_the_axis_within_1_to_180() {
    let eye = |axis| EyeRx {
        sph: d(100),
        cyl: d(-50),
        axis: Some(axis),
        ..EyeRx::default()
    };
    assert_eq!(eye(1).transpose().axis, Some(91));
    assert_eq!(eye(90).transpose().axis, Some(180));
    assert_eq!(eye(91).transpose().axis, Some(1));
    assert_eq!(eye(180).transpose().axis, Some(90));
    let t = eye(30).transpose();
    assert_eq!((t.sph, t.cyl), (d(50), d(50)));
}

#[test]
fn dates_and_expiry() {
    let rx = sample();
    assert!(!rx.is_expired(date!(2027 - 06 - 01)));
    assert!(rx.is_expired(date!(2027 - 06 - 02)));
    let mut same_day = rx.clone();
    same_day.measured_on = TODAY;
    assert!(same_day.validate(TODAY).is_empty());
}

#[test]
fn serialises_dates_as_iso_text() {
    let rx = sample();
    let json = serde_json::to_value(&rx).unwrap();
    assert_eq!(json["measured_on"], "2025-06-01");
    assert_eq!(json["right"]["sph"], -225);
    assert_eq!(json["left"]["prism"]["base"], "in");
    let back: Prescription = serde_json::from_value(json).unwrap();
    assert_eq!(back, rx);
}

fn steps(min: i32, max: i32, step: i32) -> impl Strategy<Value = i32> {
    (min / step..=max / step).prop_map(move |k| k * step)
}

fn valid_eye() -> impl Strategy<Value = EyeRx> {
    (
        steps(-2000, 2000, 25),
        steps(-800, 0, 25),
        1u16..=180,
        proptest::option::of(steps(50, 400, 25)),
        proptest::option::of((steps(25, 1000, 25), 0usize..4)),
        proptest::option::of(steps(250, 400, 5)),
        proptest::option::of(steps(100, 400, 5)),
    )
        .prop_map(|(sph, cyl, axis, add, prism, pd, fh)| EyeRx {
            sph: d(sph),
            cyl: d(cyl),
            axis: (cyl != 0).then_some(axis),
            add: add.map(d),
            prism: prism.map(|(a, b)| Prism {
                amount: d(a),
                base: PrismBase::ALL[b],
            }),
            pd_mono_mm: pd.map(Millimetres::from_tenths),
            fitting_height_mm: fh.map(Millimetres::from_tenths),
        })
}

fn valid_rx() -> impl Strategy<Value = Prescription> {
    (
        valid_eye(),
        valid_eye(),
        proptest::option::of(steps(500, 800, 5)),
        0i64..3650,
        1i64..3650,
        "[A-Za-zÁ-ž][A-Za-zÁ-ž .]{0,30}",
    )
        .prop_map(|(right, left, pd, ago, valid_for, by)| {
            let measured_on = TODAY - time::Duration::days(ago);
            Prescription {
                id: PrescriptionId::new(),
                client: ClientId::new(),
                right,
                left,
                pd_binocular_mm: pd.map(Millimetres::from_tenths),
                measured_by: by,
                measured_on,
                valid_until: measured_on + time::Duration::days(valid_for),
                note: String::new(),
            }
        })
}

/// A value outside `min..=max`, or inside it but off the step.
fn bad(min: i32, max: i32, step: i32) -> impl Strategy<Value = i32> {
    prop_oneof![
        // Just past the bounds on the grid: catches a range that is a step too wide.
        Just(min - step),
        Just(max + step),
        i32::MIN..min,
        (max + 1)..=i32::MAX,
        (min..=max).prop_filter("off step", move |v| v % step != 0),
    ]
}

/// Which field to spoil: (path, bad value).
fn spoiled() -> impl Strategy<Value = (&'static str, i32)> {
    prop_oneof![
        bad(-2000, 2000, 25).prop_map(|v| ("sph", v)),
        // Positive cylinders are refused too, so anything not in -8..=0 on the grid.
        prop_oneof![bad(-800, 800, 25), steps(25, 800, 25)].prop_map(|v| ("cyl", v)),
        prop_oneof![Just(0), 181..=i32::from(u16::MAX)].prop_map(|v| ("axis", v)),
        bad(50, 400, 25).prop_map(|v| ("add", v)),
        bad(25, 1000, 25).prop_map(|v| ("prism", v)),
        bad(250, 400, 5).prop_map(|v| ("pd_mono", v)),
        bad(100, 400, 5).prop_map(|v| ("fitting_height", v)),
        bad(500, 800, 5).prop_map(|v| ("pd_binocular", v)),
    ]
}

fn spoil(rx: &mut Prescription, right: bool, field: &str, v: i32) -> String {
    if field == "pd_binocular" {
        rx.pd_binocular_mm = Some(Millimetres::from_tenths(v));
        return field.to_owned();
    }
    let eye = if right { &mut rx.right } else { &mut rx.left };
    match field {
        "sph" => eye.sph = d(v),
        "cyl" => {
            eye.cyl = d(v);
            // Keep the axis consistent so only the cylinder itself is wrong.
            eye.axis = if v == 0 {
                None
            } else {
                Some(eye.axis.unwrap_or(90))
            };
        }
        "axis" => {
            if eye.cyl.is_zero() {
                eye.cyl = d(-100);
            }
            eye.axis = Some(u16::try_from(v).unwrap());
        }
        "add" => eye.add = Some(d(v)),
        "prism" => {
            eye.prism = Some(Prism {
                amount: d(v),
                base: PrismBase::Up,
            })
        }
        "pd_mono" => eye.pd_mono_mm = Some(Millimetres::from_tenths(v)),
        "fitting_height" => eye.fitting_height_mm = Some(Millimetres::from_tenths(v)),
        _ => unreachable!("{field}"),
    }
    format!("{}.{field}", if right { "right" } else { "left" })
}

fn arb_eye() -> impl Strategy<Value = EyeRx> {
    (
        any::<i32>(),
        any::<i32>(),
        any::<Option<u16>>(),
        any::<Option<i32>>(),
        any::<Option<(i32, usize)>>(),
        any::<Option<i32>>(),
        any::<Option<i32>>(),
    )
        .prop_map(|(sph, cyl, axis, add, prism, pd, fh)| EyeRx {
            sph: d(sph),
            cyl: d(cyl),
            axis,
            add: add.map(d),
            prism: prism.map(|(a, b)| Prism {
                amount: d(a),
                base: PrismBase::ALL[b % 4],
            }),
            pd_mono_mm: pd.map(Millimetres::from_tenths),
            fitting_height_mm: fh.map(Millimetres::from_tenths),
        })
}

fn arb_date() -> impl Strategy<Value = Date> {
    (Date::MIN.to_julian_day()..=Date::MAX.to_julian_day())
        .prop_map(|j| Date::from_julian_day(j).unwrap())
}

proptest! {
    #[test]
    fn values_within_ranges_and_steps_validate_clean(rx in valid_rx()) {
        prop_assert_eq!(rx.validate(TODAY), vec![]);
    }

    #[test]
    fn a_bad_value_is_reported_on_exactly_its_field(
        mut rx in valid_rx(),
        right in any::<bool>(),
        (field, v) in spoiled(),
    ) {
        let path = spoil(&mut rx, right, field, v);
        let errors = rx.validate(TODAY);
        prop_assert!(!errors.is_empty(), "{} = {} passed", path, v);
        prop_assert!(errors.iter().all(|e| e.field == path), "{:?} for {}", errors, path);
    }

    #[test]
    fn transposing_twice_is_identity(eye in valid_eye(), plus in any::<bool>()) {
        let eye = if plus { eye.transpose() } else { eye };
        prop_assert_eq!(eye.transpose().transpose(), eye.clone());
        prop_assert!(eye.to_minus_cylinder().cyl.hundredths() <= 0);
    }

    #[test]
    fn validate_never_panics(
        right in arb_eye(),
        left in arb_eye(),
        pd in any::<Option<i32>>(),
        measured_on in arb_date(),
        valid_until in arb_date(),
        today in arb_date(),
        by in "\\PC{0,120}",
    ) {
        let rx = Prescription {
            id: PrescriptionId::new(),
            client: ClientId::new(),
            right,
            left,
            pd_binocular_mm: pd.map(Millimetres::from_tenths),
            measured_by: by,
            measured_on,
            valid_until,
            note: String::new(),
        };
        let _ = rx.validate(today);
        let _ = rx.is_expired(today);
        let _ = rx.to_minus_cylinder().validate(today);
    }
}
