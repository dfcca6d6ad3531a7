//! The card's "erase personal data" box (administrators, GDPR art. 17): with the
//! reason and a typed confirmation, the customer's personal data leave the hub and
//! every adviser's phone, history included (`customers/erase.rs`).

use dioxus::prelude::*;
use fieldcase_shared::{ClientId, Lang};

use crate::customers::erase::{ERASERS, erase};
use crate::office::live::Ctx;
use crate::office::ui::{Notice, form_text};

/// The word the administrator types to confirm.
const CONFIRM: &str = "VYMAZAT";

/// The erase box of `client`.
#[component]
pub fn EraseBox(client: ClientId, reload: Signal<u32>, notice: Signal<Option<Notice>>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    if !ERASERS.contains(&ctx.session.user.role) {
        return rsx! {};
    }
    let confirm_label = match l {
        Lang::Cs => format!("Pro potvrzení napište {CONFIRM}"),
        Lang::En => format!("Type {CONFIRM} to confirm"),
    };
    let mut reload = reload;
    let mut notice = notice;
    let submit = move |evt: FormEvent| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            if form_text(&evt, "confirm").trim().to_uppercase() != CONFIRM {
                return notice.set(Some(Notice::err(
                    format!("Pro potvrzení napište {CONFIRM}."),
                    format!("Type {CONFIRM} to confirm."),
                )));
            }
            let reason = form_text(&evt, "reason");
            notice.set(Some(match erase(&ctx.state, &actor, role, client, &reason).await {
                Ok(done) => Notice::ok(
                    format!(
                        "Osobní údaje vymazány (záznamů {}, předpisů {}, pracovních prostorů {}); telefony poradců se přepnou při příští synchronizaci.",
                        done.erased.clients, done.erased.prescriptions, done.workspaces
                    ),
                    format!(
                        "Personal data erased ({} records, {} prescriptions, {} workspaces); the advisers' phones move over on their next sync.",
                        done.erased.clients, done.erased.prescriptions, done.workspaces
                    ),
                ),
                Err(err) => {
                    tracing::warn!(%err, %client, "erasing a customer");
                    Notice::err(err.text(Lang::Cs), err.text(Lang::En))
                }
            }));
            reload += 1;
        });
    };
    rsx! {
        details { class: "card", id: "customer-erase",
            summary { class: "strong", {l.pick("Vymazat osobní údaje", "Erase personal data")} }
            p { class: "muted small",
                {l.pick(
                    "Na žádost zákazníka: jméno, kontakty, adresa, poznámky, předpisy a komunikace zmizí z kanceláře i z telefonů poradců, včetně historie dokumentů. Objednávky zůstanou (účetnictví) bez jména. Nelze vrátit.",
                    "On the customer's request: name, contacts, address, notes, prescriptions and communication leave the office and the advisers' phones, document history included. Orders stay (accounting) without the name. Cannot be undone.",
                )}
            }
            form { class: "stack", id: "erase-form", onsubmit: submit,
                label { {l.pick("Důvod (žádost a její datum, bez jména)", "Reason (the request and its date, without the name)")}
                    input { name: "reason", id: "erase-reason", maxlength: "500" }
                }
                label { "{confirm_label}"
                    input { name: "confirm", id: "erase-confirm", autocomplete: "off" }
                }
                button { class: "btn btn-small btn-danger", id: "erase-submit", r#type: "submit", {l.pick("Vymazat", "Erase")} }
            }
        }
    }
}
