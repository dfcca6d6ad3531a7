//! The demo's notifications: Czech templates of status changes for e-mail, SMS
//! and push, and triggers for "ready for pickup" (all three), "shipped" (e-mail,
//! push) and "cancelled" (push: the adviser's phone is told); a payment matched
//! (e-mail), a complaint received (e-mail) and decided (e-mail, SMS), commission
//! accrued and a payout decided (push). The seeded past is not news: events written while seeding are
//! closed without messages.

use fieldcase_shared::{Lang, Role};

use crate::care::edit::{set_event_template, set_event_trigger, set_template, set_trigger};
use crate::care::rules::{
    COMMISSION_ACCRUED, COMPLAINT_DECIDED, COMPLAINT_OPENED, Channel, PAYMENT_MATCHED,
    PAYOUT_DECIDED,
};
use crate::store::{Actor, Store};

/// Seeds the templates and triggers.
pub async fn seed(store: &dyn Store, actor: &Actor) -> anyhow::Result<()> {
    let fail = |e: crate::care::edit::EditError| {
        anyhow::anyhow!("demo notifications: {}", e.text(Lang::En))
    };
    set_template(
        store,
        actor,
        Role::Admin,
        Channel::Email,
        Lang::Cs,
        "Vaše brýle: zakázka {order_vs} – {status}",
        "Dobrý den, {customer_name},\n\nvaše zakázka {order_vs} je nyní ve stavu: {status}.\nCelková cena {total}, zbývá zaplatit {left_to_pay}.\n\nStav zakázky kdykoli uvidíte na {order_link}\n\nS pozdravem\n{shop_name}",
    )
    .await
    .map_err(fail)?;
    set_template(
        store,
        actor,
        Role::Admin,
        Channel::Sms,
        Lang::Cs,
        "",
        "Zakazka {order_vs}: {status}. {shop_name}",
    )
    .await
    .map_err(fail)?;
    set_template(
        store,
        actor,
        Role::Admin,
        Channel::Push,
        Lang::Cs,
        "Zakázka {order_vs}: {status}",
        "{customer_name} – zakázka {order_vs} je nyní ve stavu: {status}.",
    )
    .await
    .map_err(fail)?;
    for (status, channel) in [
        ("ready_for_pickup", Channel::Email),
        ("ready_for_pickup", Channel::Sms),
        ("ready_for_pickup", Channel::Push),
        ("shipped", Channel::Email),
        ("shipped", Channel::Push),
        ("cancelled", Channel::Push),
    ] {
        set_trigger(store, actor, Role::Admin, status, channel, true)
            .await
            .map_err(fail)?;
    }
    // Money and commission: the customer hears of a payment by e-mail, the
    // adviser's phone of their commission and payouts.
    for (kind, channel, subject, body) in [
        (
            PAYMENT_MATCHED,
            Channel::Email,
            "Platba k zakázce {order_vs} přijata",
            "Dobrý den, {customer_name},\n\nk zakázce {order_vs} jsme přijali platbu {amount}. Zbývá zaplatit {left_to_pay}.\n\nS pozdravem\n{shop_name}",
        ),
        (
            COMPLAINT_OPENED,
            Channel::Email,
            "Reklamace k zakázce {order_vs} přijata",
            "Dobrý den, {customer_name},\n\nvaši reklamaci k zakázce {order_vs} jsme přijali: {reason}\nRozhodneme nejpozději do 30 dnů a dáme vám vědět. Stav uvidíte na {order_link}\n\nS pozdravem\n{shop_name}",
        ),
        (
            COMPLAINT_DECIDED,
            Channel::Email,
            "Reklamace k zakázce {order_vs}: {status}",
            "Dobrý den, {customer_name},\n\no vaší reklamaci k zakázce {order_vs} jsme rozhodli: {status}.\n{reason}\n\nPodrobnosti na {order_link}\n\nS pozdravem\n{shop_name}",
        ),
        (
            COMPLAINT_DECIDED,
            Channel::Sms,
            "",
            "Reklamace {order_vs}: {status}. {shop_name}",
        ),
        (
            COMMISSION_ACCRUED,
            Channel::Push,
            "Provize {amount}",
            "Za zakázku {order_vs} ({customer_name}) se vám připsala provize {amount}.",
        ),
        (
            PAYOUT_DECIDED,
            Channel::Push,
            "Výplata provize: {status}",
            "Vaše žádost o výplatu {amount}: {status}.",
        ),
    ] {
        set_event_template(
            store,
            actor,
            Role::Admin,
            kind,
            channel,
            Lang::Cs,
            subject,
            body,
        )
        .await
        .map_err(fail)?;
        set_event_trigger(store, actor, Role::Admin, kind, "", channel, true)
            .await
            .map_err(fail)?;
    }
    Ok(())
}
