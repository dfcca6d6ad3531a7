//! Inbox: notifications, office notes, and rejected changes with the reason and a
//! way to the record to fix and resubmit it.

use dioxus::prelude::*;

use crate::screens::Screen;
use crate::ui::{Ctx, date_of, t, use_ctx};

/// The screen where the record an entry is about can be fixed.
fn target(about: &str) -> Option<Screen> {
    let (map, id) = about.split_once('/')?;
    Some(match map {
        "orders" => Screen::Order(id.to_owned()),
        "clients" => Screen::EditClient(Some(id.parse().ok()?)),
        "case_movements" => Screen::Case,
        "payout_requests" | "commission" => Screen::Commission,
        "visits" => Screen::Today,
        "prescriptions" => Screen::Clients,
        _ => return None,
    })
}

#[component]
pub(crate) fn Inbox() -> Element {
    let Ctx {
        phone,
        mut screen,
        revision,
        l,
        ..
    } = use_ctx();
    let shared = use_hook(|| CopyValue::new(phone.clone()));
    let entries = phone.device().map(|d| d.inbox()).unwrap_or_default();
    let mut open = move |id: String, read: bool, to: Option<Screen>| {
        if !read && let Some(device) = shared.read().device() {
            spawn(async move {
                if let Err(err) = device.mark_read(&id).await {
                    tracing::warn!(%err, "marking an inbox entry read");
                }
                revision.bump();
            });
        }
        if let Some(to) = to {
            screen.set(to);
        }
    };
    rsx! {
        h1 { {t(l, "Zprávy", "Inbox")} }
        div { class: "list", id: "inbox",
            if entries.is_empty() {
                p { class: "empty", {t(l, "Žádné zprávy.", "No messages.")} }
            }
            for (id, e) in entries {
                div {
                    key: "{id}",
                    class: format!("item {} {}", if e.read { "" } else { "unread" }, if e.kind == "rejection" { "bad" } else { "" }),
                    "data-kind": "{e.kind}",
                    div { class: "name",
                        {match e.kind.as_str() {
                            "rejection" => t(l, "Zamítnuto", "Rejected"),
                            "note" => t(l, "Vzkaz z kanceláře", "Note from the office"),
                            _ => t(l, "Oznámení", "Notification"),
                        }}
                        " · {date_of(l, &e.at)}"
                    }
                    div { class: "text", "{l.pick(&e.text_cs, &e.text_en)}" }
                    div { class: "row",
                        if let Some(to) = target(&e.about) {
                            button { class: "fix",
                                onclick: { let (id, to) = (id.clone(), to.clone()); move |_| open(id.clone(), e.read, Some(to.clone())) },
                                {if e.kind == "rejection" { t(l, "Opravit", "Fix") } else { t(l, "Otevřít", "Open") }}
                            }
                        }
                        if !e.read {
                            button { class: "secondary",
                                onclick: { let id = id.clone(); move |_| open(id.clone(), false, None) },
                                {t(l, "Přečteno", "Mark read")}
                            }
                        }
                    }
                }
            }
        }
    }
}
