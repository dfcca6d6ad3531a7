//! Orders: find an order and move it along the workflow; `/office/orders/{id}` is
//! one order's card (`card.rs`). A status change goes
//! through the hub's one path (SQL and the adviser's document together), limited to
//! the moves the user's role may make.

use dioxus::prelude::*;
use fieldcase_shared::order::notes::may_read_private;
use fieldcase_shared::{Lang, OrderId, OrderStatus, allowed_targets};

use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Marked, Notice, NoticeBar, Pager, StoreAdviserFilters, count, datetime};
use crate::orders::pages::{card, status};
use crate::orders::store::{Channel, Cursor, OrderSort, Paid};
use crate::store::OrderFilter;

/// Orders: every office role; a status move is checked against the role's transitions.
pub const PAGE: PageSpec = PageSpec {
    slug: "orders",
    title_cs: "Objednávky",
    title_en: "Orders",
    open: Roles::Staff,
    edit: Roles::Staff,
    component: Orders,
};

#[component]
pub fn Orders() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    // Private notes are searched only for the roles that may read them.
    let private = may_read_private(ctx.session.user.role);
    let mut filter = use_signal(|| OrderFilter {
        limit: PAGE_SIZE,
        private,
        ..OrderFilter::default()
    });
    // The cursors of the pages before this one (keyset pages go forward; back is
    // the cursor the previous page started at).
    let mut pages = use_signal(Vec::<Option<Cursor>>::new);
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let store = ctx.state.store.clone();
    let orders = use_resource(move || {
        let store = store.clone();
        let f = filter();
        let _ = reload();
        async move {
            let list = store.list_orders(&f).await?;
            let counts = store.count_orders(&f).await?;
            let ids: Vec<OrderId> = list.iter().map(|o| o.id).collect();
            let short = store.shortages(&ids).await?;
            Ok::<_, crate::store::StoreError>((list, counts, short))
        }
    });
    let l = lang();
    let role = ctx.session.user.role;

    let change_ctx = ctx.clone();
    let change = move |(order, vs, seen, to): (OrderId, String, OrderStatus, OrderStatus)| {
        let ctx = change_ctx.clone();
        spawn(async move {
            notice.set(Some(
                status::change(&ctx, &PAGE, order, &vs, seen, to).await,
            ));
            reload += 1;
        });
    };
    if let Some(arg) = ctx.arg.clone() {
        return rsx! { card::Card { arg } };
    }
    // Any change of the filter starts again at the first page.
    let mut refilter = move |edit: &dyn Fn(&mut OrderFilter)| {
        pages.write().clear();
        let mut f = filter.write();
        edit(&mut f);
        f.after = None;
    };
    let sort = filter().sort;
    let sort_button = move |(asc, desc, label): (OrderSort, OrderSort, String)| {
        let arrow = if sort == desc {
            " ↓"
        } else if sort == asc {
            " ↑"
        } else {
            ""
        };
        rsx! {
            button { class: "sort", r#type: "button", "data-sort": "{label}",
                onclick: move |_| {
                    pages.write().clear();
                    let mut f = filter.write();
                    f.sort = if f.sort == desc { asc } else { desc };
                    f.after = None;
                },
                "{label}{arrow}"
            }
        }
    };

    rsx! {
        NoticeBar { notice: notice() }
        section { class: "card",
            div { class: "toolbar",
                input {
                    r#type: "search",
                    name: "q",
                    placeholder: l.pick("Hledat číslo, klienta, telefon, e-mail, výrobek, poznámku…", "Search number, client, phone, e-mail, product, note…"),
                    oninput: move |e| refilter(&|f| f.text = e.value()),
                }
                select {
                    name: "status",
                    onchange: move |e| refilter(&|f| f.status = e.value().parse().ok()),
                    option { value: "", {l.pick("Všechny stavy", "All statuses")} }
                    for s in OrderStatus::ALL {
                        option { key: "{s.code()}", value: s.code(), selected: filter().status == Some(s), "{s.label(l)}" }
                    }
                }
            }
            div { class: "toolbar filters",
                StoreAdviserFilters {
                    on_shop: move |shop| refilter(&|f| f.shop = shop),
                    on_adviser: move |adviser| refilter(&|f| f.adviser = adviser),
                }
                select { name: "channel", onchange: move |e| refilter(&|f| f.channel = Channel::from_code(&e.value())),
                    option { value: "", {l.pick("Všechny kanály", "All channels")} }
                    for c in Channel::ALL { option { key: "{c.code()}", value: c.code(), {c.label(l)} } }
                }
                label { class: "check", {l.pick("Od", "From")}
                    input { r#type: "date", name: "from", onchange: move |e| refilter(&|f| f.from = day_start(&e.value(), 0)) }
                }
                label { class: "check", {l.pick("Do", "To")}
                    input { r#type: "date", name: "to", onchange: move |e| refilter(&|f| f.until = day_start(&e.value(), 1)) }
                }
                select { name: "paid", onchange: move |e| refilter(&|f| f.paid = match e.value().as_str() { "paid" => Some(Paid::Paid), "unpaid" => Some(Paid::Unpaid), _ => None }),
                    option { value: "", {l.pick("Zaplacené i nezaplacené", "Paid and unpaid")} }
                    option { value: "paid", {l.pick("Zaplacené", "Paid")} }
                    option { value: "unpaid", {l.pick("Nezaplacené", "Unpaid")} }
                }
            }
            match &*orders.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Seznam se nepodařilo načíst.", "Could not load the list.")} } },
                Some(Ok((list, counts, short))) => {
                    let all = counts.total();
                    // A search counts its first matches only (StatusCounts).
                    let plus = if counts.more { "+" } else { "" };
                    let last = list.last().map(|o| o.cursor());
                    let full = list.len() as i64 >= PAGE_SIZE;
                    rsx! {
                        nav { class: "tabs", id: "status-tabs",
                            button { class: if filter().status.is_none() { "tab active" } else { "tab" }, "data-status": "",
                                onclick: move |_| refilter(&|f| f.status = None),
                                {l.pick("Všechny", "All")} " " span { class: "count", "{all}{plus}" }
                            }
                            for (s, n) in counts.by_status.iter().copied() {
                                button { key: "{s.code()}", class: if filter().status == Some(s) { "tab active" } else { "tab" }, "data-status": s.code(),
                                    onclick: move |_| refilter(&|f| f.status = Some(s)),
                                    "{s.label(l)} " span { class: "count", "{n}{plus}" }
                                }
                            }
                        }
                        p { class: "muted", id: "page-info",
                            {count(l, list.len(), ["objednávka", "objednávky", "objednávek"], ["order", "orders"])}
                            " · " {l.pick("strana ", "page ")} "{pages().len() + 1}"
                        }
                        div { class: "table-wrap",
                            table { class: "table", id: "orders-table",
                                thead { tr {
                                    th { {sort_button((OrderSort::NumberAsc, OrderSort::NumberDesc, "VS".to_owned()))} }
                                    th { {l.pick("Klient a poradce", "Client and adviser")} }
                                    th { {l.pick("Stav", "Status")} }
                                    th { class: "num", {sort_button((OrderSort::TotalAsc, OrderSort::TotalDesc, l.pick("Částka", "Amount").to_owned()))} }
                                    th { {sort_button((OrderSort::Oldest, OrderSort::Newest, l.pick("Vytvořeno", "Created").to_owned()))} }
                                    th { {l.pick("Změnit stav", "Change status")} }
                                } }
                                tbody {
                                    for o in list.iter().cloned() {
                                        tr { key: "{o.id}",
                                            td { class: "nowrap", a { href: "/office/orders/{o.id}", class: "order-link", Marked { text: o.variable_symbol.clone(), query: filter().text } } }
                                            td { div { class: "strong", Marked { text: o.client_name.clone(), query: filter().text } } div { class: "muted small", "{o.adviser_name}" } }
                                            td {
                                                span { class: "status status-{o.status.code()}", "{o.status.label(l)}" }
                                                if let Some(lines) = short.get(&o.id) {
                                                    div { class: "small stock-short", title: {lines.iter().map(|s| s.sku.clone()).collect::<Vec<_>>().join(", ")},
                                                        {l.pick("⚠ chybí skladem", "⚠ short of stock")}
                                                    }
                                                }
                                            }
                                            td { class: "num",
                                                "{o.total.format(l)}"
                                                if !o.paid() && o.status != OrderStatus::Cancelled {
                                                    div { class: "muted small unpaid", {l.pick("zbývá ", "left ")} {o.payment().left().format(l)} }
                                                }
                                                if !o.coupon.is_empty() {
                                                    div { class: "muted small coupon", {l.pick("Kupón ", "Coupon ")} "{o.coupon}" }
                                                }
                                            }
                                            td { class: "nowrap", "{datetime(o.created_at)}" }
                                            td { class: "actions",
                                                for to in allowed_targets(role, o.status) {
                                                    button {
                                                        key: "{to.code()}",
                                                        class: "btn btn-small",
                                                        onclick: {
                                                            let change = change.clone();
                                                            let vs = o.variable_symbol.clone();
                                                            move |_| change((o.id, vs.clone(), o.status, to))
                                                        },
                                                        "→ {to.label(l)}"
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        Pager {
                            has_prev: !pages().is_empty(),
                            has_next: full,
                            on_prev: move |_| {
                                let back = pages.write().pop().flatten();
                                filter.write().after = back;
                            },
                            on_next: move |_| {
                                let here = filter().after.clone();
                                pages.write().push(here);
                                filter.write().after = last.clone();
                            },
                        }
                    }
                },
            }
        }
    }
}

/// Rows per page.
const PAGE_SIZE: i64 = 50;

/// The start of the day `iso` (`YYYY-MM-DD`) plus `plus_days`, in Prague time;
/// `None` for an empty or unreadable date.
pub(crate) fn day_start(iso: &str, plus_days: i64) -> Option<time::OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(iso, &format).ok()? + time::Duration::days(plus_days);
    let noon = day.with_hms(12, 0, 0).ok()?.assume_utc();
    let offset = crate::office::ui::prague_offset(noon);
    Some(day.midnight().assume_offset(offset))
}
