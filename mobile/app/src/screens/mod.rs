//! The app's screens and the tab bar that moves between them.

pub(crate) mod case;
pub mod clients;
pub(crate) mod commission;
pub(crate) mod custom;
pub(crate) mod enrol;
pub(crate) mod inbox;
pub(crate) mod order;
pub(crate) mod order_detail;
pub(crate) mod order_info;
pub(crate) mod order_moves;
pub(crate) mod rx;
pub(crate) mod settings;
pub(crate) mod status;
pub(crate) mod today;

use dioxus::prelude::*;
use fieldcase_shared::{ClientId, Lang};

use crate::ui::t;
use crate::{Phone, Revision};

/// Where the adviser is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Planned visits, tasks and reminders.
    Today,
    /// The client list.
    Clients,
    /// One client.
    Client(ClientId),
    /// New client (`None`) or editing one.
    EditClient(Option<ClientId>),
    /// A new prescription for the client.
    Prescription(ClientId),
    /// A new glasses order for the client.
    NewOrder(ClientId),
    /// One order (its id), with the QR code to pay.
    Order(String),
    /// The sample case.
    Case,
    /// Commission and payouts.
    Commission,
    /// Notifications and rejections.
    Inbox,
    /// Language, about, diagnostics, logout.
    Settings,
}

impl Screen {
    /// The tab a screen belongs to.
    fn tab(&self) -> Screen {
        match self {
            Screen::Client(_)
            | Screen::EditClient(_)
            | Screen::Prescription(_)
            | Screen::NewOrder(_)
            | Screen::Order(_) => Screen::Clients,
            other => other.clone(),
        }
    }
}

/// The screen's content.
pub(crate) fn render(screen: Screen, on_wiped: EventHandler<bool>) -> Element {
    match screen {
        Screen::Today => rsx! { today::Today {} },
        Screen::Clients => rsx! { clients::Clients {} },
        Screen::Client(id) => rsx! { clients::ClientDetail { id } },
        Screen::EditClient(id) => rsx! { clients::EditClient { id } },
        Screen::Prescription(client) => rsx! { rx::NewPrescription { client } },
        Screen::NewOrder(client) => rsx! { order::NewOrder { client } },
        Screen::Order(id) => rsx! { order_detail::OrderDetail { id } },
        Screen::Case => rsx! { case::SampleCase {} },
        Screen::Commission => rsx! { commission::CommissionScreen {} },
        Screen::Inbox => rsx! { inbox::Inbox {} },
        Screen::Settings => rsx! { settings::Settings { on_wiped } },
    }
}

/// The tab bar at the bottom; the inbox tab shows how many entries are unread.
#[component]
pub(crate) fn TabBar() -> Element {
    let phone = use_context::<Phone>();
    let lang = use_context::<Signal<Lang>>();
    let mut screen = use_context::<Signal<Screen>>();
    let revision = use_context::<Revision>();
    let _ = (revision.0)();
    let l = lang();
    let unread = phone
        .device()
        .map(|d| d.inbox().iter().filter(|(_, e)| !e.read).count())
        .unwrap_or(0);
    let here = screen().tab();
    let tabs = [
        (Screen::Today, "tab-today", t(l, "Dnes", "Today")),
        (Screen::Clients, "tab-clients", t(l, "Klienti", "Clients")),
        (Screen::Case, "tab-case", t(l, "Kufr", "Case")),
        (
            Screen::Commission,
            "tab-commission",
            t(l, "Provize", "Earnings"),
        ),
        (Screen::Inbox, "tab-inbox", t(l, "Zprávy", "Inbox")),
        (
            Screen::Settings,
            "tab-settings",
            t(l, "Nastavení", "Settings"),
        ),
    ];
    rsx! {
        div { class: "tabs",
            nav {
                for (target, id, label) in tabs {
                    button {
                        id,
                        class: if here == target { "here" } else { "" },
                        onclick: move |_| screen.set(target.clone()),
                        span { "{label}" }
                        if id == "tab-inbox" && unread > 0 {
                            span { class: "badge", "{unread}" }
                        }
                    }
                }
            }
        }
    }
}
