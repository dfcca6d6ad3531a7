//! The demo's notifications: Czech templates of status changes for e-mail, SMS
//! and push, and triggers for "ready for pickup" (all three), "shipped" (e-mail,
//! push) and "cancelled" (push: the adviser's phone is told); a payment matched
//! (e-mail), an invoice issued (e-mail with the PDF), a complaint received
//! (e-mail) and decided (e-mail with the protocol, SMS), commission
//! accrued and a payout decided (push); eye-exam bookings (requested, approved
//! with the `.ics`, proposed, cancelled, the day-before reminder; e-mail, SMS;
//! in English too for a booking asked for on the English page). The seeded past is not news: events written while seeding are
//! closed without messages.

use fieldcase_shared::{Lang, Role};

use crate::care::edit::{set_event_template, set_event_trigger, set_template, set_trigger};
use crate::care::rules::{
    BOOKING_APPROVED, BOOKING_CANCELLED, BOOKING_PROPOSED, BOOKING_REMINDED, BOOKING_REQUESTED,
    COMMISSION_ACCRUED, COMPLAINT_DECIDED, COMPLAINT_OPENED, Channel, INVOICE_ISSUED,
    PAYMENT_MATCHED, PAYOUT_DECIDED,
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
        (
            INVOICE_ISSUED,
            Channel::Email,
            "Faktura {invoice_number} k zakázce {order_vs}",
            "Dobrý den, {customer_name},\n\nv příloze posíláme fakturu {invoice_number} k zakázce {order_vs} na {total}.\n\nS pozdravem\n{shop_name}",
        ),
        (
            BOOKING_REQUESTED,
            Channel::Email,
            "Žádost o vyšetření zraku {booking_time}",
            "Dobrý den, {customer_name},\n\nděkujeme za žádost o vyšetření zraku {booking_time} ({shop_name}). Jakmile ji prodejna potvrdí, dáme vám vědět.\n\nZrušit nebo změnit termín můžete na {booking_link}\n\nS pozdravem\n{shop_name}",
        ),
        (
            BOOKING_APPROVED,
            Channel::Email,
            "Vyšetření zraku potvrzeno: {booking_time}",
            "Dobrý den, {customer_name},\n\nvaše vyšetření zraku je potvrzeno: {booking_time}, {booking_place}. Termín si uložte do kalendáře z přílohy.\n\nZrušit nebo změnit termín můžete na {booking_link}\n\nS pozdravem\n{shop_name}",
        ),
        (
            BOOKING_APPROVED,
            Channel::Sms,
            "",
            "Vysetreni zraku potvrzeno: {booking_time}, {booking_place}. Zmena: {booking_link}",
        ),
        (
            BOOKING_PROPOSED,
            Channel::Email,
            "Navrhujeme jiný termín vyšetření: {booking_time}",
            "Dobrý den, {customer_name},\n\nv požadovaný čas to nestihneme; navrhujeme {booking_time}, {booking_place}. Potvrdit, vybrat jiný termín nebo zrušit můžete na {booking_link}\n\nS pozdravem\n{shop_name}",
        ),
        (
            BOOKING_CANCELLED,
            Channel::Email,
            "Vyšetření zraku zrušeno",
            "Dobrý den, {customer_name},\n\nvyšetření zraku {booking_time} je zrušeno. Nový termín si můžete vybrat kdykoli.\n\nS pozdravem\n{shop_name}",
        ),
        (
            BOOKING_REMINDED,
            Channel::Email,
            "Zítra: vyšetření zraku {booking_time}",
            "Dobrý den, {customer_name},\n\npřipomínáme zítřejší vyšetření zraku {booking_time}, {booking_place}.\n\nZrušit nebo změnit termín můžete na {booking_link}\n\nS pozdravem\n{shop_name}",
        ),
        (
            BOOKING_REMINDED,
            Channel::Sms,
            "",
            "Zitra vysetreni zraku {booking_time}, {booking_place}. {shop_name}",
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
    // English e-mails of the bookings (a booking asked for on the English page).
    for (kind, subject, body) in [
        (
            BOOKING_REQUESTED,
            "Your eye exam request: {booking_time}",
            "Hello {customer_name},\n\nthank you for asking for an eye exam at {booking_time} ({shop_name}). We will let you know once the store approves it.\n\nTo cancel or change the time: {booking_link}\n\n{shop_name}",
        ),
        (
            BOOKING_APPROVED,
            "Eye exam confirmed: {booking_time}",
            "Hello {customer_name},\n\nyour eye exam is confirmed: {booking_time}, {booking_place}. The attached file puts it in your calendar.\n\nTo cancel or change the time: {booking_link}\n\n{shop_name}",
        ),
        (
            BOOKING_REMINDED,
            "Tomorrow: your eye exam at {booking_time}",
            "Hello {customer_name},\n\na reminder of your eye exam tomorrow, {booking_time}, {booking_place}.\n\nTo cancel or change the time: {booking_link}\n\n{shop_name}",
        ),
    ] {
        set_event_template(
            store,
            actor,
            Role::Admin,
            kind,
            Channel::Email,
            Lang::En,
            subject,
            body,
        )
        .await
        .map_err(fail)?;
    }
    Ok(())
}
