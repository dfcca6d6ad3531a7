//! The order card's payments: paid / partly paid / unpaid, the deposit the
//! adviser took, what the bank's payments gave, what is left, and each payment
//! that concerns the order with its decision in words.

use dioxus::prelude::*;
use fieldcase_shared::order::payment::{PaidState, Payment};
use fieldcase_shared::{Lang, OrderId};

use crate::office::live::Ctx;

/// The payments box of order `order`, whose sums are `payment`.
#[component]
pub fn OrderPayments(order: OrderId, payment: Payment) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        async move { store.order_payments(order).await }
    });
    let state = payment.state();
    rsx! {
        section { class: "card", id: "order-payments",
            h2 { {l.pick("Platby", "Payments")} }
            p {
                span { class: "pill paid-state paid-{state.code()}", id: "order-paid-state", {state.label(l)} }
                if state != PaidState::Paid {
                    " " {l.pick("zbývá ", "left ")} strong { id: "order-left", {payment.left().format(l)} }
                }
            }
            table { class: "table",
                tbody {
                    tr { td { {l.pick("Záloha u poradce", "Deposit taken by the adviser")} } td { class: "num", {payment.deposit.format(l)} } }
                    tr { td { {l.pick("Platby z banky", "Bank payments")} } td { class: "num", id: "order-settled", {payment.settled.format(l)} } }
                    if !payment.over().is_zero() {
                        tr { td { {l.pick("Přeplatek", "Paid beyond the total")} } td { class: "num", {payment.over().format(l)} } }
                    }
                }
            }
            match &*list.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Platby se nepodařilo načíst.", "Could not load the payments.")} } },
                Some(Ok(rows)) if rows.is_empty() => rsx! { p { class: "muted", {l.pick("Z banky zatím nic nepřišlo.", "Nothing from the bank yet.")} } },
                Some(Ok(rows)) => rsx! {
                    table { class: "table", id: "order-payments-table",
                        thead { tr {
                            th { {l.pick("Datum", "Date")} } th { class: "num", {l.pick("Přišlo", "Received")} }
                            th { class: "num", {l.pick("Započteno", "Allocated")} } th { {l.pick("Proč", "Why")} }
                        } }
                        tbody {
                            for (m, given) in rows.iter().cloned() {
                                tr { key: "{m.id}", class: "payment decision-{m.decision.code()}",
                                    td { class: "nowrap", {m.booked_on.map(|d| d.to_string()).unwrap_or_default()} }
                                    td { class: "num", {m.amount.format(l)} }
                                    td { class: "num", {given.format(l)} }
                                    td { span { class: "pill", {m.decision.label(l)} } " " span { class: "small reason", {m.explain(l)} } }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
