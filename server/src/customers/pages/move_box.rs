//! The card's "move to another adviser" box (office, admin): the customer with
//! their open orders goes to the chosen adviser's phone and leaves the current
//! one's (`customers/assign.rs`).

use dioxus::prelude::*;
use fieldcase_shared::{AdviserId, ClientId, Lang};

use crate::office::live::Ctx;
use crate::office::ui::{Notice, form_text};

/// The move box of `client`, whose adviser is `current`.
#[component]
pub fn MoveBox(
    client: ClientId,
    current: Option<AdviserId>,
    reload: Signal<u32>,
    notice: Signal<Option<Notice>>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let advisers = use_resource(move || {
        let store = store.clone();
        async move {
            store
                .list_advisers(&Default::default())
                .await
                .unwrap_or_default()
        }
    });
    if !crate::catalog::terms::PRICE_SETTERS.contains(&ctx.session.user.role) {
        return rsx! {};
    }
    let move_ctx = ctx.clone();
    let mut reload = reload;
    let mut notice = notice;
    let submit = move |evt: FormEvent| {
        let ctx = move_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            if !crate::catalog::terms::PRICE_SETTERS.contains(&role) {
                return notice.set(Some(Notice::err(
                    "Zákazníky přeřazuje kancelář.",
                    "The office moves customers.",
                )));
            }
            let Some(to) = form_text(&evt, "adviser")
                .parse::<uuid::Uuid>()
                .ok()
                .map(AdviserId::from_uuid)
            else {
                return notice.set(Some(Notice::err("Vyberte poradce.", "Choose the adviser.")));
            };
            notice.set(Some(match crate::customers::assign::assign(&ctx.state, &actor, client, to).await {
                Ok(_) => Notice::ok(
                    "Zákazník přeřazen; jeho záznamy a otevřené zakázky má nový poradce v telefonu.",
                    "Customer moved; the new adviser's phone has their records and open orders.",
                ),
                Err(err) => {
                    tracing::error!(%err, "moving a customer");
                    Notice::err("Přeřazení se nepovedlo; zkuste to znovu.", "Moving failed; try again.")
                }
            }));
            reload += 1;
        });
    };
    let list = advisers.read().clone().unwrap_or_default();
    rsx! {
        details { class: "card", id: "customer-move",
            summary { class: "strong", {l.pick("Přeřadit jinému poradci", "Move to another adviser")} }
            form { class: "inline-form", id: "move-form", onsubmit: submit,
                select { name: "adviser",
                    for a in list.iter().filter(|a| a.active && Some(a.id) != current) {
                        option { key: "{a.id}", value: "{a.id}", "{a.code} · {a.name}" }
                    }
                }
                button { class: "btn btn-small", r#type: "submit", {l.pick("Přeřadit", "Move")} }
            }
        }
    }
}
