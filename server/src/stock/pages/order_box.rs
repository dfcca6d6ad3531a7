//! The order card's stock box: where the order's stocked lines come from (the
//! warehouse that reserved them, or the adviser's sample case) and which lines
//! neither the warehouse nor the case can cover.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, OrderId, OrderStatus};

use crate::office::live::Ctx;

#[component]
pub fn StockBox(order: OrderId, status: OrderStatus, reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let short = store
                .shortages(&[order])
                .await?
                .remove(&order)
                .unwrap_or_default();
            let sources = store.order_sources(order).await?;
            Ok::<_, crate::store::StoreError>((short, sources))
        }
    });
    let Some(Ok((short, sources))) = &*data.read() else {
        return rsx! {};
    };
    rsx! {
        section { class: "card", id: "order-stock",
            h2 { {l.pick("Sklad", "Stock")} }
            p { id: "stock-source",
                if sources.is_empty() && status == OrderStatus::Intake {
                    {l.pick("Ze skladu zatím nic: rezervuje se při potvrzení (jinak z kufru poradce).", "Nothing from a warehouse yet: reserved on confirmation (otherwise from the adviser's case).")}
                } else if sources.is_empty() {
                    {l.pick("Ze skladu nic rezervováno není: z kufru poradce.", "Nothing is reserved in a warehouse: from the adviser's case.")}
                } else {
                    {l.pick("Ze skladu: ", "From the warehouse: ")} span { class: "mono", {sources.join(", ")} }
                }
            }
            if short.is_empty() {
                p { class: "muted", id: "stock-ok", {l.pick("Skladové položky jsou pokryté.", "The stocked lines are covered.")} }
            } else {
                div { class: "alert alert-error", id: "stock-short",
                    {l.pick("Chybí skladem:", "Short of stock:")}
                    ul {
                        for s in short.iter() {
                            li { key: "{s.product}",
                                span { class: "mono", "{s.sku}" }
                                {match l {
                                    Lang::Cs => format!(" — potřeba {}, ve skladu volných {}, v kufru poradce {}", s.needed, s.warehouse.max(0), s.in_case),
                                    Lang::En => format!(" — needs {}, free in the warehouse {}, in the adviser's case {}", s.needed, s.warehouse.max(0), s.in_case),
                                }}
                            }
                        }
                    }
                }
            }
        }
    }
}
