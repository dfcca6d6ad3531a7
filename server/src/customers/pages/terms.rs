//! The card's price terms box: the customer's least discount and discount tier
//! (what the phone and the hub price their orders with), and a form to change them
//! for the roles that set prices (office, admin).

use dioxus::prelude::*;
use fieldcase_shared::docs::catalog::CustomerTermsRecord;
use fieldcase_shared::{ClientId, Lang};

use crate::catalog::terms::{self, PRICE_SETTERS, SetError, classes_text, percent_text};
use crate::office::live::Ctx;
use crate::office::ui::{Notice, failed, form_text};

/// The price terms box of `client`.
#[component]
pub fn TermsBox(client: ClientId, may_edit: bool, notice: Signal<Option<Notice>>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut reload = use_signal(|| 0u32);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let tiers = store.discount_tiers().await?;
            let terms = store.customer_terms(&[client]).await?;
            Ok::<_, crate::store::StoreError>((
                terms.into_values().next().unwrap_or_default(),
                tiers,
            ))
        }
    });
    let may_set = may_edit && PRICE_SETTERS.contains(&ctx.session.user.role);
    let save = move |evt: FormEvent| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            if !PRICE_SETTERS.contains(&role) {
                return notice.set(Some(Notice::err(
                    "Cenové podmínky mění jen kancelář.",
                    "Only the office sets price terms.",
                )));
            }
            let store = ctx.state.store.as_ref();
            let checked = match store.discount_tiers().await {
                Ok(tiers) => terms::check_terms(
                    &form_text(&evt, "min_discount"),
                    &form_text(&evt, "tier"),
                    &tiers,
                ),
                Err(err) => return notice.set(Some(Notice::Err(failed(&err)))),
            };
            let record = match checked {
                Ok(r) => r,
                Err(e) => {
                    return notice.set(Some(Notice::err(e.message(Lang::Cs), e.message(Lang::En))));
                }
            };
            notice.set(Some(
                match terms::set_customer_terms(
                    store,
                    Some(&ctx.state.sync),
                    &actor,
                    client,
                    &record,
                )
                .await
                {
                    Ok(()) => Notice::ok(
                        "Cenové podmínky uloženy; telefony je dostanou při synchronizaci.",
                        "Price terms saved; phones get them when they sync.",
                    ),
                    Err(SetError::Terms(e)) => {
                        Notice::err(e.message(Lang::Cs), e.message(Lang::En))
                    }
                    Err(SetError::Store(err)) => {
                        tracing::error!(%err, "setting price terms");
                        Notice::Err(failed(&err))
                    }
                },
            ));
            reload += 1;
        });
    };
    rsx! {
        section { class: "card", id: "customer-terms",
            h2 { {l.pick("Cenové podmínky", "Price terms")} }
            match &*data.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { p { class: "alert alert-error", {l.pick("Podmínky se nepodařilo načíst.", "Could not load the terms.")} } },
                Some(Ok((t, tiers))) => {
                    let tier = tiers.get(&t.tier);
                    rsx! {
                        if *t == CustomerTermsRecord::default() {
                            p { class: "muted", id: "terms-none", {l.pick("Běžné ceny (bez smluvní slevy).", "Regular prices (no agreed discount).")} }
                        } else {
                            p { id: "terms-now",
                                {l.pick("Sleva nejméně ", "Discount at least ")} span { class: "strong", "{percent_text(t.min_discount_bp)} %" }
                                if let Some(tier) = tier {
                                    " · " {l.pick("tarif ", "tier ")} span { class: "strong", "{tier.name}" }
                                    span { class: "muted", " ({classes_text(&tier.classes)})" }
                                }
                            }
                        }
                        if may_set {
                            form { class: "inline-form", id: "terms-form", onsubmit: save,
                                label { {l.pick("Sleva nejméně (%)", "Discount at least (%)")}
                                    input { name: "min_discount", inputmode: "decimal", size: "5", value: "{percent_text(t.min_discount_bp)}" }
                                }
                                label { {l.pick("Tarif", "Tier")}
                                    select { name: "tier",
                                        option { value: "", selected: t.tier.is_empty(), {l.pick("žádný", "none")} }
                                        for (code, tier) in tiers.iter() {
                                            option { key: "{code}", value: "{code}", selected: *code == t.tier, "{tier.name} ({code})" }
                                        }
                                    }
                                }
                                button { class: "btn btn-small", r#type: "submit", {l.pick("Uložit podmínky", "Save terms")} }
                            }
                        }
                    }
                }
            }
        }
    }
}
