//! A complaint's card (`/office/complaints/{id}`): the order and customer, how and
//! when it came in, the items and reason, the photos, the countdown to its
//! deadline with the alarm, the decision (repair, remake, refund, reject with the
//! reason — once), the staff notes, and the complaint protocol (PDF).

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use time::OffsetDateTime;

use super::page::urgency_label;
use super::rules::{self, DECIDERS, Decision, Urgency};
use crate::office::live::Ctx;
use crate::office::ui::{self, Notice, NoticeBar, datetime, form_text};

/// What the card shows without its record.
const CARD_GAPS: ui::Gaps = ui::Gaps {
    id: "complaint-not-found",
    missing: ("Reklamace nenalezena.", "No such complaint."),
    failed: (
        "Reklamaci teď nelze načíst.",
        "The complaint cannot be read now.",
    ),
};

#[component]
pub fn Card(arg: String) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let id = arg.parse::<uuid::Uuid>().ok();
    let store = ctx.state.store.clone();
    let found = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            match id {
                Some(id) => store.complaint(id).await,
                None => Ok(None),
            }
        }
    });
    let may_decide = DECIDERS.contains(&ctx.session.user.role);
    let may_add_photo = rules::OPENERS.contains(&ctx.session.user.role);
    let csrf = ctx.session.csrf_token.clone();
    let decide_ctx = ctx.clone();
    let decide = move |evt: FormEvent| {
        let ctx = decide_ctx.clone();
        spawn(async move {
            let Some(id) = id else { return };
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let decision = form_text(&evt, "decision");
            let reason = form_text(&evt, "decision_reason");
            notice.set(Some(
                match super::decide(
                    ctx.state.store.as_ref(),
                    &actor,
                    role,
                    id,
                    &decision,
                    &reason,
                )
                .await
                {
                    Ok((d, order)) => {
                        super::follow_up(&ctx.state, &actor, order, Some(d)).await;
                        Notice::ok(
                            format!("Rozhodnuto: {}. Zákazníkovi dáme vědět.", d.label(Lang::Cs)),
                            format!("Decided: {}. The customer will be told.", d.label(Lang::En)),
                        )
                    }
                    Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
                },
            ));
            reload += 1;
        });
    };
    let note_ctx = ctx.clone();
    let add_note = move |evt: FormEvent| {
        let ctx = note_ctx.clone();
        spawn(async move {
            let Some(id) = id else { return };
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let body = form_text(&evt, "note");
            notice.set(Some(
                match super::note(ctx.state.store.as_ref(), &actor, role, id, &body).await {
                    Ok(()) => Notice::ok("Poznámka přidána.", "Note added."),
                    Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
                },
            ));
            reload += 1;
        });
    };
    let c = match ui::loaded(&found.read(), l, CARD_GAPS) {
        Ok(c) => c,
        Err(shown) => return shown,
    };
    let now = OffsetDateTime::now_utc();
    let r = &c.row;
    let u = rules::urgency(r.opened_at, now);
    let decided = r.decision();
    rsx! {
        NoticeBar { notice: notice() }
        p { a { href: "/office/complaints", {l.pick("← Reklamace", "← Complaints")} } }
        div { class: "card", id: "complaint-card", "data-number": "{r.number}",
            h2 { {l.pick("Reklamace ", "Complaint ")} span { id: "complaint-number", "{r.number}" } }
            p {
                {l.pick("Zakázka ", "Order ")} a { id: "complaint-order", href: "/office/orders/{r.order_id}", "{r.vs}" }
                " · " span { id: "complaint-customer", "{r.customer_name()}" }
            }
            p { class: "muted",
                {l.pick("Podáno ", "Opened ")} {datetime(r.opened_at)} " · " {r.via().label(l)} " · " "{r.opened_by}"
            }
            p { id: "complaint-deadline",
                {l.pick("Lhůta do ", "Deadline ")} {datetime(r.deadline_at)}
                if decided.is_none() {
                    " · " span { class: "days-left", {rules::days_left_text(rules::days_left(r.deadline_at, now), l)} }
                    if u != Urgency::Calm { " " span { class: "badge urgency urgency-{u.code()}", id: "complaint-urgency", {urgency_label(u, l)} } }
                }
            }
            h3 { {l.pick("Položky", "Items")} }
            ul { id: "complaint-items",
                for (line, text) in c.items.iter() { li { key: "{line}", "{text}" } }
            }
            h3 { {l.pick("Důvod", "Reason")} }
            p { class: "note-body", id: "complaint-reason", "{r.reason}" }
            if !c.photos.is_empty() {
                h3 { {l.pick("Fotky", "Photos")} }
                div { class: "complaint-photos", id: "complaint-photos",
                    for p in c.photos.iter() {
                        a { key: "{p.id}", href: "/office/complaints/photos/{p.id}", target: "_blank",
                            img { class: "complaint-photo", src: "/office/complaints/photos/{p.id}", alt: "{p.name}", loading: "lazy" }
                        }
                    }
                }
            }
            if may_add_photo && c.photos.len() < rules::MAX_PHOTOS {
                form { id: "photo-form", method: "post", action: "/office/complaints/{r.id}/photos", enctype: "multipart/form-data", "data-native": "true",
                    input { r#type: "hidden", name: "csrf", value: "{csrf}" }
                    input { r#type: "file", name: "file", accept: "image/jpeg,image/png,image/webp,image/heic", required: true }
                    button { class: "btn btn-small", r#type: "submit", {l.pick("Přidat fotku", "Add a photo")} }
                }
            }
            p { a { class: "btn btn-small", id: "complaint-protocol", href: "/office/complaints/{r.id}/protocol.pdf", target: "_blank",
                {l.pick("Reklamační protokol (PDF)", "Complaint protocol (PDF)")} } }
        }
        div { class: "card", id: "complaint-decision-box",
            h3 { {l.pick("Rozhodnutí", "Decision")} }
            match decided {
                Some(d) => rsx! {
                    p { id: "complaint-decision", class: "strong", {d.label(l)} }
                    if !r.decision_reason.is_empty() { p { class: "note-body", id: "complaint-decision-reason", "{r.decision_reason}" } }
                    p { class: "muted small",
                        {r.decided_by.clone().unwrap_or_default()} " · " {r.decided_at.map(datetime).unwrap_or_default()}
                    }
                },
                None if may_decide => rsx! {
                    form { id: "decision-form", onsubmit: decide,
                        select { name: "decision", id: "decision",
                            for d in Decision::ALL {
                                option { key: "{d.code()}", value: "{d.code()}", {d.label(l)} }
                            }
                        }
                        textarea { name: "decision_reason", id: "decision-reason", rows: "3", maxlength: "4000",
                            placeholder: l.pick("Zdůvodnění (u zamítnutí povinné)", "Why (required for a rejection)") }
                        button { class: "btn", r#type: "submit", id: "decision-submit", {l.pick("Rozhodnout", "Decide")} }
                    }
                },
                None => rsx! { p { class: "muted", {l.pick("Čeká na rozhodnutí.", "Awaiting a decision.")} } },
            }
        }
        super::task_box::TaskBox { complaint: r.id, notice, reload }
        div { class: "card", id: "complaint-notes",
            h3 { {l.pick("Poznámky", "Notes")} }
            for (i, n) in c.notes.iter().enumerate() {
                div { key: "{i}", class: "complaint-note",
                    p { class: "muted small", "{n.author} · " {datetime(n.at)} }
                    p { class: "note-body", "{n.body}" }
                }
            }
            if may_decide {
                form { id: "note-form", onsubmit: add_note,
                    textarea { name: "note", id: "note-body", rows: "2", maxlength: "4000" }
                    button { class: "btn btn-small", r#type: "submit", {l.pick("Přidat poznámku", "Add a note")} }
                }
            }
        }
    }
}
