//! The sample case: what is in it, sale / return / issue / inventory count, and
//! discrepancies (counts that did not match, movements the hub rejected).

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use crate::ui::{Ctx, date_of, t, use_ctx};

fn kind_label(l: Lang, kind: &str) -> &'static str {
    match kind {
        "issue" => t(l, "Převzato", "Issued"),
        "sale" => t(l, "Prodáno", "Sold"),
        "return" => t(l, "Vráceno", "Returned"),
        "count" => t(l, "Inventura", "Count"),
        _ => t(l, "Jiný pohyb", "Other"),
    }
}

#[component]
pub(crate) fn SampleCase() -> Element {
    let Ctx {
        phone, revision, l, ..
    } = use_ctx();
    let mut query = use_signal(String::new);
    let mut counting = use_signal(|| None::<String>);
    let mut counted = use_signal(String::new);
    let mut failure = use_signal(|| None::<String>);
    // Copy, so every button's handler can use it.
    let shared = use_hook(|| CopyValue::new(phone.clone()));
    let Some(device) = phone.device() else {
        return rsx! {};
    };
    let stock = device.case_stock();
    let movements = device.case_movements();
    // Discrepancies: movements the hub rejected, and counts that found a difference.
    let mut discrepancies: Vec<(String, String, String)> = movements
        .iter()
        .filter(|(_, m)| !m.rejected.is_empty() || (m.kind == "count" && m.quantity != 0))
        .map(|(id, m)| {
            let name = device
                .product(&m.product)
                .map_or_else(|| m.product.clone(), |p| format!("{} {}", p.name, p.colour));
            let what = if m.rejected.is_empty() {
                match l {
                    Lang::Cs => format!("inventura: rozdíl {:+}", m.quantity),
                    Lang::En => format!("count: difference {:+}", m.quantity),
                }
            } else {
                match l {
                    Lang::Cs => format!(
                        "{} {} zamítnuto centrálou",
                        kind_label(l, &m.kind),
                        m.quantity.abs()
                    ),
                    Lang::En => format!(
                        "{} {} rejected by the hub",
                        kind_label(l, &m.kind),
                        m.quantity.abs()
                    ),
                }
            };
            (id.clone(), name, format!("{what} · {}", date_of(l, &m.at)))
        })
        .collect();
    discrepancies.sort();
    let items: Vec<(String, String, String, i64)> = stock
        .iter()
        .filter(|(_, q)| **q != 0)
        .map(|(id, q)| {
            let (name, sku) = device.product(id).map_or_else(
                || (id.clone(), String::new()),
                |p| (format!("{} {}", p.name, p.colour), p.sku),
            );
            (id.clone(), name, sku, *q)
        })
        .collect();
    let found = if query().trim().len() >= 2 {
        device.catalog_search(&query(), 8)
    } else {
        Vec::new()
    };
    let record = move |product: String, quantity: i64, kind: &'static str| {
        let Some(device) = shared.read().device() else {
            return;
        };
        spawn(async move {
            if let Err(err) = device
                .record_case_movement(&product, quantity, kind, "")
                .await
            {
                failure.set(Some(format!("{err}")));
            }
            revision.bump();
        });
    };
    rsx! {
        h1 { {t(l, "Vzorkový kufr", "Sample case")} }
        if let Some(e) = failure() {
            p { class: "error", role: "alert", "{e}" }
        }
        if !discrepancies.is_empty() {
            div { class: "warning", id: "discrepancies",
                strong { {t(l, "Nesrovnalosti", "Discrepancies")} }
                for (id, name, what) in discrepancies {
                    div { key: "{id}", "{name}: {what}" }
                }
            }
        }
        div { class: "list", id: "case-items",
            if items.is_empty() {
                p { class: "empty", {t(l, "Kufr je prázdný. Převezměte zboží níže.", "The case is empty. Take items in below.")} }
            }
            for (id, name, sku, q) in items {
                div { class: if q < 0 { "item bad" } else { "item" }, key: "{id}",
                    div { class: "name", "{name}" }
                    div { class: "meta", "{sku} · " {t(l, "kusů", "pieces")} ": " span { class: "qty", "{q}" } }
                    div { class: "row",
                        button { class: "secondary sell", onclick: { let id = id.clone(); move |_| record(id.clone(), -1, "sale") },
                            {t(l, "Prodáno", "Sold")} }
                        button { class: "secondary", onclick: { let id = id.clone(); move |_| record(id.clone(), -1, "return") },
                            {t(l, "Vráceno", "Returned")} }
                        button { class: "secondary", onclick: { let id = id.clone(); move |_| { counting.set(Some(id.clone())); counted.set(q.to_string()); } },
                            {t(l, "Inventura", "Count")} }
                    }
                    if counting().as_deref() == Some(id.as_str()) {
                        div { class: "row",
                            input { r#type: "number", inputmode: "numeric", value: "{counted}", style: "flex:1",
                                "aria-label": t(l, "Napočítáno kusů", "Pieces counted"),
                                oninput: move |e| counted.set(e.value()) }
                            button { onclick: { let id = id.clone(); move |_| {
                                    match counted().trim().parse::<i64>() {
                                        Ok(n) if n >= 0 => {
                                            if n != q { record(id.clone(), n - q, "count"); }
                                            counting.set(None);
                                        }
                                        _ => failure.set(Some(t(l, "Zadejte počet kusů (0 a více).", "Enter the number of pieces (0 or more).").into())),
                                    }
                                } },
                                {t(l, "Uložit", "Save")} }
                        }
                    }
                }
            }
        }
        h2 { {t(l, "Převzít zboží do kufru", "Take items into the case")} }
        div { class: "section",
            input { id: "case-search", r#type: "search", value: "{query}",
                placeholder: t(l, "Hledat v katalogu", "Search the catalog"),
                oninput: move |e| query.set(e.value()) }
            div { class: "picks", id: "case-found",
                for (id, p) in found {
                    button { key: "{id}", class: "secondary",
                        onclick: move |_| { record(id.clone(), 1, "issue"); },
                        "+1 {p.name} {p.colour}"
                    }
                }
            }
        }
    }
}
