//! Custom fields (`/office/fields`): the extra fields of customers and orders —
//! text, number, date or a choice, with Czech and English labels — that the forms
//! of the office and the phones show. Every staff role reads; administrators add
//! and withdraw (a withdrawn field leaves the forms; its values stay).

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use fieldcase_shared::custom_field::Kind;

use crate::customers::fields::{Definition, FIELD_ADMINS, FieldsError, add, withdraw};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Errors, Field, Notice, NoticeBar, Text, error_for, form_text};

/// Custom fields: staff read; administrators change.
pub const PAGE: PageSpec = PageSpec {
    slug: "fields",
    title_cs: "Vlastní pole",
    title_en: "Custom fields",
    open: Roles::Staff,
    edit: Roles::Only(FIELD_ADMINS),
    component: CustomFields,
};

#[component]
fn CustomFields() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut errors = use_signal(Errors::new);
    let mut reload = use_signal(|| 0u32);
    // Bumped after a field is added: the form starts empty again.
    let mut added = use_signal(|| 0u32);
    let store = ctx.state.store.clone();
    let fields = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.custom_fields().await }
    });
    let editor = ctx.page.may_edit(ctx.session.user.role);
    let add_ctx = ctx.clone();
    let submit = move |evt: FormEvent| {
        let ctx = add_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let def = Definition {
                entity: form_text(&evt, "entity"),
                label_cs: form_text(&evt, "label_cs"),
                label_en: form_text(&evt, "label_en"),
                key: form_text(&evt, "key"),
                kind: form_text(&evt, "kind"),
                choices: form_text(&evt, "choices")
                    .lines()
                    .map(str::to_owned)
                    .collect(),
                required: form_text(&evt, "required") == "true",
            };
            errors.set(Errors::new());
            notice.set(Some(match add(&ctx.state, &actor, role, &def).await {
                Ok(_) => {
                    added += 1;
                    Notice::ok(
                        "Pole přidáno; formuláře v kanceláři i v telefonech ho ukazují.",
                        "Field added; the office's and the phones' forms show it.",
                    )
                }
                Err(FieldsError::Invalid(problems)) => {
                    errors.set(
                        problems
                            .iter()
                            .map(|e| (e.field.clone(), Text::from(e)))
                            .collect(),
                    );
                    Notice::err(
                        FieldsError::Invalid(problems.clone()).text(Lang::Cs),
                        FieldsError::Invalid(problems).text(Lang::En),
                    )
                }
                Err(err) => {
                    tracing::warn!(%err, "adding a custom field");
                    Notice::err(err.text(Lang::Cs), err.text(Lang::En))
                }
            }));
            reload += 1;
        });
    };
    let del_ctx = ctx.clone();
    let remove = move |id: uuid::Uuid| {
        let ctx = del_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(match withdraw(&ctx.state, &actor, role, id).await {
                Ok(()) => Notice::ok(
                    "Pole vyřazeno; hodnoty u záznamů zůstávají.",
                    "Field withdrawn; the records keep their values.",
                ),
                Err(err) => Notice::err(err.text(Lang::Cs), err.text(Lang::En)),
            }));
            reload += 1;
        });
    };
    let errs = errors();
    rsx! {
        NoticeBar { notice: notice() }
        match &*fields.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Pole se nepodařilo načíst.", "Could not load the fields.")} } },
            Some(Ok(list)) => rsx! {
                section { class: "card", id: "custom-fields",
                    h2 { {l.pick("Vlastní pole zákazníků a objednávek", "Custom fields of customers and orders")} }
                    if list.is_empty() {
                        p { class: "muted", {l.pick("Zatím žádné.", "None yet.")} }
                    }
                    table { class: "table", id: "fields-table",
                        thead { tr {
                            th { {l.pick("Patří k", "Of")} } th { {l.pick("Název", "Label")} } th { {l.pick("Klíč", "Key")} }
                            th { {l.pick("Druh", "Kind")} } th { {l.pick("Povinné", "Required")} } th {}
                        } }
                        tbody {
                            for f in list.iter().cloned() {
                                tr { key: "{f.id}", class: if f.withdrawn_at.is_some() { "custom-field withdrawn muted" } else { "custom-field" },
                                    td { {match f.entity { fieldcase_shared::custom_field::Entity::Customer => l.pick("zákazník", "customer"), fieldcase_shared::custom_field::Entity::Order => l.pick("objednávka", "order") }} }
                                    td { "{f.label_cs}" if !f.label_en.is_empty() { span { class: "muted", " / {f.label_en}" } } }
                                    td { class: "mono", "{f.key}" }
                                    td { {f.kind.label(l)} if !f.choices.is_empty() { span { class: "muted small", " ({f.choices.join(\", \")})" } } }
                                    td { {if f.required { l.pick("ano", "yes") } else { l.pick("ne", "no") }} }
                                    td {
                                        if f.withdrawn_at.is_some() {
                                            span { class: "pill", {l.pick("vyřazeno", "withdrawn")} }
                                        } else if editor {
                                            button { class: "btn btn-small btn-secondary", onclick: { let remove = remove.clone(); move |_| remove(f.id) }, {l.pick("Vyřadit", "Withdraw")} }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if editor {
                    section { class: "card", id: "field-add",
                        h2 { {l.pick("Nové pole", "New field")} }
                        // A new form (empty inputs) after each field added.
                        for generation in std::iter::once(added()) {
                            form { key: "{generation}", class: "form", id: "field-form", onsubmit: submit.clone(),
                                label { class: "field",
                                    span { {l.pick("Patří k", "Of")} }
                                    select { name: "entity",
                                        option { value: "customer", {l.pick("zákazníkovi", "customers")} }
                                        option { value: "order", {l.pick("objednávce", "orders")} }
                                    }
                                }
                                Field { label: l.pick("Název česky", "Czech label"), name: "label_cs", required: true, error: error_for(&errs, "label_cs", l) }
                                Field { label: l.pick("Název anglicky", "English label"), name: "label_en", error: error_for(&errs, "label_en", l) }
                                Field { label: l.pick("Klíč (prázdný: z názvu)", "Key (empty: from the label)"), name: "key", error: error_for(&errs, "key", l) }
                                label { class: "field",
                                    span { {l.pick("Druh", "Kind")} }
                                    select { name: "kind",
                                        for k in Kind::ALL {
                                            option { key: "{k.code()}", value: "{k.code()}", {k.label(l)} }
                                        }
                                    }
                                }
                                label { class: if error_for(&errs, "choices", l).is_some() { "field has-error" } else { "field" },
                                    span { {l.pick("Možnosti výběru (každá na řádek)", "Choices (one per line)")} }
                                    textarea { name: "choices", rows: "3" }
                                    if let Some(e) = error_for(&errs, "choices", l) { small { class: "field-error", "{e}" } }
                                }
                                label { class: "field",
                                    span { {l.pick("Povinné", "Required")} }
                                    select { name: "required",
                                        option { value: "false", {l.pick("ne", "no")} }
                                        option { value: "true", {l.pick("ano", "yes")} }
                                    }
                                }
                                button { class: "btn", r#type: "submit", id: "field-submit", {l.pick("Přidat pole", "Add field")} }
                            }
                        }
                    }
                }
            },
        }
    }
}
