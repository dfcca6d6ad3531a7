//! Reminders (`/office/reminders`): the rules (an eye exam some months after the last
//! prescription; contact lenses when the supply runs out; how many days ahead) and
//! the reminders they made — open, done, snoozed — with the customer and the
//! adviser whose Today screen has the task. "Run now" makes what is due at once
//! (the hub also runs every hour).

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use fieldcase_shared::reminder::Rule;

use crate::customers::store::reminders::{ReminderState, RuleSettings};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, datetime, failed, form_text};

/// Reminders: every staff role reads; the roles that reach customers change the
/// rules and run them.
pub const PAGE: PageSpec = PageSpec {
    slug: "reminders",
    title_cs: "Připomínky",
    title_en: "Reminders",
    open: Roles::Staff,
    edit: Roles::Only(crate::customers::MARKETERS),
    component: Reminders,
};

/// The most reminders listed.
const SHOWN: i64 = 500;

/// A whole number from the form in `0..=max`.
fn number(evt: &FormEvent, name: &str, max: u32) -> Option<u32> {
    form_text(evt, name)
        .trim()
        .parse()
        .ok()
        .filter(|n| *n <= max)
}

#[component]
fn Reminders() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut state = use_signal(|| ReminderState::Open);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let (_, wanted) = (reload(), state());
        async move {
            let rules = store.reminder_rules().await?;
            let list = store.list_reminders(wanted, SHOWN).await?;
            Ok::<_, crate::store::StoreError>((rules, list))
        }
    });
    let editor = ctx.page.may_edit(ctx.session.user.role);
    let run_ctx = ctx.clone();
    let run_now = move |_| {
        let ctx = run_ctx.clone();
        spawn(async move {
            if let Err(msg) = ctx.authorize(ctx.page).await {
                return notice.set(Some(Notice::Err(msg)));
            }
            let today = time::OffsetDateTime::now_utc().date();
            notice.set(Some(
                match crate::customers::reminders::run(
                    ctx.state.store.as_ref(),
                    Some(&ctx.state.sync),
                    today,
                )
                .await
                {
                    Ok(r) => Notice::ok(
                        format!(
                            "Nových připomínek: {}; do telefonů poradců odešlo úkolů: {}.",
                            r.made, r.pushed
                        ),
                        format!(
                            "New reminders: {}; tasks sent to the advisers' phones: {}.",
                            r.made, r.pushed
                        ),
                    ),
                    Err(err) => {
                        tracing::error!(%err, "running reminders");
                        Notice::err(
                            "Připomínky se nepodařilo vytvořit.",
                            "Could not make the reminders.",
                        )
                    }
                },
            ));
            reload += 1;
        });
    };
    let rule_ctx = ctx.clone();
    let save_rule = move |(rule, evt): (Rule, FormEvent)| {
        let ctx = rule_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let (Some(months), Some(days_per_unit), Some(lead_days)) = (
                number(&evt, "months", 120),
                number(&evt, "days_per_unit", 3660),
                number(&evt, "lead_days", 365),
            ) else {
                return notice.set(Some(Notice::err(
                    "Zadejte celá čísla: měsíce 0–120, dny na balení 0–3660, předstih 0–365 dní.",
                    "Give whole numbers: months 0–120, days per unit 0–3660, days ahead 0–365.",
                )));
            };
            let settings = RuleSettings {
                rule,
                months,
                days_per_unit,
                lead_days,
                active: form_text(&evt, "active") == "yes",
            };
            notice.set(Some(
                match ctx.state.store.set_reminder_rule(&actor, &settings).await {
                    Ok(()) => Notice::ok("Pravidlo uloženo.", "Rule saved."),
                    Err(err) => Notice::Err(failed(&err)),
                },
            ));
            reload += 1;
        });
    };
    rsx! {
        NoticeBar { notice: notice() }
        match &*data.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Připomínky se nepodařilo načíst.", "Could not load the reminders.")} } },
            Some(Ok((rules, list))) => rsx! {
                section { class: "card", id: "reminder-rules",
                    h2 { {l.pick("Pravidla", "Rules")} }
                    for r in rules.iter().copied() {
                        form { class: "inline-form rule-form", id: "rule-{r.rule.code()}", key: "{r.rule.code()}",
                            onsubmit: { let save_rule = save_rule.clone(); move |evt: FormEvent| save_rule((r.rule, evt)) },
                            span { class: "strong", "{r.rule.label(l)}" }
                            if r.rule == Rule::EyeExam {
                                label { {l.pick("měsíců po posledním předpisu", "months after the last prescription")}
                                    input { name: "months", value: "{r.months}", size: "4", inputmode: "numeric", disabled: !editor } }
                                input { r#type: "hidden", name: "days_per_unit", value: "{r.days_per_unit}" }
                            } else {
                                label { {l.pick("dní zásoby na balení", "days of supply per unit")}
                                    input { name: "days_per_unit", value: "{r.days_per_unit}", size: "4", inputmode: "numeric", disabled: !editor } }
                                input { r#type: "hidden", name: "months", value: "{r.months}" }
                            }
                            label { {l.pick("dní předem", "days ahead")}
                                input { name: "lead_days", value: "{r.lead_days}", size: "4", inputmode: "numeric", disabled: !editor } }
                            select { name: "active", disabled: !editor,
                                option { value: "yes", selected: r.active, {l.pick("zapnuto", "on")} }
                                option { value: "no", selected: !r.active, {l.pick("vypnuto", "off")} }
                            }
                            if editor { button { class: "btn btn-small", r#type: "submit", {l.pick("Uložit", "Save")} } }
                        }
                    }
                    if editor {
                        p { button { class: "btn", id: "run-reminders", onclick: run_now, {l.pick("Vytvořit připomínky teď", "Make the reminders now")} }
                            span { class: "muted small", {l.pick(" (centrála to dělá i sama každou hodinu)", " (the hub also does it every hour)")} } }
                    }
                }
                section { class: "card", id: "reminders",
                    div { class: "card-head",
                        h2 { {l.pick("Připomínky", "Reminders")} }
                        select { id: "reminder-state",
                            onchange: move |e| state.set(match e.value().as_str() { "done" => ReminderState::Done, "all" => ReminderState::All, _ => ReminderState::Open }),
                            option { value: "open", {l.pick("otevřené", "open")} }
                            option { value: "done", {l.pick("hotové", "done")} }
                            option { value: "all", {l.pick("všechny", "all")} }
                        }
                    }
                    if list.is_empty() {
                        p { class: "muted", id: "no-reminders", {l.pick("Žádné připomínky.", "No reminders.")} }
                    } else {
                        table { class: "table", id: "reminders-table",
                            thead { tr {
                                th { {l.pick("Naplánováno", "Planned")} }
                                th { {l.pick("Pravidlo", "Rule")} }
                                th { {l.pick("Zákazník", "Customer")} }
                                th { {l.pick("Poradce", "Adviser")} }
                                th { {l.pick("Stav", "State")} }
                            } }
                            tbody {
                                for r in list.iter().cloned() {
                                    tr { key: "{r.id}", class: "reminder",
                                        td { class: "nowrap", "{r.planned_for}"
                                            if r.planned_for != r.due_on.to_string() { div { class: "muted small snoozed", {l.pick("odloženo, splatné ", "snoozed, due ")} "{r.due_on}" } }
                                        }
                                        td { "{r.rule.label(l)}" }
                                        td { a { href: "/office/customers/{r.client}", "{r.client_name}" } }
                                        td { class: "mono", "{r.adviser_code}" }
                                        td {
                                            match (r.done_at, r.pushed_at) {
                                                (Some(at), _) => rsx! { span { class: "status status-delivered done", {l.pick("hotovo ", "done ")} "{datetime(at)}" } },
                                                (None, Some(_)) => rsx! { span { class: "status status-ready", {l.pick("u poradce", "with the adviser")} } },
                                                (None, None) => rsx! { span { class: "status", {l.pick("čeká na odeslání", "waiting to be sent")} } },
                                            }
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
}
