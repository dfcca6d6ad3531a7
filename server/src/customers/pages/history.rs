//! The card's consent box (the current e-mail and SMS marketing consent, when and
//! where it was given or withdrawn, and a form to record a change; the language
//! of the customer's messages) and its
//! communication history (notes, logged calls and consent changes, newest first,
//! with a form for a note or a call).

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use fieldcase_shared::order::notes::check_note;

use crate::customers::store::history::check_consent;
use crate::customers::store::{ConsentChannel, ContactKind, CustomerCard, NewConsent};
use crate::office::live::Ctx;
use crate::office::ui::{Notice, datetime, form_text};

/// The day `iso` (`YYYY-MM-DD`) at noon, Prague time (`None`: unreadable).
fn day(iso: &str) -> Option<time::OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(iso, &format).ok()?;
    let noon = date.with_hms(12, 0, 0).ok()?.assume_utc();
    Some(
        date.with_hms(12, 0, 0)
            .ok()?
            .assume_offset(crate::office::ui::prague_offset(noon)),
    )
}

/// A language's own name.
fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Cs => "čeština",
        Lang::En => "English",
    }
}

/// The consent box (and the language of the customer's messages).
#[component]
pub fn ConsentBox(
    card: CustomerCard,
    may_edit: bool,
    reload: Signal<u32>,
    notice: Signal<Option<Notice>>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let client = card.id;
    let lang_ctx = ctx.clone();
    let set_lang = move |evt: FormEvent| {
        let ctx = lang_ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(actor) => actor,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let Some(lang) = Lang::from_code(&form_text(&evt, "lang")) else {
                return;
            };
            notice.set(Some(
                match ctx
                    .state
                    .store
                    .set_customer_lang(&actor, client, lang)
                    .await
                {
                    Ok(()) => Notice::ok("Jazyk zpráv uložen.", "The messages' language saved."),
                    Err(err) => {
                        tracing::error!(%err, "setting a customer's language");
                        Notice::Err(crate::office::ui::failed(&err))
                    }
                },
            ));
            reload += 1;
        });
    };
    let record = move |evt: FormEvent| {
        let ctx = ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(actor) => actor,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let now = time::OffsetDateTime::now_utc();
            let (Ok(channel), Some(given_at)) = (
                form_text(&evt, "channel").parse::<ConsentChannel>(),
                day(&form_text(&evt, "given_on")),
            ) else {
                return notice.set(Some(Notice::err(
                    "Vyberte kanál a datum.",
                    "Choose the channel and the date.",
                )));
            };
            let consent = NewConsent {
                channel,
                granted: form_text(&evt, "granted") == "yes",
                given_at: given_at.min(now),
                place: form_text(&evt, "place"),
                evidence: form_text(&evt, "evidence"),
            };
            let consent = match check_consent(consent, now) {
                Ok(c) => c,
                Err((cs, en)) => return notice.set(Some(Notice::err(cs, en))),
            };
            notice.set(Some(
                match ctx.state.store.add_consent(&actor, client, &consent).await {
                    Ok(()) => Notice::ok("Souhlas zaznamenán.", "Consent recorded."),
                    Err(err) => {
                        tracing::error!(%err, "recording a consent");
                        Notice::Err(crate::office::ui::failed(&err))
                    }
                },
            ));
            reload += 1;
        });
    };
    // Today where the office is (the form's latest day; after 23:00 UTC in winter
    // it is already tomorrow in Prague).
    let now = time::OffsetDateTime::now_utc();
    let today = now
        .to_offset(crate::office::ui::prague_offset(now))
        .date()
        .to_string();
    rsx! {
        section { class: "card", id: "customer-consents",
            h2 { {l.pick("Souhlas s marketingem", "Marketing consent")} }
            ul { class: "consents",
                for channel in ConsentChannel::ALL.iter().copied() {
                    li { key: "{channel.code()}", id: "consent-{channel.code()}",
                        span { class: "strong", "{channel.label(l)}: " }
                        match card.consent(channel) {
                            None => rsx! { span { class: "muted", {l.pick("nikdy nedán", "never given")} } },
                            Some(c) => rsx! {
                                span { class: if c.granted { "status status-delivered" } else { "status status-cancelled" },
                                    {if c.granted { l.pick("souhlasí", "given") } else { l.pick("odvolán", "withdrawn") }}
                                }
                                span { class: "muted small", " {datetime(c.given_at)} · {c.place}" if !c.evidence.is_empty() { " · {c.evidence}" } }
                            },
                        }
                    }
                }
            }
            p { id: "customer-lang",
                {l.pick("Zprávy zákazníkovi (e-mail, SMS) v jazyce: ", "Messages to the customer (e-mail, SMS) in: ")}
                span { class: "strong", id: "customer-lang-value", {lang_name(card.lang)} }
            }
            if may_edit {
                form { class: "inline-form", id: "lang-form", onsubmit: set_lang,
                    select { name: "lang", id: "customer-lang-select",
                        for x in Lang::ALL { option { key: "{x.code()}", value: x.code(), selected: x == card.lang, {lang_name(x)} } }
                    }
                    button { class: "btn btn-small", r#type: "submit", id: "customer-lang-save", {l.pick("Uložit jazyk", "Save the language")} }
                }
                form { class: "inline-form", id: "consent-form", onsubmit: record,
                    select { name: "channel",
                        for c in ConsentChannel::ALL.iter().copied() { option { key: "{c.code()}", value: c.code(), "{c.label(l)}" } }
                    }
                    select { name: "granted",
                        option { value: "yes", {l.pick("dal souhlas", "gave consent")} }
                        option { value: "no", {l.pick("odvolal souhlas", "withdrew consent")} }
                    }
                    input { r#type: "date", name: "given_on", value: "{today}", max: "{today}", required: true }
                    input { name: "place", placeholder: l.pick("Kde (prodejna, návštěva, telefon…)", "Where (store, visit, phone…)"), required: true }
                    input { name: "evidence", placeholder: l.pick("Doklad (č. formuláře)", "Evidence (form no.)") }
                    button { class: "btn btn-small", r#type: "submit", {l.pick("Zaznamenat", "Record")} }
                }
            }
        }
    }
}

/// One line of the history: when, what, who, text.
struct Line {
    at: time::OffsetDateTime,
    kind: &'static str,
    class: &'static str,
    text: String,
    author: String,
}

/// The communication history.
#[component]
pub fn HistoryBox(
    card: CustomerCard,
    may_edit: bool,
    reload: Signal<u32>,
    notice: Signal<Option<Notice>>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let client = card.id;
    let mut body = use_signal(String::new);
    let add = move |evt: FormEvent| {
        let ctx = ctx.clone();
        spawn(async move {
            let actor = match ctx.authorize(ctx.page).await {
                Ok(actor) => actor,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let Ok(kind) = form_text(&evt, "kind").parse::<ContactKind>() else {
                return notice.set(Some(Notice::err(
                    "Vyberte druh záznamu.",
                    "Choose the kind of entry.",
                )));
            };
            let text = match check_note(&form_text(&evt, "body")) {
                Ok(t) => t,
                Err((cs, en)) => return notice.set(Some(Notice::err(cs, en))),
            };
            notice.set(Some(
                match ctx
                    .state
                    .store
                    .add_customer_note(&actor, client, kind, &text)
                    .await
                {
                    Ok(()) => {
                        body.set(String::new());
                        Notice::ok("Zapsáno do historie.", "Added to the history.")
                    }
                    Err(err) => {
                        tracing::error!(%err, "adding a customer note");
                        Notice::Err(crate::office::ui::failed(&err))
                    }
                },
            ));
            reload += 1;
        });
    };
    let mut lines: Vec<Line> = card
        .notes
        .iter()
        .map(|n| Line {
            at: n.at,
            kind: n.kind.label(l),
            class: n.kind.code(),
            text: n.body.clone(),
            author: n.author.clone(),
        })
        .chain(card.consents.iter().map(|c| Line {
            at: c.given_at,
            kind: l.pick("Souhlas", "Consent"),
            class: "consent",
            text: format!(
                "{}: {} ({})",
                c.channel.label(l),
                if c.granted {
                    l.pick("souhlasí", "given")
                } else {
                    l.pick("odvolán", "withdrawn")
                },
                c.place
            ),
            author: c.author.clone(),
        }))
        .collect();
    lines.sort_by_key(|line| std::cmp::Reverse(line.at));
    rsx! {
        section { class: "card", id: "customer-history",
            h2 { {l.pick("Komunikace", "Communication")} }
            if may_edit {
                form { class: "form", id: "history-form", onsubmit: add,
                    select { name: "kind",
                        for k in ContactKind::ALL.iter().copied() { option { key: "{k.code()}", value: k.code(), "{k.label(l)}" } }
                    }
                    textarea { name: "body", rows: 2, required: true, value: "{body}", oninput: move |e| body.set(e.value()),
                        placeholder: l.pick("Co zákazník chtěl, co jste domluvili…", "What the customer wanted, what you agreed…") }
                    button { class: "btn btn-small", r#type: "submit", {l.pick("Zapsat", "Add")} }
                }
            }
            if lines.is_empty() {
                p { class: "muted", {l.pick("Zatím žádná komunikace.", "No communication yet.")} }
            }
            ul { class: "notes",
                for (i, line) in lines.iter().enumerate() {
                    li { key: "{i}", class: "note history-{line.class}",
                        span { class: "pill", "{line.kind}" }
                        " " span { class: "note-body", "{line.text}" }
                        div { class: "muted small", "{line.author} · {datetime(line.at)}" }
                    }
                }
            }
        }
    }
}
