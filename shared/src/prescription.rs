//! A spectacle prescription (refraction) for both eyes, and its validation.
//!
//! Ranges (from the domain brief): SPH −20..+20 D and CYL −8..+8 D in 0.25 steps;
//! AXIS whole degrees 1..180, given exactly when CYL ≠ 0; ADD +0.50..+4.00 in 0.25
//! steps; prism 0.25..10 Δ in 0.25 steps with a base; PD monocular 25–40 mm,
//! binocular 50–80 mm, fitting height 10–40 mm, all in 0.5 mm steps.
//!
//! Cylinder is stored in minus-cylinder form (what lens suppliers expect). Opticians
//! may write plus cylinder; the form converts with [`EyeRx::to_minus_cylinder`] before
//! validating, and [`Prescription::validate`] rejects a positive cylinder so a
//! plus-cylinder card can never be stored by mistake.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ids::{ClientId, PrescriptionId};
use crate::lang::Lang;
use crate::measure::{Diopters, Millimetres};
use crate::validate::{self, FieldError, Problem, reason};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Direction of a prism's base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrismBase {
    /// Towards the nose.
    In,
    /// Towards the temple.
    Out,
    /// Up.
    Up,
    /// Down.
    Down,
}

impl PrismBase {
    /// Every base direction.
    pub const ALL: [PrismBase; 4] = [
        PrismBase::In,
        PrismBase::Out,
        PrismBase::Up,
        PrismBase::Down,
    ];

    /// Text for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PrismBase::In => lang.pick("báze nazálně", "base in"),
            PrismBase::Out => lang.pick("báze temporálně", "base out"),
            PrismBase::Up => lang.pick("báze nahoru", "base up"),
            PrismBase::Down => lang.pick("báze dolů", "base down"),
        }
    }
}

/// A prescribed prism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Prism {
    /// Prism dioptres (Δ), 0.25..10 in 0.25 steps; shares the fixed-point type of lens power.
    pub amount: Diopters,
    /// Where the base points.
    pub base: PrismBase,
}

/// The prescription for one eye.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EyeRx {
    /// Sphere.
    pub sph: Diopters,
    /// Cylinder, minus-cylinder form when stored.
    pub cyl: Diopters,
    /// Cylinder axis in whole degrees 1..180; present exactly when `cyl` ≠ 0.
    pub axis: Option<u16>,
    /// Near addition (progressive / reading).
    pub add: Option<Diopters>,
    /// Prism, if prescribed.
    pub prism: Option<Prism>,
    /// Monocular pupillary distance.
    pub pd_mono_mm: Option<Millimetres>,
    /// Fitting height (progressives).
    pub fitting_height_mm: Option<Millimetres>,
}

/// A recorded prescription for a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prescription {
    /// Id.
    pub id: PrescriptionId,
    /// Whose eyes.
    pub client: ClientId,
    /// Right eye (OD).
    pub right: EyeRx,
    /// Left eye (OS).
    pub left: EyeRx,
    /// Binocular pupillary distance, when not measured per eye.
    pub pd_binocular_mm: Option<Millimetres>,
    /// Who measured it (name of the optometrist or adviser).
    pub measured_by: String,
    /// Day of the measurement.
    #[serde(with = "iso_date")]
    pub measured_on: Date,
    /// Last day the prescription may be used to make glasses.
    #[serde(with = "iso_date")]
    pub valid_until: Date,
    /// Free note.
    pub note: String,
}

/// Longest `measured_by` accepted.
pub const MEASURED_BY_MAX: usize = 100;
/// Longest note accepted.
pub const NOTE_MAX: usize = 2000;

/// How a rule's bounds are shown to people.
#[derive(Clone, Copy)]
enum Unit {
    /// Signed lens power, `+0.50`.
    Power,
    /// Unsigned magnitude in dioptres (prism amounts, steps), `0.25`.
    Magnitude,
    /// Millimetres, `32.5`.
    Mm,
}

impl Unit {
    fn show(self, v: i32) -> String {
        match self {
            Unit::Power => Diopters::from_hundredths(v).to_string(),
            Unit::Magnitude => Diopters::from_hundredths(v)
                .to_string()
                .trim_start_matches('+')
                .to_owned(),
            Unit::Mm => Millimetres::from_tenths(v).to_string(),
        }
    }
}

/// An inclusive range with a step on a fixed-point integer.
struct Rule {
    min: i32,
    max: i32,
    step: i32,
    unit: Unit,
}

const SPH: Rule = Rule {
    min: -2000,
    max: 2000,
    step: 25,
    unit: Unit::Power,
};
const CYL: Rule = Rule {
    min: -800,
    max: 800,
    step: 25,
    unit: Unit::Power,
};
const ADD: Rule = Rule {
    min: 50,
    max: 400,
    step: 25,
    unit: Unit::Power,
};
const PRISM: Rule = Rule {
    min: 25,
    max: 1000,
    step: 25,
    unit: Unit::Magnitude,
};
const PD_MONO: Rule = Rule {
    min: 250,
    max: 400,
    step: 5,
    unit: Unit::Mm,
};
const PD_BINOCULAR: Rule = Rule {
    min: 500,
    max: 800,
    step: 5,
    unit: Unit::Mm,
};
const FITTING_HEIGHT: Rule = Rule {
    min: 100,
    max: 400,
    step: 5,
    unit: Unit::Mm,
};

impl Rule {
    /// The first problem with `v`: range before step, since an out-of-range value
    /// must be retyped anyway.
    fn check(&self, v: i32) -> Option<Problem> {
        if v < self.min || v > self.max {
            Some(Problem::OutOfRange {
                min: self.unit.show(self.min),
                max: self.unit.show(self.max),
            })
        } else if v % self.step != 0 {
            let unit = match self.unit {
                Unit::Power => Unit::Magnitude,
                u => u,
            };
            Some(Problem::Step {
                step: unit.show(self.step),
            })
        } else {
            None
        }
    }

    fn push(&self, errors: &mut Vec<FieldError>, field: String, v: i32) {
        if let Some(p) = self.check(v) {
            errors.push(FieldError::new(field, p));
        }
    }
}

/// Axis after swapping the cylinder's sign: turned by 90°, kept within 1..180.
fn turn_axis(axis: u16) -> u16 {
    if axis <= 90 { axis + 90 } else { axis - 90 }
}

impl EyeRx {
    /// The same correction written in the other cylinder convention
    /// (sph' = sph + cyl, cyl' = −cyl, axis' = axis ± 90°). Applying it twice gives
    /// back the original. Saturates on absurd inputs instead of overflowing.
    pub fn transpose(&self) -> EyeRx {
        EyeRx {
            sph: Diopters::from_hundredths(
                self.sph.hundredths().saturating_add(self.cyl.hundredths()),
            ),
            cyl: Diopters::from_hundredths(self.cyl.hundredths().saturating_neg()),
            axis: self.axis.map(turn_axis),
            ..self.clone()
        }
    }

    /// The minus-cylinder form: transposed if the cylinder is positive, else unchanged.
    pub fn to_minus_cylinder(&self) -> EyeRx {
        if self.cyl.hundredths() > 0 {
            self.transpose()
        } else {
            self.clone()
        }
    }

    /// Every problem of this eye, with fields prefixed by `eye` (`right` / `left`).
    pub fn validate(&self, eye: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let f = |name: &str| format!("{eye}.{name}");
        SPH.push(&mut errors, f("sph"), self.sph.hundredths());
        let cyl = self.cyl.hundredths();
        match CYL.check(cyl) {
            Some(p) => errors.push(FieldError::new(f("cyl"), p)),
            None if cyl > 0 => errors.push(FieldError::new(
                f("cyl"),
                Problem::NotAllowed(reason::PLUS_CYLINDER.into()),
            )),
            None => {}
        }
        match (cyl != 0, self.axis) {
            (true, None) => errors.push(FieldError::new(f("axis"), Problem::Required)),
            (true, Some(a)) if !(1..=180).contains(&a) => errors.push(FieldError::new(
                f("axis"),
                Problem::OutOfRange {
                    min: "1".into(),
                    max: "180".into(),
                },
            )),
            (false, Some(_)) => errors.push(FieldError::new(
                f("axis"),
                Problem::NotAllowed(reason::AXIS_WITHOUT_CYLINDER.into()),
            )),
            _ => {}
        }
        if let Some(add) = self.add {
            ADD.push(&mut errors, f("add"), add.hundredths());
        }
        if let Some(prism) = self.prism {
            PRISM.push(&mut errors, f("prism"), prism.amount.hundredths());
        }
        if let Some(pd) = self.pd_mono_mm {
            PD_MONO.push(&mut errors, f("pd_mono"), pd.tenths());
        }
        if let Some(h) = self.fitting_height_mm {
            FITTING_HEIGHT.push(&mut errors, f("fitting_height"), h.tenths());
        }
        errors
    }
}

impl Prescription {
    /// Every problem found, with form field paths (`right.sph`, `left.axis`,
    /// `pd_binocular`, `measured_on`, `valid_until`, …). Empty means valid.
    pub fn validate(&self, today: Date) -> Vec<FieldError> {
        let mut errors = self.right.validate("right");
        errors.extend(self.left.validate("left"));
        if let Some(pd) = self.pd_binocular_mm {
            PD_BINOCULAR.push(&mut errors, "pd_binocular".into(), pd.tenths());
        }
        let by = validate::required("measured_by", &self.measured_by)
            .and_then(|s| validate::max_len("measured_by", &s, MEASURED_BY_MAX));
        errors.extend(by.err());
        errors.extend(validate::max_len("note", &self.note, NOTE_MAX).err());
        if self.measured_on > today {
            errors.push(FieldError::new(
                "measured_on",
                Problem::NotAllowed(reason::IN_FUTURE.into()),
            ));
        }
        if self.valid_until <= self.measured_on {
            errors.push(FieldError::new(
                "valid_until",
                Problem::NotAllowed(reason::VALID_UNTIL_NOT_AFTER_MEASURED.into()),
            ));
        }
        errors
    }

    /// True once `today` is past `valid_until` (the last valid day still counts).
    pub fn is_expired(&self, today: Date) -> bool {
        today > self.valid_until
    }

    /// Both eyes in minus-cylinder form.
    pub fn to_minus_cylinder(&self) -> Prescription {
        Prescription {
            right: self.right.to_minus_cylinder(),
            left: self.left.to_minus_cylinder(),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests;
