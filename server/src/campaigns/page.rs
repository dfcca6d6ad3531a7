//! Campaigns (`/office/campaigns`): the campaigns, newest first, with a form for
//! a new draft; `/office/campaigns/{id}` is a campaign's card: a draft's text
//! (changed while a draft), a preview of one customer's message with its
//! unsubscribe footer, how many the segment reaches now, the launch (asked
//! twice); once launched, where its messages are and the effect — the sent
//! against the held-out, orders and turnover within the campaign's days — and
//! the stop.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Money};
use time::OffsetDateTime;

use super::rules::{Draft, Effect, Group, Status, VARIABLES};
use super::store::Campaign;
use super::{CampaignError, MARKETERS};
use crate::care::rules::Channel;
use crate::customers::segment;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{self, Notice, NoticeBar, datetime, drafted, form_values};

/// Campaigns: the office, customer service and administrators.
pub const PAGE: PageSpec = PageSpec {
    slug: "campaigns",
    title_cs: "Kampaně",
    title_en: "Campaigns",
    open: Roles::Only(MARKETERS),
    edit: Roles::Only(MARKETERS),
    component: Campaigns,
};

#[component]
fn Campaigns() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let reload = use_signal(|| 0u32);
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.campaigns(200).await }
    });
    if let Some(arg) = ctx.arg.clone() {
        return rsx! { Card { arg } };
    }
    let rows = match &*list.read() {
        Some(Ok(rows)) => rows.clone(),
        Some(Err(_)) => {
            return rsx! { NoticeBar { notice: Some(Notice::err("Kampaně teď nelze načíst.", "Campaigns cannot be read now.")) } };
        }
        None => return rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
    };
    rsx! {
        if rows.is_empty() {
            p { class: "muted", id: "campaigns-empty", {l.pick("Zatím žádné kampaně.", "No campaigns yet.")} }
        } else {
            table { class: "table", id: "campaigns-table",
                thead { tr {
                    th { {l.pick("Kampaň", "Campaign")} }
                    th { {l.pick("Segment", "Segment")} }
                    th { {l.pick("Kanál", "Channel")} }
                    th { {l.pick("Stav", "State")} }
                    th { {l.pick("Spuštěna", "Launched")} }
                } }
                tbody {
                    for c in rows {
                        tr { key: "{c.id}", class: "campaign campaign-{c.status}", "data-name": "{c.name}",
                            td { a { class: "campaign-link", href: "/office/campaigns/{c.id}", "{c.name}" } }
                            td { "{c.segment_name}" }
                            td { {Channel::parse(&c.channel).map(|ch| ch.label(l)).unwrap_or_default()} }
                            td { {c.state().map(|s| s.label(l)).unwrap_or_default()} }
                            td { class: "nowrap", {c.launched_at.map(datetime).unwrap_or_default()} }
                        }
                    }
                }
            }
        }
        DraftForm { campaign: None, reload }
    }
}

/// The form's values of a draft (a new one: e-mail, Czech, 1,000 an hour, 10 %
/// held out, 30 days).
fn values_of(c: Option<&Campaign>) -> ui::Draft {
    let mut v = ui::Draft::new();
    let mut put = |k: &str, s: String| {
        v.insert(k.to_owned(), s);
    };
    match c {
        Some(c) => {
            put("name", c.name.clone());
            put(
                "segment",
                c.segment_id.map(|s| s.to_string()).unwrap_or_default(),
            );
            put("channel", c.channel.clone());
            put("lang", c.lang.clone());
            put("subject", c.subject.clone());
            put("body", c.body.clone());
            put("per_hour", c.per_hour.to_string());
            put("holdout_pct", c.holdout_pct.to_string());
            put("effect_days", c.effect_days.to_string());
        }
        None => {
            put("channel", "email".into());
            put("lang", "cs".into());
            put("per_hour", "1000".into());
            put("holdout_pct", "10".into());
            put("effect_days", "30".into());
        }
    }
    v
}

/// The draft the form says, or the field and what is wrong.
fn draft_of(v: &ui::Draft) -> Result<Draft, (&'static str, Notice)> {
    let number = |name: &'static str| {
        drafted(v, name).trim().parse::<u32>().map_err(|_| {
            (
                name,
                Notice::err("Zadejte celé číslo.", "Enter a whole number."),
            )
        })
    };
    Ok(Draft {
        name: drafted(v, "name"),
        segment: drafted(v, "segment").parse().map_err(|_| {
            (
                "segment",
                Notice::err("Vyberte segment.", "Pick a segment."),
            )
        })?,
        channel: Channel::parse(&drafted(v, "channel")).unwrap_or(Channel::Email),
        lang: Lang::from_code(&drafted(v, "lang")).unwrap_or(Lang::Cs),
        subject: drafted(v, "subject"),
        body: drafted(v, "body"),
        per_hour: number("per_hour")?,
        holdout_pct: number("holdout_pct")?,
        effect_days: number("effect_days")?,
    })
}

/// A draft's form: a new campaign (`campaign: None`) or a draft's change.
#[component]
fn DraftForm(campaign: Option<Campaign>, reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let editing = campaign.as_ref().map(|c| c.id);
    let start = values_of(campaign.as_ref());
    let mut values = use_signal(move || start);
    let mut notice = use_signal(|| None::<Notice>);
    let mut bad = use_signal(|| None::<&'static str>);
    let store = ctx.state.store.clone();
    let segments = use_resource(move || {
        let store = store.clone();
        async move { store.segments().await.unwrap_or_default() }
    });
    let save = move |evt: FormEvent| {
        let ctx = ctx.clone();
        let typed = form_values(&evt);
        values.set(typed.clone());
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let draft = match draft_of(&typed) {
                Ok(d) => d,
                Err((field, n)) => {
                    bad.set(Some(field));
                    return notice.set(Some(n));
                }
            };
            let store = ctx.state.store.as_ref();
            let done = match editing {
                Some(id) => super::update(store, &actor, role, id, draft)
                    .await
                    .map(|()| Notice::ok("Koncept uložen.", "Draft saved.")),
                None => super::create(store, &actor, role, draft).await.map(|id| {
                    values.set(values_of(None));
                    Notice::ok(
                        format!("Koncept uložen: /office/campaigns/{id}"),
                        format!("Draft saved: /office/campaigns/{id}"),
                    )
                }),
            };
            match done {
                Ok(n) => {
                    bad.set(None);
                    notice.set(Some(n));
                    reload.with_mut(|r| *r += 1);
                }
                Err(e) => {
                    if let CampaignError::Draft(p) = &e {
                        bad.set(Some(p.field()));
                    }
                    notice.set(Some(Notice::err(e.text(Lang::Cs), e.text(Lang::En))));
                }
            }
        });
    };
    let v = values();
    let segs = segments.read().clone().unwrap_or_default();
    let err = |field: &str| {
        if bad() == Some(field) {
            "field has-error"
        } else {
            "field"
        }
    };
    let vars: Vec<String> = VARIABLES
        .iter()
        .map(|(n, cs, en)| format!("{{{n}}} {}", l.pick(cs, en)))
        .collect();
    rsx! {
        div { class: "card", id: "campaign-form-card",
            h3 { if editing.is_some() { {l.pick("Upravit koncept", "Change the draft")} } else { {l.pick("Nová kampaň", "New campaign")} } }
            NoticeBar { notice: notice() }
            form { id: "campaign-form", onsubmit: save,
                label { class: err("name"), span { {l.pick("Název", "Name")} } input { name: "name", id: "campaign-name", value: drafted(&v, "name"), maxlength: "120", required: true } }
                label { class: err("segment"), span { {l.pick("Segment", "Segment")} }
                    select { name: "segment", id: "campaign-segment",
                        option { value: "", {l.pick("— vyberte —", "— pick one —")} }
                        for s in segs.iter() { option { key: "{s.id}", value: "{s.id}", selected: s.id.to_string() == drafted(&v, "segment"), "{s.name}" } }
                    }
                }
                label { class: "field", span { {l.pick("Kanál", "Channel")} }
                    select { name: "channel", id: "campaign-channel",
                        for ch in [Channel::Email, Channel::Sms] { option { key: "{ch.code()}", value: ch.code(), selected: drafted(&v, "channel") == ch.code(), {ch.label(l)} } }
                    }
                }
                label { class: "field", span { {l.pick("Jazyk (patička, odhlašovací stránka)", "Language (footer, unsubscribe page)")} }
                    select { name: "lang", id: "campaign-lang",
                        option { value: "cs", selected: drafted(&v, "lang") == "cs", "čeština" }
                        option { value: "en", selected: drafted(&v, "lang") == "en", "English" }
                    }
                }
                label { class: err("subject"), span { {l.pick("Předmět (e-mail)", "Subject (e-mail)")} } input { name: "subject", id: "campaign-subject", value: drafted(&v, "subject"), maxlength: "120" } }
                label { class: err("body"), span { {l.pick("Text", "Text")} } textarea { name: "body", id: "campaign-body", rows: "6", maxlength: "10000", value: drafted(&v, "body") } }
                p { class: "muted small", {l.pick("Proměnné: ", "Variables: ")} {vars.join(", ")} ". " {l.pick("Odkaz pro odhlášení se přidá sám.", "The unsubscribe link is added.")} }
                label { class: err("per_hour"), span { {l.pick("Zpráv za hodinu", "Messages an hour")} } input { r#type: "number", name: "per_hour", id: "campaign-rate", min: "1", value: drafted(&v, "per_hour") } }
                label { class: err("holdout_pct"), span { {l.pick("Kontrolní skupina (% neoslovených)", "Hold-out (% not sent)")} } input { r#type: "number", name: "holdout_pct", id: "campaign-holdout", min: "0", max: "50", value: drafted(&v, "holdout_pct") } }
                label { class: err("effect_days"), span { {l.pick("Účinek měřit dní", "Count the effect over days")} } input { r#type: "number", name: "effect_days", id: "campaign-days", min: "1", max: "365", value: drafted(&v, "effect_days") } }
                button { class: "btn btn-primary", r#type: "submit", id: "campaign-save", {l.pick("Uložit koncept", "Save the draft")} }
            }
        }
    }
}

/// What the card shows without its record.
const CARD_GAPS: ui::Gaps = ui::Gaps {
    id: "campaign-not-found",
    missing: ("Kampaň nenalezena.", "No such campaign."),
    failed: (
        "Kampaň teď nelze načíst.",
        "The campaign cannot be read now.",
    ),
};

#[component]
fn Card(arg: String) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut confirming = use_signal(|| false);
    let id = arg.parse::<uuid::Uuid>().ok();
    let store = ctx.state.store.clone();
    let found = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            match id {
                Some(id) => {
                    match super::report(store.as_ref(), id, OffsetDateTime::now_utc()).await {
                        Ok(r) => Ok(Some(r)),
                        Err(CampaignError::NotFound) => Ok(None),
                        Err(e) => Err(e),
                    }
                }
                None => Ok(None),
            }
        }
    });
    let reach_store = ctx.state.store.clone();
    let reach = use_resource(move || {
        let store = reach_store.clone();
        let campaign = found
            .read()
            .as_ref()
            .and_then(|r| r.as_ref().ok().cloned().flatten())
            .map(|r| r.campaign);
        async move {
            let c = campaign.filter(|c| c.state() == Some(Status::Draft))?;
            let seg = store.segment(c.segment_id?).await.ok()??;
            let channel = match Channel::parse(&c.channel)? {
                Channel::Sms => segment::Channel::Sms,
                _ => segment::Channel::Email,
            };
            store
                .segment_audience(&seg.criteria, channel)
                .await
                .ok()
                .map(|a| a.len())
        }
    });
    let act_ctx = ctx.clone();
    let act = move |what: &'static str| {
        let ctx = act_ctx.clone();
        spawn(async move {
            let Some(id) = id else { return };
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let store = ctx.state.store.as_ref();
            let done = match what {
                "launch" => super::launch(
                    store,
                    &actor,
                    role,
                    id,
                    &ctx.state.config.public_url(),
                    OffsetDateTime::now_utc(),
                )
                .await
                .map(|(sent, held)| {
                    Notice::ok(
                        format!(
                            "Spuštěno: {sent} zpráv odejde, {held} zákazníků v kontrolní skupině."
                        ),
                        format!("Launched: {sent} messages to go, {held} customers held out."),
                    )
                }),
                _ => super::stop(store, &actor, role, id).await.map(|()| {
                    Notice::ok(
                        "Zastaveno; neodeslané zprávy už neodejdou.",
                        "Stopped; the messages not sent will not go.",
                    )
                }),
            };
            notice.set(Some(done.unwrap_or_else(|e| {
                Notice::err(e.text(Lang::Cs), e.text(Lang::En))
            })));
            confirming.set(false);
            reload += 1;
        });
    };
    let r = match ui::loaded(&found.read(), l, CARD_GAPS) {
        Ok(r) => r,
        Err(shown) => return shown,
    };
    let c = r.campaign.clone();
    let status = c.state();
    let preview = c.draft().map(|d| {
        d.message(
            "Jana",
            "Nováková",
            &format!("{}/u/…", ctx.state.config.public_url()),
        )
    });
    let audience = (*reach.read()).flatten();
    let p = r.progress;
    let (launch, stop) = (act.clone(), act.clone());
    rsx! {
        NoticeBar { notice: notice() }
        p { a { href: "/office/campaigns", {l.pick("← Kampaně", "← Campaigns")} } }
        div { class: "card", id: "campaign-card",
            h2 { "{c.name}" }
            p { {l.pick("Stav: ", "State: ")} span { class: "strong", id: "campaign-state", {status.map(|s| s.label(l)).unwrap_or_default()} }
                " · {c.segment_name} · " {Channel::parse(&c.channel).map(|ch| ch.label(l)).unwrap_or_default()}
                " · " {l.pick("zpráv za hodinu: ", "messages an hour: ")} "{c.per_hour} · "
                {l.pick("kontrolní skupina ", "hold-out ")} "{c.holdout_pct} % · "
                {l.pick("účinek ", "effect over ")} "{c.effect_days} " {l.pick("dní", "days")}
            }
            if let Some(at) = c.launched_at { p { class: "muted small", {l.pick("Spustil(a) ", "Launched by ")} {c.launched_by.clone().unwrap_or_default()} " · " {datetime(at)} } }
            if let Some((subject, body)) = preview {
                div { class: "campaign-preview", id: "campaign-preview",
                    h3 { {l.pick("Náhled (Jana Nováková)", "Preview (Jana Nováková)")} }
                    if !subject.is_empty() { p { class: "strong", "{subject}" } }
                    pre { class: "note-body", "{body}" }
                }
            }
            if status == Some(Status::Draft) {
                p { id: "campaign-audience",
                    {l.pick("Segment teď osloví (se souhlasem a kontaktem): ", "The segment reaches now (consenting, with the contact): ")}
                    span { class: "strong", id: "campaign-audience-count", {audience.map(|n| n.to_string()).unwrap_or_else(|| "…".into())} }
                }
                if confirming() {
                    p { class: "alert", {l.pick("Opravdu spustit? Zprávy začnou odcházet hned.", "Launch for real? The messages start going at once.")} }
                    button { class: "btn btn-primary", id: "campaign-launch-confirm", onclick: move |_| launch("launch"), {l.pick("Ano, spustit", "Yes, launch")} }
                    button { class: "btn", onclick: move |_| confirming.set(false), {l.pick("Zpět", "Back")} }
                } else {
                    button { class: "btn btn-primary", id: "campaign-launch", onclick: move |_| confirming.set(true), {l.pick("Spustit kampaň", "Launch the campaign")} }
                }
            }
            if status == Some(Status::Launched) && p.waiting > 0 {
                button { class: "btn", id: "campaign-stop", onclick: move |_| stop("stop"), {l.pick("Zastavit odesílání", "Stop sending")} }
            }
        }
        if status == Some(Status::Draft) { DraftForm { campaign: Some(c.clone()), reload } }
        if status != Some(Status::Draft) {
            div { class: "card", id: "campaign-progress",
                h3 { {l.pick("Zprávy", "Messages")} }
                p {
                    {l.pick("čeká ", "waiting ")} span { id: "campaign-waiting", "{p.waiting}" }
                    " · " {l.pick("odesláno ", "sent ")} span { id: "campaign-sent", "{p.sent}" }
                    " · " {l.pick("neodesláno (bez souhlasu, zastaveno) ", "not sent (no consent, stopped) ")} span { id: "campaign-skipped", "{p.skipped}" }
                    " · " {l.pick("selhalo ", "failed ")} span { id: "campaign-failed", "{p.failed}" }
                    " · " {l.pick("kontrolní skupina ", "held out ")} span { id: "campaign-held-out", "{p.held_out}" }
                    " · " {l.pick("odhlásilo se ", "unsubscribed ")} span { id: "campaign-unsubscribed", "{p.unsubscribed}" }
                }
            }
        }
        if let Some(e) = r.effect { EffectBox { effect: e, days: c.effect_days, complete: r.complete } }
    }
}

/// The effect: the sent against the held-out.
#[component]
fn EffectBox(effect: Effect, days: i64, complete: bool) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let money = |h: i64| Money::from_haler(h).format(l);
    let row = |name: &str, id: &str, g: Group| {
        rsx! {
            tr { id: "{id}",
                th { "{name}" }
                td { class: "num members", "{g.members}" }
                td { class: "num buyers", "{g.buyers}" }
                td { class: "num conversion", "{g.conversion_pct():.1} %" }
                td { class: "num orders", "{g.orders}" }
                td { class: "num turnover", {money(g.turnover)} }
                td { class: "num per-member", {money(g.per_member())} }
            }
        }
    };
    rsx! {
        div { class: "card", id: "campaign-effect",
            h3 { {l.pick("Účinek", "Effect")} }
            p { class: "muted small",
                {l.pick("Objednávky (mimo zrušené) do ", "Orders (not cancelled) within ")} "{days} "
                {l.pick("dní od spuštění", "days of the launch")}
                if !complete { {l.pick(" — zatím, období ještě běží", " — so far, the period is still running")} }
            }
            table { class: "table",
                thead { tr {
                    th {}
                    th { {l.pick("Zákazníků", "Customers")} }
                    th { {l.pick("Nakoupilo", "Bought")} }
                    th { {l.pick("Konverze", "Conversion")} }
                    th { {l.pick("Objednávek", "Orders")} }
                    th { {l.pick("Obrat", "Turnover")} }
                    th { {l.pick("Na zákazníka", "Per customer")} }
                } }
                tbody {
                    {row(l.pick("Oslovení", "Sent"), "effect-sent", effect.sent)}
                    {row(l.pick("Kontrolní skupina", "Held out"), "effect-held-out", effect.held_out)}
                }
            }
            match (effect.uplift(), effect.conversion_lift()) {
                (Some(u), Some(c)) => rsx! {
                    p { id: "campaign-uplift",
                        {l.pick("Přínos kampaně: ", "The campaign brought: ")} span { class: "strong", {money(u)} }
                        " · " {l.pick("konverze ", "conversion ")} "{c:+.1} " {l.pick("p. b.", "pp")}
                    }
                },
                _ => rsx! { p { class: "muted", id: "campaign-uplift", {l.pick("Bez kontrolní skupiny nelze účinek porovnat.", "Without a hold-out there is nothing to compare with.")} } },
            }
        }
    }
}
