//! Enrolment: hub address and the one-time code from the office.

use std::sync::Arc;

use dioxus::prelude::*;
use fieldcase_device::{Device, DeviceError};
use fieldcase_shared::Lang;

use crate::Phone;
use crate::ui::t;

/// The first screen of a phone that is not enrolled (or was wiped).
#[component]
pub(crate) fn Enrol(notice: Option<&'static str>, on_enrolled: EventHandler<()>) -> Element {
    let phone = use_context::<Phone>();
    let lang = use_context::<Signal<Lang>>();
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let mut hub = use_signal(String::new);
    let mut code = use_signal(String::new);
    let l = lang();
    let submit = move |_evt: FormEvent| {
        let (hub, code) = (hub().trim().to_owned(), code().trim().to_owned());
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
                    phone.set_device(Some(Arc::new(device)));
                    on_enrolled.call(());
                }
                Err(err) => {
                    tracing::warn!(%err, "enrolment failed");
                    error.set(Some(why_not_enrolled(&err, l)));
                }
            }
            busy.set(false);
        });
    };
    rsx! {
        h1 { {t(l, "Připojení zařízení", "Enrol this device")} }
        if let Some(n) = notice {
            p { class: "warning", role: "status", "{n}" }
        }
        if let Some(e) = error() {
            p { class: "error", role: "alert", "{e}" }
        }
        form { id: "enrol", onsubmit: submit,
            label { r#for: "hub", {t(l, "Adresa centrály", "Hub address")} }
            input { id: "hub", name: "hub", r#type: "url", placeholder: "https://…",
                value: "{hub}", oninput: move |e| hub.set(e.value()) }
            label { r#for: "code", {t(l, "Kód z kanceláře", "Code from the office")} }
            input { id: "code", name: "code", autocomplete: "one-time-code",
                value: "{code}", oninput: move |e| code.set(e.value()) }
            p {
                button { r#type: "submit", disabled: busy(),
                    {if busy() { t(l, "Připojuji…", "Enrolling…") } else { t(l, "Připojit", "Enrol") }}
                }
            }
        }
    }
}

/// What the adviser should do when enrolment failed.
fn why_not_enrolled(err: &DeviceError, l: Lang) -> String {
    match err {
        DeviceError::Unreachable(_) => t(
            l,
            "Centrála neodpovídá. Zkontrolujte adresu centrály a připojení k internetu.",
            "The hub does not answer. Check the hub's address and the internet connection.",
        )
        .into(),
        DeviceError::Refused { status: 400, .. } => t(
            l,
            "Kód neplatí (neznámý, už použitý nebo prošlý). Požádejte kancelář o nový.",
            "The code is not valid (unknown, already used or expired). Ask the office for a new one.",
        )
        .into(),
        DeviceError::Refused { status: 429, .. } => t(
            l,
            "Příliš mnoho pokusů z tohoto připojení. Zkuste to znovu za 15 minut.",
            "Too many attempts from this connection. Try again in 15 minutes.",
        )
        .into(),
        DeviceError::Refused { status: 403, .. } => t(
            l,
            "Účet poradce je deaktivovaný. Obraťte se na kancelář.",
            "The adviser's account is deactivated. Contact the office.",
        )
        .into(),
        other => format!(
            "{} ({other})",
            t(
                l,
                "Zařízení se nepodařilo připojit. Zkontrolujte adresu a kód.",
                "The device could not be enrolled. Check the address and the code."
            )
        ),
    }
}
