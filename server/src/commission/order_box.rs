//! The order card's commission: every ledger line the order gave (accruals for
//! its adviser and their team lead, reversals), each with its "why this amount".
//! For the roles that read commission rules.

use dioxus::prelude::*;
use fieldcase_shared::docs::commission::CommissionKind;
use fieldcase_shared::{Lang, OrderId};

use super::rule_edit::RULE_READERS;
use crate::office::live::Ctx;
use crate::office::ui::datetime;

/// The commission box of order `order`.
#[component]
pub fn OrderCommission(order: OrderId) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let lines = use_resource(move || {
        let store = store.clone();
        async move { store.order_commission(order).await }
    });
    if !RULE_READERS.contains(&ctx.session.user.role) {
        return rsx! {};
    }
    rsx! {
        section { class: "card", id: "order-commission",
            h2 { {l.pick("Provize", "Commission")} }
            match &*lines.read() {
                None => rsx! {},
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Provize se nepodařilo načíst.", "Could not load the commission.")} } },
                Some(Ok(list)) if list.is_empty() => rsx! {
                    p { class: "muted", {l.pick("Zatím žádná (připíše se, až bude zakázka předaná a zaplacená).", "None yet (booked once the order is delivered and paid).")} }
                },
                Some(Ok(list)) => rsx! {
                    table { class: "table", id: "order-commission-lines",
                        thead { tr {
                            th { {l.pick("Kdy", "When")} } th { {l.pick("Poradce", "Adviser")} } th { {l.pick("Druh", "Kind")} }
                            th { class: "num", {l.pick("Částka", "Amount")} } th { {l.pick("Proč tato částka", "Why this amount")} }
                        } }
                        tbody {
                            for line in list.iter() {
                                tr { key: "{line.id}", class: "commission-line commission-{line.kind}",
                                    td { class: "nowrap", {datetime(line.at)} }
                                    td { "{line.adviser_name}" }
                                    td { {CommissionKind::parse(&line.kind).map(|k| k.label(l)).unwrap_or(l.pick("jiné", "other"))} }
                                    td { class: "num", {line.amount.format(l)} }
                                    td { class: "why", {if l == Lang::Cs { line.why_cs.clone() } else { line.why_en.clone() }} }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
