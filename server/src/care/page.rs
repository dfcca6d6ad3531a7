//! Notifications (`/office/notifications`): which status changes tell the
//! customer on which channel, or push the adviser's phones (a switch per status
//! and channel), the Czech templates of e-mail, SMS and push with their variables
//! and a preview on a sample
//! order (a variable that does not exist refused at save, SMS parts counted), and
//! the outbox — the latest messages with their state, a failed one tried again.

use dioxus::prelude::*;
use fieldcase_shared::{DeviceId, Lang, Money, OrderStatus};

use super::edit::{CARE_EDITORS, set_event_template, set_event_trigger};
use super::order_box::{recipient, state_label};
use super::rules::{
    Channel, EVENTS, Facts, ORDER_STATUS, Template, VARIABLES, event, plan, plan_push, skip_reason,
    sms_parts,
};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, datetime};

/// Notifications: the office, customer service and administrators.
pub const PAGE: PageSpec = PageSpec {
    slug: "notifications",
    title_cs: "Oznámení",
    title_en: "Notifications",
    open: Roles::Only(CARE_EDITORS),
    edit: Roles::Only(CARE_EDITORS),
    component: Notifications,
};

/// The sample order a preview renders.
fn sample() -> Facts {
    Facts {
        customer_name: "Jana Nováková".into(),
        email: "jana.novakova@example.cz".into(),
        phone: "603 123 456".into(),
        vs: "2026000123".into(),
        status: OrderStatus::ReadyForPickup.code().into(),
        total: Money::from_czk(6_490),
        left_to_pay: Money::from_czk(3_490),
        shop_name: "Optika Brno centrum".into(),
        link: "https://hub.example.cz/o/ukazka".into(),
        amount: Money::from_czk(1_500),
        adviser_name: "Eva Černá".into(),
        detail: "Prasklý zorník po týdnu nošení.".into(),
        booking_time: "8. 12. 2026 10:30".into(),
        booking_place: "Masarykova 12, Brno".into(),
        booking_link: "https://hub.example.cz/b/ukazka".into(),
        refused: Vec::new(),
        lang: Lang::Cs,
    }
}

#[component]
fn Notifications() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            Ok::<_, crate::store::StoreError>((
                store.triggers().await?,
                store.templates().await?,
                store.messages(None, 100).await?,
            ))
        }
    });
    let mut kind = use_signal(|| ORDER_STATUS);
    let mut channel = use_signal(|| Channel::Email);
    let mut subject = use_signal(String::new);
    let mut body = use_signal(String::new);
    let mut tlang = use_signal(|| Lang::Cs);
    let mut loaded = use_signal(|| None::<(&'static str, Channel, Lang)>);
    // The editor starts with the saved template of the event and channel picked.
    use_effect(move || {
        let picked = (kind(), channel(), tlang());
        if let Some(Ok((_, templates, _))) = &*data.read()
            && *loaded.peek() != Some(picked)
        {
            let t = templates
                .iter()
                .find(|t| t.event == picked.0 && t.channel == picked.1 && t.lang == picked.2);
            subject.set(t.map(|t| t.template.subject.clone()).unwrap_or_default());
            body.set(t.map(|t| t.template.body.clone()).unwrap_or_default());
            loaded.set(Some(picked));
        }
    });
    let toggle_ctx = ctx.clone();
    let toggle = move |kind: &'static str, status: &'static str, c: Channel, on: bool| {
        let ctx = toggle_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(
                match set_event_trigger(ctx.state.store.as_ref(), &actor, role, kind, status, c, on)
                    .await
                {
                    Ok(()) => Notice::ok("Uloženo.", "Saved."),
                    Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
                },
            ));
            reload += 1;
        });
    };
    let save = {
        let ctx = ctx.clone();
        move |_| {
            let ctx = ctx.clone();
            spawn(async move {
                let (actor, role) = match ctx.authorize_role(ctx.page).await {
                    Ok(a) => a,
                    Err(msg) => return notice.set(Some(Notice::Err(msg))),
                };
                notice.set(Some(
                    match set_event_template(
                        ctx.state.store.as_ref(),
                        &actor,
                        role,
                        kind(),
                        channel(),
                        tlang(),
                        &subject(),
                        &body(),
                    )
                    .await
                    {
                        Ok(()) => Notice::ok("Šablona uložena.", "Template saved."),
                        Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
                    },
                ));
                reload += 1;
            });
        }
    };
    let retry_ctx = ctx.clone();
    let retry = move |id: uuid::Uuid| {
        let ctx = retry_ctx.clone();
        spawn(async move {
            let (actor, _) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(
                match ctx.state.store.retry_message(&actor, id).await {
                    Ok(true) => {
                        Notice::ok("Zpráva se pošle znovu.", "The message will be sent again.")
                    }
                    Ok(false) => Notice::err("Zpráva už neselhala.", "The message has not failed."),
                    Err(_) => Notice::err("Nepodařilo se.", "It failed."),
                },
            ));
            reload += 1;
        });
    };
    let template = Template {
        subject: subject(),
        body: body(),
    };
    let sample = Facts {
        lang: tlang(),
        ..sample()
    };
    let preview = if channel() == Channel::Push {
        plan_push(&sample, Some(&template), &[DeviceId::new()])
            .into_iter()
            .next()
            .map_or_else(|| plan(Channel::Push, &sample, Some(&template)), |(_, p)| p)
    } else {
        plan(channel(), &sample, Some(&template))
    };
    let statuses = [
        OrderStatus::Confirmed,
        OrderStatus::LensesOrdered,
        OrderStatus::InLab,
        OrderStatus::ReadyForPickup,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
    ];
    rsx! {
        NoticeBar { notice: notice() }
        match &*data.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Oznámení se nepodařilo načíst.", "Could not load the notifications.")} } },
            Some(Ok((triggers, _, messages))) => rsx! {
                section { class: "card", id: "triggers",
                    h2 { {l.pick("Kdy napsat zákazníkovi a poradci", "When to tell the customer and the adviser")} }
                    table { class: "table", id: "triggers-table",
                        thead { tr { th { {l.pick("Zakázka přejde do stavu, nebo událost", "The order moves to, or the event")} } for c in Channel::ALL { th { {c.label(l)} } } } }
                        tbody {
                            for s in statuses {
                                tr { key: "{s.code()}", "data-event": ORDER_STATUS, "data-status": s.code(),
                                    td { {s.label(l)} }
                                    for c in Channel::ALL {
                                        {
                                            let on = triggers.iter().any(|t| t.enabled && t.event == ORDER_STATUS && t.status == s.code() && t.channel == c);
                                            rsx! {
                                                td { input { r#type: "checkbox", class: "trigger", "data-channel": c.code(), checked: on,
                                                    onchange: {
                                                        let toggle = toggle.clone();
                                                        move |e: FormEvent| toggle(ORDER_STATUS, s.code(), c, e.checked())
                                                    } } }
                                            }
                                        }
                                    }
                                }
                            }
                            for k in EVENTS.into_iter().filter(|k| k.code != ORDER_STATUS) {
                                tr { key: "{k.code}", "data-event": k.code,
                                    td { em { {l.pick(k.cs, k.en)} } }
                                    for c in Channel::ALL {
                                        if k.channels.contains(&c) {
                                            {
                                                let on = triggers.iter().any(|t| t.enabled && t.event == k.code && t.channel == c);
                                                rsx! {
                                                    td { input { r#type: "checkbox", class: "trigger", "data-channel": c.code(), checked: on,
                                                        onchange: {
                                                            let toggle = toggle.clone();
                                                            move |e: FormEvent| toggle(k.code, "", c, e.checked())
                                                        } } }
                                                }
                                            }
                                        } else {
                                            td { class: "muted", "–" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                section { class: "card", id: "template-editor",
                    div { class: "card-head",
                        h2 { {l.pick("Šablona zprávy", "Message template")} }
                        select { id: "template-lang", onchange: move |e| tlang.set(Lang::from_code(&e.value()).unwrap_or(Lang::Cs)),
                            option { value: "cs", selected: tlang() == Lang::Cs, {l.pick("česky", "Czech")} }
                            option { value: "en", selected: tlang() == Lang::En, {l.pick("anglicky (jinak česká)", "English (else the Czech one)")} }
                        }
                        select { id: "template-event", onchange: move |e| {
                                let k = event(&e.value()).unwrap_or(EVENTS[0]);
                                kind.set(k.code);
                                if !k.channels.contains(&channel()) {
                                    channel.set(k.channels[0]);
                                }
                            },
                            for k in EVENTS { option { value: k.code, selected: k.code == kind(), {l.pick(k.cs, k.en)} } }
                        }
                        select { id: "template-channel", onchange: move |e| channel.set(Channel::parse(&e.value()).unwrap_or(Channel::Email)),
                            for c in event(kind()).map_or(&Channel::ALL[..], |k| k.channels) { option { value: c.code(), selected: *c == channel(), {c.label(l)} } }
                        }
                    }
                    p { class: "muted small", {l.pick("Proměnné: ", "Variables: ")}
                        for (name, cs, en) in VARIABLES { code { title: if l == Lang::Cs { cs } else { en }, "{{{name}}}" } " " }
                    }
                    if channel() != Channel::Sms {
                        input { id: "template-subject", placeholder: if channel() == Channel::Push { l.pick("Nadpis oznámení", "Notification title") } else { l.pick("Předmět", "Subject") }, value: "{subject}", oninput: move |e| subject.set(e.value()) }
                    }
                    textarea { id: "template-body", rows: "6", value: "{body}", oninput: move |e| body.set(e.value()) }
                    p { button { class: "btn btn-primary", id: "template-save", onclick: save, {l.pick("Uložit šablonu", "Save the template")} } }
                    div { class: "preview", id: "template-preview",
                        h3 { {l.pick("Náhled na ukázkové zakázce", "Preview on a sample order")} }
                        match &preview {
                            super::rules::Planned::Send { subject, body, .. } => rsx! {
                                if !subject.is_empty() { p { strong { "{subject}" } } }
                                pre { class: "preview-body", "{body}" }
                                if channel() == Channel::Sms {
                                    {
                                        let (encoding, parts) = sms_parts(body);
                                        rsx! { p { class: "muted small", id: "sms-parts", "{encoding}, " {l.pick("částí: ", "parts: ")} "{parts}" } }
                                    }
                                }
                            },
                            super::rules::Planned::Skip { reason, .. } => rsx! { p { class: "muted", {skip_reason(reason, l)} } },
                        }
                    }
                }
                section { class: "card", id: "outbox",
                    h2 { {l.pick("Odeslané a čekající zprávy", "Sent and waiting messages")} }
                    if messages.is_empty() {
                        p { class: "muted", {l.pick("Zatím žádné.", "None yet.")} }
                    } else {
                        table { class: "table", id: "outbox-table",
                            thead { tr {
                                th { {l.pick("Kdy", "When")} } th { {l.pick("Zakázka", "Order")} } th { {l.pick("Kanál", "Channel")} }
                                th { {l.pick("Komu", "To")} } th { {l.pick("Stav", "State")} } th {}
                            } }
                            tbody {
                                for m in messages.iter().cloned() {
                                    tr { key: "{m.id}", class: "message message-{m.state}",
                                        td { class: "nowrap", {datetime(m.sent_at.unwrap_or(m.created_at))} }
                                        td { if let Some(o) = m.order { a { href: "/office/orders/{o}", "{m.vs}" } } }
                                        td { {Channel::parse(&m.channel).map_or("?", |c| c.label(l))} }
                                        td { class: "mono", {recipient(&m, l)} }
                                        td { {state_label(&m.state, l)} " ({m.attempts})"
                                            if !m.reason.is_empty() { div { class: "muted small", {skip_reason(&m.reason, l)} } }
                                            if m.state != "sent" && !m.last_error.is_empty() { div { class: "muted small", "{m.last_error}" } }
                                        }
                                        td { if m.state == "failed" { button { class: "btn btn-small retry", onclick: {
                                            let retry = retry.clone();
                                            move |_| retry(m.id)
                                        }, {l.pick("Znovu", "Retry")} } } }
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
