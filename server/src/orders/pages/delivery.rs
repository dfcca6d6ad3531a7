//! The card's delivery box: carrier and tracking number (checked against the
//! carrier's format; the carrier's public tracking page linked; once a number is in,
//! the move to "shipped" is offered to roles that may make it), and the order's
//! public page: its link, revoked or replaced by the office.

use dioxus::prelude::*;
use fieldcase_shared::carrier::Carrier;
use fieldcase_shared::{Lang, OrderStatus, Role, allowed_targets};

use crate::office::live::Ctx;
use crate::office::ui::{Notice, failed, form_text};
use crate::orders::pages::status;
use crate::orders::store::{Delivery, OrderCard};

/// Roles that may hand out, revoke and replace an order's public link.
pub fn may_manage_link(role: Role) -> bool {
    matches!(
        role,
        Role::Office | Role::Store | Role::CustomerService | Role::Admin
    )
}

/// Sends what changed to the adviser's phone (logged when it fails: the change
/// itself is saved, and the next publish carries it).
async fn publish(ctx: &Ctx, order: fieldcase_shared::OrderId) {
    if let Err(err) = ctx.state.sync.publish_order_info(order).await {
        tracing::warn!(%err, %order, "publishing the order's delivery to the phone");
    }
}

/// Carrier, tracking and the public link of `card`.
#[component]
pub fn DeliveryBox(
    card: OrderCard,
    reload: Signal<u32>,
    notice: Signal<Option<Notice>>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let role = ctx.session.user.role;
    let c = card;
    let mut reload = reload;
    let mut notice = notice;
    let tracking_url = c
        .delivery
        .carrier
        .map(|carrier| ctx.state.config.tracking_url(carrier, &c.delivery.number))
        .unwrap_or_default();
    let public_url = c
        .link
        .as_ref()
        .map(|t| format!("{}/o/{t}", ctx.state.config.public_url()));
    let offer_shipped = c.delivery.carrier.is_some_and(Carrier::tracks)
        && allowed_targets(role, c.status).contains(&OrderStatus::Shipped);

    let save_ctx = ctx.clone();
    let seen = c.delivery.clone();
    let order = c.id;
    let save = move |evt: FormEvent| {
        let ctx = save_ctx.clone();
        let seen = seen.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(actor) => actor,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let code = form_text(&evt, "carrier");
            let new = if code.is_empty() {
                Delivery::default()
            } else {
                let Ok(carrier) = code.parse::<Carrier>() else {
                    return notice.set(Some(Notice::err(
                        format!("Neznámý dopravce „{code}“."),
                        format!("Unknown carrier \"{code}\"."),
                    )));
                };
                match carrier.check_tracking(&form_text(&evt, "tracking")) {
                    Ok(number) => Delivery {
                        carrier: Some(carrier),
                        number,
                    },
                    Err(bad) => {
                        return notice.set(Some(Notice::err(
                            bad.message(Lang::Cs),
                            bad.message(Lang::En),
                        )));
                    }
                }
            };
            let result = ctx
                .state
                .store
                .set_delivery(&actor, order, &seen, &new)
                .await;
            if result.is_ok() {
                publish(&ctx, order).await;
            }
            notice.set(Some(match result {
                Ok(()) => Notice::ok("Doprava uložena.", "Delivery saved."),
                Err(err) => Notice::Err(failed(&err)),
            }));
            reload += 1;
        });
    };
    let link_ctx = ctx.clone();
    let link = move |issue: bool| {
        let ctx = link_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(actor) if may_manage_link(ctx.session.user.role) => actor,
                Ok(_) => {
                    return notice.set(Some(Notice::err(
                        "K této akci nemáte oprávnění.",
                        "You are not allowed to do this.",
                    )));
                }
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let token = issue.then(crate::auth::new_token);
            let result = ctx
                .state
                .store
                .replace_order_link(&actor, order, token.as_deref())
                .await;
            if result.is_ok() {
                publish(&ctx, order).await;
            }
            notice.set(Some(match (result, issue) {
                (Ok(()), true) => Notice::ok("Nový odkaz je vytvořený.", "A new link is made."),
                (Ok(()), false) => Notice::ok(
                    "Odkaz je zrušený; kdo ho má, uvidí jen „stránka nenalezena“.",
                    "The link is revoked; whoever has it sees only \"page not found\".",
                ),
                (Err(err), _) => Notice::Err(failed(&err)),
            }));
            reload += 1;
        });
    };
    let issue_link = {
        let link = link.clone();
        move |_| link(true)
    };
    let revoke_link = move |_| link(false);
    let (vs, status) = (c.variable_symbol.clone(), c.status);
    let ship_ctx = ctx.clone();
    let ship = move |_| {
        let ctx = ship_ctx.clone();
        let vs = vs.clone();
        spawn(async move {
            notice.set(Some(
                status::change(&ctx, ctx.page, order, &vs, status, OrderStatus::Shipped).await,
            ));
            reload += 1;
        });
    };
    let current = c.delivery.carrier.map(Carrier::code).unwrap_or("");

    rsx! {
        section { class: "card", id: "order-delivery",
            h2 { {l.pick("Doprava", "Delivery")} }
            match c.delivery.carrier {
                None => rsx! { p { class: "muted", {l.pick("Dopravce zatím není zadán.", "No carrier yet.")} } },
                Some(carrier) => rsx! {
                    p {
                        span { class: "strong", id: "carrier", {carrier.label(l)} }
                        if !c.delivery.number.is_empty() {
                            " · "
                            a { id: "tracking-link", href: "{tracking_url}", target: "_blank", rel: "noopener noreferrer", "{c.delivery.number}" }
                        }
                    }
                },
            }
            if offer_shipped {
                p { button { class: "btn btn-primary", id: "mark-shipped", onclick: ship, {l.pick("→ Odesláno (předáno dopravci)", "→ Shipped (handed to the carrier)")} } }
            }
            form { class: "inline-form", id: "delivery-form", onsubmit: save,
                select { name: "carrier", value: "{current}",
                    option { value: "", {l.pick("— bez dopravce —", "— no carrier —")} }
                    for carrier in Carrier::ALL {
                        option { key: "{carrier.code()}", value: carrier.code(), selected: carrier.code() == current, {carrier.label(l)} }
                    }
                }
                input { name: "tracking", placeholder: l.pick("Číslo zásilky", "Tracking number"), value: "{c.delivery.number}", maxlength: "40" }
                button { class: "btn", r#type: "submit", {l.pick("Uložit dopravu", "Save delivery")} }
            }
            h2 { class: "subhead", {l.pick("Stránka objednávky pro zákazníka", "The order's page for the customer")} }
            match &public_url {
                Some(url) => rsx! {
                    p { a { id: "public-link", href: "{url}", target: "_blank", rel: "noopener", "{url}" } }
                },
                None => rsx! { p { class: "muted", id: "no-public-link", {l.pick("Odkaz není vydaný.", "No link is issued.")} } },
            }
            if may_manage_link(role) {
                div { class: "inline-form",
                    button { class: "btn btn-small", id: "issue-link", onclick: issue_link,
                        if public_url.is_some() { {l.pick("Vydat nový odkaz (starý přestane platit)", "Issue a new link (the old one stops working)")} } else { {l.pick("Vydat odkaz", "Issue a link")} }
                    }
                    if public_url.is_some() {
                        button { class: "btn btn-small", id: "revoke-link", onclick: revoke_link, {l.pick("Zrušit odkaz", "Revoke the link")} }
                    }
                }
            }
        }
    }
}
