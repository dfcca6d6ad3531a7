//! The status moves an adviser may make on an order, offline, through the shared
//! rules (`allowed_targets` for the adviser's role): cancel an order not yet
//! confirmed, hand over glasses waiting at a store to the client. The hub checks the
//! same rules when the change arrives and its history records the adviser as author.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, OrderId, OrderStatus, Role, allowed_targets};

use crate::ui::{t, use_ctx};

/// What the button says for a move.
fn label(to: OrderStatus, l: Lang) -> &'static str {
    match to {
        OrderStatus::Delivered => t(l, "Předáno klientovi", "Handed over to the client"),
        OrderStatus::Cancelled => t(l, "Zrušit zakázku", "Cancel the order"),
        other => other.label(l),
    }
}

/// Buttons for the moves the adviser may make from `status`; none: nothing drawn.
#[component]
pub(crate) fn OrderMoves(id: String, status: String) -> Element {
    let ctx = use_ctx();
    let l = ctx.l;
    let revision = ctx.revision;
    let mut problem = use_signal(|| None::<String>);
    let Some(device) = ctx.phone.device() else {
        return rsx! {};
    };
    let moves = status
        .parse::<OrderStatus>()
        .map(|s| allowed_targets(Role::Adviser, s))
        .unwrap_or_default();
    if moves.is_empty() {
        return rsx! {};
    }
    rsx! {
        div { class: "row", id: "status-moves", style: "padding:0 12px",
            for to in moves {
                button {
                    key: "{to.code()}",
                    id: "move-{to.code()}",
                    class: if to == OrderStatus::Cancelled { "secondary" } else { "" },
                    onclick: {
                        let (device, id) = (device.clone(), id.clone());
                        move |_| {
                            let (device, id) = (device.clone(), id.clone());
                            spawn(async move {
                                let result = match id.parse::<OrderId>() {
                                    Ok(oid) => device.set_order_status(oid, to).await.map_err(|e| e.to_string()),
                                    Err(_) => Err("unreadable order id".to_owned()),
                                };
                                match result {
                                    Ok(()) => problem.set(None),
                                    Err(err) => {
                                        tracing::warn!(%err, "changing an order's status");
                                        problem.set(Some(err));
                                    }
                                }
                                revision.bump();
                            });
                        }
                    },
                    {label(to, l)}
                }
            }
        }
        if let Some(err) = problem() {
            p { class: "warning", role: "alert", {t(l, "Stav se nepodařilo změnit: ", "Could not change the status: ")} "{err}" }
        }
    }
}
