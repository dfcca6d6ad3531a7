//! The Commission rules page's advisers' levels: each adviser's level (junior,
//! senior, team lead) and team lead from a day on, and a form that sets a new one
//! (accounting and administrators; a level starting the same day twice, an
//! unknown adviser or lead, a lead of themselves refused with the field).

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use super::rule_edit::set_level;
use super::rules::Level;
use crate::office::live::Ctx;
use crate::office::ui::{Notice, NoticeBar};

/// The levels box.
#[component]
pub fn Levels(may_edit: bool) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut adviser = use_signal(String::new);
    let mut level = use_signal(|| "senior".to_owned());
    let mut lead = use_signal(String::new);
    let mut from = use_signal(String::new);
    let store = ctx.state.store.clone();
    let rows = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let advisers = store
                .list_advisers(&crate::store::AdviserFilter::default())
                .await?;
            let code = |id| {
                advisers
                    .iter()
                    .find(|a| a.id == id)
                    .map(|a| a.code.clone())
                    .unwrap_or_default()
            };
            let levels = store.all_adviser_levels().await?;
            Ok::<_, crate::store::StoreError>(
                levels
                    .into_iter()
                    .map(|x| {
                        (
                            code(x.adviser),
                            x.level,
                            x.team_lead.map(code).unwrap_or_default(),
                            x.valid_from,
                        )
                    })
                    .collect::<Vec<_>>(),
            )
        }
    });
    let save = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(
                match set_level(
                    ctx.state.store.as_ref(),
                    &actor,
                    role,
                    &adviser(),
                    &level(),
                    &lead(),
                    &from(),
                )
                .await
                {
                    Ok(_) => Notice::ok("Úroveň nastavena.", "Level set."),
                    Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
                },
            ));
            reload += 1;
        });
    };
    rsx! {
        section { class: "card", id: "adviser-levels",
            h2 { {l.pick("Úrovně poradců", "Advisers' levels")} }
            NoticeBar { notice: notice() }
            if may_edit {
                div { class: "inline-form",
                    input { id: "level-adviser", placeholder: l.pick("Číslo poradce", "Adviser number"), value: "{adviser}", oninput: move |e| adviser.set(e.value()) }
                    select { id: "level-level", onchange: move |e| level.set(e.value()),
                        for lv in Level::ALL {
                            option { key: "{lv.code()}", value: lv.code(), selected: level() == lv.code(), {lv.label(l)} }
                        }
                    }
                    input { id: "level-lead", placeholder: l.pick("Vedoucí týmu (číslo)", "Team lead (number)"), value: "{lead}", oninput: move |e| lead.set(e.value()) }
                    input { id: "level-from", r#type: "date", value: "{from}", oninput: move |e| from.set(e.value()) }
                    button { class: "btn", id: "level-save", onclick: save, {l.pick("Nastavit úroveň", "Set the level")} }
                }
            }
            match &*rows.read() {
                Some(Ok(list)) if !list.is_empty() => rsx! {
                    table { class: "table", id: "levels-table",
                        thead { tr {
                            th { {l.pick("Poradce", "Adviser")} } th { {l.pick("Úroveň", "Level")} }
                            th { {l.pick("Vedoucí týmu", "Team lead")} } th { {l.pick("Od", "From")} }
                        } }
                        tbody {
                            for (i, (code, lv, lead, from)) in list.iter().enumerate() {
                                tr { key: "{i}", class: "level", "data-adviser": "{code}",
                                    td { "{code}" } td { {lv.label(l)} } td { "{lead}" } td { "{from}" }
                                }
                            }
                        }
                    }
                },
                Some(Ok(_)) => rsx! { p { class: "muted", {l.pick("Zatím nikdo nemá úroveň (platí začínající).", "No levels yet (junior applies).")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Úrovně se nepodařilo načíst.", "Could not load the levels.")} } },
                None => rsx! {},
            }
        }
    }
}
