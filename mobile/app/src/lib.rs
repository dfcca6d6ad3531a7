//! fieldcase-mobile — the adviser's app: screens only. Everything they do goes
//! through `fieldcase-device` (the phone's core), which works offline; the rules
//! come from `fieldcase-shared`.
//!
//! The same components run in the LiveView preview (`fieldcase-mobile preview`), in
//! a desktop window (`fieldcase-mobile window`, feature `desktop`) and on phones
//! (feature `mobile`, built by `dx bundle`).

pub mod diagnostics;
mod screens;
mod ui;

use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use dioxus::prelude::*;
use fieldcase_device::Device;
use fieldcase_shared::{ClientId, Lang};

pub use screens::Screen;
pub use screens::clients::search as search_clients;
use ui::t;

/// What every screen can reach: the data folder and the enrolled device, shared by
/// every window/connection of this app.
#[derive(Clone)]
pub struct Phone {
    /// Where the device keeps its database.
    pub dir: PathBuf,
    /// The device once enrolled (or opened from `dir`).
    pub device: Arc<RwLock<Option<Arc<Device>>>>,
    /// The push token the platform handed out (FCM), registered with the hub after
    /// enrolment.
    pub push_token: Option<(String, String)>,
    /// The screen the app opens on.
    pub start: Screen,
    /// For the cold-start benchmark: print the time since start and exit once the
    /// client list is in the page.
    pub exit_on_client_list: Option<std::time::Instant>,
}

impl PartialEq for Phone {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.device, &other.device)
    }
}

impl Phone {
    /// A phone over `dir`, with `device` if it is enrolled.
    pub fn new(dir: PathBuf, device: Option<Device>) -> Phone {
        Phone {
            dir,
            device: Arc::new(RwLock::new(device.map(Arc::new))),
            push_token: None,
            start: Screen::Today,
            exit_on_client_list: None,
        }
    }

    /// The device, if enrolled.
    pub fn device(&self) -> Option<Arc<Device>> {
        self.device
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set_device(&self, device: Option<Arc<Device>>) {
        *self.device.write().unwrap_or_else(PoisonError::into_inner) = device;
    }

    /// What a push message does: sync now (dial at once if the socket is down).
    pub fn on_push(&self) {
        if let Some(d) = self.device()
            && let Err(err) = d.go_online()
        {
            tracing::warn!(%err, "syncing on a push");
        }
    }

    /// Registers the platform's push token with the hub, if there is one; the app
    /// keeps working when the hub cannot be reached (it tries again next start).
    pub async fn register_push(&self) {
        let (Some(device), Some((platform, token))) = (self.device(), &self.push_token) else {
            return;
        };
        match device.register_push_token(platform, token).await {
            Ok(()) => tracing::info!("push token registered with the hub"),
            Err(err) => tracing::warn!(%err, "registering the push token"),
        }
    }
}

/// The language, kept in the device's folder so it survives restarts and logout.
fn stored_lang(phone: &Phone) -> Lang {
    std::fs::read_to_string(phone.dir.join("language"))
        .ok()
        .and_then(|c| Lang::from_code(c.trim()))
        .unwrap_or(Lang::Cs)
}

/// Bumped whenever the device reports news (sync, confirmation, revocation) or a
/// screen saved something: screens read it to redraw with fresh data.
#[derive(Clone, Copy)]
pub struct Revision(pub Signal<u64>);

impl Revision {
    /// Marks the data changed.
    pub fn bump(mut self) {
        self.0 += 1;
    }
}

/// The app's root.
#[component]
pub fn App(phone: Phone) -> Element {
    let phone = use_context_provider(|| phone);
    let lang = use_context_provider(|| Signal::new(stored_lang(&phone)));
    let screen = use_context_provider(|| Signal::new(phone.start.clone()));
    let _ = screen;
    let mut enrolled = use_signal(|| phone.device().is_some());
    let mut notice = use_signal(|| None::<&'static str>);
    let l = lang();
    let wipe_phone = phone.clone();
    rsx! {
        style { {ui::STYLE} }
        div { class: "app", lang: l.code(),
            if enrolled() {
                Enrolled {
                    on_wiped: move |revoked: bool| {
                        wipe_phone.set_device(None);
                        notice.set(revoked.then_some(t(
                            l,
                            "Kancelář toto zařízení odpojila; data v telefonu byla smazána. Připojte ho znovu novým kódem.",
                            "The office revoked this device; its data was deleted from the phone. Enrol it again with a new code.",
                        )));
                        enrolled.set(false);
                    },
                }
            } else {
                screens::enrol::Enrol {
                    notice: notice(),
                    on_enrolled: move |_| {
                        notice.set(None);
                        enrolled.set(true);
                    },
                }
            }
        }
    }
}

/// Everything after enrolment: status bar, the current screen, the tab bar. Follows
/// the device's updates; wipes the phone when the hub reports it revoked.
#[component]
fn Enrolled(on_wiped: EventHandler<bool>) -> Element {
    let phone = use_context::<Phone>();
    let revision = use_context_provider(|| Revision(Signal::new(0)));
    let screen = use_context::<Signal<Screen>>();
    let follow = phone.clone();
    use_future(move || {
        let phone = follow.clone();
        async move {
            use futures::StreamExt;
            let Some(mut device) = phone.device() else {
                return;
            };
            phone.register_push().await;
            let mut updates = device.updates();
            // Redraw at least every 30 s, so "last sync: 5 min ago" moves on.
            let mut clock = tokio::time::interval(std::time::Duration::from_secs(30));
            loop {
                tokio::select! {
                    news = updates.next() => if news.is_none() { return },
                    _ = clock.tick() => {}
                }
                if device.is_revoked() {
                    if let Err(err) = device.wipe(&phone.dir).await {
                        tracing::error!(%err, "wiping the revoked device");
                    }
                    on_wiped.call(true);
                    return;
                }
                if device.moved_to().is_some() {
                    // The hub rewrote the workspace (a customer's data erased): move
                    // to the new one; a failure reopens the old one, and the hub says
                    // it moved again on the next dial.
                    let next = match device.switch_workspace().await {
                        Ok(next) => Some(next),
                        Err(err) => {
                            tracing::error!(%err, "moving to the rewritten workspace");
                            Device::open(&phone.dir).await.ok().flatten()
                        }
                    };
                    let Some(next) = next else { return };
                    if let Err(err) = next.go_online() {
                        tracing::warn!(%err, "syncing the new workspace");
                    }
                    device = std::sync::Arc::new(next);
                    phone.set_device(Some(device.clone()));
                    updates = device.updates();
                }
                revision.bump();
            }
        }
    });
    let _ = (revision.0)();
    // Pull to refresh: a downward drag of 80 px starting at the top of the page
    // syncs now (dials the hub at once, even after "Offline").
    let mut pull_from = use_signal(|| None::<f64>);
    let mut pulled = use_signal(|| false);
    let pull_phone = phone.clone();
    let lang = use_context::<Signal<Lang>>();
    rsx! {
        screens::status::StatusBar {}
        if pulled() {
            div { class: "pull", id: "pull", role: "status",
                {ui::t(lang(), "Pusťte pro synchronizaci", "Release to sync")}
            }
        }
        main { class: "screen",
            ontouchstart: move |e| {
                let at_top = e.data().touches().first().map(|p| {
                    let (page, client) = (p.page_coordinates().y, p.client_coordinates().y);
                    ((page - client).abs() < 1.0).then_some(client)
                });
                pull_from.set(at_top.flatten());
                pulled.set(false);
            },
            ontouchmove: move |e| {
                if let (Some(y0), Some(p)) = (pull_from(), e.data().touches().first()) {
                    pulled.set(p.client_coordinates().y - y0 > 80.0);
                }
            },
            ontouchend: move |_| {
                if pulled() {
                    pull_phone.on_push();
                    revision.bump();
                }
                pulled.set(false);
                pull_from.set(None);
            },
            {screens::render(screen(), on_wiped)}
        }
        screens::TabBar {}
    }
}

/// Opens the client's detail.
pub(crate) fn open_client(mut screen: Signal<Screen>, id: ClientId) {
    screen.set(Screen::Client(id));
}
