//! The order card's complaints: the order's complaints with their state, and for
//! the staff who open complaints (office, store, customer service) the form to
//! open one once the glasses were handed over — which items, what is wrong.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, OrderStatus};
use time::OffsetDateTime;

use super::rules::{self, OPENERS};
use super::store::ComplaintFilter;
use super::{About, Opener, open};
use crate::office::live::Ctx;
use crate::office::ui::{Notice, datetime, form_all, form_text};
use crate::orders::store::OrderCard;

/// The complaints box of the order `card`.
#[component]
pub fn OrderComplaints(
    card: OrderCard,
    reload: Signal<u32>,
    notice: Signal<Option<Notice>>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let order = card.id;
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let filter = ComplaintFilter {
                order: Some(order),
                ..ComplaintFilter::default()
            };
            store.complaints(filter, 50).await.unwrap_or_default()
        }
    });
    let may_open = OPENERS.contains(&ctx.session.user.role) && rules::may_complain(card.status);
    let open_ctx = ctx.clone();
    let mut reload = reload;
    let mut notice = notice;
    let submit = move |evt: FormEvent| {
        let ctx = open_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let items: Vec<uuid::Uuid> = form_all(&evt, "item")
                .iter()
                .filter_map(|t| t.parse().ok())
                .collect();
            let reason = form_text(&evt, "reason");
            notice.set(Some(
                match open(
                    ctx.state.store.as_ref(),
                    &ctx.state.blobs(),
                    &actor,
                    Opener::Staff(role),
                    About {
                        order,
                        lines: &items,
                        reason: &reason,
                        photos: &[],
                    },
                )
                .await
                {
                    Ok((_, number)) => {
                        super::follow_up(&ctx.state, &actor, order, None).await;
                        Notice::ok(
                            format!("Reklamace {number} přijata; lhůta 30 dnů běží."),
                            format!("Complaint {number} received; the 30 days run."),
                        )
                    }
                    Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
                },
            ));
            reload += 1;
        });
    };
    let now = OffsetDateTime::now_utc();
    let rows = list.read().clone().unwrap_or_default();
    if rows.is_empty() && !may_open && card.status != OrderStatus::Complaint {
        return rsx! {};
    }
    rsx! {
        section { class: "card", id: "order-complaints",
            h2 { {l.pick("Reklamace", "Complaints")} }
            if !rows.is_empty() {
                ul { class: "list",
                    for r in rows {
                        li { key: "{r.id}", class: "order-complaint",
                            a { href: "/office/complaints/{r.id}", "{r.number}" }
                            " · " {datetime(r.opened_at)} " · "
                            match r.decision() {
                                Some(d) => rsx! { span { class: "strong", {d.label(l)} } },
                                None => rsx! { span { {rules::days_left_text(rules::days_left(r.deadline_at, now), l)} } },
                            }
                        }
                    }
                }
            }
            if may_open {
                details { id: "order-complaint-open",
                    summary { {l.pick("Přijmout reklamaci", "Receive a complaint")} }
                    form { id: "order-complaint-form", onsubmit: submit,
                        for line in card.lines.iter() {
                            label { key: "{line.id}", class: "check",
                                input { r#type: "checkbox", name: "item", value: "{line.id}" }
                                " {line.text}"
                            }
                        }
                        textarea { name: "reason", rows: "3", maxlength: "4000",
                            placeholder: l.pick("Co je špatně", "What is wrong") }
                        button { class: "btn btn-small", r#type: "submit", {l.pick("Přijmout", "Receive")} }
                    }
                }
            }
        }
    }
}
