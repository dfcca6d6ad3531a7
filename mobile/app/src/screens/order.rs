//! The glasses order builder: frame from the case or the catalog, lenses,
//! coatings, discount (with the customer's price terms), coupon, deposit. An
//! order's detail is in `order_detail.rs`.

use std::collections::BTreeSet;

use dioxus::prelude::*;
use fieldcase_shared::docs::catalog::{CouponProblem, CouponRecord, ProductRecord};
use fieldcase_shared::docs::records::{LineRecord, OrderRecord};
use fieldcase_shared::lens::{index_advice, strongest_meridian};
use fieldcase_shared::pricing::{Pick, Terms};
use fieldcase_shared::validate::reason;
use fieldcase_shared::{
    ClientId, FieldError, LensDesign, LensIndex, OrderId, OrderStatus, Problem,
};

use crate::screens::Screen;
use crate::ui::{Ctx, FieldMessage, money, now_text, parse_czk, t, use_ctx};

/// What the adviser picked so far.
#[derive(Debug, Clone, Default, PartialEq)]
struct Draft {
    frame: Option<(String, ProductRecord, bool)>,
    lens_brand: String,
    index: Option<LensIndex>,
    design: Option<LensDesign>,
    coatings: BTreeSet<String>,
    prescription: Option<String>,
    discount_pct: String,
    coupon_text: String,
    coupon: Option<(String, CouponRecord)>,
    coupon_error: Option<String>,
    deposit: String,
    note: String,
}

/// The lens design's code in the catalog's SKUs (`L-<BRAND>-<index>-<SV|PR|OF>`).
fn design_code(design: LensDesign) -> &'static str {
    match design {
        LensDesign::SingleVision => "SV",
        LensDesign::Progressive => "PR",
        LensDesign::Office => "OF",
    }
}

/// The priced lines of a draft for `client`, with the percentage discount and the
/// coupon applied per line (`fieldcase_shared::pricing`, the hub prices the same
/// way), what the coupon took off in all (or why it does not apply: then it is a
/// problem too, so the order is not saved with it), and the percentage.
fn lines(
    draft: &Draft,
    client: &str,
    terms: &Terms,
    lens: Option<&(String, ProductRecord)>,
    coatings: &[(String, ProductRecord)],
) -> (
    Vec<LineRecord>,
    Vec<FieldError>,
    i64,
    Option<CouponProblem>,
    u32,
) {
    let mut errors = Vec::new();
    let pct: u32 = match draft.discount_pct.trim() {
        "" => 0,
        s => match s.trim_end_matches('%').trim().parse::<u32>() {
            Ok(p) if p <= fieldcase_shared::pricing::MAX_DISCOUNT_PCT => p,
            _ => {
                errors.push(FieldError::new(
                    "discount",
                    Problem::OutOfRange {
                        min: "0".into(),
                        max: "100".into(),
                    },
                ));
                0
            }
        },
    };
    let mut picks = Vec::new();
    let mut push = |kind: &str, id: &str, p: &ProductRecord, text: String, quantity: u32| {
        picks.push(Pick {
            line: uuid_text(),
            kind: kind.into(),
            product: id.to_owned(),
            text,
            quantity,
            price: p.price,
            vat_bp: p.vat_bp,
        });
    };
    if let Some((id, p, _)) = &draft.frame {
        push(
            "frame",
            id,
            p,
            format!("{} {} {}", p.name, p.colour, p.size)
                .trim()
                .to_owned(),
            1,
        );
    }
    if let Some((id, p)) = lens {
        push("lens", id, p, p.name.clone(), 2);
    }
    for (id, p) in coatings
        .iter()
        .filter(|(id, _)| draft.coatings.contains(id))
    {
        push("coating", id, p, p.name.clone(), 2);
    }
    let coupon = draft.coupon.as_ref().map(|(_, c)| c);
    let (out, coupon_off, problem) =
        fieldcase_shared::pricing::price_picks(picks, pct, terms, coupon, client);
    if problem.is_some() {
        errors.push(FieldError::new(
            "coupon",
            Problem::NotAllowed(reason::COUPON_NOT_APPLICABLE.into()),
        ));
    }
    (out, errors, coupon_off, problem, pct)
}

/// A discount class as the adviser reads it: the kinds by name, a product's own
/// class as the office wrote it.
fn class_label(l: fieldcase_shared::Lang, class: &str) -> String {
    match class {
        "frame" => t(l, "obruby", "frames").into(),
        "lens" => t(l, "čočky", "lenses").into(),
        "coating" => t(l, "úpravy čoček", "coatings").into(),
        "contact_lens" => t(l, "kontaktní čočky", "contact lenses").into(),
        "accessory" => t(l, "doplňky", "accessories").into(),
        "service" => t(l, "služby", "services").into(),
        other => other.to_owned(),
    }
}

/// What the customer's price terms give, for the order builder.
fn terms_text(l: fieldcase_shared::Lang, terms: &Terms) -> String {
    let pct =
        |bp: u32| fieldcase_shared::Discount::Percent(u16::try_from(bp).unwrap_or(10_000)).label(l);
    let mut parts = Vec::new();
    if terms.min_bp > 0 {
        parts.push(format!(
            "{} {}",
            t(l, "nejméně", "at least"),
            pct(terms.min_bp)
        ));
    }
    parts.extend(
        terms
            .tier
            .iter()
            .filter(|(_, bp)| **bp > 0)
            .map(|(class, bp)| format!("{} {}", class_label(l, class), pct(*bp))),
    );
    format!(
        "{} {}. {}",
        t(
            l,
            "Smluvní sleva zákazníka:",
            "The customer's agreed discount:"
        ),
        parts.join(", "),
        t(l, "Cena ji už obsahuje.", "The price includes it.")
    )
}

fn uuid_text() -> String {
    OrderId::new().to_string()
}

/// A new glasses order for `client`.
#[component]
pub(crate) fn NewOrder(client: ClientId) -> Element {
    let Ctx {
        phone,
        mut screen,
        revision,
        l,
        ..
    } = use_ctx();
    // Hooks first, the same on every render.
    let mut draft = use_signal(|| Draft {
        // The newest prescription by default.
        prescription: phone
            .device()
            .and_then(|d| d.prescriptions(client).first().map(|p| p.id.to_string())),
        ..Default::default()
    });
    let mut frame_query = use_signal(String::new);
    // The office's custom fields of orders and their values.
    let custom = use_signal(std::collections::BTreeMap::<String, String>::new);
    let mut errors = use_signal(Vec::<FieldError>::new);
    let mut failure = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let Some(device) = phone.device() else {
        return rsx! {};
    };
    let prescriptions = device.prescriptions(client);
    let order_fields = device.custom_fields(fieldcase_shared::custom_field::Entity::Order);
    let checked_fields = order_fields.clone();
    let d = draft();

    // Frames in the sample case first (what the client can try on now).
    let in_case: Vec<(String, ProductRecord, i64)> = device
        .case_stock()
        .into_iter()
        .filter(|(_, q)| *q > 0)
        .filter_map(|(id, q)| device.product(&id).map(|p| (id, p, q)))
        .filter(|(_, p, _)| p.kind == "frame")
        .collect();
    let found: Vec<(String, ProductRecord)> = if frame_query().trim().len() >= 2 {
        device.catalog_search(&format!("{} frame", frame_query()), 8)
    } else {
        Vec::new()
    };
    let all_lenses = device.catalog_search("lens", 500);
    let brands: BTreeSet<String> = all_lenses
        .iter()
        .filter(|(_, p)| p.kind == "lens")
        .map(|(_, p)| p.brand.clone())
        .collect();
    let brand = if d.lens_brand.is_empty() {
        brands.iter().next().cloned().unwrap_or_default()
    } else {
        d.lens_brand.clone()
    };
    let lens = match (d.index, d.design) {
        (Some(i), Some(des)) => all_lenses
            .iter()
            .find(|(_, p)| {
                p.kind == "lens"
                    && p.brand == brand
                    && p.sku
                        .ends_with(&format!("-{}-{}", i.value(), design_code(des)))
            })
            .cloned(),
        _ => None,
    };
    let coatings: Vec<(String, ProductRecord)> = device
        .catalog_search("coating", 100)
        .into_iter()
        .filter(|(_, p)| p.kind == "coating" && p.brand == brand)
        .collect();
    // The customer's price terms, as the office published them.
    let terms = device.price_terms(&client.to_string());
    let (order_lines, mut problems, coupon_off, coupon_problem, discount_pct) =
        lines(&d, &client.to_string(), &terms, lens.as_ref(), &coatings);
    let sum: i64 = order_lines.iter().map(LineRecord::total).sum();
    let deposit = parse_czk(&d.deposit);
    match deposit {
        None => problems.push(FieldError::new("deposit", Problem::Invalid)),
        Some(dep) if dep < 0 => problems.push(FieldError::new(
            "deposit",
            Problem::NotAllowed(reason::NEGATIVE_AMOUNT.into()),
        )),
        Some(dep) if dep > sum => problems.push(FieldError::new(
            "deposit",
            Problem::NotAllowed(reason::DEPOSIT_EXCEEDS_TOTAL.into()),
        )),
        _ => {}
    }
    if lens.is_some() && d.prescription.is_none() {
        problems.push(FieldError::new(
            "prescription",
            Problem::NotAllowed(reason::LENSES_NEED_PRESCRIPTION.into()),
        ));
    }
    if d.index.is_some() != d.design.is_some() {
        problems.push(FieldError::new("lens", Problem::Required));
    }
    let chosen_rx = prescriptions
        .iter()
        .find(|p| Some(p.id.to_string()) == d.prescription);
    let advice = match (chosen_rx, d.index) {
        (Some(rx), Some(index)) => {
            let strongest = [&rx.right, &rx.left]
                .iter()
                .map(|e| strongest_meridian(e.sph.hundredths(), e.cyl.hundredths()))
                .max()
                .unwrap_or(0);
            index_advice(strongest, index).map(|a| a.message(l))
        }
        _ => None,
    };
    let vs = device.next_variable_symbol();
    let vs_shown = vs.clone();
    // Once a submit found problems, they follow every change (fixed ones vanish).
    let shown = if errors().is_empty() {
        Vec::new()
    } else if order_lines.is_empty() {
        vec![FieldError::new("lines", Problem::Required)]
    } else {
        problems.clone()
    };
    let submit_device = device.clone();
    let submit = move |_evt: FormEvent| {
        if order_lines.is_empty() {
            errors.set(vec![FieldError::new("lines", Problem::Required)]);
            return;
        }
        let mut values = custom();
        let mut problems = problems.clone();
        problems.extend(fieldcase_shared::custom_field::check_all(
            &checked_fields,
            &mut values,
        ));
        if !problems.is_empty() {
            errors.set(problems);
            return;
        }
        let d = draft();
        let order = OrderRecord {
            client: client.to_string(),
            prescription: d.prescription.clone(),
            variable_symbol: vs.clone(),
            status: OrderStatus::Intake.code().into(),
            lines: order_lines.clone(),
            deposit: deposit.unwrap_or(0),
            note: d.note.trim().to_owned(),
            created_at: now_text(),
            coupon: d
                .coupon
                .as_ref()
                .map(|(code, _)| code.clone())
                .unwrap_or_default(),
            coupon_discount: if d.coupon.is_some() { coupon_off } else { 0 },
            discount_pct,
            custom: values,
        };
        let device = submit_device.clone();
        busy.set(true);
        spawn(async move {
            let id = OrderId::new();
            let result = device.take_order(id, &order).await;
            match result {
                Ok(()) => {
                    // A frame from the case is sold with the order.
                    if let Some((pid, _, true)) = &d.frame {
                        let note = format!("VS {}", order.variable_symbol);
                        if let Err(err) = device.record_case_movement(pid, -1, "sale", &note).await
                        {
                            tracing::warn!(%err, "recording the case sale");
                        }
                    }
                    revision.bump();
                    screen.set(Screen::Order(id.to_string()));
                }
                Err(err) => failure.set(Some(format!(
                    "{} ({err})",
                    t(
                        l,
                        "Zakázku se nepodařilo uložit.",
                        "Could not save the order."
                    )
                ))),
            }
            busy.set(false);
        });
    };
    rsx! {
        h1 { {t(l, "Nová zakázka", "New order")} }
        if let Some(e) = failure() {
            p { class: "error", role: "alert", "{e}" }
        }
        form { id: "order-form", onsubmit: submit,
            label { r#for: "prescription", {t(l, "Refrakce", "Prescription")} }
            select { id: "prescription",
                onchange: move |e| draft.write().prescription = Some(e.value()).filter(|v| !v.is_empty()),
                option { value: "", selected: d.prescription.is_none(), {t(l, "— bez refrakce —", "— no prescription —")} }
                for p in prescriptions.iter() {
                    option { key: "{p.id}", value: "{p.id}", selected: d.prescription.as_deref() == Some(p.id.to_string().as_str()),
                        "{crate::ui::date(l, p.measured_on)} · P {p.right.sph.format(l)} L {p.left.sph.format(l)}"
                    }
                }
            }
            FieldMessage { errors: shown.clone(), field: "prescription" }

            h2 { {t(l, "Obruba", "Frame")} }
            if let Some((_, p, from_case)) = &d.frame {
                div { class: "ok", id: "chosen-frame",
                    "{p.name} {p.colour} · {money(l, p.price)}"
                    if *from_case { " · " {t(l, "z kufru", "from the case")} }
                }
            }
            if !in_case.is_empty() {
                label { {t(l, "Z kufru", "From the case")} }
                div { class: "picks", id: "case-frames",
                    for (id, p, q) in in_case {
                        button { key: "{id}", r#type: "button",
                            class: if d.frame.as_ref().is_some_and(|f| f.0 == id) { "chosen" } else { "secondary" },
                            onclick: move |_| draft.write().frame = Some((id.clone(), p.clone(), true)),
                            "{p.name} {p.colour} ({q})"
                        }
                    }
                }
            }
            label { r#for: "frame-search", {t(l, "Z katalogu", "From the catalog")} }
            input { id: "frame-search", r#type: "search", value: "{frame_query}",
                placeholder: t(l, "Značka, model, barva", "Brand, model, colour"),
                oninput: move |e| frame_query.set(e.value()) }
            div { class: "picks", id: "catalog-frames",
                for (id, p) in found {
                    button { key: "{id}", r#type: "button", class: "secondary",
                        onclick: move |_| { draft.write().frame = Some((id.clone(), p.clone(), false)); frame_query.set(String::new()); },
                        "{p.name} {p.colour} {p.size} · {money(l, p.price)}"
                    }
                }
            }

            h2 { {t(l, "Čočky", "Lenses")} }
            label { r#for: "lens-brand", {t(l, "Výrobce", "Maker")} }
            select { id: "lens-brand", onchange: move |e| draft.write().lens_brand = e.value(),
                for b in brands.iter() {
                    option { key: "{b}", value: "{b}", selected: *b == brand, "{b}" }
                }
            }
            label { r#for: "lens-index", {t(l, "Index", "Index")} }
            select { id: "lens-index", onchange: move |e| draft.write().index = e.value().parse().ok(),
                option { value: "", selected: d.index.is_none(), {t(l, "— bez čoček —", "— no lenses —")} }
                for i in LensIndex::ALL {
                    option { key: "{i.value()}", value: "{i.value()}", selected: d.index == Some(i), "{i.label(l)}" }
                }
            }
            label { r#for: "lens-design", {t(l, "Typ", "Design")} }
            select { id: "lens-design", onchange: move |e| draft.write().design = e.value().parse().ok(),
                option { value: "", selected: d.design.is_none(), "—" }
                for des in LensDesign::ALL {
                    option { key: "{des.code()}", value: "{des.code()}", selected: d.design == Some(des), "{des.label(l)}" }
                }
            }
            FieldMessage { errors: shown.clone(), field: "lens" }
            if let Some(a) = advice {
                p { class: "warning", id: "lens-advice", role: "status", "{a}" }
            }
            if let Some((_, p)) = &lens {
                p { class: "meta", id: "chosen-lens", "{p.name} · 2 × {money(l, p.price)}" }
            }
            if lens.is_some() {
                label { {t(l, "Úpravy", "Coatings")} }
                for (id, p) in coatings {
                    label { class: "check", key: "{id}",
                        input { r#type: "checkbox", checked: d.coatings.contains(&id),
                            onchange: move |e| {
                                let mut w = draft.write();
                                if e.checked() { w.coatings.insert(id.clone()); } else { w.coatings.remove(&id); }
                            }
                        }
                        "{p.name} · 2 × {money(l, p.price)}"
                    }
                }
            }

            h2 { {t(l, "Cena", "Price")} }
            label { r#for: "discount", {t(l, "Sleva (%)", "Discount (%)")} }
            input { id: "discount", inputmode: "numeric", value: "{d.discount_pct}",
                oninput: move |e| draft.write().discount_pct = e.value() }
            FieldMessage { errors: shown.clone(), field: "discount" }
            if terms.any() {
                p { class: "hint", id: "customer-terms", {terms_text(l, &terms)} }
            }
            label { r#for: "coupon", {t(l, "Kupón", "Coupon")} }
            div { class: "row", style: "margin:0",
                input { id: "coupon", style: "flex:1;width:auto;min-width:0", value: "{d.coupon_text}",
                    oninput: move |e| draft.write().coupon_text = e.value() }
                button { r#type: "button", class: "secondary", id: "apply-coupon",
                    onclick: {
                        let device = device.clone();
                        move |_| {
                            let mut w = draft.write();
                            match device.coupon(&w.coupon_text) {
                                Ok(found) => { w.coupon = Some(found); w.coupon_error = None; }
                                Err(problem) => { w.coupon = None; w.coupon_error = Some(problem.message(l)); }
                            }
                        }
                    },
                    {t(l, "Použít", "Apply")}
                }
            }
            if let Some(e) = &d.coupon_error {
                p { class: "field-error", role: "alert", "data-field": "coupon", "{e}" }
            }
            if let Some(problem) = &coupon_problem {
                p { class: "field-error", role: "alert", id: "coupon-not-applicable", "data-field": "coupon", {problem.message(l)} }
            }
            if let (Some((_, c)), None) = (&d.coupon, &coupon_problem) {
                if !c.message.is_empty() {
                    p { class: "hint", id: "coupon-message", "{c.message}" }
                }
                if c.max_uses > 0 {
                    p { class: "hint", id: "coupon-limited",
                        {t(l, "Kupón smí použít jen omezený počet objednávek; zda na tuto ještě zbyl, potvrdí centrála při synchronizaci.",
                            "Only a limited number of orders may use this coupon; the hub confirms at the next sync whether this one still gets it.")}
                    }
                }
            }
            if let (Some((code, c)), None) = (&d.coupon, &coupon_problem) {
                p { class: "ok", id: "coupon-applied",
                    {t(l, "Kupón ", "Coupon ")} "{code}: −"
                    {if c.percent_bp > 0 { fieldcase_shared::Discount::Percent(u16::try_from(c.percent_bp).unwrap_or(10_000)).label(l) } else { money(l, c.amount) }}
                }
            }
            label { r#for: "deposit", {t(l, "Záloha (Kč)", "Deposit (CZK)")} }
            input { id: "deposit", inputmode: "decimal", value: "{d.deposit}",
                oninput: move |e| draft.write().deposit = e.value() }
            FieldMessage { errors: shown.clone(), field: "deposit" }
            label { r#for: "order-note", {t(l, "Poznámka", "Note")} }
            input { id: "order-note", value: "{d.note}", oninput: move |e| draft.write().note = e.value() }
            super::custom::CustomInputs { fields: order_fields, values: custom, errors: errors() }
            dl { style: "margin-top:12px",
                dt { {t(l, "Celkem", "Total")} } dd { class: "money big", id: "order-total", "{money(l, sum)}" }
                dt { {t(l, "Variabilní symbol", "Variable symbol")} } dd { id: "order-vs", "{vs_shown}" }
            }
            FieldMessage { errors: shown.clone(), field: "lines" }
            div { class: "row",
                button { r#type: "submit", id: "submit-order", disabled: busy(), {t(l, "Odeslat zakázku", "Submit order")} }
                button { class: "secondary", r#type: "button", onclick: move |_| screen.set(Screen::Client(client)),
                    {t(l, "Zpět", "Back")}
                }
            }
        }
    }
}
