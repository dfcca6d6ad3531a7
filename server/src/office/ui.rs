//! Page frames and the small components every office page uses.

use dioxus::prelude::*;
use fieldcase_shared::{FieldError, Lang};

use super::live::Ctx;

/// HTML-escapes text for the server-rendered pages.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn head(lang: Lang, title: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · fieldcase</title><link rel=\"stylesheet\" href=\"/assets/office.css\"></head>",
        lang.code(),
        escape(title)
    )
}

/// A server-rendered page around trusted `body_html`.
pub fn plain_page(lang: Lang, title: &str, body_html: &str) -> String {
    format!(
        "{}<body class=\"plain\"><main class=\"plain-main\">{body_html}</main></body></html>",
        head(lang, title)
    )
}

/// The HTML shell of a LiveView page: the stylesheet, an empty mount point and the
/// glue that opens the page's live WebSocket.
pub fn live_shell(lang: Lang, title: &str, glue: &str) -> String {
    // LiveView handles submits over the socket; stop the browser's own submit unless
    // a form opts out (logout posts natively with its CSRF token).
    let no_native_submit = "<script>document.addEventListener('submit',function(e){\
        if(!e.target.hasAttribute('data-native')){e.preventDefault();}},true);</script>";
    format!(
        "{}<body><div id=\"main\"><div class=\"loading\">…</div></div>{no_native_submit}{glue}</body></html>",
        head(lang, title)
    )
}

/// `text` as a QR code in SVG, at least `px` wide (none if it does not fit a code).
pub fn qr_svg(text: &str, px: u32) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(px, px)
            .build(),
    )
}

/// Text of a form field from a submitted form.
pub fn form_text(evt: &FormEvent, name: &str) -> String {
    match evt.get_first(name) {
        Some(FormValue::Text(t)) => t,
        _ => String::new(),
    }
}

/// Every text value the form sent under `name` (ticked checkboxes of one name).
pub fn form_all(evt: &FormEvent, name: &str) -> Vec<String> {
    evt.values()
        .into_iter()
        .filter_map(|(k, v)| match v {
            FormValue::Text(t) if k == name => Some(t),
            _ => None,
        })
        .collect()
}

/// "1 poradce", "3 poradci", "7 poradců" / "1 adviser", "7 advisers".
pub fn count(lang: Lang, n: usize, cs: [&str; 3], en: [&str; 2]) -> String {
    match lang {
        Lang::Cs => format!(
            "{n} {}",
            match n {
                1 => cs[0],
                2..=4 => cs[1],
                _ => cs[2],
            }
        ),
        Lang::En => format!("{n} {}", if n == 1 { en[0] } else { en[1] }),
    }
}

/// What the user has typed into a form, kept across re-renders (a failed submit, a
/// language switch) so nothing typed is lost: field name → text.
pub type Draft = std::collections::HashMap<String, String>;

/// Every text value of the form an event came from.
pub fn form_values(evt: &FormEvent) -> Draft {
    evt.values()
        .into_iter()
        .filter_map(|(k, v)| match v {
            FormValue::Text(t) => Some((k, t)),
            FormValue::File(_) => None,
        })
        .collect()
}

/// The drafted value of `name`, or empty.
pub fn drafted(draft: &Draft, name: &str) -> String {
    draft.get(name).cloned().unwrap_or_default()
}

/// Field errors of a form: (field, message in both languages).
pub type Errors = Vec<(String, Text)>;

/// Runs a validator; on failure records its error and returns an empty string.
pub fn check(errors: &mut Errors, result: Result<String, FieldError>) -> String {
    result.unwrap_or_else(|e| {
        errors.push((e.field.clone(), Text::from(&e)));
        String::new()
    })
}

/// The message for `field` in `lang`, if it has one.
pub fn error_for(errors: &Errors, field: &str, lang: Lang) -> Option<String> {
    errors
        .iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m.get(lang).to_owned())
}

/// Date and time in the office's zone-less short form (UTC shown as local Prague time).
pub fn datetime(t: time::OffsetDateTime) -> String {
    fieldcase_shared::calendar::prague_text(t)
}

pub use fieldcase_shared::calendar::prague_offset;

/// The frame of every live page: navigation for the user's role, the user, the
/// language switch and sign-out.
#[component]
pub fn Frame(children: Element) -> Element {
    let ctx = use_context::<Ctx>();
    let mut lang = use_context::<Signal<Lang>>();
    let l = lang();
    let user = ctx.session.user.clone();
    let csrf = ctx.session.csrf_token.clone();
    let current = ctx.page;
    let switch_to = match l {
        Lang::Cs => Lang::En,
        Lang::En => Lang::Cs,
    };
    let switch_ctx = ctx.clone();
    rsx! {
        document::Title { "{current.title(l)} · fieldcase" }
        div { class: "app",
            nav { class: "sidebar",
                div { class: "brand", "field" b { "case" } }
                ul {
                    for page in ctx.pages.iter().filter(|p| p.may_open(user.role)) {
                        li { key: "{page.slug}",
                            a {
                                class: if page.slug == current.slug { "nav-link active" } else { "nav-link" },
                                href: "/office/{page.slug}",
                                "{page.title(l)}"
                            }
                        }
                    }
                }
            }
            div { class: "content",
                header { class: "topbar",
                    h1 { "{current.title(l)}" }
                    div { class: "user",
                        span { class: "user-name", "{user.name}" }
                        span { class: "badge", "{user.role.label(l)}" }
                        button {
                            class: "btn btn-ghost",
                            id: "lang-switch",
                            onclick: move |_| {
                                lang.set(switch_to);
                                let ctx = switch_ctx.clone();
                                spawn(async move {
                                    if let Err(err) = ctx.state.store.set_user_lang(ctx.session.user.id, switch_to).await {
                                        tracing::warn!(%err, "saving the language");
                                    }
                                });
                            },
                            if switch_to == Lang::En { "English" } else { "Česky" }
                        }
                        form { method: "post", action: "/logout", "data-native": "true",
                            input { r#type: "hidden", name: "csrf", value: "{csrf}" }
                            button { class: "btn btn-ghost", r#type: "submit", id: "logout",
                                {l.pick("Odhlásit", "Sign out")}
                            }
                        }
                    }
                }
                main { class: "page", {children} }
            }
        }
    }
}

/// A labelled input with its inline error.
#[component]
pub fn Field(
    label: String,
    name: String,
    #[props(default)] value: String,
    #[props(default)] error: Option<String>,
    #[props(default = "text".to_string())] kind: String,
    #[props(default)] required: bool,
) -> Element {
    rsx! {
        label { class: if error.is_some() { "field has-error" } else { "field" },
            span { "{label}" }
            input { r#type: "{kind}", name: "{name}", value: "{value}", required, "aria-invalid": error.is_some() }
            if let Some(e) = &error {
                small { class: "field-error", "{e}" }
            }
        }
    }
}

/// A text in both languages, so what is on screen follows a language switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    cs: String,
    en: String,
}

impl Text {
    /// Czech and English wording.
    pub fn new(cs: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            cs: cs.into(),
            en: en.into(),
        }
    }
    /// The wording for `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Cs => &self.cs,
            Lang::En => &self.en,
        }
    }
}

impl From<&FieldError> for Text {
    fn from(e: &FieldError) -> Self {
        Text::new(e.message(Lang::Cs), e.message(Lang::En))
    }
}

/// What to tell the user when the store refused or failed (the detail goes to the log).
pub fn failed(err: &crate::store::StoreError) -> Text {
    use crate::store::StoreError;
    match err {
        StoreError::NotFound(_) => Text::new(
            "Záznam mezitím někdo odstranil nebo změnil; obnovte stránku.",
            "The record was removed or changed meanwhile; reload the page.",
        ),
        StoreError::Stale(_) => Text::new(
            "Mezitím to změnil někdo jiný; nic se neuložilo. Zobrazení je obnovené, zkuste to znovu.",
            "Someone else changed it meanwhile; nothing was saved. The view is refreshed, please try again.",
        ),
        StoreError::Duplicate { .. } => {
            Text::new("Taková hodnota už existuje.", "That value already exists.")
        }
        other => {
            tracing::error!(error = %other, "office action failed");
            Text::new(
                "Uložení se nezdařilo; databáze je nedostupná. Zkuste to za chvíli.",
                "Could not save; the database is unavailable. Try again shortly.",
            )
        }
    }
}

/// A notice shown after an action (success or failure).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// It worked.
    Ok(Text),
    /// It did not.
    Err(Text),
}

impl Notice {
    /// A success notice.
    pub fn ok(cs: impl Into<String>, en: impl Into<String>) -> Self {
        Notice::Ok(Text::new(cs, en))
    }
    /// A failure notice.
    pub fn err(cs: impl Into<String>, en: impl Into<String>) -> Self {
        Notice::Err(Text::new(cs, en))
    }
}

/// Shows the current notice, if any, in the current language.
#[component]
pub fn NoticeBar(notice: Option<Notice>) -> Element {
    let lang = use_context::<Signal<Lang>>();
    let l = lang();
    match notice {
        Some(Notice::Ok(text)) => {
            rsx! { div { class: "alert alert-ok", role: "status", "{text.get(l)}" } }
        }
        Some(Notice::Err(text)) => {
            rsx! { div { class: "alert alert-error", role: "alert", "{text.get(l)}" } }
        }
        None => rsx! {},
    }
}

/// What a card shows instead of its record: "loading", "no such …" (with
/// `id` and the texts of `missing`) or "cannot be read now" (`failed`).
#[derive(Debug, Clone, Copy)]
pub struct Gaps<'a> {
    pub id: &'a str,
    pub missing: (&'a str, &'a str),
    pub failed: (&'a str, &'a str),
}

/// A card's record as its resource holds it, or what to show instead.
pub fn loaded<T: Clone, E>(
    found: &Option<Result<Option<T>, E>>,
    l: Lang,
    gaps: Gaps,
) -> Result<T, Element> {
    match found {
        Some(Ok(Some(record))) => Ok(record.clone()),
        Some(Ok(None)) => {
            let (cs, en) = gaps.missing;
            Err(rsx! { p { class: "muted", id: "{gaps.id}", {l.pick(cs, en)} } })
        }
        Some(Err(_)) => {
            let (cs, en) = gaps.failed;
            Err(rsx! { NoticeBar { notice: Some(Notice::err(cs, en)) } })
        }
        None => Err(rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } }),
    }
}

/// `text` with the words a search for `query` matched highlighted (a list's rows);
/// a `phone` is marked whole when the query's digits begin it in any form.
#[component]
pub fn Marked(text: String, query: String, #[props(default)] phone: bool) -> Element {
    let terms = fieldcase_shared::search::terms(&query);
    let pieces = if phone {
        fieldcase_shared::search::highlight_phone(&text, &terms)
    } else {
        fieldcase_shared::search::highlight(&text, &terms)
    };
    rsx! {
        for (i, (piece, hit)) in pieces.into_iter().enumerate() {
            if hit {
                mark { key: "{i}", "{piece}" }
            } else {
                span { key: "{i}", "{piece}" }
            }
        }
    }
}

/// A keyset list's pager: back to the page before, on to the next.
#[component]
pub fn Pager(
    has_prev: bool,
    has_next: bool,
    on_prev: EventHandler<()>,
    on_next: EventHandler<()>,
) -> Element {
    let l = use_context::<Signal<Lang>>()();
    rsx! {
        div { class: "pager",
            button { class: "btn btn-small", id: "prev-page", disabled: !has_prev, onclick: move |_| on_prev.call(()),
                {l.pick("← Předchozí", "← Previous")}
            }
            button { class: "btn btn-small", id: "next-page", disabled: !has_next, onclick: move |_| on_next.call(()),
                {l.pick("Další →", "Next →")}
            }
        }
    }
}

/// A list's store and adviser filters (two selects; empty: all), read once.
#[component]
pub fn StoreAdviserFilters(
    on_shop: EventHandler<Option<fieldcase_shared::StoreId>>,
    on_adviser: EventHandler<Option<fieldcase_shared::AdviserId>>,
) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let choices = use_resource(move || {
        let store = store.clone();
        async move {
            let shops = store.list_shops().await?;
            let advisers = store
                .list_advisers(&crate::store::AdviserFilter::default())
                .await?;
            Ok::<_, crate::store::StoreError>((shops, advisers))
        }
    });
    let id = |v: String| v.parse::<uuid::Uuid>().ok();
    rsx! {
        if let Some(Ok((shops, advisers))) = &*choices.read() {
            select { name: "shop", onchange: move |e| on_shop.call(id(e.value()).map(fieldcase_shared::StoreId::from_uuid)),
                option { value: "", {l.pick("Všechny prodejny", "All stores")} }
                for s in shops.iter() { option { key: "{s.id}", value: "{s.id}", "{s.name}" } }
            }
            select { name: "adviser", onchange: move |e| on_adviser.call(id(e.value()).map(fieldcase_shared::AdviserId::from_uuid)),
                option { value: "", {l.pick("Všichni poradci", "All advisers")} }
                for a in advisers.iter() { option { key: "{a.id}", value: "{a.id}", "{a.name} ({a.code})" } }
            }
        }
    }
}
