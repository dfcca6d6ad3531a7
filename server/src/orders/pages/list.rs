//! Orders: find an order and move it along the workflow; `/office/orders/{id}` is
//! one order's card (`card.rs`). A status change goes
//! through the hub's one path (SQL and the adviser's document together), limited to
//! the moves the user's role may make.

use dioxus::prelude::*;
use fieldcase_shared::order::notes::may_read_private;
use fieldcase_shared::{Lang, OrderId, OrderStatus, allowed_targets};

use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, count, datetime};
use crate::orders::pages::{card, status};
use crate::orders::store::search;
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
        limit: 100,
        private,
        ..OrderFilter::default()
    });
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let store = ctx.state.store.clone();
    let orders = use_resource(move || {
        let store = store.clone();
        let f = filter();
        let _ = reload();
        async move { store.list_orders(&f).await }
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

    rsx! {
        NoticeBar { notice: notice() }
        section { class: "card",
            div { class: "toolbar",
                input {
                    r#type: "search",
                    name: "q",
                    placeholder: l.pick("Hledat VS nebo klienta…", "Search VS or client…"),
                    oninput: move |e| filter.write().text = e.value(),
                }
                select {
                    name: "status",
                    onchange: move |e| filter.write().status = e.value().parse().ok(),
                    option { value: "", {l.pick("Všechny stavy", "All statuses")} }
                    for s in OrderStatus::ALL {
                        option { key: "{s.code()}", value: s.code(), "{s.label(l)}" }
                    }
                }
            }
            match &*orders.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Seznam se nepodařilo načíst.", "Could not load the list.")} } },
                Some(Ok(list)) => rsx! {
                    p { class: "muted", {count(l, list.len(), ["objednávka", "objednávky", "objednávek"], ["order", "orders"])} }
                    div { class: "table-wrap",
                        table { class: "table", id: "orders-table",
                            thead { tr {
                                th { "VS" }
                                th { {l.pick("Klient a poradce", "Client and adviser")} }
                                th { {l.pick("Stav", "Status")} }
                                th { class: "num", {l.pick("Částka", "Amount")} }
                                th { {l.pick("Vytvořeno", "Created")} }
                                th { {l.pick("Změnit stav", "Change status")} }
                            } }
                            tbody {
                                for o in list.iter().cloned() {
                                    tr { key: "{o.id}",
                                        td { class: "nowrap", a { href: "/office/orders/{o.id}", class: "order-link", Marked { text: o.variable_symbol.clone(), query: filter().text } } }
                                        td { div { class: "strong", Marked { text: o.client_name.clone(), query: filter().text } } div { class: "muted small", "{o.adviser_name}" } }
                                        td { span { class: "status status-{o.status.code()}", "{o.status.label(l)}" } }
                                        td { class: "num",
                                            "{o.total.format(l)}"
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
                },
            }
        }
    }
}

/// `text` with the words the search matched highlighted.
#[component]
fn Marked(text: String, query: String) -> Element {
    let terms = search::terms(&query);
    rsx! {
        for (i, (piece, hit)) in search::highlight(&text, &terms).into_iter().enumerate() {
            if hit {
                mark { key: "{i}", "{piece}" }
            } else {
                span { key: "{i}", "{piece}" }
            }
        }
    }
}
