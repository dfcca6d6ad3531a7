//! The customer form: a new customer (the office's own, or for an adviser, who
//! finds them on the phone) on the list, an edit on the card. Both go through the
//! one path (`customers/edit.rs`); what was typed stays in the form when the save is
//! refused (a field's rule, or someone changed the same field meanwhile).

use dioxus::prelude::*;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{AdviserId, ClientId, Lang};

use crate::customers::edit::{self, Duplicate, EditError};
use crate::office::live::Ctx;
use crate::office::ui::{Draft, Errors, Field, Notice, Text, drafted, error_for, form_values};

/// The fields of the form: name, Czech label, English label, input kind.
const FIELDS: [(&str, &str, &str, &str); 8] = [
    ("first_name", "Jméno", "First name", "text"),
    ("last_name", "Příjmení", "Last name", "text"),
    ("phone", "Telefon", "Phone", "tel"),
    ("email", "E-mail", "E-mail", "email"),
    ("street", "Ulice a číslo", "Street", "text"),
    ("city", "Obec", "Town", "text"),
    ("postal_code", "PSČ", "Postal code", "text"),
    ("note", "Poznámka", "Note", "text"),
];

/// The field's label in `lang`.
pub fn label(name: &str, lang: Lang) -> &'static str {
    if name == "custom" {
        return lang.pick("vlastní pole", "custom fields");
    }
    FIELDS
        .iter()
        .find(|f| f.0 == name)
        .map(|f| lang.pick(f.1, f.2))
        .unwrap_or("?")
}

fn record(draft: &Draft) -> ClientRecord {
    let v = |n: &str| drafted(draft, n);
    ClientRecord {
        first_name: v("first_name"),
        last_name: v("last_name"),
        phone: v("phone"),
        email: v("email"),
        street: v("street"),
        city: v("city"),
        postal_code: v("postal_code"),
        note: v("note"),
        created_at: String::new(),
        merged_into: String::new(),
        custom: draft
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("custom.")?.to_owned(), v.clone())))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect(),
    }
}

fn to_draft(c: &ClientRecord) -> Draft {
    FIELDS
        .iter()
        .map(|f| {
            let v = fieldcase_shared::customer::field(c, f.0).cloned();
            (f.0.to_owned(), v.unwrap_or_default())
        })
        .chain(
            c.custom
                .iter()
                .map(|(k, v)| (format!("custom.{k}"), v.clone())),
        )
        .collect()
}

/// The form. `seen`: the customer as the card shows them (an edit of `client`);
/// `None`: a new customer, with the adviser to give them to. `saved` is told the
/// customer's id after a save, `stale` when someone changed the customer meanwhile
/// (the card reads them again; the form keeps what was typed).
#[component]
pub fn CustomerForm(
    client: Option<ClientId>,
    seen: Option<ClientRecord>,
    notice: Signal<Option<Notice>>,
    saved: EventHandler<ClientId>,
    #[props(default)] stale: EventHandler<()>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let start = seen.clone();
    let mut draft = use_signal(move || start.as_ref().map(to_draft).unwrap_or_default());
    let mut errors = use_signal(Errors::new);
    // Possible duplicates shown for these values: saving them again saves anyway.
    let mut warned = use_signal(|| None::<(ClientRecord, Vec<Duplicate>)>);
    let store = ctx.state.store.clone();
    let custom = use_resource(move || {
        let store = store.clone();
        async move {
            crate::customers::fields::active(
                store.as_ref(),
                fieldcase_shared::custom_field::Entity::Customer,
            )
            .await
            .unwrap_or_default()
        }
    });
    let store = ctx.state.store.clone();
    let advisers = use_resource(move || {
        let store = store.clone();
        async move {
            store
                .list_advisers(&crate::store::AdviserFilter::default())
                .await
        }
    });
    let l = lang();
    let creating = seen.is_none();
    let submit = move |evt: FormEvent| {
        let ctx = ctx.clone();
        let seen = seen.clone();
        let values = form_values(&evt);
        draft.set(values.clone());
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(actor) => actor,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let new = record(&values);
            let allow = warned().is_some_and(|(w, _)| w == new);
            let result = match (client, &seen) {
                (Some(id), Some(seen)) => {
                    edit::edit(&ctx.state, &actor, id, seen, new.clone(), allow)
                        .await
                        .map(|changed| (id, changed))
                }
                _ => {
                    let adviser = drafted(&values, "adviser")
                        .parse::<uuid::Uuid>()
                        .ok()
                        .map(AdviserId::from_uuid);
                    edit::create(&ctx.state, &actor, adviser, new.clone(), allow)
                        .await
                        .map(|id| (id, Vec::new()))
                }
            };
            errors.set(Errors::new());
            warned.set(None);
            match result {
                Ok((id, changed)) => {
                    notice.set(Some(if creating {
                        Notice::ok("Zákazník uložen.", "Customer saved.")
                    } else if changed.is_empty() {
                        Notice::ok("Nic se nezměnilo.", "Nothing changed.")
                    } else {
                        let (cs, en): (Vec<_>, Vec<_>) = changed
                            .iter()
                            .map(|f| (label(f, Lang::Cs), label(f, Lang::En)))
                            .unzip();
                        Notice::Ok(Text::new(
                            format!("Uloženo: {}.", cs.join(", ")),
                            format!("Saved: {}.", en.join(", ")),
                        ))
                    }));
                    if creating {
                        draft.set(Draft::new());
                    } else {
                        // As saved: normalised (the phone, the postal code).
                        let mut saved = record(&values);
                        fieldcase_shared::customer::check_client(&mut saved);
                        draft.set(to_draft(&saved));
                    }
                    saved.call(id);
                }
                Err(EditError::Duplicates(found)) => {
                    warned.set(Some((new, found)));
                    notice.set(Some(Notice::err(
                        "Možná duplicita: tento člověk už může být v evidenci. Zkontrolujte níže.",
                        "Possible duplicate: this person may already be on file. See below.",
                    )));
                }
                Err(EditError::Invalid(problems)) => {
                    errors.set(
                        problems
                            .iter()
                            .map(|e| (e.field.clone(), Text::from(e)))
                            .collect(),
                    );
                    notice.set(Some(Notice::err(
                        "Zkontrolujte označená pole.",
                        "Check the marked fields.",
                    )));
                }
                Err(EditError::Stale(fields)) => {
                    let (cs, en): (Vec<_>, Vec<_>) = fields
                        .iter()
                        .map(|f| (label(f, Lang::Cs), label(f, Lang::En)))
                        .unzip();
                    notice.set(Some(Notice::Err(Text::new(
                        format!("Mezitím to změnil někdo jiný: {}. Nic se neuložilo; karta ukazuje nové údaje, vaše úpravy zůstaly ve formuláři.", cs.join(", ")),
                        format!("Someone else changed this meanwhile: {}. Nothing was saved; the card shows the new values, your edits stay in the form.", en.join(", ")),
                    ))));
                    stale.call(());
                }
                Err(EditError::NotFound) => notice.set(Some(Notice::err(
                    "Takový zákazník nebo poradce neexistuje.",
                    "No such customer or adviser.",
                ))),
                Err(err) => {
                    tracing::error!(%err, "saving a customer");
                    notice.set(Some(Notice::err(
                        "Zákazníka se nepodařilo uložit.",
                        "Could not save the customer.",
                    )));
                }
            }
        });
    };
    let d = draft();
    let errs = errors();
    rsx! {
        form { class: "form", id: if creating { "new-customer" } else { "customer-form" }, onsubmit: submit,
            for (name, cs, en, kind) in FIELDS {
                Field { key: "{name}", label: l.pick(cs, en), name, value: drafted(&d, name), kind, required: name == "last_name", error: error_for(&errs, name, l) }
            }
            super::custom::CustomInputs { fields: custom.read().clone().unwrap_or_default(), draft: d.clone(), errors: errs.clone() }
            if creating {
                label { class: "field",
                    span { {l.pick("Poradce", "Adviser")} }
                    select { name: "adviser",
                        option { value: "", {l.pick("Bez poradce (zákazník kanceláře)", "No adviser (the office's customer)")} }
                        if let Some(Ok(list)) = &*advisers.read() {
                            for a in list.iter() { option { key: "{a.id}", value: "{a.id}", "{a.name} ({a.code})" } }
                        }
                    }
                }
            }
            if let Some((_, found)) = warned() {
                div { class: "alert alert-warn", id: "duplicate-warning",
                    p { class: "strong", {l.pick("Možná je to někdo z nich:", "It may be one of them:")} }
                    ul {
                        for d in found.iter() {
                            li { key: "{d.customer.id}", class: "duplicate",
                                a { href: "/office/customers/{d.customer.id}", target: "_blank", class: "duplicate-link", "{d.customer.first_name} {d.customer.last_name}" }
                                " · {d.customer.phone} · {d.customer.email} · {d.customer.city} — "
                                span { class: "muted", {d.likeness.matches.iter().map(|m| m.label(l)).collect::<Vec<_>>().join(", ")} " ({d.likeness.score} %)" }
                            }
                        }
                    }
                    p { class: "small", {l.pick("Jde-li o jiného člověka, uložte znovu.", "If it is someone else, save again.")} }
                }
            }
            button { class: "btn", r#type: "submit",
                {match (warned().is_some(), creating) {
                    (true, _) => l.pick("Přesto uložit", "Save anyway"),
                    (false, true) => l.pick("Přidat zákazníka", "Add customer"),
                    (false, false) => l.pick("Uložit změny", "Save changes"),
                }}
            }
        }
    }
}
