//! Settings: language, about this app and device, diagnostics export, logout.

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use crate::Phone;
use crate::ui::{Ctx, t, use_ctx};

#[component]
pub(crate) fn Settings(on_wiped: EventHandler<bool>) -> Element {
    let Ctx {
        phone,
        mut lang,
        revision: _,
        l,
        ..
    } = use_ctx();
    let mut confirm = use_signal(|| false);
    let mut report = use_signal(|| None::<String>);
    let Some(device) = phone.device() else {
        return rsx! {};
    };
    let e = device.enrolment().clone();
    let lang_dir = phone.dir.clone();
    let mut set_lang = move |to: Lang| {
        lang.set(to);
        if let Err(err) = std::fs::write(lang_dir.join("language"), to.code()) {
            tracing::warn!(%err, "keeping the language");
        }
    };
    let mut set_lang_en = set_lang.clone();
    let diag_device = device.clone();
    let wipe_phone = phone.clone();
    rsx! {
        h1 { {t(l, "Nastavení", "Settings")} }
        h2 { {t(l, "Jazyk", "Language")} }
        div { class: "row", style: "padding:0 12px",
            button { id: "lang-cs", class: if l == Lang::Cs { "" } else { "secondary" }, onclick: move |_| set_lang(Lang::Cs), "Čeština" }
            button { id: "lang-en", class: if l == Lang::En { "" } else { "secondary" }, onclick: move |_| set_lang_en(Lang::En), "English" }
        }
        h2 { {t(l, "O aplikaci", "About")} }
        dl { id: "about",
            dt { {t(l, "Verze", "Version")} } dd { "fieldcase {env!(\"CARGO_PKG_VERSION\")}" }
            dt { {t(l, "Poradce", "Adviser")} } dd { "{e.adviser_name} ({e.adviser_code})" }
            dt { {t(l, "Centrála", "Hub")} } dd { style: "overflow-wrap:anywhere", "{e.hub}" }
            dt { {t(l, "Zařízení", "Device")} } dd { style: "overflow-wrap:anywhere", "{e.device_id}" }
        }
        h2 { {t(l, "Diagnostika", "Diagnostics")} }
        div { class: "section",
            p { class: "meta", {t(l, "Zpráva pro podporu: stav synchronizace, počty záznamů a poslední záznamy logu (bez osobních údajů klientů).",
                "A report for support: sync state, record counts and the latest log lines (no client details).")} }
            button { id: "diagnostics", class: "secondary",
                onclick: move |_| {
                    let device = diag_device.clone();
                    spawn(async move {
                        report.set(Some(crate::diagnostics::report(&device).await));
                    });
                },
                {t(l, "Připravit diagnostiku", "Prepare diagnostics")}
            }
            if let Some(r) = report() {
                p {
                    a { class: "button", id: "diagnostics-download", download: "fieldcase-diagnostika.txt",
                        href: "data:text/plain;charset=utf-8,{crate::diagnostics::url_encode(&r)}",
                        {t(l, "Stáhnout / sdílet", "Download / share")}
                    }
                }
                pre { id: "diagnostics-text", style: "white-space:pre-wrap;font-size:12px;max-height:200px;overflow:auto", "{r}" }
            }
        }
        h2 { {t(l, "Odhlášení", "Log out")} }
        div { class: "section",
            if confirm() {
                DangerZone { phone: wipe_phone, on_wiped, on_cancel: move |_| confirm.set(false) }
            } else {
                button { id: "logout", class: "danger", onclick: move |_| confirm.set(true),
                    {t(l, "Odhlásit a smazat data z telefonu", "Log out and delete the data from this phone")}
                }
            }
        }
    }
}

/// Confirms the logout, warning about changes the hub does not have yet.
#[component]
fn DangerZone(phone: Phone, on_wiped: EventHandler<bool>, on_cancel: EventHandler<()>) -> Element {
    let lang = use_context::<Signal<Lang>>();
    let l = lang();
    let current = phone.clone();
    let status = use_resource(move || {
        let device = current.device();
        async move {
            match device {
                Some(d) => d.sync_status().await.ok(),
                None => None,
            }
        }
    });
    let pending = status
        .read()
        .clone()
        .flatten()
        .map_or(0, |s| s.pending_changes);
    rsx! {
        if pending > 0 {
            p { class: "warning", id: "logout-warning", role: "alert",
                {match l {
                    Lang::Cs => format!("Centrála ještě nemá {pending} změn z tohoto telefonu. Po odhlášení budou ztraceny. Nejdřív se připojte a počkejte na synchronizaci."),
                    Lang::En => format!("The hub does not have {pending} changes from this phone yet. Logging out loses them. Go online and wait for the sync first."),
                }}
            }
        } else {
            p { {t(l, "Všechna data jsou v centrále. Odhlášením se smažou z telefonu.", "Everything is at the hub. Logging out deletes it from this phone.")} }
        }
        div { class: "row",
            button { id: "logout-confirm", class: "danger",
                onclick: move |_| {
                    let phone = phone.clone();
                    spawn(async move {
                        if let Some(device) = phone.device()
                            && let Err(err) = device.log_out(&phone.dir).await
                        {
                                tracing::error!(%err, "logging out");
                                return;
                        }
                        on_wiped.call(false);
                    });
                },
                {t(l, "Odhlásit a smazat", "Log out and delete")}
            }
            button { class: "secondary", onclick: move |_| on_cancel.call(()), {t(l, "Zrušit", "Cancel")} }
        }
    }
}
