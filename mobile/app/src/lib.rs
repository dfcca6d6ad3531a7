//! fieldcase-mobile — the adviser's app: screens only. Everything they do goes
//! through `fieldcase-device` (the phone's core), which works offline.
//!
//! First slice: enrolment, the sync status bar, and clients (list with instant
//! search, new client). The same components run in the LiveView preview
//! (`fieldcase-mobile preview`) and, later, in the desktop/mobile shells.

use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use dioxus::prelude::*;
use fieldcase_device::Device;
use fieldcase_shared::docs::catalog::fold;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{ClientId, Lang};

/// What every screen can reach: the data folder and the enrolled device, shared by
/// every window/connection of this app.
#[derive(Clone)]
pub struct Phone {
    /// Where the device keeps its database.
    pub dir: PathBuf,
    /// The device once enrolled (or opened from `dir`).
    pub device: Arc<RwLock<Option<Arc<Device>>>>,
}

impl PartialEq for Phone {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.device, &other.device)
    }
}

impl Phone {
    /// The device, if enrolled.
    pub fn device(&self) -> Option<Arc<Device>> {
        self.device
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn t(lang: Lang, cs: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Cs => cs,
        Lang::En => en,
    }
}

/// The page's style: phone-first, touch targets at least 44 px.
pub const STYLE: &str = "
*{box-sizing:border-box}body{margin:0;font-family:system-ui,sans-serif;background:#f4f5f7;color:#1c1e21}
.app{max-width:480px;margin:0 auto;min-height:100vh;background:#fff;display:flow-root}
.status{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center;padding:8px 12px;background:#1f3a5f;color:#fff;font-size:14px}
.status .dot{width:10px;height:10px;border-radius:50%;display:inline-block;margin-right:6px}
.status .on{background:#3ddc84}.status .off{background:#ff8a65}
.status button{margin-left:auto}
h1{font-size:20px;margin:12px}
form,.list{padding:0 12px 12px}
label{display:block;font-size:14px;margin:10px 0 4px}
input{width:100%;min-height:44px;font-size:16px;padding:8px;border:1px solid #c4c8cf;border-radius:6px}
button{min-height:44px;min-width:44px;font-size:16px;padding:8px 14px;border-radius:6px;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff}
button.secondary{background:#fff;color:#1f3a5f}
.status button{background:#fff;color:#1f3a5f;border-color:#fff;font-size:14px}
.error{color:#b00020;margin:8px 12px}
.client{padding:10px 0;border-bottom:1px solid #e3e5e8;min-height:44px}
.client .name{font-weight:600}.client .meta{font-size:14px;color:#5f6368}
.empty{color:#5f6368;padding:12px}
";

/// The app's root.
#[component]
pub fn App(phone: Phone) -> Element {
    let phone = use_context_provider(|| phone);
    let lang = use_context_provider(|| Signal::new(Lang::Cs));
    let mut enrolled = use_signal(|| phone.device().is_some());
    let l = lang();
    rsx! {
        style { {STYLE} }
        div { class: "app", lang: if l == Lang::Cs { "cs" } else { "en" },
            if enrolled() {
                StatusBar {}
                Clients {}
            } else {
                Enrol { on_enrolled: move |_| enrolled.set(true) }
            }
        }
    }
}

/// Enrolment: hub address and the one-time code from the office.
#[component]
fn Enrol(on_enrolled: EventHandler<()>) -> Element {
    let phone = use_context::<Phone>();
    let lang = use_context::<Signal<Lang>>();
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let l = lang();
    let submit = move |evt: FormEvent| {
        let text = |name: &str| match evt.get_first(name) {
            Some(FormValue::Text(t)) => t.trim().to_owned(),
            _ => String::new(),
        };
        let (hub, code) = (text("hub"), text("code"));
        if hub.is_empty() || code.is_empty() {
            error.set(Some(
                t(
                    l,
                    "Vyplňte adresu centrály i kód z kanceláře.",
                    "Fill in the hub address and the code from the office.",
                )
                .into(),
            ));
            return;
        }
        let phone = phone.clone();
        busy.set(true);
        spawn(async move {
            match Device::enrol(&phone.dir, &hub, &code, "fieldcase-mobile").await {
                Ok(device) => {
                    *phone.device.write().unwrap_or_else(PoisonError::into_inner) =
                        Some(Arc::new(device));
                    on_enrolled.call(());
                }
                Err(err) => {
                    tracing::warn!(%err, "enrolment failed");
                    error.set(Some(format!(
                        "{} ({err})",
                        t(
                            l,
                            "Zařízení se nepodařilo připojit. Zkontrolujte adresu a kód.",
                            "The device could not be enrolled. Check the address and the code."
                        )
                    )));
                }
            }
            busy.set(false);
        });
    };
    rsx! {
        h1 { {t(l, "Připojení zařízení", "Enrol this device")} }
        if let Some(e) = error() {
            p { class: "error", role: "alert", "{e}" }
        }
        form { id: "enrol", onsubmit: submit,
            label { r#for: "hub", {t(l, "Adresa centrály", "Hub address")} }
            input { id: "hub", name: "hub", r#type: "url", placeholder: "https://…" }
            label { r#for: "code", {t(l, "Kód z kanceláře", "Code from the office")} }
            input { id: "code", name: "code", autocomplete: "one-time-code" }
            p {
                button { r#type: "submit", disabled: busy(),
                    {t(l, "Připojit", "Enrol")}
                }
            }
        }
    }
}

/// Always visible: online or not, last sync, changes waiting, rejections.
#[component]
fn StatusBar() -> Element {
    let phone = use_context::<Phone>();
    let lang = use_context::<Signal<Lang>>();
    let mut tick = use_signal(|| 0u64);
    use_future(move || async move {
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            tick += 1;
        }
    });
    let device = phone.device();
    let status = use_resource(move || {
        let device = device.clone();
        let _ = tick();
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
                span { class: "rejections", "{t(l, \"Zamítnuto\", \"Rejected\")}: {s.rejections}" }
            }
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
                },
                {if connected { t(l, "Pracovat offline", "Work offline") } else { t(l, "Připojit", "Go online") }}
            }
        }
    }
}

/// Clients: instant search over name, phone and town; a new client.
#[component]
fn Clients() -> Element {
    let phone = use_context::<Phone>();
    let lang = use_context::<Signal<Lang>>();
    let mut query = use_signal(String::new);
    let mut reload = use_signal(|| 0u32);
    let l = lang();
    let _ = reload();
    let words: Vec<String> = fold(&query())
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut clients: Vec<(ClientId, ClientRecord)> = phone
        .device()
        .map(|d| d.clients())
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, c)| {
            let text = fold(&format!(
                "{} {} {} {}",
                c.first_name, c.last_name, c.phone, c.city
            ));
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect();
    clients.sort_by(|a, b| {
        (fold(&a.1.last_name), fold(&a.1.first_name))
            .cmp(&(fold(&b.1.last_name), fold(&b.1.first_name)))
    });
    rsx! {
        h1 { {t(l, "Klienti", "Clients")} }
        div { class: "list",
            input {
                id: "search",
                r#type: "search",
                placeholder: t(l, "Hledat jméno, telefon, obec", "Search name, phone, town"),
                value: "{query}",
                oninput: move |e| query.set(e.value()),
            }
            if clients.is_empty() {
                p { class: "empty", {t(l, "Žádní klienti.", "No clients.")} }
            }
            for (id, c) in clients {
                div { class: "client", key: "{id}",
                    div { class: "name", "{c.last_name} {c.first_name}" }
                    div { class: "meta", "{c.city} {c.phone}" }
                }
            }
        }
        div { class: "new-client",
            NewClient { on_saved: move |_| reload += 1 }
        }
    }
}

/// The new-client form; it empties after each save.
#[component]
fn NewClient(on_saved: EventHandler<()>) -> Element {
    let phone = use_context::<Phone>();
    let lang = use_context::<Signal<Lang>>();
    let mut error = use_signal(|| None::<String>);
    // Controlled fields, so a saved form empties for the next client.
    let mut fields = use_signal(|| [String::new(), String::new(), String::new(), String::new()]);
    let l = lang();
    let save_phone = phone.clone();
    let save = move |_evt: FormEvent| {
        let [first, last, tel, town] = fields().map(|v| v.trim().to_owned());
        let client = ClientRecord {
            first_name: first,
            last_name: last,
            phone: tel,
            city: town,
            created_at: time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            ..Default::default()
        };
        if client.last_name.is_empty() {
            error.set(Some(
                t(l, "Vyplňte příjmení.", "Fill in the last name.").into(),
            ));
            return;
        }
        let Some(device) = save_phone.device() else {
            return;
        };
        spawn(async move {
            match device.save_client(ClientId::new(), &client).await {
                Ok(()) => {
                    error.set(None);
                    fields.set(Default::default());
                    on_saved.call(());
                }
                Err(err) => error.set(Some(format!(
                    "{} ({err})",
                    t(
                        l,
                        "Klienta se nepodařilo uložit.",
                        "Could not save the client."
                    )
                ))),
            }
        });
    };
    rsx! {
        h1 { {t(l, "Nový klient", "New client")} }
        if let Some(e) = error() {
            p { class: "error", role: "alert", "{e}" }
        }
        form { id: "new-client", onsubmit: save,
            label { r#for: "first_name", {t(l, "Jméno", "First name")} }
            input { id: "first_name", name: "first_name", value: "{fields.read()[0]}",
                oninput: move |e| fields.write()[0] = e.value() }
            label { r#for: "last_name", {t(l, "Příjmení", "Last name")} }
            input { id: "last_name", name: "last_name", value: "{fields.read()[1]}",
                oninput: move |e| fields.write()[1] = e.value() }
            label { r#for: "phone", {t(l, "Telefon", "Phone")} }
            input { id: "phone", name: "phone", r#type: "tel", value: "{fields.read()[2]}",
                oninput: move |e| fields.write()[2] = e.value() }
            label { r#for: "city", {t(l, "Obec", "Town")} }
            input { id: "city", name: "city", value: "{fields.read()[3]}",
                oninput: move |e| fields.write()[3] = e.value() }
            p { button { r#type: "submit", {t(l, "Uložit klienta", "Save client")} } }
        }
    }
}

/// "now", "5 min ago", or the UTC date and time of the last sync.
fn since(l: Lang, at: Option<&str>) -> String {
    use time::format_description::well_known::Rfc3339;
    let Some(at) = at.and_then(|a| time::OffsetDateTime::parse(a, &Rfc3339).ok()) else {
        return "—".into();
    };
    let ago = time::OffsetDateTime::now_utc() - at;
    if ago < time::Duration::minutes(1) {
        t(l, "teď", "now").into()
    } else if ago < time::Duration::hours(1) {
        match l {
            Lang::Cs => format!("před {} min", ago.whole_minutes()),
            Lang::En => format!("{} min ago", ago.whole_minutes()),
        }
    } else {
        format!(
            "{}.{}. {:02}:{:02} UTC",
            at.day(),
            u8::from(at.month()),
            at.hour(),
            at.minute()
        )
    }
}
