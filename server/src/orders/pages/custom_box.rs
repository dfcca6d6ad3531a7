//! The order card's custom fields box: the values of the order fields in use, edited
//! by the roles that edit orders (`orders/custom.rs`); refused values stay in the
//! form with their messages.

use std::collections::BTreeMap;

use dioxus::prelude::*;
use fieldcase_shared::custom_field::Entity;
use fieldcase_shared::{Lang, OrderId};

use crate::customers::pages::custom::CustomInputs;
use crate::office::live::Ctx;
use crate::office::ui::{Draft, Errors, Notice, Text, form_values};
use crate::orders::custom::{CustomError, set};

/// The box of `order`, whose values are `values`.
#[component]
pub fn CustomBox(
    order: OrderId,
    values: BTreeMap<String, String>,
    reload: Signal<u32>,
    notice: Signal<Option<Notice>>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let fields = use_resource(move || {
        let store = store.clone();
        async move {
            crate::customers::fields::active(store.as_ref(), Entity::Order)
                .await
                .unwrap_or_default()
        }
    });
    let start: Draft = values
        .iter()
        .map(|(k, v)| (format!("custom.{k}"), v.clone()))
        .collect();
    let mut draft = use_signal(move || start);
    let mut errors = use_signal(Errors::new);
    let list = fields.read().clone().unwrap_or_default();
    if list.is_empty() || !ctx.page.may_edit(ctx.session.user.role) {
        return rsx! {};
    }
    let (mut reload, mut notice) = (reload, notice);
    let submit = move |evt: FormEvent| {
        let ctx = ctx.clone();
        let typed = form_values(&evt);
        draft.set(typed.clone());
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let values: BTreeMap<String, String> = typed
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("custom.")?.to_owned(), v.clone())))
                .collect();
            errors.set(Errors::new());
            notice.set(Some(match set(&ctx.state, &actor, order, values).await {
                Ok(()) => {
                    reload += 1;
                    Notice::ok(
                        "Uloženo; poradce to uvidí v telefonu.",
                        "Saved; the adviser sees it on the phone.",
                    )
                }
                Err(CustomError::Invalid(problems)) => {
                    errors.set(
                        problems
                            .iter()
                            .map(|e| (e.field.clone(), Text::from(e)))
                            .collect(),
                    );
                    Notice::err("Zkontrolujte označená pole.", "Check the marked fields.")
                }
                Err(err) => {
                    tracing::error!(%err, %order, "setting an order's custom fields");
                    Notice::err(
                        "Uložení se nepovedlo; zkuste to znovu.",
                        "Saving failed; try again.",
                    )
                }
            }));
        });
    };
    rsx! {
        details { class: "card", id: "order-custom",
            summary { class: "strong", {l.pick("Upravit vlastní pole", "Edit custom fields")} }
            form { class: "form", id: "order-custom-form", onsubmit: submit,
                CustomInputs { fields: list, draft: draft(), errors: errors() }
                button { class: "btn btn-small", r#type: "submit", {l.pick("Uložit", "Save")} }
            }
        }
    }
}
