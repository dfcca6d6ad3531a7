//! Complaints (`/office/complaints`): the open ones first, by deadline, with the
//! days left and the alarm of day 20 (warning) and day 25 (alarm) — past the
//! deadline overdue — then the decided ones, a hundred at a time;
//! `/office/complaints/{id}` is the
//! complaint's card (`card.rs`).

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use time::OffsetDateTime;

use super::card;
use super::rules::{self, DECIDERS, READERS, Urgency};
use super::store::ComplaintFilter;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{NoticeBar, datetime};

/// Complaints: the office, stores, customer service, the lab and accounting read
/// them and act on them — each as the complaint rules let it: the designated staff
/// decide and forward, a store adds photos, the lab and accounting finish their
/// tasks (the service checks each step's role).
pub const PAGE: PageSpec = PageSpec {
    slug: "complaints",
    title_cs: "Reklamace",
    title_en: "Complaints",
    open: Roles::Only(READERS),
    edit: Roles::Only(DECIDERS),
    component: Complaints,
};

/// How many rows the list shows at first, and each "more" adds.
const PAGE_ROWS: i64 = 100;

/// The urgency's words.
pub fn urgency_label(u: Urgency, l: Lang) -> &'static str {
    match u {
        Urgency::Calm => "",
        Urgency::Warning => l.pick("Pozor: 20. den", "Warning: day 20"),
        Urgency::Alarm => l.pick("Alarm: 25. den", "Alarm: day 25"),
        Urgency::Overdue => l.pick("Po lhůtě!", "Overdue!"),
    }
}

#[component]
fn Complaints() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut open_only = use_signal(|| true);
    let mut shown = use_signal(|| PAGE_ROWS);
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let filter = ComplaintFilter {
            open_only: open_only(),
            order: None,
        };
        // One more than shown tells whether there are more.
        let limit = shown() + 1;
        async move { store.complaints(filter, limit).await }
    });
    if let Some(arg) = ctx.arg.clone() {
        return rsx! { card::Card { arg } };
    }
    let now = OffsetDateTime::now_utc();
    let mut rows = match &*list.read() {
        Some(Ok(rows)) => rows.clone(),
        Some(Err(_)) => {
            return rsx! { NoticeBar { notice: Some(crate::office::ui::Notice::err("Reklamace teď nelze načíst.", "Complaints cannot be read now.")) } };
        }
        None => return rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
    };
    let more = rows.len() as i64 > shown();
    rows.truncate(usize::try_from(shown()).unwrap_or(0));
    let alarms = rows
        .iter()
        .filter(|r| r.decision.is_none() && rules::urgency(r.opened_at, now) >= Urgency::Alarm)
        .count();
    rsx! {
        super::task_box::OpenTasks {}
        div { class: "toolbar",
            label { class: "check",
                input { r#type: "checkbox", id: "open-only", checked: open_only(),
                    onchange: move |e| open_only.set(e.checked()) }
                " " {l.pick("Jen nevyřízené", "Open only")}
            }
            if alarms > 0 {
                span { class: "badge complaint-alarm", id: "complaint-alarms",
                    {l.pick("Alarm (25 dní a víc): ", "Alarm (25 days or more): ")} "{alarms}"
                }
            }
        }
        if rows.is_empty() {
            p { class: "muted", id: "complaints-empty", {l.pick("Žádné reklamace.", "No complaints.")} }
        } else {
            table { class: "table", id: "complaints-table",
                thead { tr {
                    th { {l.pick("Číslo", "Number")} }
                    th { {l.pick("Zakázka", "Order")} }
                    th { {l.pick("Zákazník", "Customer")} }
                    th { {l.pick("Podáno", "Opened")} }
                    th { {l.pick("Lhůta", "Deadline")} }
                    th { {l.pick("Stav", "State")} }
                } }
                tbody {
                    for r in rows {
                        {
                            let u = rules::urgency(r.opened_at, now);
                            let open = r.decision.is_none();
                            let class = if open { format!("complaint urgency-{}", u.code()) } else { "complaint decided".to_owned() };
                            rsx! {
                                tr { key: "{r.id}", class: "{class}", "data-number": "{r.number}",
                                    td { a { class: "complaint-link", href: "/office/complaints/{r.id}", "{r.number}" } }
                                    td { a { href: "/office/orders/{r.order_id}", "{r.vs}" } }
                                    td { "{r.customer_name()}" }
                                    td { class: "nowrap", {datetime(r.opened_at)} br {} span { class: "muted small", {r.via().label(l)} } }
                                    td { class: "nowrap",
                                        if open {
                                            span { class: "days-left", {rules::days_left_text(rules::days_left(r.deadline_at, now), l)} }
                                            if u != Urgency::Calm { br {} span { class: "badge urgency urgency-{u.code()}", {urgency_label(u, l)} } }
                                        } else {
                                            span { class: "muted", {datetime(r.deadline_at)} }
                                        }
                                    }
                                    td {
                                        match r.decision() {
                                            Some(d) => rsx! { span { class: "strong", {d.label(l)} } },
                                            None => rsx! { span { class: "muted", {l.pick("nevyřízeno", "open")} } },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if more {
            p { button { class: "btn btn-small", id: "complaints-more", onclick: move |_| shown += PAGE_ROWS,
                {l.pick("Zobrazit další", "Show more")} } }
        }
    }
}
