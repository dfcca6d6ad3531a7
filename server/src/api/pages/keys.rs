//! API keys: every staff user makes, sees and revokes their own keys; an admin sees
//! and may revoke everyone's. The secret is shown once, right after it is made.
//! Links the API's documentation.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Role};

use crate::api::access;
use crate::api::keys::{ApiKey, Scope};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, Text, datetime, form_text};
use crate::service::ServiceError;
use crate::store::StoreError;

/// API keys: every staff user, for their own keys.
pub const PAGE: PageSpec = PageSpec {
    slug: "api-keys",
    title_cs: "API klíče",
    title_en: "API keys",
    open: Roles::Staff,
    edit: Roles::Staff,
    component: ApiKeys,
};

fn refused(err: &ServiceError) -> Text {
    match err {
        ServiceError::Invalid(fields) => {
            let cs: Vec<String> = fields.iter().map(|f| f.message(Lang::Cs)).collect();
            let en: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
            Text::new(
                format!("Klíč nelze vytvořit: {}", cs.join("; ")),
                format!("Cannot make the key: {}", en.join("; ")),
            )
        }
        ServiceError::Refused(why) => Text::new(format!("Nelze: {why}"), format!("Refused: {why}")),
        ServiceError::Store(err) => crate::office::ui::failed(err),
        ServiceError::Internal(err) => {
            tracing::error!(%err, "api keys");
            Text::new(
                "Nepodařilo se; zkuste to za chvíli.",
                "It failed; try again shortly.",
            )
        }
    }
}

#[component]
pub fn ApiKeys() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let me = ctx.session.user.clone();
    let admin = me.role == Role::Admin;
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    // The secret of the key just made: shown once.
    let mut fresh = use_signal(|| None::<(String, String)>);
    let store = ctx.state.store.clone();
    let me_id = me.id;
    let list = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            store
                .list_api_keys(if admin { None } else { Some(me_id) })
                .await
        }
    });

    let create_ctx = ctx.clone();
    let create = move |evt: FormEvent| {
        let ctx = create_ctx.clone();
        let name = form_text(&evt, "name");
        let scopes: Vec<Scope> = Scope::ALL
            .into_iter()
            .filter(|s| !form_text(&evt, s.code()).is_empty())
            .collect();
        spawn(async move {
            let actor = match ctx.authorize(&PAGE).await {
                Ok(actor) => actor,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            match access::create(ctx.state.store.as_ref(), &actor, me_id, &name, &scopes).await {
                Ok((key, secret)) => {
                    fresh.set(Some((key.name.clone(), secret)));
                    notice.set(Some(Notice::ok(
                        format!("Klíč „{}“ je vytvořený.", key.name),
                        format!("The key \"{}\" is made.", key.name),
                    )));
                }
                Err(err) => notice.set(Some(Notice::Err(refused(&err)))),
            }
            reload += 1;
        });
    };
    let revoke_ctx = ctx.clone();
    let revoke = move |key: ApiKey| {
        let ctx = revoke_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(&PAGE).await {
                Ok(actor) => actor,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let by = match ctx.state.store.get_user(ctx.session.user.id).await {
                Ok(user) => user,
                Err(err) => return notice.set(Some(Notice::Err(crate::office::ui::failed(&err)))),
            };
            notice.set(Some(
                match access::revoke(ctx.state.store.as_ref(), &actor, Some(&by), key.id).await {
                    Ok(_) => Notice::ok(
                        format!(
                            "Klíč „{}“ je zrušený; kdo ho používá, dostane 401.",
                            key.name
                        ),
                        format!(
                            "The key \"{}\" is revoked; whoever uses it gets 401.",
                            key.name
                        ),
                    ),
                    Err(err) => Notice::Err(refused(&err)),
                },
            ));
            reload += 1;
        });
    };

    rsx! {
        NoticeBar { notice: notice() }
        if let Some((name, secret)) = fresh() {
            section { class: "card", id: "new-key",
                h2 { {l.pick("Nový klíč: ", "New key: ")} "{name}" }
                p { {l.pick("Zkopírujte si ho teď; znovu už ho neuvidíte (uložen je jen jeho otisk).", "Copy it now; you will not see it again (only its hash is kept).")} }
                p { code { class: "mono secret", id: "new-secret", "{secret}" } }
                p { class: "muted small", "Authorization: Bearer …" }
            }
        }
        div { class: "grid-main-side",
            section { class: "card",
                p { {l.pick("Klíč jedná za vás, s vaší aktuální rolí, omezený na zvolená oprávnění. ", "A key acts for you, with your current role, limited to the scopes you pick. ")}
                    a { href: "/api/v1/docs", id: "api-docs-link", target: "_blank", {l.pick("Dokumentace API", "API documentation")} }
                }
                match &*list.read() {
                    None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                    Some(Err::<_, StoreError>(_)) => rsx! { div { class: "alert alert-error", {l.pick("Seznam se nepodařilo načíst.", "Could not load the list.")} } },
                    Some(Ok(list)) if list.is_empty() => rsx! { p { class: "muted", id: "no-keys", {l.pick("Zatím žádné klíče.", "No keys yet.")} } },
                    Some(Ok(list)) => rsx! {
                        div { class: "table-wrap", table { class: "table", id: "keys-table",
                            thead { tr {
                                th { {l.pick("Název", "Name")} }
                                if admin { th { {l.pick("Uživatel", "User")} } }
                                th { {l.pick("Klíč", "Key")} }
                                th { {l.pick("Oprávnění", "Scopes")} }
                                th { {l.pick("Vytvořen / naposledy použit", "Made / last used")} }
                                th {}
                            } }
                            tbody {
                                for key in list.iter().cloned() {
                                    tr { key: "{key.id}", class: if key.revoked_at.is_some() { "inactive" } else { "" }, "data-key": "{key.name}",
                                        td { class: "strong", "{key.name}" }
                                        if admin { td { "{key.user_email}" } }
                                        td { class: "mono", "{key.prefix}…" }
                                        td { {key.scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(" ")} }
                                        td { class: "small", "{datetime(key.created_at)}" br {} {key.last_used_at.map(datetime).unwrap_or_else(|| "—".into())} }
                                        td { class: "actions",
                                            if key.revoked_at.is_some() {
                                                span { class: "pill", {l.pick("zrušený", "revoked")} }
                                            } else {
                                                button { class: "btn btn-small btn-ghost", "data-revoke": "{key.name}",
                                                    onclick: {
                                                        let revoke = revoke.clone();
                                                        let key = key.clone();
                                                        move |_| revoke(key.clone())
                                                    },
                                                    {l.pick("Zrušit", "Revoke")}
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        } }
                    },
                }
            }
            section { class: "card side-form",
                h2 { {l.pick("Nový klíč", "New key")} }
                form { class: "form", id: "new-key-form", onsubmit: create,
                    label { class: "field",
                        span { {l.pick("Název (k čemu slouží)", "Name (what it is for)")} }
                        input { name: "name", maxlength: "80", required: true }
                    }
                    fieldset { class: "field",
                        legend { {l.pick("Oprávnění", "Scopes")} }
                        for scope in Scope::ALL {
                            label { key: "{scope.code()}", class: "check",
                                input { r#type: "checkbox", name: scope.code(), value: "on", checked: scope == Scope::OrdersRead }
                                " {scope.label(l)} "
                                span { class: "mono small muted", "{scope.code()}" }
                            }
                        }
                    }
                    button { class: "btn btn-primary", r#type: "submit", {l.pick("Vytvořit klíč", "Make the key")} }
                }
            }
        }
    }
}
