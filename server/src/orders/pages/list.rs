//! Orders: find an order and move it along the workflow. A status change goes
//! through the hub's one path (SQL and the adviser's document together), limited to
//! the moves the user's role may make.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, OrderId, OrderStatus, allowed_targets};

use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, Text, count, datetime};
use crate::orders::store::search;
use crate::store::OrderFilter;
use crate::sync::StatusChangeError;

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
    let mut filter = use_signal(|| OrderFilter {
        limit: 100,
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
    let change = move |(order, vs, to): (OrderId, String, OrderStatus)| {
        let ctx = change_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(&PAGE).await {
                Ok(pair) => pair,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let result = ctx
                .state
                .sync
                .set_order_status(&actor, role, order, to)
                .await;
            notice.set(Some(match result {
                Ok(()) => Notice::ok(
                    format!("Objednávka {vs}: stav změněn na „{}“.", to.label(Lang::Cs)),
                    format!("Order {vs}: status changed to \"{}\".", to.label(Lang::En)),
                ),
                Err(StatusChangeError::Denied(denied)) => Notice::Err(Text::new(
                    denied.message(Lang::Cs),
                    denied.message(Lang::En),
                )),
                Err(
                    StatusChangeError::NotFound
                    | StatusChangeError::Store(crate::store::StoreError::NotFound(_)),
                ) => Notice::err(
                    "Objednávku mezitím někdo změnil; seznam je obnovený, zkuste to znovu.",
                    "The order was changed meanwhile; the list is refreshed, please try again.",
                ),
                Err(err) => {
                    tracing::error!(%err, "changing an order's status");
                    Notice::err(
                        "Stav se nepodařilo změnit; zkuste to za chvíli.",
                        "Could not change the status; try again shortly.",
                    )
                }
            }));
            reload += 1;
        });
    };

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
                                        td { class: "nowrap", Marked { text: o.variable_symbol.clone(), query: filter().text } }
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
                                                        move |_| change((o.id, vs.clone(), to))
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
