//! The Till page's forms: opening the shift, a sale, a voucher, a refund of a
//! receipt (on its row) and closing the shift. Each re-checks the user on the
//! hub and goes through `till/service.rs`.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Money, StoreId};

use crate::money::till::service::{self, Clerk, Sale, TillError};
use crate::money::till::store::Goods;
use crate::money::till::{Entry, EntryKind};
use crate::office::live::Ctx;
use crate::office::ui::{Notice, datetime};
use crate::store::Actor;

/// The clerk as they are now, or the notice why not.
async fn clerk(ctx: &Ctx) -> Result<Clerk, Notice> {
    ctx.authorize_user(ctx.page)
        .await
        .map(|user| Clerk::of(&user, Actor::user(&user)))
        .map_err(Notice::Err)
}

fn failed(e: &TillError) -> Notice {
    Notice::err(e.text(Lang::Cs), e.text(Lang::En))
}

/// An amount typed, empty as zero; the notice when it is not a number.
fn amount(text: &str) -> Result<Money, Notice> {
    if text.trim().is_empty() {
        return Ok(Money::ZERO);
    }
    Money::parse(text).map_err(|_| Notice::err("Částka není číslo.", "The amount is not a number."))
}

#[component]
pub fn OpenForm(shop: StoreId, on_done: EventHandler<Notice>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut float = use_signal(String::new);
    let submit = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let outcome = async {
                let clerk = clerk(&ctx).await?;
                let float = amount(&float())?;
                service::open(ctx.state.store.as_ref(), &clerk, shop, float)
                    .await
                    .map_err(|e| failed(&e))?;
                Ok::<_, Notice>(Notice::ok("Směna otevřena.", "Shift opened."))
            };
            on_done.call(outcome.await.unwrap_or_else(|n| n));
        });
    };
    rsx! {
        div { class: "inline-form",
            label { class: "field", span { {l.pick("Počáteční hotovost v pokladně", "Float in the drawer")} }
                input { id: "till-float", inputmode: "decimal", value: "{float}", oninput: move |e| float.set(e.value()) }
            }
            button { class: "btn btn-primary", id: "till-open", onclick: submit, {l.pick("Otevřít směnu", "Open the shift")} }
        }
    }
}

/// How a sale is paid.
#[derive(Clone, Copy, PartialEq)]
enum Pay {
    Cash,
    Card,
    Split,
}

#[component]
pub fn SaleForm(shop: StoreId, goods: Vec<Goods>, on_done: EventHandler<Notice>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut vs = use_signal(String::new);
    let mut order_amount = use_signal(String::new);
    let mut cart = use_signal(Vec::<(Goods, i64)>::new);
    let mut pick = use_signal(String::new);
    let mut quantity = use_signal(|| "1".to_owned());
    let mut pay = use_signal(|| Pay::Cash);
    let mut card = use_signal(String::new);
    let choices = goods.clone();
    let add = move |_| {
        let Some(g) = choices.iter().find(|g| g.sku == pick()) else {
            return;
        };
        let q = quantity().trim().parse::<i64>().unwrap_or(1).max(1);
        cart.write().push((g.clone(), q));
    };
    let total: Money = cart()
        .iter()
        .map(|(g, q)| Money::from_haler(g.price.haler() * q))
        .sum();
    let submit = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let outcome = async {
                let clerk = clerk(&ctx).await?;
                let by_vs = !vs().trim().is_empty();
                let sale_amount = if by_vs && !order_amount().trim().is_empty() {
                    Some(amount(&order_amount())?)
                } else {
                    None
                };
                let items: Vec<(String, i64)> =
                    cart().iter().map(|(g, q)| (g.sku.clone(), *q)).collect();
                let store = ctx.state.store.as_ref();
                let sale = Sale {
                    vs: by_vs.then(|| vs.read().clone()),
                    amount: sale_amount,
                    items,
                    card: if pay() == Pay::Split {
                        amount(&card())?
                    } else {
                        Money::ZERO
                    },
                    all_by_card: pay() == Pay::Card,
                };
                let receipt = service::sell(store, &clerk, shop, &sale)
                    .await
                    .map_err(|e| failed(&e))?;
                service::announce(&ctx.state, &receipt).await;
                cart.set(Vec::new());
                vs.set(String::new());
                order_amount.set(String::new());
                Ok::<_, Notice>(Notice::ok(
                    format!(
                        "Prodáno: účtenka {} na {}.",
                        receipt.number,
                        receipt.total.format(Lang::Cs)
                    ),
                    format!(
                        "Sold: receipt {} for {}.",
                        receipt.number,
                        receipt.total.format(Lang::En)
                    ),
                ))
            };
            on_done.call(outcome.await.unwrap_or_else(|n| n));
        });
    };
    rsx! {
        section { class: "card", id: "till-sale",
            h2 { {l.pick("Prodej", "Sale")} }
            div { class: "inline-form",
                label { class: "field", span { {l.pick("Platba objednávky – VS", "An order's payment – VS")} }
                    input { id: "till-vs", value: "{vs}", oninput: move |e| vs.set(e.value()) }
                }
                label { class: "field", span { {l.pick("Částka (prázdné: co zbývá)", "Amount (empty: what is left)")} }
                    input { id: "till-order-amount", inputmode: "decimal", value: "{order_amount}", oninput: move |e| order_amount.set(e.value()) }
                }
            }
            p { class: "muted", {l.pick("…nebo zboží ze skladu prodejny:", "…or goods from the shop's stock:")} }
            div { class: "inline-form",
                select { id: "till-goods", onchange: move |e| pick.set(e.value()),
                    option { value: "", {l.pick("Vyberte zboží", "Choose goods")} }
                    for g in goods.iter() {
                        option { key: "{g.sku}", value: "{g.sku}",
                            {format!("{} {} – {} ({} ks)", g.sku, g.name, g.price.format(l), g.available.unwrap_or(0))} }
                    }
                }
                input { id: "till-quantity", class: "narrow", inputmode: "numeric", value: "{quantity}", oninput: move |e| quantity.set(e.value()) }
                button { class: "btn btn-primary", id: "till-add", onclick: add, {l.pick("Přidat", "Add")} }
            }
            if !cart().is_empty() {
                ul { id: "till-cart",
                    for (i, (g, q)) in cart().into_iter().enumerate() {
                        li { key: "{i}", {format!("{q} × {} {} = {}", g.sku, g.name, Money::from_haler(g.price.haler() * q).format(l))} }
                    }
                }
                p { strong { id: "till-total", {format!("{} {}", l.pick("Celkem", "Total"), total.format(l))} } }
            }
            div { class: "inline-form",
                select { id: "till-pay", onchange: move |e| pay.set(match e.value().as_str() { "card" => Pay::Card, "split" => Pay::Split, _ => Pay::Cash }),
                    option { value: "cash", {l.pick("Hotově", "Cash")} }
                    option { value: "card", {l.pick("Kartou", "Card")} }
                    option { value: "split", {l.pick("Část kartou", "Part by card")} }
                }
                if pay() == Pay::Split {
                    input { id: "till-card", placeholder: l.pick("Kartou", "By card"), inputmode: "decimal", value: "{card}", oninput: move |e| card.set(e.value()) }
                }
                button { class: "btn btn-primary", id: "till-sell", onclick: submit, {l.pick("Prodat", "Sell")} }
            }
        }
    }
}

#[component]
pub fn VoucherForm(shop: StoreId, on_done: EventHandler<Notice>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut out = use_signal(|| false);
    let mut value = use_signal(String::new);
    let mut why = use_signal(String::new);
    let submit = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let outcome = async {
                let clerk = clerk(&ctx).await?;
                let a = amount(&value())?;
                let e = service::voucher(ctx.state.store.as_ref(), &clerk, shop, out(), a, &why())
                    .await
                    .map_err(|e| failed(&e))?;
                value.set(String::new());
                why.set(String::new());
                Ok::<_, Notice>(Notice::ok(
                    format!("Doklad {} uložen.", e.number),
                    format!("Voucher {} saved.", e.number),
                ))
            };
            on_done.call(outcome.await.unwrap_or_else(|n| n));
        });
    };
    rsx! {
        section { class: "card", id: "till-voucher",
            h2 { {l.pick("Vklad a výběr hotovosti", "Cash in and out")} }
            div { class: "inline-form",
                select { id: "voucher-kind", onchange: move |e| out.set(e.value() == "out"),
                    option { value: "in", {l.pick("Vklad do pokladny", "Cash in")} }
                    option { value: "out", {l.pick("Výběr z pokladny", "Cash out")} }
                }
                input { id: "voucher-amount", placeholder: l.pick("Částka", "Amount"), inputmode: "decimal", value: "{value}", oninput: move |e| value.set(e.value()) }
                input { id: "voucher-reason", placeholder: l.pick("Důvod", "Reason"), value: "{why}", oninput: move |e| why.set(e.value()) }
                button { class: "btn btn-primary", id: "voucher-save", onclick: submit, {l.pick("Uložit doklad", "Save the voucher")} }
            }
        }
    }
}

/// One document of the shift, with its printout and, for a sale, a refund.
#[component]
pub fn EntryRow(entry: Entry, work: bool, on_done: EventHandler<Notice>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut value = use_signal(|| entry.refundable().to_decimal_string());
    let mut why = use_signal(String::new);
    let mut by_card = use_signal(|| false);
    let id = entry.id;
    let refund = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let outcome = async {
                let clerk = clerk(&ctx).await?;
                let a = amount(&value())?;
                let card = if by_card() { a } else { Money::ZERO };
                let e = service::refund(ctx.state.store.as_ref(), &clerk, id, a, card, &why())
                    .await
                    .map_err(|e| failed(&e))?;
                service::announce(&ctx.state, &e).await;
                Ok::<_, Notice>(Notice::ok(
                    format!(
                        "Vráceno {} (doklad {}).",
                        (-e.total).format(Lang::Cs),
                        e.number
                    ),
                    format!(
                        "Refunded {} (document {}).",
                        (-e.total).format(Lang::En),
                        e.number
                    ),
                ))
            };
            on_done.call(outcome.await.unwrap_or_else(|n| n));
        });
    };
    let what = match (&entry.order_vs, entry.lines.first()) {
        (Some(vs), _) => format!("VS {vs}"),
        (None, Some(first)) if entry.kind == EntryKind::Sale && entry.lines.len() > 1 => {
            format!("{} (+{})", first.line.text, entry.lines.len() - 1)
        }
        (None, Some(first)) if entry.kind == EntryKind::Sale => first.line.text.clone(),
        _ => entry.note.clone(),
    };
    rsx! {
        tr { class: "till-entry kind-{entry.kind.code()}", "data-number": "{entry.number}",
            td { a { class: "mono receipt-pdf", href: "/office/till/entries/{entry.id}/pdf", target: "_blank", "{entry.number}" } }
            td { {entry.kind.label(l)} }
            td { class: "nowrap", {datetime(entry.at)} }
            td { "{what}" }
            td { class: "num", {entry.cash.format(l)} }
            td { class: "num", {entry.card.format(l)} }
            td { class: "num", {entry.total.format(l)} }
            td {
                if work && entry.refundable().haler() > 0 {
                    details { class: "refund",
                        summary { class: "btn btn-small", {l.pick("Vrátit", "Refund")} }
                        div { class: "inline-form",
                            input { class: "refund-amount", inputmode: "decimal", value: "{value}", oninput: move |e| value.set(e.value()) }
                            input { class: "refund-reason", placeholder: l.pick("Důvod", "Reason"), value: "{why}", oninput: move |e| why.set(e.value()) }
                            label { class: "check", input { r#type: "checkbox", class: "refund-card", checked: by_card(), onchange: move |e| by_card.set(e.checked()) }
                                {l.pick(" na kartu", " to the card")} }
                            button { class: "btn btn-small refund-submit", onclick: refund, {l.pick("Vrátit peníze", "Give the money back")} }
                        }
                    }
                }
            }
        }
    }
}

#[component]
pub fn CloseForm(shop: StoreId, expected: Money, on_done: EventHandler<Notice>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut counted = use_signal(String::new);
    let mut note = use_signal(String::new);
    let submit = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let outcome = async {
                let clerk = clerk(&ctx).await?;
                if counted().trim().is_empty() {
                    return Err(Notice::err(
                        "Zadejte napočítanou hotovost.",
                        "Enter the cash counted.",
                    ));
                }
                let c = amount(&counted())?;
                let z = service::close(ctx.state.store.as_ref(), &clerk, shop, c, &note())
                    .await
                    .map_err(|e| failed(&e))?;
                let d = z.shift.difference.unwrap_or_default();
                Ok::<_, Notice>(Notice::ok(
                    format!("Směna uzavřena; rozdíl {}.", d.format(Lang::Cs)),
                    format!("Shift closed; difference {}.", d.format(Lang::En)),
                ))
            };
            on_done.call(outcome.await.unwrap_or_else(|n| n));
        });
    };
    rsx! {
        section { class: "card", id: "till-close",
            h2 { {l.pick("Uzávěrka", "Daily close")} }
            p { class: "muted", {format!("{} {}", l.pick("V pokladně má být", "The drawer should hold"), expected.format(l))} }
            div { class: "inline-form",
                label { class: "field", span { {l.pick("Napočítaná hotovost", "Cash counted")} }
                    input { id: "till-counted", inputmode: "decimal", value: "{counted}", oninput: move |e| counted.set(e.value()) }
                }
                input { id: "till-close-note", placeholder: l.pick("Poznámka (rozdíl…)", "Note (difference…)"), value: "{note}", oninput: move |e| note.set(e.value()) }
                button { class: "btn btn-primary", id: "till-close-submit", onclick: submit, {l.pick("Uzavřít směnu", "Close the shift")} }
            }
        }
    }
}
