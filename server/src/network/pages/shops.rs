//! Shops: list; admins add shops, edit them and open or close them.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Role, validate};

use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{
    Errors, Field, Notice, NoticeBar, Text, check, drafted, error_for, failed, form_text,
    form_values,
};
use crate::store::{NewShop, StoreError};

/// Shops: the office and the stores look, admins change.
pub const PAGE: PageSpec = PageSpec {
    slug: "shops",
    title_cs: "Prodejny",
    title_en: "Shops",
    open: Roles::Only(&[Role::Admin, Role::Office, Role::Store]),
    edit: Roles::Only(&[Role::Admin]),
    component: Shops,
};

#[component]
pub fn Shops() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let mut errors = use_signal(Errors::new);
    let mut form_key = use_signal(|| 0u32);
    let mut draft = use_signal(crate::office::ui::Draft::new);
    // The side form creates a shop, or edits the one picked in the table.
    let mut editing = use_signal(|| None::<fieldcase_shared::StoreId>);
    let store = ctx.state.store.clone();
    let shops = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.list_shops().await }
    });
    let l = lang();
    let can_edit = PAGE.may_edit(ctx.session.user.role);

    let create_ctx = ctx.clone();
    let on_create = move |evt: FormEvent| {
        let ctx = create_ctx.clone();
        draft.set(form_values(&evt));
        let mut errs = Errors::new();
        let optional =
            |errs: &mut Errors,
             name: &str,
             f: fn(&str, &str) -> Result<String, fieldcase_shared::FieldError>| {
                let raw = form_text(&evt, name);
                if raw.trim().is_empty() {
                    String::new()
                } else {
                    check(errs, f(name, &raw))
                }
            };
        let shop = NewShop {
            code: check(
                &mut errs,
                validate::required("code", &form_text(&evt, "code")),
            )
            .to_uppercase(),
            name: check(
                &mut errs,
                validate::required("name", &form_text(&evt, "name")),
            ),
            street: form_text(&evt, "street").trim().to_owned(),
            city: check(
                &mut errs,
                validate::required("city", &form_text(&evt, "city")),
            ),
            postal_code: optional(&mut errs, "postal_code", validate::postal_code_cz),
            phone: optional(&mut errs, "phone", validate::phone_cz),
            email: optional(&mut errs, "email", validate::email),
        };
        if !errs.is_empty() {
            errors.set(errs);
            return;
        }
        spawn(async move {
            let actor = match ctx.authorize(&PAGE).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let edited = editing();
            let saved = match edited {
                Some(id) => ctx.state.store.update_shop(&actor, id, &shop).await,
                None => ctx.state.store.create_shop(&actor, &shop).await,
            };
            match saved {
                Ok(s) => {
                    errors.set(Errors::new());
                    draft.set(crate::office::ui::Draft::new());
                    editing.set(None);
                    form_key += 1;
                    reload += 1;
                    notice.set(Some(if edited.is_some() {
                        Notice::ok(
                            format!("Prodejna {} uložena.", s.name),
                            format!("Shop {} saved.", s.name),
                        )
                    } else {
                        Notice::ok(
                            format!("Prodejna {} přidána.", s.name),
                            format!("Shop {} added.", s.name),
                        )
                    }));
                }
                Err(StoreError::Duplicate { .. }) => {
                    errors.set(vec![(
                        "code".into(),
                        Text::new(
                            "Prodejna s tímto kódem už existuje.",
                            "A shop with this code already exists.",
                        ),
                    )]);
                }
                Err(err) => {
                    tracing::error!(%err, "creating a shop");
                    notice.set(Some(Notice::err(
                        "Prodejnu se nepodařilo uložit.",
                        "Could not save the shop.",
                    )));
                }
            }
        });
    };

    let errs = errors();
    let d = draft();
    let toggle_ctx = ctx.clone();
    rsx! {
        NoticeBar { notice: notice() }
        div { class: if can_edit { "grid-main-side" } else { "" },
            section { class: "card",
                match &*shops.read() {
                    None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                    Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Seznam se nepodařilo načíst.", "Could not load the list.")} } },
                    Some(Ok(list)) => rsx! {
                        div { class: "table-wrap", table { class: "table", id: "shops-table",
                            thead { tr {
                                th { {l.pick("Kód", "Code")} }
                                th { {l.pick("Název", "Name")} }
                                th { {l.pick("Adresa", "Address")} }
                                th { {l.pick("Telefon", "Phone")} }
                                th { {l.pick("Stav", "State")} }
                                if can_edit { th {} }
                            } }
                            tbody {
                                for s in list.iter().cloned() {
                                    tr { key: "{s.id}", class: if s.active { "" } else { "inactive" },
                                        td { "{s.code}" }
                                        td { "{s.name}" }
                                        td { "{s.street}, {s.postal_code} {s.city}" }
                                        td { class: "nowrap", "{s.phone}" }
                                        td {
                                            if s.active { span { class: "pill pill-ok", {l.pick("otevřeno", "open")} } }
                                            else { span { class: "pill", {l.pick("uzavřeno", "closed")} } }
                                        }
                                        if can_edit {
                                            td { class: "actions",
                                                button {
                                                    class: "btn btn-small",
                                                    onclick: {
                                                        let s = s.clone();
                                                        move |_| {
                                                            let fields = [("code", &s.code), ("name", &s.name), ("street", &s.street), ("city", &s.city), ("postal_code", &s.postal_code), ("phone", &s.phone), ("email", &s.email)];
                                                            draft.set(fields.into_iter().map(|(k, v)| (k.to_owned(), v.clone())).collect());
                                                            editing.set(Some(s.id));
                                                            errors.set(Errors::new());
                                                            form_key += 1;
                                                        }
                                                    },
                                                    {l.pick("Upravit", "Edit")}
                                                }
                                                button {
                                                    class: "btn btn-small btn-ghost",
                                                    onclick: {
                                                        let ctx = toggle_ctx.clone();
                                                        move |_| {
                                                            let ctx = ctx.clone();
                                                            spawn(async move {
                                                                let r = match ctx.authorize(&PAGE).await {
                                                                    Ok(actor) => ctx.state.store.set_shop_active(&actor, s.id, !s.active).await.map_err(|e| failed(&e)),
                                                                    Err(m) => Err(m),
                                                                };
                                                                match r {
                                                                    Ok(()) => notice.set(Some(Notice::ok("Uloženo.", "Saved."))),
                                                                    Err(m) => notice.set(Some(Notice::Err(m))),
                                                                }
                                                                reload += 1;
                                                            });
                                                        }
                                                    },
                                                    if s.active { {l.pick("Uzavřít prodejnu", "Close shop")} } else { {l.pick("Znovu otevřít", "Reopen shop")} }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } },
                }
            }
            if can_edit {
                for k in [form_key()] {
                section { class: "card side-form", key: "{k}",
                    h2 { if editing().is_some() { {l.pick("Upravit prodejnu", "Edit shop")} } else { {l.pick("Nová prodejna", "New shop")} } }
                    form { class: "form", id: "new-shop", onsubmit: on_create.clone(), onchange: move |e: FormEvent| draft.set(form_values(&e)),
                        Field { label: l.pick("Kód", "Code"), name: "code", value: drafted(&d, "code"), required: true, error: error_for(&errs, "code", l) }
                        Field { label: l.pick("Název", "Name"), name: "name", value: drafted(&d, "name"), required: true, error: error_for(&errs, "name", l) }
                        Field { label: l.pick("Ulice", "Street"), name: "street" }
                        Field { label: l.pick("Město", "Town"), name: "city", value: drafted(&d, "city"), required: true, error: error_for(&errs, "city", l) }
                        Field { label: l.pick("PSČ", "Postal code"), name: "postal_code", value: drafted(&d, "postal_code"), error: error_for(&errs, "postal_code", l) }
                        Field { label: l.pick("Telefon", "Phone"), name: "phone", value: drafted(&d, "phone"), kind: "tel", error: error_for(&errs, "phone", l) }
                        Field { label: "E-mail", name: "email", value: drafted(&d, "email"), kind: "email", error: error_for(&errs, "email", l) }
                        if editing().is_some() {
                            button { class: "btn btn-primary", r#type: "submit", {l.pick("Uložit změny", "Save changes")} }
                            button {
                                class: "btn",
                                r#type: "button",
                                onclick: move |_| {
                                    editing.set(None);
                                    draft.set(crate::office::ui::Draft::new());
                                    errors.set(Errors::new());
                                    form_key += 1;
                                },
                                {l.pick("Zrušit úpravy", "Cancel editing")}
                            }
                        } else {
                            button { class: "btn btn-primary", r#type: "submit", {l.pick("Přidat prodejnu", "Add shop")} }
                        }
                    }
                }
                }
            }
        }
    }
}
