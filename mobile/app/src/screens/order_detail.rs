//! An order's detail on the phone: its lines, totals and status, and the QR code
//! the client pays what is left with.

use dioxus::prelude::*;
use fieldcase_shared::docs::records::{ORDERS, SKIPPED_VARIABLE_SYMBOL_TAKEN, skipped_inbox_id};
use fieldcase_shared::order::payment::Payment;
use fieldcase_shared::spayd::Spayd;
use fieldcase_shared::{ClientId, Money, OrderId, OrderStatus};

use crate::screens::Screen;
use crate::ui::{Ctx, money, t, use_ctx};

/// The QR payment code as SVG, if it can be made.
fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .build(),
    )
}

/// One order: lines, totals, status, and the QR code for what is left to pay.
#[component]
pub(crate) fn OrderDetail(id: String) -> Element {
    let Ctx {
        phone,
        mut screen,
        revision,
        l,
        ..
    } = use_ctx();
    let Some(device) = phone.device() else {
        return rsx! {};
    };
    let Some((_, order)) = device.orders().into_iter().find(|(oid, _)| *oid == id) else {
        return rsx! { p { class: "empty", {t(l, "Zakázka nenalezena.", "Order not found.")} } };
    };
    let sum = order.total();
    // The office's bank payments come in the order's information from the hub.
    let settled = device.order_info(&id).map(|i| i.settled).unwrap_or(0);
    let payment = Payment {
        total: Money::from_haler(sum),
        deposit: Money::from_haler(order.deposit),
        settled: Money::from_haler(settled),
    };
    let paid_state = payment.state();
    let to_pay = payment.left().haler();
    let payee = device.payee();
    let spayd = payee.as_ref().and_then(|p| {
        Spayd {
            iban: p.iban.clone(),
            amount: Money::from_haler(to_pay),
            variable_symbol: order.variable_symbol.clone(),
            recipient: p.name.clone(),
            message: format!("Objednavka {}", order.variable_symbol),
        }
        .text()
        .ok()
    });
    let svg = spayd.as_deref().and_then(qr_svg);
    let status = order
        .status
        .parse::<OrderStatus>()
        .map(|s| s.label(l).to_owned())
        .unwrap_or(order.status.clone());
    let problems = device.inbox_about(&format!("orders/{id}"));
    let client: Option<ClientId> = order.client.parse().ok();
    let fix_device = device.clone();
    let fix_id = id.clone();
    let new_vs = device.next_variable_symbol();
    rsx! {
        h1 { {t(l, "Zakázka", "Order")} " " span { id: "detail-vs", "{order.variable_symbol}" } }
        dl {
            dt { {t(l, "Stav", "Status")} } dd { id: "order-status", "{status}" }
            dt { {t(l, "Celkem", "Total")} } dd { class: "money", "{money(l, sum)}" }
            if !order.coupon.is_empty() {
                dt { {t(l, "Kupón", "Coupon")} }
                dd { id: "order-coupon", "{order.coupon} (−{money(l, order.coupon_discount)})"
                    if let Some(m) = device.coupon_message(&order.coupon) {
                        div { class: "meta", id: "order-coupon-message", "{m}" }
                    }
                }
            }
            dt { {t(l, "Záloha", "Deposit")} } dd { class: "money", "{money(l, order.deposit)}" }
            if settled != 0 {
                dt { {t(l, "Zaplaceno převodem", "Paid by transfer")} } dd { class: "money", id: "order-settled", "{money(l, settled)}" }
            }
            dt { {t(l, "Platba", "Payment")} } dd { id: "paid-state", class: "paid-{paid_state.code()}", {paid_state.label(l)} }
            dt { {t(l, "Zbývá zaplatit", "Left to pay")} } dd { class: "money big", id: "to-pay", "{money(l, to_pay)}" }
            super::custom::CustomValues { rows: fieldcase_shared::custom_field::shown(
                &device.custom_fields(fieldcase_shared::custom_field::Entity::Order),
                &order.custom,
                l,
            ) }
        }
        crate::screens::order_moves::OrderMoves { id: id.clone(), status: order.status.clone() }
        // What the hub decided about the order: problems, and news (a coupon
        // honoured although the order came late).
        for (pid, p) in problems.iter() {
            if p.kind == "rejection" {
                div { class: "warning order-news", key: "{pid}", role: "alert",
                    "{l.pick(&p.text_cs, &p.text_en)}"
                }
            } else {
                p { class: "hint order-news", key: "{pid}", "{l.pick(&p.text_cs, &p.text_en)}" }
            }
        }
        if problems.iter().any(|(pid, _)| *pid == skipped_inbox_id(ORDERS, SKIPPED_VARIABLE_SYMBOL_TAKEN, &id)) {
            div { class: "row", style: "padding:0 12px",
                button { id: "new-vs",
                    onclick: move |_| {
                        let (device, key, vs) = (fix_device.clone(), fix_id.clone(), new_vs.clone());
                        spawn(async move {
                            if let Ok(oid) = key.parse::<OrderId>()
                                && let Err(err) = device.update_order(oid, |o| o.variable_symbol = vs).await
                            {
                                    tracing::warn!(%err, "assigning a new variable symbol");
                            }
                            revision.bump();
                        });
                    },
                    {t(l, "Přidělit nový variabilní symbol a odeslat znovu", "Assign a new variable symbol and resubmit")}
                }
            }
        }
        if to_pay > 0 {
            h2 { {t(l, "Zaplatit QR kódem", "Pay by QR code")} }
            if let Some(svg) = svg {
                div { class: "qr", id: "qr", "data-spayd": spayd.clone().unwrap_or_default(), dangerous_inner_html: "{svg}" }
                p { class: "meta", style: "padding:0 12px",
                    {t(l, "Klient naskenuje kód v bankovní aplikaci; platba se spáruje podle variabilního symbolu.",
                       "The client scans the code in their banking app; the payment is matched by the variable symbol.")}
                }
            } else {
                p { class: "warning", {t(l, "QR platba není k dispozici: centrála zatím nenastavila účet pro platby (nebo ještě nedorazil synchronizací). Klient může zaplatit převodem s variabilním symbolem.",
                    "No QR payment: the office has not set up the payment account (or it has not arrived by sync yet). The client can pay by transfer with the variable symbol.")} }
            }
        }
        crate::screens::order_info::OrderInfo { id: id.clone() }
        h2 { {t(l, "Položky", "Lines")} }
        div { class: "section",
            table {
                for line in order.lines.iter() {
                    tr { key: "{line.id}",
                        td { "{line.quantity} × {line.text}" }
                        td { class: "num money", "{money(l, line.total())}" }
                    }
                }
            }
        }
        if let Some(c) = client {
            div { class: "row", style: "padding:0 12px",
                button { class: "secondary", onclick: move |_| screen.set(Screen::Client(c)), {t(l, "Ke klientovi", "To the client")} }
            }
        }
    }
}
