//! Receivables (`/office/receivables`): money that came in and is nobody's yet
//! (unknown or missing VS, other currency, cancelled order, over-payment), aged
//! 0–14 / 15–30 / 31–60 / 60+ days, and settled by hand: find the orders (by VS,
//! name or number), split the payment over them, write the rest off with a
//! reason, or send it back to the payer (a line of the payment orders to make,
//! listed below). Accounting and administrators settle; the office reads.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Money};
use uuid::Uuid;

use crate::money::settle::{OrderRef, Request, SettleError, settle};
use crate::money::store::{BankMovement, MovementFilter, OrderToPay};
use crate::money::{BANK_READERS, BANKERS};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, datetime};
use crate::orders::store::OrderFilter;

/// Receivables: accounting and administrators settle; the office reads.
pub const PAGE: PageSpec = PageSpec {
    slug: "receivables",
    title_cs: "Pohledávky",
    title_en: "Receivables",
    open: Roles::Only(BANK_READERS),
    edit: Roles::Only(BANKERS),
    component: Receivables,
};

/// Today in Prague.
fn today() -> time::Date {
    let now = time::OffsetDateTime::now_utc();
    now.to_offset(crate::office::ui::prague_offset(now)).date()
}

fn age(m: &BankMovement, today: time::Date) -> i64 {
    m.booked_on.map(|d| (today - d).whole_days()).unwrap_or(0)
}

/// One order in the split: the order and the amount typed for it.
#[derive(Clone, PartialEq)]
struct Part {
    order: OrderToPay,
    amount: String,
}

#[component]
fn Receivables() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut chosen = use_signal(|| None::<Uuid>);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let open = store
                .bank_movements(&MovementFilter {
                    open_only: true,
                    limit: 500,
                    ..MovementFilter::default()
                })
                .await?;
            let ageing = store.ageing(today()).await?;
            let returns = store.settlements(None).await?;
            Ok::<_, crate::store::StoreError>((open, ageing, returns))
        }
    });
    let editor = ctx.page.may_edit(ctx.session.user.role);
    let buckets = [
        ("0–14", "age-0"),
        ("15–30", "age-15"),
        ("31–60", "age-31"),
        ("60+", "age-60"),
    ];
    rsx! {
        NoticeBar { notice: notice() }
        match &*data.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Pohledávky se nepodařilo načíst.", "Could not load the receivables.")} } },
            Some(Ok((open, ageing, settlements))) => rsx! {
                div { class: "cards", id: "ageing",
                    for (i, (label, id)) in buckets.iter().enumerate() {
                        div { key: "{id}", class: "card stat", id: "{id}",
                            div { class: "stat-value", {ageing[i].format(l)} }
                            div { class: "stat-label", "{label} " {l.pick("dní", "days")} }
                        }
                    }
                }
                section { class: "card", id: "receivables",
                    h2 { {l.pick("Nevyřízené platby", "Payments to settle")} }
                    if open.is_empty() {
                        p { class: "muted", {l.pick("Nic k vyřízení.", "Nothing to settle.")} }
                    } else {
                        table { class: "table", id: "receivables-table",
                            thead { tr {
                                th { {l.pick("Datum", "Date")} } th { class: "num", {l.pick("Stáří", "Age")} }
                                th { class: "num", {l.pick("Přišlo", "Received")} } th { class: "num", {l.pick("Zbývá", "Open")} }
                                th { "VS" } th { {l.pick("Plátce", "Payer")} } th { {l.pick("Proč", "Why")} } th {}
                            } }
                            tbody {
                                for m in open.iter().cloned() {
                                    tr { key: "{m.id}", class: if chosen() == Some(m.id) { "receivable chosen" } else { "receivable" }, "data-fio": "{m.fio_id}",
                                        td { class: "nowrap", {m.booked_on.map(|d| d.to_string()).unwrap_or_default()} }
                                        td { class: "num", "{age(&m, today())}" }
                                        td { class: "num", {in_currency(m.amount, &m.currency, l)} }
                                        td { class: "num open", {in_currency(m.open, &m.currency, l)} }
                                        td { class: "mono", "{m.vs}" }
                                        td { "{m.counter_name}" div { class: "muted small mono", "{m.counter_account}" } }
                                        td { class: "small", {m.explain(l)} }
                                        td {
                                            if editor {
                                                button { class: "btn btn-small btn-secondary settle-open", onclick: move |_| chosen.set(Some(m.id)), {l.pick("Vyřídit", "Settle")} }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if let Some(m) = chosen().and_then(|id| open.iter().find(|m| m.id == id).cloned()) {
                    SettleBox { key: "{m.id}", movement: m, on_done: move |n: Notice| { notice.set(Some(n)); chosen.set(None); reload += 1; }, on_error: move |n: Notice| notice.set(Some(n)) }
                }
                section { class: "card", id: "returns",
                    h2 { {l.pick("Vrácení a odpisy", "Returns and write-offs")} }
                    if settlements.is_empty() {
                        p { class: "muted", {l.pick("Zatím žádné.", "None yet.")} }
                    } else {
                        table { class: "table",
                            thead { tr {
                                th { {l.pick("Kdy", "When")} } th { {l.pick("Co", "What")} } th { class: "num", {l.pick("Částka", "Amount")} }
                                th { {l.pick("Na účet", "To account")} } th { {l.pick("Důvod", "Reason")} } th { {l.pick("Kdo", "Who")} }
                            } }
                            tbody {
                                for s in settlements.iter().cloned() {
                                    tr { key: "{s.id}", class: "settlement settlement-{s.kind}",
                                        td { class: "nowrap", {datetime(s.created_at)} }
                                        td { {if s.kind == "return" { l.pick("vrátit plátci (příkaz k úhradě)", "send back (payment order)") } else { l.pick("odpis", "write-off") }} }
                                        td { class: "num", {s.amount.format(l)} }
                                        td { class: "mono", "{s.counter_account}" }
                                        td { "{s.reason}" }
                                        td { class: "muted small", "{s.actor}" }
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

/// An amount in crowns as usual, in another currency with its code.
fn in_currency(amount: Money, currency: &str, l: Lang) -> String {
    if currency == "CZK" {
        amount.format(l)
    } else {
        format!("{} {currency}", amount.to_decimal_string())
    }
}

fn amount(text: &str) -> Option<Money> {
    Money::parse(text).ok()
}

/// Settling one payment: orders found and split, the rest written off or sent back.
#[component]
fn SettleBox(
    movement: BankMovement,
    on_done: EventHandler<Notice>,
    on_error: EventHandler<Notice>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut parts = use_signal(Vec::<Part>::new);
    let mut query = use_signal(String::new);
    let mut rest_kind = use_signal(|| "keep".to_string());
    let mut rest_reason = use_signal(String::new);
    let store = ctx.state.store.clone();
    let found = use_resource(move || {
        let store = store.clone();
        let q = query();
        async move {
            if q.trim().len() < 2 {
                return Ok(Vec::new());
            }
            let mut out = store.orders_by_vs(&q).await?;
            let listed = store
                .list_orders(&OrderFilter {
                    text: q.clone(),
                    limit: 10,
                    ..OrderFilter::default()
                })
                .await?;
            for o in listed {
                if !out.iter().any(|x| x.id == o.id) {
                    out.extend(
                        store
                            .orders_by_vs(&o.variable_symbol)
                            .await?
                            .into_iter()
                            .filter(|x| x.id == o.id),
                    );
                }
            }
            Ok::<_, crate::store::StoreError>(out)
        }
    });
    let m = movement.clone();
    let given: Money = parts().iter().filter_map(|p| amount(&p.amount)).sum();
    let rest = m.open - given;
    let submit_ctx = ctx.clone();
    let id = m.id;
    let submit = move |_| {
        let ctx = submit_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return on_error.call(Notice::Err(msg)),
            };
            let mut requests = Vec::new();
            for p in parts().iter() {
                requests.push(Request::Allocate {
                    order: OrderRef::Id(p.order.id),
                    amount: amount(&p.amount).unwrap_or(Money::from_haler(-1)),
                });
            }
            let given: Money = parts().iter().filter_map(|p| amount(&p.amount)).sum();
            let rest = movement.open - given;
            if rest.haler() > 0 {
                match rest_kind().as_str() {
                    "write_off" => requests.push(Request::WriteOff {
                        amount: rest,
                        reason: rest_reason(),
                    }),
                    "return" => requests.push(Request::Return {
                        amount: rest,
                        reason: rest_reason(),
                    }),
                    _ => {}
                }
            }
            match settle(&ctx.state, &actor, role, id, &requests).await {
                Ok(_) => on_done.call(Notice::ok("Platba vyřízena.", "Payment settled.")),
                Err(err @ SettleError::Invalid(_)) | Err(err @ SettleError::Changed) => {
                    on_error.call(Notice::err(err.text(Lang::Cs), err.text(Lang::En)))
                }
                Err(err) => {
                    tracing::warn!(%err, "settling a payment");
                    on_error.call(Notice::err(err.text(Lang::Cs), err.text(Lang::En)))
                }
            }
        });
    };
    rsx! {
        section { class: "card", id: "settle",
            h2 { {l.pick("Vyřídit platbu ", "Settle payment ")} span { class: "mono", "{m.fio_id}" } }
            p { {m.amount.format(l)} " · VS " span { class: "mono", "{m.vs}" } " · {m.counter_name} · " {m.explain(l)} }
            p { {l.pick("K rozdělení: ", "To give: ")} strong { id: "settle-open", {m.open.format(l)} } }
            label { class: "field",
                span { {l.pick("Najít objednávku (VS, jméno, číslo)", "Find an order (VS, name, number)")} }
                input { id: "settle-find", r#type: "search", value: "{query}", oninput: move |e| query.set(e.value()) }
            }
            if let Some(Ok(list)) = &*found.read() {
                ul { class: "list", id: "settle-found",
                    for o in list.iter().cloned() {
                        li { key: "{o.id}", class: "found-order",
                            span { class: "mono", "{o.variable_symbol}" } " {o.client_name} · " {o.status.label(l)} " · " {l.pick("dluží ", "owes ")} {o.payment.left().format(l)} " "
                            if !parts().iter().any(|p| p.order.id == o.id) {
                                button { class: "btn btn-small btn-secondary settle-add", "data-vs": "{o.variable_symbol}",
                                    onclick: move |_| {
                                        let left = o.payment.left();
                                        let given: Money = parts().iter().filter_map(|p| amount(&p.amount)).sum();
                                        let remaining = m.open - given;
                                        let take = if left < remaining { left } else { remaining };
                                        parts.write().push(Part { order: o.clone(), amount: take.to_decimal_string() });
                                    },
                                    {l.pick("Přidat", "Add")}
                                }
                            }
                        }
                    }
                }
            }
            if !parts().is_empty() {
                table { class: "table", id: "settle-parts",
                    thead { tr { th { "VS" } th { {l.pick("Zákazník", "Customer")} } th { class: "num", {l.pick("Dluží", "Owes")} } th { class: "num", {l.pick("Započíst", "Give")} } th {} } }
                    tbody {
                        for (i, p) in parts().iter().cloned().enumerate() {
                            tr { key: "{p.order.id}", class: "settle-part", "data-vs": "{p.order.variable_symbol}",
                                td { class: "mono", "{p.order.variable_symbol}" }
                                td { "{p.order.client_name}" }
                                td { class: "num", {p.order.payment.left().format(l)} }
                                td { class: "num", input { class: "part-amount", value: "{p.amount}", oninput: move |e| parts.write()[i].amount = e.value() } }
                                td { button { class: "btn btn-small btn-secondary", onclick: move |_| { parts.write().remove(i); }, "×" } }
                            }
                        }
                    }
                }
            }
            p { {l.pick("Zbývá po rozdělení: ", "Left after the split: ")} strong { id: "settle-rest", {rest.format(l)} } }
            if rest.haler() > 0 {
                label { class: "field",
                    span { {l.pick("Se zbytkem", "The rest")} }
                    select { name: "rest", id: "settle-rest-kind", onchange: move |e| rest_kind.set(e.value()),
                        option { value: "keep", {l.pick("nechat k vyřízení", "leave to settle later")} }
                        option { value: "write_off", {l.pick("odepsat", "write off")} }
                        option { value: "return", {l.pick("vrátit plátci", "send back to the payer")} }
                    }
                }
                if rest_kind() != "keep" {
                    label { class: "field",
                        span { {l.pick("Důvod", "Reason")} }
                        input { id: "settle-reason", value: "{rest_reason}", oninput: move |e| rest_reason.set(e.value()) }
                    }
                }
            }
            button { class: "btn", id: "settle-submit", onclick: submit, {l.pick("Vyřídit", "Settle")} }
        }
    }
}
