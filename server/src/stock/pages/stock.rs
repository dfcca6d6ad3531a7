//! Stock: a warehouse's levels (on hand, reserved for orders, available), receipts
//! and stock-taking by the office and the stores (append-only movements, audited),
//! and each adviser's sample case with its movements as the phones recorded them.

use dioxus::prelude::*;
use fieldcase_shared::docs::catalog::{fold, query_words};
use fieldcase_shared::{AdviserId, Lang, Role};

use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, datetime, form_text};
use crate::store::{AdviserFilter, StoreError};

/// Stock: every staff role reads; the office, the stores and admins record.
pub const PAGE: PageSpec = PageSpec {
    slug: "stock",
    title_cs: "Sklad",
    title_en: "Stock",
    open: Roles::Staff,
    edit: Roles::Only(&[Role::Office, Role::Store, Role::Admin]),
    component: Stock,
};

/// Rows drawn at once.
const SHOWN: usize = 200;

#[component]
fn Stock() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut warehouse = use_signal(|| None::<uuid::Uuid>);
    let mut query = use_signal(String::new);
    let mut adviser = use_signal(|| None::<AdviserId>);
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let store = ctx.state.store.clone();
    let choices = use_resource(move || {
        let store = store.clone();
        async move {
            let warehouses = store.warehouses().await?;
            let advisers = store.list_advisers(&AdviserFilter::default()).await?;
            Ok::<_, StoreError>((warehouses, advisers))
        }
    });
    let store = ctx.state.store.clone();
    let levels = use_resource(move || {
        let store = store.clone();
        let chosen = warehouse();
        let _ = reload();
        async move {
            let id = match chosen {
                Some(id) => id,
                None => match store.warehouses().await?.first() {
                    Some(w) => w.id,
                    None => return Ok(Vec::new()),
                },
            };
            store.stock_levels(id).await
        }
    });
    let store = ctx.state.store.clone();
    let case = use_resource(move || {
        let store = store.clone();
        let who = adviser();
        async move {
            match who {
                None => Ok((Vec::new(), Vec::new())),
                Some(a) => {
                    Ok::<_, StoreError>((store.case_contents(a).await?, store.case_moves(a).await?))
                }
            }
        }
    });
    let editor = PAGE.may_edit(ctx.session.user.role);

    let record_ctx = ctx.clone();
    let record = move |evt: FormEvent| {
        let ctx = record_ctx.clone();
        let sku = form_text(&evt, "sku").trim().to_owned();
        let kind = form_text(&evt, "kind");
        let quantity = form_text(&evt, "quantity").trim().parse::<i64>().ok();
        let note = form_text(&evt, "note");
        spawn(async move {
            let actor = match ctx.authorize(&PAGE).await {
                Ok(actor) => actor,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let Some(quantity) = quantity.filter(|q| *q != 0 && q.abs() <= 100_000) else {
                return notice.set(Some(Notice::err(
                    "Zadejte počet kusů (nenulové celé číslo).",
                    "Enter a quantity (a whole number, not zero).",
                )));
            };
            if kind == "receipt" && quantity < 0 {
                return notice.set(Some(Notice::err(
                    "Příjem musí být kladný; úbytek zapište jako inventuru.",
                    "A receipt must be positive; record a loss as stock-taking.",
                )));
            }
            let target = match warehouse() {
                Some(w) => Some(w),
                None => ctx
                    .state
                    .store
                    .warehouses()
                    .await
                    .ok()
                    .and_then(|w| w.first().map(|w| w.id)),
            };
            let Some(target) = target else {
                return notice.set(Some(Notice::err(
                    "Žádný sklad není založený.",
                    "There is no warehouse.",
                )));
            };
            let product = match ctx.state.store.catalog_products().await {
                Ok(all) => all
                    .into_iter()
                    .find(|(_, p)| p.sku.eq_ignore_ascii_case(&sku))
                    .map(|(id, _)| id),
                Err(err) => return notice.set(Some(Notice::Err(crate::office::ui::failed(&err)))),
            };
            let Some(product) = product else {
                return notice.set(Some(Notice::err(
                    format!("Produkt s kódem „{sku}“ není v katalogu."),
                    format!("No product with the code \"{sku}\" in the catalog."),
                )));
            };
            let result = ctx
                .state
                .store
                .record_stock(&actor, target, product, &kind, quantity, note.trim())
                .await;
            notice.set(Some(match result {
                Ok(()) => Notice::ok(format!("Zapsáno: {sku} {quantity:+}."), format!("Recorded: {sku} {quantity:+}.")),
                Err(StoreError::Stale(_)) => Notice::err(
                    "Tolik kusů na skladě není, nebo jsou rezervované pro objednávky; nic se nezměnilo.",
                    "There are not that many in stock, or they are reserved for orders; nothing was changed.",
                ),
                Err(err) => Notice::Err(crate::office::ui::failed(&err)),
            }));
            reload += 1;
        });
    };

    let (warehouses, advisers) = match &*choices.read() {
        Some(Ok((w, a))) => (w.clone(), a.clone()),
        Some(Err(_)) => {
            return rsx! { div { class: "alert alert-error", {l.pick("Sklad se nepodařilo načíst.", "Could not load the stock.")} } };
        }
        None => return rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
    };
    let words = query_words(&query());
    rsx! {
        NoticeBar { notice: notice() }
        div { class: "grid-main-side",
            section { class: "card", id: "stock-levels",
                div { class: "toolbar",
                    select { name: "warehouse", onchange: move |e| warehouse.set(e.value().parse().ok()),
                        for w in warehouses.iter() { option { key: "{w.id}", value: "{w.id}", "{w.code} · {w.name}" } }
                    }
                    input { r#type: "search", name: "q", placeholder: l.pick("Hledat kód nebo název…", "Search code or name…"), oninput: move |e| query.set(e.value()) }
                }
                match &*levels.read() {
                    None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                    Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Stav skladu se nepodařilo načíst.", "Could not load the levels.")} } },
                    Some(Ok(rows)) => {
                        let hits: Vec<_> = rows.iter().filter(|r| words.iter().all(|w| fold(&format!("{} {}", r.sku, r.name)).contains(w.as_str()))).take(SHOWN).cloned().collect();
                        rsx! {
                            div { class: "table-wrap", table { class: "table", id: "levels-table",
                                thead { tr {
                                    th { {l.pick("Kód", "Code")} } th { {l.pick("Název", "Name")} }
                                    th { class: "num", {l.pick("Na skladě", "On hand")} } th { class: "num", {l.pick("Rezervováno", "Reserved")} } th { class: "num", {l.pick("Volné", "Available")} }
                                } }
                                tbody {
                                    for r in hits.iter() {
                                        tr { key: "{r.product}", "data-sku": "{r.sku}",
                                            td { class: "mono", a { href: "/office/products/{r.product}", "{r.sku}" } }
                                            td { "{r.name}" }
                                            td { class: "num on-hand", "{r.on_hand}" }
                                            td { class: "num reserved", "{r.reserved}" }
                                            td { class: if r.available() > 0 { "num available" } else { "num available warn" }, "{r.available()}" }
                                        }
                                    }
                                }
                            } }
                        }
                    }
                }
            }
            if editor {
                section { class: "card side-form",
                    h2 { {l.pick("Příjem a inventura", "Receipt and stock-taking")} }
                    form { class: "form", id: "stock-form", onsubmit: record,
                        label { class: "field", span { {l.pick("Kód produktu", "Product code")} } input { name: "sku", required: true, maxlength: "64" } }
                        label { class: "field", span { {l.pick("Druh", "Kind")} }
                            select { name: "kind",
                                option { value: "receipt", {l.pick("Příjem (+)", "Receipt (+)")} }
                                option { value: "adjust", {l.pick("Inventura (±)", "Stock-taking (±)")} }
                            }
                        }
                        label { class: "field", span { {l.pick("Počet kusů", "Quantity")} } input { name: "quantity", r#type: "number", required: true } }
                        label { class: "field", span { {l.pick("Poznámka", "Note")} } input { name: "note", maxlength: "200" } }
                        button { class: "btn btn-primary", r#type: "submit", {l.pick("Zapsat", "Record")} }
                    }
                }
            }
        }
        section { class: "card", id: "adviser-case",
            h2 { {l.pick("Kufry poradců", "Advisers' sample cases")} }
            select { name: "adviser", onchange: move |e| adviser.set(e.value().parse::<uuid::Uuid>().ok().map(AdviserId::from_uuid)),
                option { value: "", {l.pick("— vyberte poradce —", "— choose an adviser —")} }
                for a in advisers.iter() { option { key: "{a.id}", value: "{a.id}", "{a.code} · {a.name}" } }
            }
            if let Some(Ok((contents, moves))) = &*case.read() {
                if adviser().is_some() && moves.is_empty() {
                    p { class: "muted", id: "case-empty", {l.pick("Kufr je prázdný: telefon poradce zatím nezapsal žádný pohyb.", "The case is empty: the adviser's phone has recorded no movement yet.")} }
                }
                if adviser().is_some() && !moves.is_empty() {
                    div { class: "grid-2",
                        div {
                            h3 { {l.pick("V kufru", "In the case")} }
                            table { class: "table", id: "case-contents",
                                tbody {
                                    for (product, sku, name, n) in contents.iter() {
                                        tr { key: "{product}", td { class: "mono", "{sku}" } td { "{name}" } td { class: "num", "{n}" } }
                                    }
                                }
                            }
                        }
                        div {
                            h3 { {l.pick("Pohyby", "Movements")} }
                            table { class: "table", id: "case-moves",
                                tbody {
                                    for (i, m) in moves.iter().enumerate() {
                                        tr { key: "{i}", class: if m.rejected.is_empty() { "" } else { "inactive" },
                                            td { class: "small", "{datetime(m.at)}" }
                                            td { class: "mono", "{m.sku}" }
                                            td { class: "num", "{m.quantity:+}" }
                                            td { "{m.kind}" if !m.note.is_empty() { " · {m.note}" } if !m.rejected.is_empty() { span { class: "pill", {l.pick(" odmítnuto: ", " refused: ")} "{m.rejected}" } } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
