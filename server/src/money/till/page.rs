//! The Till (`/office/till`): a shop's cash register. A store's staff work
//! their own shop's till (administrators choose the shop; the office and
//! accounting read every shop's): open the shift with the float, sell an
//! order's payment (by its VS) or goods from the shop's stock in cash, by card
//! or both, refund a receipt, put cash in or take it out with a voucher, and
//! close the shift with the cash counted — the Z report shows the difference
//! and prints. Each receipt prints on an 80-mm printer (`till/pdf.rs`).

mod forms;

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Role, StoreId};

use super::service::{Clerk, report};
use super::store::ShiftFilter;
use super::{CLERKS, Entry, READERS, Shift};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, datetime};
use crate::store::Actor;
use forms::{CloseForm, EntryRow, OpenForm, SaleForm, VoucherForm};

/// The till: stores and administrators work it; the office and accounting read.
pub const PAGE: PageSpec = PageSpec {
    slug: "till",
    title_cs: "Pokladna",
    title_en: "Till",
    open: Roles::Only(READERS),
    edit: Roles::Only(CLERKS),
    component: Till,
};

/// What the page shows of one shop's till.
#[derive(Clone, PartialEq)]
struct View {
    shop: StoreId,
    open: Option<(Shift, Vec<Entry>, super::ZReport)>,
    shifts: Vec<Shift>,
    goods: Vec<super::store::Goods>,
}

#[component]
fn Till() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let user = ctx.session.user.clone();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut shop = use_signal(|| user.shop);
    let store = ctx.state.store.clone();
    let shops = use_resource(move || {
        let store = store.clone();
        async move { store.list_shops().await }
    });
    // Staff of every shop but a store's choose it (the first one at first); a
    // store's staff see their own.
    let chooses = user.role != Role::Store;
    let store = ctx.state.store.clone();
    let clerk = Clerk::of(&user, Actor::user(&user));
    let view = use_resource(move || {
        let store = store.clone();
        let clerk = clerk.clone();
        let _ = reload();
        let chosen = shop();
        async move {
            let first = match chosen {
                None if chooses => store
                    .list_shops()
                    .await?
                    .into_iter()
                    .find(|s| s.active)
                    .map(|s| s.id),
                _ => None,
            };
            let Some(shop) = chosen.or(first) else {
                return Ok(None);
            };
            let open = match store.open_shift_of(shop).await? {
                Some(s) => {
                    let entries = store.shift_entries(s.id).await?;
                    let z = report(store.as_ref(), &clerk, s.id)
                        .await
                        .map_err(|e| anyhow::anyhow!(e.text(Lang::En)))?;
                    Some((s, entries, z))
                }
                None => None,
            };
            let shifts = store
                .shifts(&ShiftFilter {
                    shop: Some(shop),
                    limit: 30,
                    ..ShiftFilter::default()
                })
                .await?;
            let goods = store.goods_in_stock(shop).await?;
            Ok::<_, anyhow::Error>(Some(View {
                shop,
                open,
                shifts,
                goods,
            }))
        }
    });
    let may_work = |s: StoreId| Clerk::of(&user, Actor::user(&user)).may_work(s);
    let done = move |n: Notice| {
        notice.set(Some(n));
        reload += 1;
    };
    rsx! {
        NoticeBar { notice: notice() }
        if chooses {
            div { class: "filters",
                select { name: "shop", id: "till-shop",
                    onchange: move |e| shop.set(e.value().parse::<uuid::Uuid>().ok().map(StoreId::from_uuid)),
                    if let Some(Ok(list)) = &*shops.read() {
                        for s in list.iter().filter(|s| s.active) {
                            option { key: "{s.id}", value: "{s.id}", selected: view.read().as_ref().and_then(|v| v.as_ref().ok()).and_then(|v| v.as_ref()).map(|v| v.shop) == Some(s.id), "{s.code} {s.name}" }
                        }
                    }
                }
            }
        }
        match &*view.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Pokladnu se nepodařilo načíst.", "Could not load the till.")} } },
            Some(Ok(None)) => rsx! { p { class: "muted", {l.pick("Nejste přiřazeni k prodejně.", "You are not assigned to a shop.")} } },
            Some(Ok(Some(v))) => {
                let s = v.shop;
                let work = may_work(s);
                rsx! {
                    match &v.open {
                        None => rsx! {
                            section { class: "card", id: "till-closed",
                                h2 { {l.pick("Směna je zavřená", "The till is closed")} }
                                if work { OpenForm { shop: s, on_done: done } }
                            }
                        },
                        Some((shift, entries, z)) => rsx! {
                            section { class: "card", id: "till-shift",
                                h2 { {l.pick("Otevřená směna", "Open shift")} }
                                p { class: "muted",
                                    {format!("{} {} · {} · {} {}", l.pick("Otevřeno", "Opened"), datetime(shift.opened_at), shift.opened_by, l.pick("počáteční hotovost", "float"), shift.float.format(l))}
                                }
                                div { class: "cards",
                                    div { class: "card stat", id: "till-expected",
                                        div { class: "stat-value", {z.expected.format(l)} }
                                        div { class: "stat-label", {l.pick("V pokladně má být", "Cash expected")} }
                                    }
                                    div { class: "card stat",
                                        div { class: "stat-value", {z.turnover().format(l)} }
                                        div { class: "stat-label", {l.pick("Tržba", "Turnover")} }
                                    }
                                    div { class: "card stat",
                                        div { class: "stat-value", {(z.sales.card + z.refunds.card).format(l)} }
                                        div { class: "stat-label", {l.pick("Z toho kartou", "Of it by card")} }
                                    }
                                }
                                a { class: "btn btn-small", href: "/office/till/shifts/{shift.id}/pdf", target: "_blank",
                                    {l.pick("Průběžná uzávěrka (X)", "Interim report (X)")} }
                            }
                            if work {
                                SaleForm { shop: s, goods: v.goods.clone(), on_done: done }
                                VoucherForm { shop: s, on_done: done }
                            }
                            section { class: "card",
                                h2 { {l.pick("Doklady směny", "The shift's documents")} }
                                if entries.is_empty() {
                                    p { class: "muted", {l.pick("Zatím žádné.", "None yet.")} }
                                } else {
                                    table { class: "table", id: "till-entries",
                                        thead { tr {
                                            th { {l.pick("Číslo", "Number")} } th { {l.pick("Druh", "Kind")} } th { {l.pick("Čas", "Time")} }
                                            th { {l.pick("Co", "What")} } th { class: "num", {l.pick("Hotově", "Cash")} }
                                            th { class: "num", {l.pick("Kartou", "Card")} } th { class: "num", {l.pick("Celkem", "Total")} } th {}
                                        } }
                                        tbody {
                                            for e in entries.iter().rev() {
                                                EntryRow { key: "{e.id}", entry: e.clone(), work, on_done: done }
                                            }
                                        }
                                    }
                                }
                            }
                            if work { CloseForm { shop: s, expected: z.expected, on_done: done } }
                        },
                    }
                    ShiftTable { shifts: v.shifts.clone() }
                }
            }
        }
    }
}

/// The shop's recent shifts with their Z reports.
#[component]
fn ShiftTable(shifts: Vec<Shift>) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let money = |m: Option<fieldcase_shared::Money>| m.map(|m| m.format(l)).unwrap_or_default();
    rsx! {
        section { class: "card",
            h2 { {l.pick("Směny", "Shifts")} }
            if shifts.is_empty() {
                p { class: "muted", {l.pick("Zatím žádné.", "None yet.")} }
            } else {
                table { class: "table", id: "till-shifts",
                    thead { tr {
                        th { {l.pick("Otevřeno", "Opened")} } th { {l.pick("Uzavřeno", "Closed")} }
                        th { class: "num", {l.pick("Počáteční", "Float")} } th { class: "num", {l.pick("Má být", "Expected")} }
                        th { class: "num", {l.pick("Napočítáno", "Counted")} } th { class: "num", {l.pick("Rozdíl", "Difference")} } th {}
                    } }
                    tbody {
                        for s in shifts {
                            tr { key: "{s.id}", class: "shift",
                                td { class: "nowrap", {datetime(s.opened_at)} }
                                td { class: "nowrap", {s.closed_at.map(datetime).unwrap_or_else(|| l.pick("otevřená", "open").to_owned())} }
                                td { class: "num", {s.float.format(l)} }
                                td { class: "num", {money(s.expected)} }
                                td { class: "num", {money(s.counted)} }
                                td { class: if s.difference.is_some_and(|d| !d.is_zero()) { "num shift-difference bad" } else { "num shift-difference" }, {money(s.difference)} }
                                td { a { class: "z-report", href: "/office/till/shifts/{s.id}/pdf", target: "_blank",
                                    {if s.is_open() { l.pick("X", "X") } else { l.pick("Z report", "Z report") }} } }
                            }
                        }
                    }
                }
            }
        }
    }
}
