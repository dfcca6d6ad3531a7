//! Assignment (`/office/assignment`): postal-code ranges → adviser. A customer who
//! arrives without an adviser goes to the adviser of the narrowest range that
//! covers their postal code (every hour, or now with the button); a customer is
//! moved by hand on their card.

use dioxus::prelude::*;
use fieldcase_shared::{AdviserId, Lang};

use crate::customers::assign::{by_rules, postal};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, failed, form_text};

/// Assignment: every staff role reads; the office and admins change.
pub const PAGE: PageSpec = PageSpec {
    slug: "assignment",
    title_cs: "Přiřazení",
    title_en: "Assignment",
    open: Roles::Staff,
    edit: Roles::Only(crate::catalog::terms::PRICE_SETTERS),
    component: Assignment,
};

#[component]
fn Assignment() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let rules = store.assignment_rules().await?;
            let advisers = store.list_advisers(&Default::default()).await?;
            Ok::<_, crate::store::StoreError>((rules, advisers))
        }
    });
    let editor = ctx.page.may_edit(ctx.session.user.role);
    let add_ctx = ctx.clone();
    let add = move |evt: FormEvent| {
        let ctx = add_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let (from, to) = (
                postal(&form_text(&evt, "from")),
                postal(&form_text(&evt, "to")),
            );
            let adviser = form_text(&evt, "adviser")
                .parse::<uuid::Uuid>()
                .ok()
                .map(AdviserId::from_uuid);
            let (Some(from), Some(to), Some(adviser)) = (from, to, adviser) else {
                return notice.set(Some(Notice::err(
                    "Zadejte PSČ od a do (5 číslic) a poradce.",
                    "Give the postal codes from and to (5 digits) and the adviser.",
                )));
            };
            if from > to {
                return notice.set(Some(Notice::err(
                    "PSČ od musí být menší než do.",
                    "The first postal code must not be above the last.",
                )));
            }
            notice.set(Some(
                match ctx
                    .state
                    .store
                    .add_assignment_rule(&actor, &from, &to, adviser)
                    .await
                {
                    Ok(_) => Notice::ok("Pravidlo přidáno.", "Rule added."),
                    Err(err) => Notice::Err(failed(&err)),
                },
            ));
            reload += 1;
        });
    };
    let del_ctx = ctx.clone();
    let delete = move |id: uuid::Uuid| {
        let ctx = del_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(
                match ctx.state.store.delete_assignment_rule(&actor, id).await {
                    Ok(()) => Notice::ok("Pravidlo smazáno.", "Rule deleted."),
                    Err(err) => Notice::Err(failed(&err)),
                },
            ));
            reload += 1;
        });
    };
    let run_ctx = ctx.clone();
    let run = move |_| {
        let ctx = run_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(match by_rules(&ctx.state, &actor).await {
                Ok(n) => Notice::ok(
                    format!("Přiřazeno zákazníků: {n}."),
                    format!("Customers assigned: {n}."),
                ),
                Err(err) => {
                    tracing::error!(%err, "assigning by region");
                    Notice::err(
                        "Přiřazení se nepovedlo; zkuste to znovu.",
                        "Assigning failed; try again.",
                    )
                }
            }));
        });
    };
    rsx! {
        NoticeBar { notice: notice() }
        match &*data.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Pravidla se nepodařilo načíst.", "Could not load the rules.")} } },
            Some(Ok((rules, advisers))) => rsx! {
                section { class: "card", id: "assignment-rules",
                    h2 { {l.pick("Oblasti poradců podle PSČ", "Advisers' regions by postal code")} }
                    p { class: "muted small", {l.pick("Zákazník bez poradce (kancelář, prodejna, e-shop) připadne poradci nejužší oblasti, do které patří jeho PSČ. Jinému poradci ho přeřadíte na jeho kartě.", "A customer without an adviser (office, store, e-shop) goes to the adviser of the narrowest region their postal code is in. Move a customer to another adviser on their card.")} }
                    table { class: "table", id: "rules-table",
                        thead { tr { th { {l.pick("PSČ od", "From")} } th { {l.pick("PSČ do", "To")} } th { {l.pick("Poradce", "Adviser")} } th {} } }
                        tbody {
                            for r in rules.iter().cloned() {
                                tr { key: "{r.id}", class: "rule",
                                    td { class: "mono", "{r.from}" } td { class: "mono", "{r.to}" } td { class: "mono", "{r.adviser_code}" }
                                    td { if editor { button { class: "btn btn-small btn-secondary", onclick: { let delete = delete.clone(); move |_| delete(r.id) }, {l.pick("Smazat", "Delete")} } } }
                                }
                            }
                        }
                    }
                    if editor {
                        form { class: "inline-form", id: "rule-form", onsubmit: add,
                            input { name: "from", placeholder: l.pick("PSČ od", "From"), size: "7", required: true }
                            input { name: "to", placeholder: l.pick("PSČ do", "To"), size: "7", required: true }
                            select { name: "adviser",
                                for a in advisers.iter().filter(|a| a.active) {
                                    option { key: "{a.id}", value: "{a.id}", "{a.code} · {a.name}" }
                                }
                            }
                            button { class: "btn btn-small", r#type: "submit", {l.pick("Přidat", "Add")} }
                        }
                        p { button { class: "btn", id: "assign-now", onclick: run, {l.pick("Přiřadit zákazníky bez poradce teď", "Assign customers without an adviser now")} } }
                    }
                }
            },
        }
    }
}
