//! Commission report (`/office/commission-report`): commission against turnover
//! per month, by adviser, by store or for the whole network, over a chosen span of
//! months (`commission/report.rs`). The commission's readers open it.

use dioxus::prelude::*;
use fieldcase_shared::statement::Month;
use fieldcase_shared::{Lang, Money};

use super::report::{By, rows};
use super::rule_edit::{RULE_EDITORS, RULE_READERS};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};

/// The report: read by the office, accounting and administrators.
pub const PAGE: PageSpec = PageSpec {
    slug: "commission-report",
    title_cs: "Přehled provizí",
    title_en: "Commission report",
    open: Roles::Only(RULE_READERS),
    // Nothing on it changes anything; the rules' editors count as its editors.
    edit: Roles::Only(RULE_EDITORS),
    component: Report,
};

/// The default span: this month and the five before it.
pub fn default_span(now: time::OffsetDateTime) -> (Month, Month) {
    let to = Month::of(now);
    let mut from = to;
    for _ in 0..5 {
        from = from.previous();
    }
    (from, to)
}

#[component]
fn Report() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let (first, last) = default_span(time::OffsetDateTime::now_utc());
    let mut from = use_signal(move || first.to_string());
    let mut to = use_signal(move || last.to_string());
    let mut by = use_signal(By::default);
    let store = ctx.state.store.clone();
    let span = use_memo(move || match (Month::parse(&from()), Month::parse(&to())) {
        (Some(a), Some(b)) if a <= b => Ok((a, b)),
        _ => Err(()),
    });
    let data = use_resource(move || {
        let store = store.clone();
        let span = span();
        async move {
            match span {
                Ok((a, b)) => store.commission_report(a.start(), b.end()).await.map(Some),
                Err(()) => Ok(None),
            }
        }
    });
    let m = |v: i64| Money::from_haler(v).format(l);
    rsx! {
        section { class: "card", id: "commission-report",
            div { class: "card-head",
                h2 { {l.pick("Provize proti obratu", "Commission against turnover")} }
            }
            form { class: "filters", id: "report-form", onsubmit: move |e| e.prevent_default(),
                label { {l.pick("Od měsíce", "From month")}
                    input { r#type: "month", name: "from", value: "{from}", oninput: move |e| from.set(e.value()) }
                }
                label { {l.pick("Do měsíce", "To month")}
                    input { r#type: "month", name: "to", value: "{to}", oninput: move |e| to.set(e.value()) }
                }
                label { {l.pick("Řádky", "Rows")}
                    select { name: "by", onchange: move |e| by.set(By::parse(&e.value()).unwrap_or_default()),
                        for b in [By::Adviser, By::Store, By::Month] {
                            option { value: b.code(), selected: b == by(), {b.label(l)} }
                        }
                    }
                }
            }
            p { class: "muted small",
                {l.pick(
                    "Provize = zaúčtované provize, storna a úpravy v měsíci; obrat = součet zakázek přijatých v měsíci (bez stornovaných).",
                    "Commission = accruals, reversals and adjustments booked in the month; turnover = the totals of orders taken in the month (cancelled ones left out).",
                )}
            }
            if span().is_err() {
                div { class: "alert alert-error", id: "report-span-error",
                    {l.pick("Zadejte měsíce od–do (RRRR-MM), od nejpozději do.", "Enter the months from–to (YYYY-MM), from not after to.")}
                }
            }
            match &*data.read() {
                Some(Ok(Some(data))) => {
                    let list = rows(data, by());
                    let (c, t): (i64, i64) = list.iter().fold((0, 0), |(c, t), r| (c + r.commission, t + r.turnover));
                    rsx! {
                        if list.is_empty() {
                            p { class: "muted", id: "report-empty", {l.pick("V tomto období nic.", "Nothing in this span.")} }
                        } else {
                            table { class: "table", id: "report-table",
                                thead { tr {
                                    th { {l.pick("Měsíc", "Month")} }
                                    if by() != By::Month { th { {if by() == By::Store { l.pick("Prodejna", "Store") } else { l.pick("Poradce", "Adviser") }} } }
                                    th { class: "num", {l.pick("Provize", "Commission")} }
                                    th { class: "num", {l.pick("Obrat", "Turnover")} }
                                    th { class: "num", {l.pick("Náklad provize", "Commission cost")} }
                                } }
                                tbody {
                                    for r in list.iter() {
                                        tr { key: "{r.month}-{r.code}", class: "report-row", "data-month": "{r.month}", "data-code": "{r.code}",
                                            td { {r.month.label(l)} }
                                            if by() != By::Month { td { "{r.code} · {r.name}" } }
                                            td { class: "num commission", {m(r.commission)} }
                                            td { class: "num turnover", {m(r.turnover)} }
                                            td { class: "num cost", {r.cost_text(l)} }
                                        }
                                    }
                                }
                                tfoot { tr { class: "report-total",
                                    td { strong { {l.pick("Celkem", "Total")} } }
                                    if by() != By::Month { td {} }
                                    td { class: "num commission", {m(c)} }
                                    td { class: "num turnover", {m(t)} }
                                    td { class: "num cost", {super::report::cost_text(c, t, l)} }
                                } }
                            }
                        }
                    }
                }
                Some(Ok(None)) => rsx! {},
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Přehled se nepodařilo načíst.", "Could not load the report.")} } },
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            }
        }
    }
}
