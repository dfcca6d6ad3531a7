//! The order card's notifications: every message planned for the order (e-mail,
//! SMS to the customer, push to the adviser's phones), to whom, its state (waiting, sent, failed with the error, not sent and
//! why) and when; and the customer card's: every e-mail and text message to the
//! customer (their orders', complaints', bookings'). For the staff who deal with
//! customers.

use dioxus::prelude::*;
use fieldcase_shared::{ClientId, Lang, OrderId};

use super::rules::{Channel, skip_reason};
use super::store::Message;
use crate::office::live::Ctx;
use crate::office::ui::datetime;

/// To whom, as staff read it: a push's phone by its name.
pub fn recipient(m: &Message, lang: Lang) -> String {
    if m.channel == Channel::Push.code() {
        let name = if m.device_name.is_empty() {
            "?"
        } else {
            m.device_name.as_str()
        };
        format!("{} {name}", lang.pick("telefon", "phone"))
    } else {
        m.recipient.clone()
    }
}

/// The state's name in `lang`.
pub fn state_label(state: &str, lang: Lang) -> &'static str {
    match state {
        "pending" | "sending" => lang.pick("čeká na odeslání", "waiting"),
        "sent" => lang.pick("odesláno", "sent"),
        "failed" => lang.pick("nepodařilo se", "failed"),
        "skipped" => lang.pick("neposílá se", "not sent"),
        _ => lang.pick("jiný", "other"),
    }
}

/// The messages as a table with the id `id`.
fn messages_table(list: &[Message], l: Lang, id: &str) -> Element {
    rsx! {
        table { class: "table", id: "{id}",
            thead { tr {
                th { {l.pick("Kdy", "When")} } th { {l.pick("Kanál", "Channel")} } th { {l.pick("Komu", "To")} }
                th { {l.pick("Stav", "State")} } th { {l.pick("Text", "Text")} }
            } }
            tbody {
                for m in list.iter() {
                    tr { key: "{m.id}", class: "notification notification-{m.state}", "data-channel": "{m.channel}",
                        td { class: "nowrap", {datetime(m.sent_at.unwrap_or(m.created_at))} }
                        td { {Channel::parse(&m.channel).map_or("?", |c| c.label(l))} }
                        td { class: "mono", {recipient(m, l)} }
                        td { class: "state",
                            {state_label(&m.state, l)}
                            if !m.reason.is_empty() { div { class: "muted small", {skip_reason(&m.reason, l)} } }
                            if m.state != "sent" && !m.last_error.is_empty() { div { class: "muted small", "{m.last_error}" } }
                        }
                        td { class: "small", if !m.subject.is_empty() { strong { "{m.subject}" } br {} } "{m.body}" }
                    }
                }
            }
        }
    }
}

/// The customer card's messages of customer `client`.
#[component]
pub fn CustomerNotifications(client: ClientId) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        async move { store.customer_messages(client, 50).await }
    });
    rsx! {
        section { class: "card", id: "customer-notifications",
            h3 { {l.pick("Zprávy zákazníkovi", "Messages to the customer")} }
            match &*list.read() {
                None => rsx! {},
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Zprávy se nepodařilo načíst.", "Could not load the messages.")} } },
                Some(Ok(list)) if list.is_empty() => rsx! { p { class: "muted", {l.pick("Zatím žádné.", "None yet.")} } },
                Some(Ok(list)) => messages_table(list, l, "customer-notifications-table"),
            }
        }
    }
}

/// The notifications box of order `order` (`reload` refreshes it after a status change).
#[component]
pub fn OrderNotifications(order: OrderId, reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.messages(Some(order), 50).await }
    });
    rsx! {
        section { class: "card", id: "order-notifications",
            h2 { {l.pick("Oznámení zákazníkovi a poradci", "Messages to the customer and the adviser")} }
            match &*list.read() {
                None => rsx! {},
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Oznámení se nepodařilo načíst.", "Could not load the messages.")} } },
                Some(Ok(list)) if list.is_empty() => rsx! { p { class: "muted", id: "order-notifications-none", {l.pick("Zatím žádná.", "None yet.")} } },
                Some(Ok(list)) => messages_table(list, l, "order-notifications-table"),
            }
        }
    }
}
