//! Products: the catalog as the phones get it — searched as the phone searches
//! (diacritics and word order aside), narrowed by kind and state — and the
//! price-list import (CSV or XLSX, posted natively to `/catalog/import`, which
//! answers with the import's report). `/office/products/{id}` is a product's card.

use dioxus::prelude::*;
use fieldcase_shared::docs::catalog::{ProductRecord, matches, query_words};
use fieldcase_shared::{Lang, Money, ProductId};

use crate::catalog::pages::{attributes, card};
use crate::catalog::store::ProductKind;
use crate::catalog::upload::may_edit_products;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::count;

/// Products: every staff role reads; the office and admins change (checked again
/// by each action and by the import).
pub const PAGE: PageSpec = PageSpec {
    slug: "products",
    title_cs: "Produkty",
    title_en: "Products",
    open: Roles::Staff,
    edit: Roles::Staff,
    component: Products,
};

/// Rows drawn at first, and added by "more".
const SHOWN: usize = 100;

#[component]
fn Products() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut query = use_signal(String::new);
    let mut kind = use_signal(String::new);
    let mut state_filter = use_signal(|| "active".to_owned());
    let mut shown = use_signal(|| SHOWN);
    let store = ctx.state.store.clone();
    let all = use_resource(move || {
        let store = store.clone();
        async move { store.catalog_products().await }
    });
    if let Some(arg) = ctx.arg.clone() {
        return rsx! { card::Card { arg } };
    }
    let editor = may_edit_products(ctx.session.user.role);
    let csrf = ctx.session.csrf_token.clone();
    let found: Option<Result<Vec<(ProductId, ProductRecord)>, ()>> = all.read().as_ref().map(|r| {
        r.as_ref().map_err(|_| ()).map(|list| {
            let words = query_words(&query());
            let (k, st) = (kind(), state_filter());
            let mut hits: Vec<(ProductId, ProductRecord)> = list
                .iter()
                .filter(|(_, p)| k.is_empty() || p.kind == k)
                .filter(|(_, p)| match st.as_str() {
                    "active" => p.active,
                    "withdrawn" => !p.active,
                    _ => true,
                })
                .filter(|(_, p)| matches(&words, &p.search_text()))
                .cloned()
                .collect();
            hits.sort_by(|a, b| a.1.sku.cmp(&b.1.sku));
            hits
        })
    });

    rsx! {
        div { class: "grid-main-side",
            section { class: "card",
                div { class: "toolbar",
                    input { r#type: "search", name: "q", placeholder: l.pick("Hledat kód, název, značku, model, barvu…", "Search code, name, brand, model, colour…"),
                        oninput: move |e| { query.set(e.value()); shown.set(SHOWN); } }
                    select { name: "kind", onchange: move |e| { kind.set(e.value()); shown.set(SHOWN); },
                        option { value: "", {l.pick("Všechny druhy", "All kinds")} }
                        for k in ProductKind::ALL { option { key: "{k.code()}", value: k.code(), {k.label(l)} } }
                    }
                    select { name: "state", onchange: move |e| { state_filter.set(e.value()); shown.set(SHOWN); },
                        option { value: "active", {l.pick("V prodeji", "On sale")} }
                        option { value: "withdrawn", {l.pick("Stažené", "Withdrawn")} }
                        option { value: "all", {l.pick("Všechny", "All")} }
                    }
                }
                match found {
                    None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                    Some(Err(())) => rsx! { div { class: "alert alert-error", {l.pick("Produkty se nepodařilo načíst.", "Could not load the products.")} } },
                    Some(Ok(hits)) => rsx! {
                        p { class: "muted", id: "products-count", {count(l, hits.len(), ["produkt", "produkty", "produktů"], ["product", "products"])} }
                        div { class: "table-wrap", table { class: "table", id: "products-table",
                            thead { tr {
                                th { {l.pick("Kód", "Code")} }
                                th { {l.pick("Název", "Name")} }
                                th { {l.pick("Značka / model", "Brand / model")} }
                                th { {l.pick("Varianta", "Variant")} }
                                th { class: "num", {l.pick("Cena s DPH", "Price incl. VAT")} }
                                th { {l.pick("Stav", "State")} }
                            } }
                            tbody {
                                for (id, p) in hits.iter().take(shown()) {
                                    tr { key: "{id}", "data-sku": "{p.sku}", class: if p.active { "" } else { "inactive" },
                                        td { class: "mono", a { href: "/office/products/{id}", class: "product-link", "{p.sku}" } }
                                        td { div { class: "strong", "{p.name}" } div { class: "muted small", {ProductKind::from_code(&p.kind).map(|k| k.label(l)).unwrap_or("")} } }
                                        td { "{p.brand}" if !p.model.is_empty() { br {} span { class: "muted", "{p.model}" } } }
                                        td { class: "small", {attributes(p, l)} }
                                        td { class: "num nowrap price", {Money::from_haler(p.price).format(l)} br {} span { class: "muted small", "{p.vat_bp / 100} %" } }
                                        td { if p.active { span { class: "pill pill-ok", {l.pick("v prodeji", "on sale")} } } else { span { class: "pill", {l.pick("stažený", "withdrawn")} } } }
                                    }
                                }
                            }
                        } }
                        if hits.len() > shown() {
                            p { button { class: "btn", id: "more-products", onclick: move |_| shown += SHOWN, {l.pick("Další", "More")} } }
                        }
                    },
                }
            }
            if editor {
                section { class: "card side-form",
                    h2 { {l.pick("Nahrát ceník", "Import a price list")} }
                    p { class: "small muted", {l.pick(
                        "CSV (UTF-8 nebo Windows-1250, oddělovač ; nebo ,) nebo XLSX. Sloupce: sku, name, price, vat; volitelně kind, brand, model, colour, size, maker, index, design, coatings, active. Platné řádky se uloží najednou, chybné dostanete vypsané po řádcích.",
                        "CSV (UTF-8 or Windows-1250, separated by ; or ,) or XLSX. Columns: sku, name, price, vat; optionally kind, brand, model, colour, size, maker, index, design, coatings, active. The valid rows are saved together; the invalid ones are listed line by line.",
                    )} }
                    form { class: "form", id: "import-form", method: "post", action: "/catalog/import", enctype: "multipart/form-data", "data-native": "true",
                        input { r#type: "hidden", name: "csrf", value: "{csrf}" }
                        input { r#type: "file", name: "file", accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", required: true }
                        label { class: "check", input { r#type: "checkbox", name: "dry_run", value: "1" } " " {l.pick("Jen zkontrolovat, neukládat", "Check only, do not save")} }
                        button { class: "btn btn-primary", r#type: "submit", {l.pick("Nahrát", "Import")} }
                    }
                }
            }
        }
    }
}
