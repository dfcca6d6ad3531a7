//! Prescription entry: per eye, with − / + steppers in 0.25 D steps (axis in 5°),
//! checked inline with the shared rules; who measured it and when.

use dioxus::prelude::*;
use fieldcase_device::DeviceError;
use fieldcase_shared::{
    ClientId, Diopters, EyeRx, FieldError, Lang, Millimetres, Prescription, PrescriptionId, Problem,
};

use crate::screens::Screen;
use crate::ui::{Ctx, FieldMessage, iso, parse_iso, t, today, use_ctx};

/// One eye's fields as typed: sph, cyl, axis, add.
type EyeText = [String; 4];

/// Steps a diopter text by `delta` hundredths (empty counts as zero).
fn step_diopters(text: &str, delta: i32, lang: Lang) -> String {
    let current = if text.trim().is_empty() {
        Diopters::ZERO
    } else {
        match Diopters::parse(text) {
            Ok(d) => d,
            Err(_) => return text.to_owned(),
        }
    };
    Diopters::from_hundredths(current.hundredths() + delta).format(lang)
}

/// Steps an axis by `delta` degrees, wrapping within 1..=180.
fn step_axis(text: &str, delta: i32) -> String {
    let current: i32 = text
        .trim()
        .parse()
        .unwrap_or(if delta > 0 { 0 } else { 181 });
    let next = (current + delta - 1).rem_euclid(180) + 1;
    next.to_string()
}

/// Reads one eye; unreadable numbers become field errors.
fn read_eye(text: &EyeText, eye: &str, errors: &mut Vec<FieldError>) -> EyeRx {
    let mut diopters = |i: usize, name: &str| -> Option<Diopters> {
        let s = text[i].trim();
        if s.is_empty() {
            return None;
        }
        match Diopters::parse(s) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new(format!("{eye}.{name}"), Problem::Invalid));
                None
            }
        }
    };
    let sph = diopters(0, "sph").unwrap_or(Diopters::ZERO);
    let cyl = diopters(1, "cyl").unwrap_or(Diopters::ZERO);
    let add = diopters(3, "add").filter(|a| !a.is_zero());
    let axis = match text[2].trim() {
        "" => None,
        s => match s.parse::<u16>() {
            Ok(a) => Some(a),
            Err(_) => {
                errors.push(FieldError::new(format!("{eye}.axis"), Problem::Invalid));
                None
            }
        },
    };
    EyeRx {
        sph,
        cyl,
        axis,
        add,
        ..Default::default()
    }
}

/// A number field with − and + buttons.
#[component]
fn Stepper(
    id: String,
    label: &'static str,
    value: String,
    on_change: EventHandler<String>,
    on_step: EventHandler<i32>,
) -> Element {
    rsx! {
        label { r#for: "{id}", "{label}" }
        div { class: "stepper",
            button { r#type: "button", class: "secondary", id: "{id}-minus", "aria-label": "−",
                onclick: move |_| on_step.call(-1), "−" }
            input { id: "{id}", name: "{id}", inputmode: "decimal", value: "{value}",
                oninput: move |e| on_change.call(e.value()) }
            button { r#type: "button", class: "secondary", id: "{id}-plus", "aria-label": "+",
                onclick: move |_| on_step.call(1), "+" }
        }
    }
}

/// The form for a new prescription of `client`.
#[component]
pub(crate) fn NewPrescription(client: ClientId) -> Element {
    let Ctx {
        phone,
        mut screen,
        revision,
        l,
        ..
    } = use_ctx();
    let adviser = phone
        .device()
        .map(|d| d.enrolment().adviser_name.clone())
        .unwrap_or_default();
    let mut eyes = use_signal(|| [EyeText::default(), EyeText::default()]);
    let mut pd = use_signal(String::new);
    let mut measured_by = use_signal(|| adviser);
    let mut measured_on = use_signal(|| iso(today()));
    let mut valid_until =
        use_signal(|| iso(today().replace_year(today().year() + 2).unwrap_or(today())));
    let mut note = use_signal(String::new);
    let mut errors = use_signal(Vec::<FieldError>::new);
    let mut failure = use_signal(|| None::<String>);

    // Builds the prescription from the form; problems found on the way included.
    let build = move || -> (Prescription, Vec<FieldError>) {
        let mut problems = Vec::new();
        let [r, le] = eyes();
        let right = read_eye(&r, "right", &mut problems);
        let left = read_eye(&le, "left", &mut problems);
        let pd_binocular_mm = match pd().trim() {
            "" => None,
            s => match Millimetres::parse(s) {
                Ok(m) => Some(m),
                Err(_) => {
                    problems.push(FieldError::new("pd_binocular", Problem::Invalid));
                    None
                }
            },
        };
        let on = parse_iso(&measured_on()).unwrap_or_else(|| {
            problems.push(FieldError::new("measured_on", Problem::Invalid));
            today()
        });
        let until = parse_iso(&valid_until()).unwrap_or_else(|| {
            problems.push(FieldError::new("valid_until", Problem::Invalid));
            today()
        });
        let rx = Prescription {
            id: PrescriptionId::new(),
            client,
            right,
            left,
            pd_binocular_mm,
            measured_by: measured_by().trim().to_owned(),
            measured_on: on,
            valid_until: until,
            note: note().trim().to_owned(),
        };
        problems.extend(rx.validate(today()));
        (rx, problems)
    };
    // Inline: the shared rules run on every change once the form was touched.
    let shown = errors();
    let save = move |_evt: FormEvent| {
        let (rx, problems) = build();
        if !problems.is_empty() {
            errors.set(problems);
            return;
        }
        let Some(device) = phone.device() else {
            return;
        };
        spawn(async move {
            match device.save_prescription(&rx).await {
                Ok(()) => {
                    revision.bump();
                    screen.set(Screen::Client(client));
                }
                Err(DeviceError::Invalid(problems)) => errors.set(problems),
                Err(err) => failure.set(Some(format!(
                    "{} ({err})",
                    t(
                        l,
                        "Refrakci se nepodařilo uložit.",
                        "Could not save the prescription."
                    )
                ))),
            }
        });
    };
    let mut revalidate = move || {
        if !errors.peek().is_empty() {
            errors.set(build().1);
        }
    };
    let names = [
        ("sph", t(l, "Sféra (SPH)", "Sphere (SPH)")),
        ("cyl", t(l, "Cylindr (CYL)", "Cylinder (CYL)")),
        ("axis", t(l, "Osa (°)", "Axis (°)")),
        ("add", t(l, "Adice (ADD)", "Addition (ADD)")),
    ];
    rsx! {
        h1 { {t(l, "Nová refrakce", "New prescription")} }
        if let Some(e) = failure() {
            p { class: "error", role: "alert", "{e}" }
        }
        form { id: "rx-form", onsubmit: save,
            div { class: "eyes",
                for (e, eye) in ["right", "left"].into_iter().enumerate() {
                    div { key: "{eye}",
                        h3 { {if e == 0 { t(l, "Pravé oko (P)", "Right eye (R)") } else { t(l, "Levé oko (L)", "Left eye (L)") }} }
                        for (i, (name, label)) in names.into_iter().enumerate() {
                            Stepper {
                                key: "{eye}-{name}",
                                id: format!("{eye}-{name}"),
                                label,
                                value: eyes.read()[e][i].clone(),
                                on_change: move |v: String| { eyes.write()[e][i] = v; revalidate(); },
                                on_step: move |dir: i32| {
                                    let current = eyes.read()[e][i].clone();
                                    eyes.write()[e][i] = if i == 2 {
                                        step_axis(&current, dir * 5)
                                    } else {
                                        step_diopters(&current, dir * 25, l)
                                    };
                                    revalidate();
                                },
                            }
                            FieldMessage { errors: shown.clone(), field: format!("{eye}.{name}") }
                        }
                    }
                }
            }
            label { r#for: "pd", {t(l, "Pupilární vzdálenost (mm)", "Pupillary distance (mm)")} }
            input { id: "pd", inputmode: "decimal", value: "{pd}", oninput: move |e| { pd.set(e.value()); revalidate(); } }
            FieldMessage { errors: shown.clone(), field: "pd_binocular" }
            label { r#for: "measured_by", {t(l, "Měřil(a)", "Measured by")} }
            input { id: "measured_by", value: "{measured_by}", oninput: move |e| { measured_by.set(e.value()); revalidate(); } }
            FieldMessage { errors: shown.clone(), field: "measured_by" }
            label { r#for: "measured_on", {t(l, "Datum měření", "Measured on")} }
            input { id: "measured_on", r#type: "date", value: "{measured_on}", oninput: move |e| { measured_on.set(e.value()); revalidate(); } }
            FieldMessage { errors: shown.clone(), field: "measured_on" }
            label { r#for: "valid_until", {t(l, "Platí do", "Valid until")} }
            input { id: "valid_until", r#type: "date", value: "{valid_until}", oninput: move |e| { valid_until.set(e.value()); revalidate(); } }
            FieldMessage { errors: shown.clone(), field: "valid_until" }
            label { r#for: "rx-note", {t(l, "Poznámka", "Note")} }
            input { id: "rx-note", value: "{note}", oninput: move |e| note.set(e.value()) }
            div { class: "row",
                button { r#type: "submit", id: "save-rx", {t(l, "Uložit refrakci", "Save prescription")} }
                button { class: "secondary", r#type: "button", onclick: move |_| screen.set(Screen::Client(client)),
                    {t(l, "Zpět", "Back")}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steppers_move_in_quarters_and_axis_wraps() {
        assert_eq!(step_diopters("", 25, Lang::Cs), "+0,25");
        assert_eq!(step_diopters("-1,00", -25, Lang::Cs), "-1,25");
        assert_eq!(step_diopters("+0.25", -25, Lang::En), "0.00");
        assert_eq!(step_axis("", 5), "5");
        assert_eq!(step_axis("178", 5), "3");
        assert_eq!(step_axis("", -5), "176");
    }
}
