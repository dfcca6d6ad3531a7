//! Discounts (`/office/discounts`): the coupons with their terms and how many orders
//! used each (a limited coupon shows uses of its limit), a form for a new coupon or
//! a change, withdrawing and restoring; and the discount tiers (a discount per
//! discount class, e.g. B2B 15 % off frames) that customers' terms name. Everything
//! is published into the catalog document, so phones price with it offline.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Money};

use crate::catalog::coupons::{self, CouponArgs, CouponUse, off_text};
use crate::catalog::terms::{self, PRICE_SETTERS, classes_text};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, failed, form_text};

/// Discounts: every staff role reads; the office and admins change.
pub const PAGE: PageSpec = PageSpec {
    slug: "discounts",
    title_cs: "Slevy",
    title_en: "Discounts",
    open: Roles::Staff,
    edit: Roles::Only(PRICE_SETTERS),
    component: Discounts,
};

/// A coupon from the form.
fn args_of(evt: &FormEvent) -> CouponArgs {
    let opt = |k: &str| Some(form_text(evt, k)).filter(|t| !t.trim().is_empty());
    let (percent, amount) = match form_text(evt, "kind").as_str() {
        "amount" => (None, opt("value")),
        _ => (opt("value"), None),
    };
    CouponArgs {
        code: form_text(evt, "code"),
        percent,
        amount,
        valid_until: opt("valid_until"),
        min_order: opt("min_order"),
        client: opt("client"),
        message: form_text(evt, "message"),
        max_uses: form_text(evt, "max_uses").trim().parse().ok(),
        withdrawn: false,
    }
}

#[component]
fn Discounts() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let list = coupons::with_uses(store.as_ref()).await?;
            let tiers = store.discount_tiers().await?;
            Ok::<_, crate::store::StoreError>((list, tiers))
        }
    });
    let editor = ctx.page.may_edit(ctx.session.user.role);
    let add_ctx = ctx.clone();
    let add = move |evt: FormEvent| {
        let ctx = add_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let store = ctx.state.store.as_ref();
            notice.set(Some(
                match coupons::add(store, &actor, args_of(&evt)).await {
                    Ok(code) => {
                        terms::publish(Some(&ctx.state.sync)).await;
                        Notice::ok(
                            format!("Kupón {code} uložen."),
                            format!("Coupon {code} saved."),
                        )
                    }
                    Err(e) => Notice::err(e.message(Lang::Cs), e.message(Lang::En)),
                },
            ));
            reload += 1;
        });
    };
    let toggle_ctx = ctx.clone();
    let toggle = move |c: CouponUse| {
        let ctx = toggle_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let record = fieldcase_shared::docs::catalog::CouponRecord {
                active: !c.coupon.active,
                ..c.coupon.clone()
            };
            notice.set(Some(
                match ctx.state.store.put_coupon(&actor, &c.code, &record).await {
                    Ok(()) => {
                        terms::publish(Some(&ctx.state.sync)).await;
                        if record.active {
                            Notice::ok(
                                format!("Kupón {} znovu platí.", c.code),
                                format!("Coupon {} applies again.", c.code),
                            )
                        } else {
                            Notice::ok(
                                format!("Kupón {} stažen.", c.code),
                                format!("Coupon {} withdrawn.", c.code),
                            )
                        }
                    }
                    Err(err) => Notice::Err(failed(&err)),
                },
            ));
            reload += 1;
        });
    };
    let tier_ctx = ctx.clone();
    let save_tier = move |evt: FormEvent| {
        let ctx = tier_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let (code, tier) = match terms::check_tier(
                &form_text(&evt, "code"),
                &form_text(&evt, "name"),
                &form_text(&evt, "classes"),
            ) {
                Ok(t) => t,
                Err(e) => {
                    return notice.set(Some(Notice::err(e.message(Lang::Cs), e.message(Lang::En))));
                }
            };
            notice.set(Some(
                match terms::put_tier(
                    ctx.state.store.as_ref(),
                    Some(&ctx.state.sync),
                    &actor,
                    &code,
                    &tier,
                )
                .await
                {
                    Ok(()) => Notice::ok(
                        format!("Tarif {code} uložen."),
                        format!("Tier {code} saved."),
                    ),
                    Err(err) => Notice::Err(failed(&err)),
                },
            ));
            reload += 1;
        });
    };
    let today = time::OffsetDateTime::now_utc().date().to_string();
    rsx! {
        NoticeBar { notice: notice() }
        match &*data.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Slevy se nepodařilo načíst.", "Could not load the discounts.")} } },
            Some(Ok((list, tiers))) => rsx! {
                section { class: "card", id: "coupons",
                    h2 { {l.pick("Kupóny", "Coupons")} }
                    if list.is_empty() {
                        p { class: "muted", {l.pick("Žádný kupón.", "No coupon.")} }
                    } else {
                        table { class: "table", id: "coupons-table",
                            thead { tr {
                                th { {l.pick("Kód", "Code")} }
                                th { class: "num", {l.pick("Sleva", "Off")} }
                                th { {l.pick("Platí do", "Valid until")} }
                                th { class: "num", {l.pick("Od objednávky", "Minimum order")} }
                                th { {l.pick("Pro", "For")} }
                                th { class: "num", {l.pick("Použito", "Used")} }
                                th { {l.pick("Stav", "State")} }
                                th {}
                            } }
                            tbody {
                                for c in list.iter().cloned() {
                                    tr { key: "{c.code}", id: "coupon-{c.code}",
                                        td { span { class: "mono strong", "{c.code}" }
                                            if !c.coupon.message.is_empty() { div { class: "muted small", "{c.coupon.message}" } }
                                        }
                                        td { class: "num", "{off_text(&c.coupon, l)}" }
                                        td { if c.coupon.valid_until.is_empty() { span { class: "muted", "—" } } else { "{c.coupon.valid_until}" } }
                                        td { class: "num", if c.coupon.min_order > 0 { "{Money::from_haler(c.coupon.min_order).format(l)}" } }
                                        td { if c.coupon.client.is_empty() { span { class: "muted", {l.pick("všechny", "anyone")} } } else { a { href: "/office/customers/{c.coupon.client}", {l.pick("jednoho zákazníka", "one customer")} } } }
                                        td { class: "num uses",
                                            if c.coupon.max_uses > 0 { "{c.uses} / {c.coupon.max_uses}" } else { "{c.uses}" }
                                        }
                                        td { if c.coupon.active { span { class: "status status-delivered", {l.pick("platí", "active")} } } else { span { class: "status status-cancelled", {l.pick("stažen", "withdrawn")} } } }
                                        td {
                                            if editor {
                                                button { class: "btn btn-small btn-secondary toggle",
                                                    onclick: { let c = c.clone(); let toggle = toggle.clone(); move |_| toggle(c.clone()) },
                                                    {if c.coupon.active { l.pick("Stáhnout", "Withdraw") } else { l.pick("Obnovit", "Restore") }}
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if editor {
                        h3 { {l.pick("Nový kupón nebo změna", "New coupon or a change")} }
                        form { class: "inline-form", id: "coupon-form", onsubmit: add,
                            input { name: "code", placeholder: l.pick("Kód", "Code"), required: true, size: "10" }
                            select { name: "kind",
                                option { value: "percent", "%" }
                                option { value: "amount", "Kč" }
                            }
                            input { name: "value", placeholder: l.pick("Sleva", "Off"), inputmode: "decimal", size: "6", required: true }
                            label { {l.pick("Platí do", "Valid until")} input { r#type: "date", name: "valid_until", min: "{today}" } }
                            input { name: "min_order", placeholder: l.pick("Od objednávky (Kč)", "Minimum order (CZK)"), inputmode: "decimal", size: "10" }
                            input { name: "max_uses", placeholder: l.pick("Nejvýš použití", "Uses at most"), inputmode: "numeric", size: "8" }
                            input { name: "client", placeholder: l.pick("Id zákazníka (jen pro něj)", "Customer id (theirs only)"), size: "20" }
                            input { name: "message", placeholder: l.pick("Zpráva k objednávce", "Message with the order"), size: "30" }
                            button { class: "btn btn-small", r#type: "submit", {l.pick("Uložit kupón", "Save coupon")} }
                        }
                    }
                }
                section { class: "card", id: "tiers",
                    h2 { {l.pick("Tarify (slevy podle třídy zboží)", "Tiers (discounts by class of goods)")} }
                    p { class: "muted small", {l.pick("Třída zboží je jeho druh (frame, lens, coating, contact_lens, accessory, service), pokud produkt nemá vlastní. Zákazník dostane z tarifu, minimální slevy a slevy poradce tu nejvyšší.", "A product's class is its kind (frame, lens, coating, contact_lens, accessory, service) unless it has its own. A customer gets the largest of their tier's, their minimum and the adviser's discount.")} }
                    table { class: "table", id: "tiers-table",
                        thead { tr { th { {l.pick("Kód", "Code")} } th { {l.pick("Název", "Name")} } th { {l.pick("Slevy", "Discounts")} } } }
                        tbody {
                            for (code, t) in tiers.iter() {
                                tr { key: "{code}", id: "tier-{code}", td { class: "mono", "{code}" } td { "{t.name}" } td { "{classes_text(&t.classes)}" } }
                            }
                        }
                    }
                    if editor {
                        form { class: "inline-form", id: "tier-form", onsubmit: save_tier,
                            input { name: "code", placeholder: l.pick("Kód (např. B2B)", "Code (e.g. B2B)"), required: true, size: "8" }
                            input { name: "name", placeholder: l.pick("Název", "Name"), required: true }
                            input { name: "classes", placeholder: "frame=15, lens=10", size: "30" }
                            button { class: "btn btn-small", r#type: "submit", {l.pick("Uložit tarif", "Save tier")} }
                        }
                    }
                }
            },
        }
    }
}
