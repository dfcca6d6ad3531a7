//! Small pieces every screen uses: texts in two languages, the style sheet, dates
//! and money for people, field errors.

use dioxus::prelude::*;
use fieldcase_shared::{FieldError, Lang, Money};

/// Picks the Czech or English text.
pub(crate) fn t(lang: Lang, cs: &'static str, en: &'static str) -> &'static str {
    lang.pick(cs, en)
}

/// The page's style: phone-first, touch targets at least 44 px.
pub const STYLE: &str = "
*{box-sizing:border-box}body{margin:0;font-family:system-ui,sans-serif;background:#f4f5f7;color:#1c1e21}
.app{max-width:480px;margin:0 auto;min-height:100vh;background:#fff;display:flow-root;padding-bottom:72px}
.status{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center;padding:8px 12px;background:#1f3a5f;color:#fff;font-size:14px;position:sticky;top:0;z-index:2}
.status .dot{width:10px;height:10px;border-radius:50%;display:inline-block;margin-right:6px}
.status .on{background:#3ddc84}.status .off{background:#ff8a65}
.status .actions{margin-left:auto;display:flex;gap:6px}
.status button{background:#fff;color:#1f3a5f;border-color:#fff;font-size:14px;padding:6px 10px}
.status .rejections{background:#ffd54f;color:#1c1e21;border-radius:4px;padding:2px 6px}
h1{font-size:20px;margin:12px}
h2{font-size:17px;margin:16px 12px 6px}
form,.list,.section{padding:0 12px 12px}
label{display:block;font-size:14px;margin:10px 0 4px}
input,select,textarea{width:100%;min-height:44px;font-size:16px;padding:8px;border:1px solid #c4c8cf;border-radius:6px;background:#fff;color:#1c1e21}
input[type=checkbox]{width:24px;min-height:24px;height:24px;margin:0 10px 0 0;vertical-align:middle}
.check{display:flex;align-items:center;min-height:44px;font-size:16px;margin:0}
button,a.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;font-size:16px;padding:8px 14px;border-radius:6px;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;text-decoration:none;cursor:pointer}
button.secondary,a.button.secondary{background:#fff;color:#1f3a5f}
button.danger{background:#b00020;border-color:#b00020}
button:disabled{opacity:.5}
.row{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:8px 0}
.error,.field-error{color:#b00020}
.error{margin:8px 12px}.field-error{font-size:14px;margin:4px 0}
.warning{background:#fff4e5;border-left:4px solid #f57c00;padding:8px 12px;margin:8px 12px;font-size:15px}
.ok{background:#e8f5e9;border-left:4px solid #2e7d32;padding:8px 12px;margin:8px 12px}
.item{display:block;width:100%;text-align:left;padding:10px 12px;border:0;border-bottom:1px solid #e3e5e8;min-height:44px;background:#fff;color:#1c1e21;border-radius:0}
.item .name{font-weight:600}.item .meta{font-size:14px;color:#5f6368;margin-top:2px}
.item.unread .name::before{content:'● ';color:#1f3a5f}
.item.bad{background:#fdecea}
.empty{color:#5f6368;padding:12px}
.stepper{display:flex;gap:4px;align-items:center}
.stepper input{text-align:center;flex:1;min-width:0}
.stepper button{flex:0 0 44px;padding:0}
.eyes{display:grid;grid-template-columns:1fr 1fr;gap:0 10px}
.eyes h3{font-size:15px;margin:10px 0 0}
.money{font-variant-numeric:tabular-nums;white-space:nowrap}
.big{font-size:24px;font-weight:700}
.qr{display:flex;justify-content:center;padding:8px}
.qr svg{width:240px;height:240px}
.picks{display:flex;flex-wrap:wrap;gap:6px}
.picks button{font-size:14px}
.picks button.chosen{background:#2e7d32;border-color:#2e7d32}
table{width:100%;border-collapse:collapse;font-size:14px}
td{padding:6px 4px;border-bottom:1px solid #e3e5e8;vertical-align:top}
td.num{text-align:right}
.pull{background:#e8eef6;color:#1f3a5f;text-align:center;padding:10px;font-size:15px}
.tabs{position:fixed;bottom:0;left:0;right:0;display:flex;justify-content:center;background:#fff;border-top:1px solid #c4c8cf;z-index:2}
.tabs nav{display:flex;width:100%;max-width:480px}
.tabs button{flex:1;min-width:0;border:0;border-radius:0;background:#fff;color:#1f3a5f;font-size:12px;padding:4px 2px;min-height:56px;flex-direction:column}
.tabs button.here{background:#e8eef6;font-weight:700}
.tabs .badge{background:#b00020;color:#fff;border-radius:9px;padding:0 6px;font-size:11px;margin-left:2px}
.links{display:flex;gap:8px;flex-wrap:wrap;padding:0 12px}
form h2{margin-left:0;margin-right:0}form .ok,form .warning{margin-left:0;margin-right:0}form dl{margin:0}
.links+dl{margin-top:12px}
dl{margin:0 12px;display:grid;grid-template-columns:auto 1fr;gap:4px 12px;font-size:15px}
dt{color:#5f6368}dd{margin:0}
";

/// Money for people.
pub(crate) fn money(lang: Lang, haler: i64) -> String {
    Money::from_haler(haler).format(lang)
}

/// Parses an amount typed in crowns (`1 200`, `1200,50`); `None` when it is not one.
pub(crate) fn parse_czk(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return Some(0);
    }
    Money::parse(t).ok().map(Money::haler)
}

/// Today's date (UTC; the phone's day is what the adviser sees, close enough for
/// dates that are whole days).
pub(crate) fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// `2026-11-23` → `23. 11. 2026` / `23 Nov 2026`.
pub(crate) fn date(lang: Lang, d: time::Date) -> String {
    match lang {
        Lang::Cs => format!("{}. {}. {}", d.day(), u8::from(d.month()), d.year()),
        Lang::En => format!("{} {} {}", d.day(), &d.month().to_string()[..3], d.year()),
    }
}

/// An RFC 3339 time as a date for people (the text itself if it does not read).
pub(crate) fn date_of(lang: Lang, at: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(at, &Rfc3339)
        .map(|t| date(lang, t.date()))
        .unwrap_or_else(|_| at.to_owned())
}

/// `YYYY-MM-DD` for `<input type=date>`.
pub(crate) fn iso(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Reads `YYYY-MM-DD`.
pub(crate) fn parse_iso(text: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), &fmt).ok()
}

/// Now, RFC 3339.
pub(crate) fn now_text() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The error for `field` among `errors`, as a line under the input.
#[component]
pub(crate) fn FieldMessage(errors: Vec<FieldError>, field: String) -> Element {
    let lang = use_context::<Signal<Lang>>();
    let l = lang();
    rsx! {
        for e in errors.iter().filter(|e| e.field == field) {
            p { class: "field-error", role: "alert", "data-field": "{field}", "{e.message(l)}" }
        }
    }
}

/// "now", "5 min ago", or the date and time of the last sync.
pub(crate) fn since(l: Lang, at: Option<&str>) -> String {
    use time::format_description::well_known::Rfc3339;
    let Some(at) = at.and_then(|a| time::OffsetDateTime::parse(a, &Rfc3339).ok()) else {
        return "—".into();
    };
    let ago = time::OffsetDateTime::now_utc() - at;
    if ago < time::Duration::minutes(1) {
        t(l, "teď", "now").into()
    } else if ago < time::Duration::hours(1) {
        match l {
            Lang::Cs => format!("před {} min", ago.whole_minutes()),
            Lang::En => format!("{} min ago", ago.whole_minutes()),
        }
    } else {
        format!(
            "{} {:02}:{:02} UTC",
            date(l, at.date()),
            at.hour(),
            at.minute()
        )
    }
}

/// What a screen reads from the app: the phone, the language, where the adviser
/// is, and the revision (reading it redraws the screen when the data changes).
#[derive(Clone)]
pub(crate) struct Ctx {
    pub phone: crate::Phone,
    pub lang: Signal<Lang>,
    pub screen: Signal<crate::Screen>,
    pub revision: crate::Revision,
    pub l: Lang,
}

/// The screen's [`Ctx`], subscribed to data changes.
pub(crate) fn use_ctx() -> Ctx {
    let phone = use_context::<crate::Phone>();
    let lang = use_context::<Signal<Lang>>();
    let screen = use_context::<Signal<crate::Screen>>();
    let revision = use_context::<crate::Revision>();
    let _ = (revision.0)();
    Ctx {
        phone,
        lang,
        screen,
        revision,
        l: lang(),
    }
}
