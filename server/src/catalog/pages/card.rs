//! One product's card: its attributes, its price with the price history (orders
//! keep the price valid when they were taken), the other variants of its model,
//! and withdrawing it from sale or reinstating it (the office and admins; audited,
//! published to the phones).

use dioxus::prelude::*;
use fieldcase_shared::docs::catalog::ProductRecord;
use fieldcase_shared::{Lang, Money, ProductId};

use crate::catalog::pages::attributes;
use crate::catalog::store::ProductKind;
use crate::catalog::upload::may_edit_products;
use crate::office::live::Ctx;
use crate::office::ui::{Notice, NoticeBar, datetime};

/// The acting user, if their current role may change products; else the notice.
async fn editor_actor(ctx: &Ctx) -> Result<crate::store::Actor, Notice> {
    match ctx.authorize_role(ctx.page).await {
        Ok((actor, role)) if may_edit_products(role) => Ok(actor),
        Ok(_) => Err(Notice::err(
            "K této akci nemáte oprávnění.",
            "You are not allowed to do this.",
        )),
        Err(msg) => Err(Notice::Err(msg)),
    }
}

/// Sends the changed catalog to the phones (logged when it fails: the change is
/// saved, and its version makes phones fetch it when they next connect).
async fn publish(ctx: &Ctx) {
    if let Err(err) = ctx.state.sync.publish_catalog().await {
        tracing::warn!(%err, "publishing the catalog");
    }
}

#[component]
pub fn Card(arg: String) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let id = arg.parse::<uuid::Uuid>().ok().map(ProductId::from_uuid);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let all = store.catalog_products().await?;
            let Some(id) = id else { return Ok(None) };
            let Some((_, product)) = all.iter().find(|(pid, _)| *pid == id).cloned() else {
                return Ok(None);
            };
            let mut history = store
                .price_history(&[id.to_string()])
                .await?
                .remove(&id.to_string())
                .unwrap_or_default();
            history.sort_by_key(|p| std::cmp::Reverse(p.valid_from));
            let variants: Vec<(ProductId, ProductRecord)> = all
                .into_iter()
                .filter(|(pid, p)| {
                    *pid != id
                        && !product.model.is_empty()
                        && p.kind == product.kind
                        && p.brand == product.brand
                        && p.model == product.model
                })
                .collect();
            Ok::<_, crate::store::StoreError>(Some((id, product, history, variants)))
        }
    });
    let editor = may_edit_products(ctx.session.user.role);
    let toggle_ctx = ctx.clone();
    let toggle = move |(id, active): (ProductId, bool)| {
        let ctx = toggle_ctx.clone();
        spawn(async move {
            let actor = match editor_actor(&ctx).await {
                Ok(actor) => actor,
                Err(refused) => return notice.set(Some(refused)),
            };
            let result = async {
                ctx.state
                    .store
                    .set_product_active(&actor, id, active)
                    .await?;
                crate::catalog::price::catalog_changed(ctx.state.store.as_ref()).await
            }
            .await;
            if result.is_ok() {
                publish(&ctx).await;
            }
            notice.set(Some(match (result, active) {
                (Ok(()), true) => Notice::ok(
                    "Produkt je znovu v prodeji.",
                    "The product is on sale again.",
                ),
                (Ok(()), false) => Notice::ok(
                    "Produkt je stažený z prodeje; telefony ho už nenabídnou.",
                    "The product is withdrawn; phones no longer offer it.",
                ),
                (Err(err), _) => Notice::Err(crate::office::ui::failed(&err)),
            }));
            reload += 1;
        });
    };

    let price_ctx = ctx.clone();
    let reprice = move |(sku, evt): (String, FormEvent)| {
        let ctx = price_ctx.clone();
        let price = crate::office::ui::form_text(&evt, "price");
        let vat_bp = crate::office::ui::form_text(&evt, "vat")
            .parse::<i64>()
            .ok();
        spawn(async move {
            let actor = match editor_actor(&ctx).await {
                Ok(actor) => actor,
                Err(refused) => return notice.set(Some(refused)),
            };
            let input = crate::catalog::price::NewPrice {
                sku: &sku,
                price: &price,
                vat_bp,
                from: None,
            };
            let result =
                crate::catalog::price::set_price(ctx.state.store.as_ref(), &actor, &input).await;
            if result.is_ok() {
                publish(&ctx).await;
            }
            notice.set(Some(match result {
                Ok(_) => Notice::ok(
                    "Nová cena platí od teď; objednávky přijaté dřív si nechávají svou.",
                    "The new price holds from now on; orders taken before keep theirs.",
                ),
                Err(crate::service::ServiceError::Invalid(_)) => Notice::err(
                    format!("Cena „{price}“ není částka v Kč (např. 1290 nebo 1 290,50)."),
                    format!(
                        "The price \"{price}\" is not an amount in CZK (e.g. 1290 or 1 290.50)."
                    ),
                ),
                Err(err) => {
                    tracing::error!(%err, "setting a price");
                    Notice::err("Cenu se nepodařilo uložit.", "Could not save the price.")
                }
            }));
            reload += 1;
        });
    };

    let class_ctx = ctx.clone();
    let set_class = move |(sku, evt): (String, FormEvent)| {
        let ctx = class_ctx.clone();
        let class = crate::office::ui::form_text(&evt, "class")
            .trim()
            .to_lowercase();
        spawn(async move {
            let actor = match editor_actor(&ctx).await {
                Ok(actor) => actor,
                Err(refused) => return notice.set(Some(refused)),
            };
            if !class.is_empty()
                && let Err(e) = crate::catalog::terms::parse_classes(&format!("{class}=0"))
            {
                return notice.set(Some(Notice::err(e.message(Lang::Cs), e.message(Lang::En))));
            }
            let store = ctx.state.store.as_ref();
            let result = match store.set_product_class(&actor, &sku, &class).await {
                Ok(_) => crate::catalog::price::catalog_changed(store).await,
                Err(err) => Err(err),
            };
            notice.set(Some(match result {
                Ok(()) => {
                    publish(&ctx).await;
                    Notice::ok("Třída slev uložena.", "Discount class saved.")
                }
                Err(err) => Notice::Err(crate::office::ui::failed(&err)),
            }));
            reload += 1;
        });
    };

    rsx! {
        NoticeBar { notice: notice() }
        p { a { href: "/office/products", id: "back-to-products", {l.pick("← Zpět na produkty", "← Back to products")} } }
        match &*data.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Produkt se nepodařilo načíst.", "Could not load the product.")} } },
            Some(Ok(None)) => rsx! { div { class: "alert alert-error", id: "product-not-found", {l.pick("Takový produkt neexistuje.", "There is no such product.")} } },
            Some(Ok(Some((id, p, history, variants)))) => {
                let (id, active) = (*id, p.active);
                rsx! {
                    section { class: "card", id: "product-card",
                        div { class: "card-head",
                            h2 { span { class: "mono", id: "product-sku", "{p.sku}" } " · {p.name}" }
                            if p.active { span { class: "pill pill-ok", id: "product-state", {l.pick("v prodeji", "on sale")} } } else { span { class: "pill", id: "product-state", {l.pick("stažený", "withdrawn")} } }
                        }
                        table { class: "table", id: "product-attributes",
                            tbody {
                                tr { th { {l.pick("Druh", "Kind")} } td { {ProductKind::from_code(&p.kind).map(|k| k.label(l)).unwrap_or("")} } }
                                tr { th { {l.pick("Značka", "Brand")} } td { "{p.brand}" } }
                                tr { th { "Model" } td { "{p.model}" } }
                                tr { th { {l.pick("Varianta", "Variant")} } td { {attributes(p, l)} } }
                                tr { th { {l.pick("Cena s DPH", "Price incl. VAT")} } td { id: "product-price", {Money::from_haler(p.price).format(l)} " (DPH {p.vat_bp / 100} %)" } }
                                tr { th { {l.pick("Třída slev", "Discount class")} } td { id: "product-class", "{p.class()}"
                                    if p.discount_class.is_empty() { span { class: "muted small", {l.pick(" (podle druhu)", " (by kind)")} } }
                                } }
                            }
                        }
                        if editor {
                            form { class: "inline-form", id: "price-form",
                                onsubmit: {
                                    let reprice = reprice.clone();
                                    let sku = p.sku.clone();
                                    move |evt: FormEvent| reprice((sku.clone(), evt))
                                },
                                input { name: "price", required: true, placeholder: l.pick("Nová cena s DPH", "New price incl. VAT"), maxlength: "20" }
                                select { name: "vat",
                                    for bp in [2100i64, 1200, 0] {
                                        option { key: "{bp}", value: "{bp}", selected: i64::from(p.vat_bp) == bp, "DPH {bp / 100} %" }
                                    }
                                }
                                button { class: "btn", r#type: "submit", {l.pick("Změnit cenu", "Change the price")} }
                            }
                            form { class: "inline-form", id: "class-form",
                                onsubmit: {
                                    let set_class = set_class.clone();
                                    let sku = p.sku.clone();
                                    move |evt: FormEvent| set_class((sku.clone(), evt))
                                },
                                input { name: "class", value: "{p.discount_class}", placeholder: l.pick("Vlastní třída slev (prázdné: podle druhu)", "Own discount class (empty: by kind)"), maxlength: "32" }
                                button { class: "btn btn-ghost", r#type: "submit", {l.pick("Uložit třídu", "Save class")} }
                            }
                            p {
                                if active {
                                    button { class: "btn btn-ghost", id: "withdraw", onclick: move |_| toggle((id, false)), {l.pick("Stáhnout z prodeje", "Withdraw from sale")} }
                                } else {
                                    button { class: "btn", id: "reinstate", onclick: move |_| toggle((id, true)), {l.pick("Vrátit do prodeje", "Put back on sale")} }
                                }
                            }
                        }
                    }
                    div { class: "grid-2",
                        section { class: "card", id: "price-history",
                            h2 { {l.pick("Historie cen", "Price history")} }
                            table { class: "table",
                                thead { tr { th { {l.pick("Platí od", "Valid from")} } th { class: "num", {l.pick("Cena", "Price")} } th { class: "num", "DPH" } } }
                                tbody {
                                    for (i, point) in history.iter().enumerate() {
                                        tr { key: "{i}",
                                            td { {time::OffsetDateTime::from_unix_timestamp(point.valid_from).ok().filter(|t| t.unix_timestamp() > 0).map(datetime).unwrap_or_else(|| l.pick("vždy", "always").to_owned())} }
                                            td { class: "num", {Money::from_haler(point.price).format(l)} }
                                            td { class: "num", "{point.vat_bp / 100} %" }
                                        }
                                    }
                                }
                            }
                        }
                        section { class: "card", id: "variants",
                            h2 { {l.pick("Další varianty modelu", "Other variants of the model")} }
                            if variants.is_empty() {
                                p { class: "muted", {l.pick("Žádné.", "None.")} }
                            } else {
                                table { class: "table",
                                    tbody {
                                        for (vid, v) in variants.iter() {
                                            tr { key: "{vid}",
                                                td { class: "mono", a { href: "/office/products/{vid}", "{v.sku}" } }
                                                td { {attributes(v, l)} }
                                                td { class: "num", {Money::from_haler(v.price).format(l)} }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
