//! Advisers: list and filter, create (with their login), change region and home
//! shop, deactivate, and enrol a device with a one-time code.

use dioxus::prelude::*;
use fieldcase_shared::{AdviserId, Lang, Role, StoreId, validate};
use time::OffsetDateTime;

use crate::auth;
use crate::field::enrolment;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{
    Errors, Field, Notice, NoticeBar, Text, check, count, datetime, drafted, error_for, failed,
    form_text, form_values,
};
use crate::service::ServiceError;
use crate::store::{AdviserFilter, NewAdviser, StoreError};

/// How long an enrolment code stays valid.
pub use crate::field::enrolment::CODE_MINUTES as ENROLMENT_CODE_MINUTES;

#[derive(Debug, Clone, PartialEq)]
struct ShownCode {
    adviser: String,
    code: String,
    until: OffsetDateTime,
}

/// Advisers and their devices: admins and the head office.
pub const PAGE: PageSpec = PageSpec {
    slug: "advisers",
    title_cs: "Poradci",
    title_en: "Advisers",
    open: Roles::Only(&[Role::Admin, Role::Office]),
    edit: Roles::Only(&[Role::Admin, Role::Office]),
    component: Advisers,
};

#[component]
pub fn Advisers() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut filter = use_signal(AdviserFilter::default);
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let mut errors = use_signal(Errors::new);
    let mut form_key = use_signal(|| 0u32);
    let mut draft = use_signal(crate::office::ui::Draft::new);
    let mut shown_code = use_signal(|| None::<ShownCode>);
    let mut editing = use_signal(|| None::<AdviserId>);

    let store = ctx.state.store.clone();
    let shops = use_resource(move || {
        let store = store.clone();
        async move { store.list_shops().await }
    });
    let store = ctx.state.store.clone();
    let advisers = use_resource(move || {
        let store = store.clone();
        let f = filter();
        let _ = reload();
        async move { store.list_advisers(&f).await }
    });

    let l = lang();
    let shop_list = match &*shops.read() {
        Some(Ok(s)) => s.clone(),
        _ => Vec::new(),
    };

    let create_ctx = ctx.clone();
    let on_create = move |evt: FormEvent| {
        let ctx = create_ctx.clone();
        draft.set(form_values(&evt));
        let mut errs = Errors::new();
        let name = check(
            &mut errs,
            validate::required("name", &form_text(&evt, "name")),
        );
        let email = check(
            &mut errs,
            validate::email("email", &form_text(&evt, "email")),
        );
        let phone_raw = form_text(&evt, "phone");
        let phone = if phone_raw.trim().is_empty() {
            String::new()
        } else {
            check(&mut errs, validate::phone_cz("phone", &phone_raw))
        };
        let code = check(
            &mut errs,
            validate::required("code", &form_text(&evt, "code")),
        )
        .to_uppercase();
        let region = check(
            &mut errs,
            validate::required("region", &form_text(&evt, "region")),
        );
        let shop: Option<StoreId> = form_text(&evt, "home_shop").parse().ok();
        if shop.is_none() {
            errs.push((
                "home_shop".into(),
                Text::new("Vyberte domovskou prodejnu", "Choose a home shop"),
            ));
        }
        let password = form_text(&evt, "password");
        if !password.is_empty() && password.chars().count() < auth::MIN_PASSWORD_LEN {
            errs.push((
                "password".into(),
                Text::new(
                    "Heslo musí mít aspoň 8 znaků",
                    "The password needs at least 8 characters",
                ),
            ));
        }
        if password.len() > auth::MAX_PASSWORD_LEN {
            errs.push((
                "password".into(),
                Text::new("Heslo je příliš dlouhé", "The password is too long"),
            ));
        }
        if !errs.is_empty() || shop.is_none() {
            errors.set(errs);
            notice.set(Some(Notice::err(
                "Opravte zvýrazněná pole.",
                "Please correct the highlighted fields.",
            )));
            return;
        }
        spawn(async move {
            let actor = match ctx.authorize(&PAGE).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let generated = password.is_empty();
            let password = if generated {
                auth::new_token()[..12].to_owned()
            } else {
                password
            };
            let hash = match tokio::task::spawn_blocking(move || {
                auth::hash_password(&password).map(|h| (h, password))
            })
            .await
            {
                Ok(Ok(pair)) => pair,
                _ => {
                    return notice.set(Some(Notice::err(
                        "Heslo se nepodařilo zpracovat.",
                        "Could not process the password.",
                    )));
                }
            };
            let new = NewAdviser {
                code,
                name: name.clone(),
                email,
                phone,
                region,
                home_shop: shop.unwrap_or_default(),
                password_hash: hash.0,
            };
            match ctx.state.store.create_adviser(&actor, &new).await {
                Ok(a) => {
                    errors.set(Errors::new());
                    draft.set(crate::office::ui::Draft::new());
                    form_key += 1;
                    reload += 1;
                    notice.set(Some(if generated {
                        Notice::ok(
                            format!(
                                "Poradce {} vytvořen. Počáteční heslo: {} (zobrazí se jen teď).",
                                a.name, hash.1
                            ),
                            format!(
                                "Adviser {} created. Initial password: {} (shown only now).",
                                a.name, hash.1
                            ),
                        )
                    } else {
                        Notice::ok(
                            format!("Poradce {} vytvořen.", a.name),
                            format!("Adviser {} created.", a.name),
                        )
                    }));
                }
                Err(StoreError::Duplicate { field }) => {
                    let (field, msg) = if field == "email" {
                        (
                            "email",
                            Text::new(
                                "Tento e-mail už používá jiný účet.",
                                "This e-mail is already used by another account.",
                            ),
                        )
                    } else {
                        (
                            "code",
                            Text::new(
                                "Toto číslo poradce už existuje.",
                                "This adviser number already exists.",
                            ),
                        )
                    };
                    errors.set(vec![(field.into(), msg)]);
                    notice.set(Some(Notice::err(
                        "Opravte zvýrazněná pole.",
                        "Please correct the highlighted fields.",
                    )));
                }
                Err(err) => {
                    tracing::error!(%err, "creating an adviser");
                    notice.set(Some(Notice::err(
                        "Poradce se nepodařilo uložit.",
                        "Could not save the adviser.",
                    )));
                }
            }
        });
    };

    let errs = errors();
    let d = draft();
    rsx! {
        NoticeBar { notice: notice() }
        if let Some(code) = shown_code() {
            div { class: "card enrol-code", id: "enrol-code",
                h2 { {l.pick("Kód pro zapsání zařízení", "Device enrolment code")} }
                p { "{code.adviser}" }
                div { class: "code", "{code.code}" }
                p { class: "muted",
                    {match l {
                        Lang::Cs => format!("Jednorázový, platí {ENROLMENT_CODE_MINUTES} minut (do {}). Zadejte ho v aplikaci poradce.", datetime(code.until)),
                        Lang::En => format!("One-time, valid {ENROLMENT_CODE_MINUTES} minutes (until {}). Enter it in the adviser's app.", datetime(code.until)),
                    }}
                }
                button { class: "btn", onclick: move |_| shown_code.set(None), {l.pick("Zavřít", "Close")} }
            }
        }
        div { class: "grid-main-side",
            section { class: "card",
                div { class: "toolbar",
                    input {
                        r#type: "search",
                        name: "q",
                        placeholder: l.pick("Hledat jméno, e-mail, číslo, region…", "Search name, e-mail, number, region…"),
                        oninput: move |e| filter.write().text = e.value(),
                    }
                    select {
                        name: "shop_filter",
                        onchange: move |e| filter.write().shop = e.value().parse().ok(),
                        option { value: "", {l.pick("Všechny prodejny", "All shops")} }
                        for s in shop_list.iter() {
                            option { key: "{s.id}", value: "{s.id}", "{s.name}" }
                        }
                    }
                    label { class: "check",
                        input { r#type: "checkbox", onchange: move |e| filter.write().include_inactive = e.checked() }
                        {l.pick("i neaktivní", "include inactive")}
                    }
                }
                match &*advisers.read() {
                    None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                    Some(Err(err)) => {
                        tracing::error!(%err, "listing advisers");
                        rsx! { div { class: "alert alert-error", {l.pick("Seznam se nepodařilo načíst.", "Could not load the list.")} } }
                    }
                    Some(Ok(list)) => rsx! {
                        p { class: "muted", {count(l, list.len(), ["poradce", "poradci", "poradců"], ["adviser", "advisers"])} }
                        div { class: "table-wrap", table { class: "table", id: "advisers-table",
                            thead { tr {
                                th { {l.pick("Číslo", "No.")} }
                                th { {l.pick("Jméno a e-mail", "Name and e-mail")} }
                                th { {l.pick("Region a prodejna", "Region and shop")} }
                                th { class: "num", {l.pick("Klienti", "Clients")} }
                                th { {l.pick("Stav", "State")} }
                                th {}
                            } }
                            tbody {
                                for a in list.iter().cloned() {
                                    AdviserRow {
                                        key: "{a.id}",
                                        adviser: a.clone(),
                                        shops: shop_list.clone(),
                                        editing: editing() == Some(a.id),
                                        on_edit: move |id| editing.set(id),
                                        on_changed: move |n: Notice| { notice.set(Some(n)); reload += 1; },
                                        on_code: move |c: (String, String, OffsetDateTime)| shown_code.set(Some(ShownCode { adviser: c.0, code: c.1, until: c.2 })),
                                    }
                                }
                            }
                        } }
                    },
                }
            }
            for k in [form_key()] {
            section { class: "card side-form", key: "{k}",
                h2 { {l.pick("Nový poradce", "New adviser")} }
                form { class: "form", id: "new-adviser", onsubmit: on_create.clone(), onchange: move |e: FormEvent| draft.set(form_values(&e)),
                    Field { label: l.pick("Jméno a příjmení", "Full name"), name: "name", value: drafted(&d, "name"), required: true, error: error_for(&errs, "name", l) }
                    Field { label: "E-mail", name: "email", value: drafted(&d, "email"), kind: "email", required: true, error: error_for(&errs, "email", l) }
                    Field { label: l.pick("Telefon", "Phone"), name: "phone", value: drafted(&d, "phone"), kind: "tel", error: error_for(&errs, "phone", l) }
                    Field { label: l.pick("Číslo poradce", "Adviser number"), name: "code", value: drafted(&d, "code"), required: true, error: error_for(&errs, "code", l) }
                    Field { label: l.pick("Region", "Region"), name: "region", value: drafted(&d, "region"), required: true, error: error_for(&errs, "region", l) }
                    label { class: if error_for(&errs, "home_shop", l).is_some() { "field has-error" } else { "field" },
                        span { {l.pick("Domovská prodejna", "Home shop")} }
                        select { name: "home_shop", required: true,
                            option { value: "", {l.pick("— vyberte —", "— choose —")} }
                            for s in shop_list.iter().filter(|s| s.active) {
                                option { key: "{s.id}", value: "{s.id}", "{s.name}" }
                            }
                        }
                        if let Some(e) = error_for(&errs, "home_shop", l) { small { class: "field-error", "{e}" } }
                    }
                    Field {
                        label: l.pick("Počáteční heslo (prázdné = vygenerovat)", "Initial password (empty = generate)"),
                        name: "password",
                        kind: "password",
                        error: error_for(&errs, "password", l),
                    }
                    button { class: "btn btn-primary", r#type: "submit", {l.pick("Vytvořit poradce", "Create adviser")} }
                }
            }
            }
        }
    }
}

#[component]
fn AdviserRow(
    adviser: crate::store::Adviser,
    shops: Vec<crate::store::Shop>,
    editing: bool,
    on_edit: EventHandler<Option<AdviserId>>,
    on_changed: EventHandler<Notice>,
    on_code: EventHandler<(String, String, OffsetDateTime)>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let l = lang();
    let a = adviser.clone();
    let id = a.id;
    let mut show_devices = use_signal(|| false);

    let toggle_ctx = ctx.clone();
    let name = a.name.clone();
    let active = a.active;
    let toggle = move |_| {
        let ctx = toggle_ctx.clone();
        let name = name.clone();
        spawn(async move {
            let result = match ctx.authorize(&PAGE).await {
                Ok(actor) => ctx
                    .state
                    .store
                    .set_adviser_active(&actor, id, !active)
                    .await
                    .map(|()| {
                        // The store revoked the devices' tokens; cut their live connections too.
                        if active {
                            ctx.state.sync.revoke_adviser(id);
                        }
                    })
                    .map_err(|e| failed(&e)),
                Err(msg) => Err(msg),
            };
            on_changed.call(match result {
                Ok(()) if active => Notice::ok(
                    format!("{name}: deaktivován, zařízení odpojena."),
                    format!("{name}: deactivated, devices revoked."),
                ),
                Ok(()) => Notice::ok(
                    format!("{name}: znovu aktivní."),
                    format!("{name}: active again."),
                ),
                Err(msg) => Notice::Err(msg),
            });
        });
    };

    let enrol_ctx = ctx.clone();
    let name = a.name.clone();
    let enrol = move |_| {
        let ctx = enrol_ctx.clone();
        let name = name.clone();
        spawn(async move {
            let actor = match ctx.authorize(&PAGE).await {
                Ok(a) => a,
                Err(msg) => return on_changed.call(Notice::Err(msg)),
            };
            match enrolment::issue_code(ctx.state.store.as_ref(), &actor, id).await {
                Ok(issued) => on_code.call((name, issued.code, issued.expires_at)),
                Err(ServiceError::Refused(why)) => {
                    on_changed.call(Notice::err(
                        "Poradce je deaktivovaný; kód nelze vydat.",
                        format!("No code: {why}."),
                    ));
                }
                Err(err) => {
                    tracing::error!(%err, "creating an enrolment code");
                    on_changed.call(Notice::err(
                        "Kód se nepodařilo vytvořit.",
                        "Could not create the code.",
                    ));
                }
            }
        });
    };

    let save_ctx = ctx.clone();
    let save = move |evt: FormEvent| {
        let ctx = save_ctx.clone();
        let region = form_text(&evt, "region").trim().to_owned();
        let shop: Option<StoreId> = form_text(&evt, "home_shop").parse().ok();
        spawn(async move {
            let (Some(shop), false) = (shop, region.is_empty()) else {
                return on_changed.call(Notice::err(
                    "Vyplňte region a prodejnu.",
                    "Fill in region and shop.",
                ));
            };
            let result = match ctx.authorize(&PAGE).await {
                Ok(actor) => ctx
                    .state
                    .store
                    .update_adviser(&actor, id, &region, shop)
                    .await
                    .map_err(|e| failed(&e)),
                Err(msg) => Err(msg),
            };
            on_edit.call(None);
            on_changed.call(match result {
                Ok(()) => Notice::ok("Změny uloženy.", "Changes saved."),
                Err(msg) => Notice::Err(msg),
            });
        });
    };

    if editing {
        return rsx! {
            tr { class: "editing",
                td { "{a.code}" }
                td { "{a.name}" }
                td { colspan: 4,
                    form { class: "inline-form", onsubmit: save,
                        input { name: "region", value: "{a.region}", required: true, "aria-label": "Region" }
                        select { name: "home_shop", "aria-label": l.pick("Domovská prodejna", "Home shop"),
                            for s in shops.iter() {
                                option { key: "{s.id}", value: "{s.id}", selected: s.id == a.home_shop, "{s.name}" }
                            }
                        }
                        button { class: "btn btn-primary", r#type: "submit", {l.pick("Uložit", "Save")} }
                        button { class: "btn", r#type: "button", onclick: move |_| on_edit.call(None), {l.pick("Zrušit", "Cancel")} }
                    }
                }
            }
        };
    }
    rsx! {
        tr { class: if a.active { "" } else { "inactive" },
            td { "{a.code}" }
            td { div { class: "strong", "{a.name}" } div { class: "muted small", "{a.email}" } }
            td { div { "{a.region}" } div { class: "muted small", "{a.home_shop_name}" } }
            td { class: "num clients", "{a.clients}" }
            td {
                if a.active {
                    span { class: "pill pill-ok", {l.pick("aktivní", "active")} }
                } else {
                    span { class: "pill", {l.pick("neaktivní", "inactive")} }
                }
            }
            td { class: "actions",
                button { class: "btn btn-small", onclick: move |_| on_edit.call(Some(id)), {l.pick("Upravit", "Edit")} }
                if a.active {
                    button { class: "btn btn-small", onclick: enrol, {l.pick("Zapsat zařízení", "Enrol a device")} }
                }
                button { class: "btn btn-small", onclick: move |_| show_devices.toggle(), {l.pick("Zařízení", "Devices")} }
                button { class: "btn btn-small btn-ghost", onclick: toggle,
                    if a.active { {l.pick("Deaktivovat", "Deactivate")} } else { {l.pick("Aktivovat", "Activate")} }
                }
            }
        }
        if show_devices() {
            tr { class: "devices-row",
                td { colspan: 6, DeviceList { adviser: id, on_changed } }
            }
        }
    }
}

/// An adviser's enrolled devices, with revocation.
#[component]
fn DeviceList(adviser: AdviserId, on_changed: EventHandler<Notice>) -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut reload = use_signal(|| 0u32);
    let store = ctx.state.store.clone();
    let devices = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let mut out = Vec::new();
            for d in store.list_devices(adviser).await? {
                // Whether the office can wake the phone with a push (FCM/APNs).
                let push = store.push_token(d.id).await?.map(|(platform, _)| platform);
                out.push((d, push));
            }
            Ok::<_, crate::store::StoreError>(out)
        }
    });
    let l = lang();
    let revoke_ctx = ctx.clone();
    let revoke = move |(device, name): (fieldcase_shared::DeviceId, String)| {
        let ctx = revoke_ctx.clone();
        spawn(async move {
            let result = match ctx.authorize(&PAGE).await {
                Ok(actor) => ctx
                    .state
                    .store
                    .revoke_device(&actor, device)
                    .await
                    .map_err(|e| failed(&e)),
                Err(m) => Err(m),
            };
            match result {
                Ok(()) => {
                    // Cut the live connection too, not only the token.
                    ctx.state.sync.revoke_device(device);
                    on_changed.call(Notice::ok(
                        format!("Zařízení {name} odvoláno; jeho přihlášení už neplatí."),
                        format!("Device {name} revoked; its token no longer works."),
                    ));
                }
                Err(m) => on_changed.call(Notice::Err(m)),
            }
            reload += 1;
        });
    };
    match &*devices.read() {
        None => rsx! { span { class: "muted", {l.pick("Načítám…", "Loading…")} } },
        Some(Err(_)) => {
            rsx! { span { class: "field-error", {l.pick("Zařízení se nepodařilo načíst.", "Could not load the devices.")} } }
        }
        Some(Ok(list)) if list.is_empty() => {
            rsx! { span { class: "muted", {l.pick("Žádné zapsané zařízení.", "No enrolled devices.")} } }
        }
        Some(Ok(list)) => rsx! {
            table { class: "table devices",
                tbody {
                    for (d, push) in list.iter().cloned() {
                        tr { key: "{d.id}",
                            td { class: "strong", "{d.name}" }
                            td { class: "muted small push",
                                match push {
                                    Some(p) => rsx! { "push: {p}" },
                                    None => rsx! { {l.pick("bez push", "no push")} },
                                }
                            }
                            td { class: "muted small",
                                {l.pick("zapsáno ", "enrolled ")} "{datetime(d.created_at)}"
                            }
                            td { class: "muted small",
                                match d.last_seen_at {
                                    Some(t) => rsx! { {l.pick("naposledy ", "last sync ")} "{datetime(t)}" },
                                    None => rsx! { {l.pick("zatím nesynchronizováno", "not synced yet")} },
                                }
                            }
                            td { class: "actions",
                                if d.revoked_at.is_some() {
                                    span { class: "pill", {l.pick("odvoláno", "revoked")} }
                                } else {
                                    button {
                                        class: "btn btn-small btn-ghost",
                                        onclick: {
                                            let revoke = revoke.clone();
                                            let name = d.name.clone();
                                            move |_| revoke((d.id, name.clone()))
                                        },
                                        {l.pick("Odvolat", "Revoke")}
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    }
}
