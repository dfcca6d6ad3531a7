//! The status bar, always visible: online or not, last sync, changes waiting,
//! rejections. "Připojit" dials the hub at once (sync on demand, the phone's pull
//! to refresh); "Offline" stops syncing.

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use crate::screens::Screen;
use crate::ui::{since, t};
use crate::{Phone, Revision};

#[component]
pub(crate) fn StatusBar() -> Element {
    let phone = use_context::<Phone>();
    let lang = use_context::<Signal<Lang>>();
    let mut screen = use_context::<Signal<Screen>>();
    let revision = use_context::<Revision>();
    // Data changes arrive through the revision; whether the socket is up is looked
    // at every two seconds (connecting makes no data change to wake us).
    let mut tick = use_signal(|| 0u64);
    use_future(move || async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            tick += 1;
        }
    });
    // The device is looked up on every run: the app replaces it when the hub
    // rewrites the workspace (GDPR erasure).
    let current = phone.clone();
    let status = use_resource(move || {
        let device = current.device();
        let _ = ((revision.0)(), tick());
        async move {
            match device {
                Some(d) => d.sync_status().await.ok(),
                None => None,
            }
        }
    });
    let l = lang();
    let Some(Some(s)) = status.read().clone() else {
        return rsx! { div { class: "status", "…" } };
    };
    let last = since(l, s.last_sync.as_deref());
    let toggle_phone = phone.clone();
    let connected = s.connected;
    rsx! {
        div { class: "status", id: "status",
            span { class: "state",
                span { class: if connected { "dot on" } else { "dot off" } }
                {if connected { t(l, "Online", "Online") } else { t(l, "Offline", "Offline") }}
            }
            span { class: "pending", "{t(l, \"Čeká\", \"Waiting\")}: {s.pending_changes}" }
            span { class: "last", "{t(l, \"Synchronizace\", \"Synced\")}: {last}" }
            if s.rejections > 0 {
                button { class: "rejections", onclick: move |_| screen.set(Screen::Inbox),
                    "{t(l, \"Zamítnuto\", \"Rejected\")}: {s.rejections}"
                }
            }
            span { class: "actions",
                button {
                    id: "toggle-online",
                    onclick: move |_| {
                        if let Some(d) = toggle_phone.device() {
                            if connected {
                                d.go_offline();
                            } else if let Err(err) = d.go_online() {
                                tracing::warn!(%err, "going online");
                            }
                        }
                        revision.bump();
                    },
                    {if connected { t(l, "Offline", "Go offline") } else { t(l, "Připojit", "Go online") }}
                }
            }
        }
    }
}
