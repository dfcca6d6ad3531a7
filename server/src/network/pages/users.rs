//! Staff users: create, change role and shop, deactivate, reset password.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Role, StoreId};

use crate::auth;
use crate::network::staff::{self, NewStaff};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{
    Errors, Field, Notice, NoticeBar, Text, drafted, error_for, failed, form_text, form_values,
};
use crate::service::ServiceError;
use crate::store::{StoreError, User};

/// Staff roles offered in the forms (advisers are created on the advisers page).
const STAFF_ROLES: [Role; 6] = [
    Role::Office,
    Role::Store,
    Role::Lab,
    Role::Accounting,
    Role::CustomerService,
    Role::Admin,
];

/// Staff users: admins only.
pub const PAGE: PageSpec = PageSpec {
    slug: "users",
    title_cs: "Uživatelé",
    title_en: "Users",
    open: Roles::Only(&[Role::Admin]),
    edit: Roles::Only(&[Role::Admin]),
    component: Users,
};

#[component]
pub fn Users() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let mut errors = use_signal(Errors::new);
    let mut form_key = use_signal(|| 0u32);
    let mut draft = use_signal(crate::office::ui::Draft::new);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { Ok::<_, StoreError>((store.list_users().await?, store.list_shops().await?)) }
    });
    let l = lang();

    let create_ctx = ctx.clone();
    let on_create = move |evt: FormEvent| {
        let ctx = create_ctx.clone();
        draft.set(form_values(&evt));
        // The rules are the service's (the same as `fieldcase user add`).
        let input = NewStaff {
            email: form_text(&evt, "email"),
            name: form_text(&evt, "name"),
            role: form_text(&evt, "role"),
            shop: form_text(&evt, "shop").parse().ok(),
            password: form_text(&evt, "password"),
            lang: Lang::Cs,
        };
        spawn(async move {
            let actor = match ctx.authorize(&PAGE).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            match staff::create(ctx.state.store.as_ref(), &actor, input).await {
                Ok(u) => {
                    errors.set(Errors::new());
                    draft.set(crate::office::ui::Draft::new());
                    form_key += 1;
                    reload += 1;
                    notice.set(Some(Notice::ok(
                        format!("Uživatel {} vytvořen.", u.name),
                        format!("User {} created.", u.name),
                    )));
                }
                Err(ServiceError::Invalid(fields)) => {
                    errors.set(
                        fields
                            .iter()
                            .map(|f| (f.field.clone(), Text::from(f)))
                            .collect(),
                    );
                }
                Err(err) => {
                    tracing::error!(%err, "creating a user");
                    notice.set(Some(Notice::err(
                        "Uživatele se nepodařilo uložit.",
                        "Could not save the user.",
                    )));
                }
            }
        });
    };

    let errs = errors();
    let d = draft();
    let (users, shops) = match &*data.read() {
        Some(Ok((u, s))) => (u.clone(), s.clone()),
        Some(Err(_)) => {
            return rsx! { div { class: "alert alert-error", {l.pick("Seznam se nepodařilo načíst.", "Could not load the list.")} } };
        }
        None => return rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
    };
    rsx! {
        NoticeBar { notice: notice() }
        div { class: "grid-main-side",
            section { class: "card",
                div { class: "table-wrap", table { class: "table", id: "users-table",
                    thead { tr {
                        th { {l.pick("Jméno a e-mail", "Name and e-mail")} }
                        th { {l.pick("Role a prodejna", "Role and shop")} }
                        th { {l.pick("Stav", "State")} }
                        th {}
                    } }
                    tbody {
                        for u in users.into_iter() {
                            UserRow {
                                key: "{u.id}",
                                me: u.id == ctx.session.user.id,
                                user: u,
                                shops: shops.clone(),
                                on_changed: move |n: Notice| { notice.set(Some(n)); reload += 1; },
                            }
                        }
                    }
                } }
            }
            for k in [form_key()] {
            section { class: "card side-form", key: "{k}",
                h2 { {l.pick("Nový uživatel", "New user")} }
                form { class: "form", id: "new-user", onsubmit: on_create.clone(), onchange: move |e: FormEvent| draft.set(form_values(&e)),
                    Field { label: l.pick("Jméno a příjmení", "Full name"), name: "name", value: drafted(&d, "name"), required: true, error: error_for(&errs, "name", l) }
                    Field { label: "E-mail", name: "email", value: drafted(&d, "email"), kind: "email", required: true, error: error_for(&errs, "email", l) }
                    label { class: "field",
                        span { "Role" }
                        select { name: "role",
                            for r in STAFF_ROLES { option { key: "{r.code()}", value: r.code(), "{r.label(l)}" } }
                        }
                        if let Some(e) = error_for(&errs, "role", l) { small { class: "field-error", "{e}" } }
                    }
                    label { class: "field",
                        span { {l.pick("Prodejna (pro roli prodejna)", "Shop (for the store role)")} }
                        select { name: "shop",
                            option { value: "", "—" }
                            for s in shops.iter() { option { key: "{s.id}", value: "{s.id}", "{s.name}" } }
                        }
                    }
                    Field { label: l.pick("Heslo", "Password"), name: "password", kind: "password", required: true, error: error_for(&errs, "password", l) }
                    button { class: "btn btn-primary", r#type: "submit", {l.pick("Vytvořit uživatele", "Create user")} }
                }
            }
            }
        }
    }
}

#[component]
fn UserRow(
    user: User,
    shops: Vec<crate::store::Shop>,
    me: bool,
    on_changed: EventHandler<Notice>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let l = lang();
    let id = user.id;
    let active = user.active;
    let locked = user
        .locked_until
        .is_some_and(|t| t > time::OffsetDateTime::now_utc());

    let role_ctx = ctx.clone();
    let save_role = move |evt: FormEvent| {
        let ctx = role_ctx.clone();
        let role = form_text(&evt, "role").parse::<Role>();
        let shop: Option<StoreId> = form_text(&evt, "shop").parse().ok();
        spawn(async move {
            let result = match (role, ctx.authorize(&PAGE).await) {
                (Ok(role), Ok(actor)) if role != Role::Adviser => ctx
                    .state
                    .store
                    .set_user_role(&actor, id, role, shop)
                    .await
                    .map_err(|e| failed(&e)),
                (_, Err(m)) => Err(m),
                _ => Err(Text::new("Neznámá role.", "Unknown role.")),
            };
            on_changed.call(match result {
                Ok(()) => Notice::ok("Role uložena.", "Role saved."),
                Err(m) => Notice::Err(m),
            });
        });
    };
    let toggle_ctx = ctx.clone();
    let toggle = move |_| {
        let ctx = toggle_ctx.clone();
        spawn(async move {
            let result = match ctx.authorize(&PAGE).await {
                Ok(actor) => ctx
                    .state
                    .store
                    .set_user_active(&actor, id, !active)
                    .await
                    .map_err(|e| failed(&e)),
                Err(m) => Err(m),
            };
            on_changed.call(match result {
                Ok(()) => Notice::ok("Uloženo.", "Saved."),
                Err(m) => Notice::Err(m),
            });
        });
    };
    let reset_ctx = ctx.clone();
    let name = user.name.clone();
    let reset = move |_| {
        let ctx = reset_ctx.clone();
        let name = name.clone();
        spawn(async move {
            let password = auth::new_token()[..12].to_owned();
            let shown = password.clone();
            let result = match ctx.authorize(&PAGE).await {
                Ok(actor) => {
                    match tokio::task::spawn_blocking(move || auth::hash_password(&password)).await
                    {
                        Ok(Ok(hash)) => ctx
                            .state
                            .store
                            .set_password(&actor, id, &hash)
                            .await
                            .map_err(|e| failed(&e)),
                        _ => Err(Text::new(
                            "Heslo se nepodařilo zpracovat.",
                            "Could not process the password.",
                        )),
                    }
                }
                Err(m) => Err(m),
            };
            on_changed.call(match result {
                Ok(()) => Notice::ok(format!("Nové dočasné heslo pro {name}: {shown} (zobrazí se jen teď; odemkne i zamčený účet)."), format!("New temporary password for {name}: {shown} (shown only now; also unlocks a locked account).")),
                Err(m) => Notice::Err(m),
            });
        });
    };

    rsx! {
        tr { class: if active { "" } else { "inactive" },
            td { div { class: "strong", "{user.name}" } div { class: "muted small", "{user.email}" } }
            td {
                form { class: "inline-form", onsubmit: save_role,
                    select { name: "role", "aria-label": "Role", disabled: me,
                        for r in STAFF_ROLES { option { key: "{r.code()}", value: r.code(), selected: r == user.role, "{r.label(l)}" } }
                    }
                    select { name: "shop", "aria-label": l.pick("Prodejna", "Shop"), disabled: me,
                        option { value: "", "—" }
                        for s in shops.iter() { option { key: "{s.id}", value: "{s.id}", selected: Some(s.id) == user.shop, "{s.name}" } }
                    }
                    if !me { button { class: "btn btn-small", r#type: "submit", {l.pick("Uložit", "Save")} } }
                }
            }
            td {
                if !active { span { class: "pill", {l.pick("neaktivní", "inactive")} } }
                else if locked { span { class: "pill pill-warn", {l.pick("zamčený", "locked")} } }
                else { span { class: "pill pill-ok", {l.pick("aktivní", "active")} } }
            }
            td { class: "actions",
                if !me {
                    button { class: "btn btn-small", onclick: reset, {l.pick("Nové heslo", "Reset password")} }
                    button { class: "btn btn-small btn-ghost", onclick: toggle,
                        if active { {l.pick("Deaktivovat", "Deactivate")} } else { {l.pick("Aktivovat", "Activate")} }
                    }
                }
            }
        }
    }
}
