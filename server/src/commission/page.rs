//! Commission rules (`/office/commission-rules`): the rules in force (group,
//! level, campaign, rate, validity, version and who wrote it) and a form that
//! writes a new rule or, from a rule's row, its next version; a refusal says
//! which field and why (overlapping validity, a rate outside 0–100 %, an end
//! before the start). Accounting and administrators write; the office reads.
//! Below, the advisers' levels (`levels_page.rs`).

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use uuid::Uuid;

use super::rule_edit::{GROUPS, RULE_EDITORS, RULE_READERS, RuleInput, put};
use super::rules::Level;
use super::store::rules::StoredRule;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, datetime};

/// Commission rules: accounting and administrators write, the office reads.
pub const PAGE: PageSpec = PageSpec {
    slug: "commission-rules",
    title_cs: "Provizní pravidla",
    title_en: "Commission rules",
    open: Roles::Only(RULE_READERS),
    edit: Roles::Only(RULE_EDITORS),
    component: CommissionRules,
};

fn group_label(group: Option<&str>, l: Lang) -> String {
    match group {
        None => l.pick("vše", "everything").into(),
        Some(code) => crate::catalog::store::ProductKind::from_code(code)
            .map(|k| k.label(l).to_owned())
            .unwrap_or_else(|| code.to_owned()),
    }
}

fn percent(bp: i64) -> String {
    format!("{},{:02} %", bp / 100, bp % 100)
}

#[component]
fn CommissionRules() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut form = use_signal(RuleInput::default);
    let store = ctx.state.store.clone();
    let rules = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.commission_rules(false).await }
    });
    let may_edit = PAGE.may_edit(ctx.session.user.role);
    let submit = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let user = match ctx.authorize_user(ctx.page).await {
                Ok(u) => u,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let actor = crate::store::Actor::user(&user);
            match put(ctx.state.store.as_ref(), &actor, user.role, &form()).await {
                Ok((_, version)) => {
                    notice.set(Some(Notice::ok(
                        format!("Pravidlo uloženo (verze {version})."),
                        format!("Rule saved (version {version})."),
                    )));
                    form.set(RuleInput::default());
                    reload += 1;
                }
                Err(e) => notice.set(Some(Notice::err(e.text(Lang::Cs), e.text(Lang::En)))),
            }
        });
    };
    let mut edit = move |s: StoredRule| {
        let r = s.rule;
        form.set(RuleInput {
            id: Some(r.id),
            rate: format!("{}.{:02}", r.rate_bp / 100, r.rate_bp % 100),
            valid_from: r.valid_from.to_string(),
            valid_to: r.valid_to.map(|d| d.to_string()).unwrap_or_default(),
            group: r.group.unwrap_or_default(),
            level: r.level.map(|l| l.code().to_owned()).unwrap_or_default(),
            campaign: r
                .campaign
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            sku: r
                .campaign
                .as_ref()
                .and_then(|c| c.sku.clone())
                .unwrap_or_default(),
            bonus: r
                .campaign
                .as_ref()
                .map(|c| c.bonus.to_decimal_string())
                .unwrap_or_default(),
        });
    };
    let f = form();
    let versioning: Option<Uuid> = f.id;
    rsx! {
        NoticeBar { notice: notice() }
        if may_edit {
            section { class: "card", id: "rule-form",
                h2 {
                    if versioning.is_some() { {l.pick("Nová verze pravidla", "A new version of the rule")} } else { {l.pick("Nové pravidlo", "A new rule")} }
                }
                div { class: "inline-form",
                    select { id: "rule-group", onchange: move |e| form.write().group = e.value(),
                        option { value: "", selected: f.group.is_empty(), {l.pick("Všechny skupiny", "Every group")} }
                        for g in GROUPS {
                            option { key: "{g}", value: "{g}", selected: f.group == g, {group_label(Some(g), l)} }
                        }
                    }
                    select { id: "rule-level", onchange: move |e| form.write().level = e.value(),
                        option { value: "", selected: f.level.is_empty(), {l.pick("Všechny úrovně", "Every level")} }
                        for lv in Level::ALL {
                            option { key: "{lv.code()}", value: lv.code(), selected: f.level == lv.code(), {lv.label(l)} }
                        }
                    }
                    input { id: "rule-rate", placeholder: l.pick("Sazba %", "Rate %"), inputmode: "decimal", value: "{f.rate}", oninput: move |e| form.write().rate = e.value() }
                    input { id: "rule-from", r#type: "date", value: "{f.valid_from}", oninput: move |e| form.write().valid_from = e.value() }
                    input { id: "rule-to", r#type: "date", value: "{f.valid_to}", oninput: move |e| form.write().valid_to = e.value() }
                }
                div { class: "inline-form",
                    input { id: "rule-campaign", placeholder: l.pick("Kampaň (nepovinné)", "Campaign (optional)"), value: "{f.campaign}", oninput: move |e| form.write().campaign = e.value() }
                    input { id: "rule-sku", placeholder: "SKU", value: "{f.sku}", oninput: move |e| form.write().sku = e.value() }
                    input { id: "rule-bonus", placeholder: l.pick("Bonus za kus (Kč)", "Bonus per piece (CZK)"), inputmode: "decimal", value: "{f.bonus}", oninput: move |e| form.write().bonus = e.value() }
                    button { class: "btn btn-primary", id: "rule-save", onclick: submit, {l.pick("Uložit pravidlo", "Save the rule")} }
                    if versioning.is_some() {
                        button { class: "btn", onclick: move |_| form.set(RuleInput::default()), {l.pick("Zrušit", "Cancel")} }
                    }
                }
            }
        }
        section { class: "card",
            h2 { {l.pick("Platná pravidla", "The rules")} }
            match &*rules.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Pravidla se nepodařilo načíst.", "Could not load the rules.")} } },
                Some(Ok(list)) if list.is_empty() => rsx! { p { class: "muted", {l.pick("Zatím žádná pravidla.", "No rules yet.")} } },
                Some(Ok(list)) => rsx! {
                    table { class: "table", id: "rules-table",
                        thead { tr {
                            th { {l.pick("Skupina", "Group")} } th { {l.pick("Úroveň", "Level")} } th { {l.pick("Kampaň", "Campaign")} }
                            th { class: "num", {l.pick("Sazba", "Rate")} } th { {l.pick("Od", "From")} } th { {l.pick("Do", "Until")} }
                            th { {l.pick("Verze", "Version")} } th { {l.pick("Zapsal", "Written by")} } th {}
                        } }
                        tbody {
                            for s in list.iter().cloned() {
                                tr { key: "{s.rule.id}", class: "rule", "data-rule": "{s.rule.id}",
                                    td { {group_label(s.rule.group.as_deref(), l)} }
                                    td { {s.rule.level.map(|lv| lv.label(l)).unwrap_or(l.pick("všechny", "every"))} }
                                    td { {s.rule.campaign.as_ref().map(|c| format!("{} {} +{}", c.name, c.sku.clone().unwrap_or_default(), c.bonus.format(l))).unwrap_or_default()} }
                                    td { class: "num", {percent(s.rule.rate_bp)} }
                                    td { "{s.rule.valid_from}" }
                                    td { {s.rule.valid_to.map(|d| d.to_string()).unwrap_or_default()} }
                                    td { "v{s.rule.version}" }
                                    td { class: "nowrap", {format!("{} · {}", s.actor, datetime(s.created_at))} }
                                    td {
                                        if may_edit {
                                            RowEdit { rule: s.clone(), on_pick: move |r: StoredRule| edit(r) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            }
        }
        super::levels_page::Levels { may_edit }
    }
}

/// A rule's "new version" button.
#[component]
fn RowEdit(rule: StoredRule, on_pick: EventHandler<StoredRule>) -> Element {
    let l = use_context::<Signal<Lang>>()();
    rsx! {
        button { class: "btn btn-small rule-version", onclick: move |_| on_pick.call(rule.clone()), {l.pick("Nová verze", "New version")} }
    }
}
