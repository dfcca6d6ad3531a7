//! The Bookings page's schedule of the chosen store: its opening hours per
//! weekday (an empty day is closed), a closed day to add, an optometrist's
//! shift to add, and the shifts of the next two weeks — set through
//! `schedule.rs`, the path the command line takes too.

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use fieldcase_shared::calendar::parse_day;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::rules::{Hours, Shift, prague_today, time_text};
use super::schedule::{self, ScheduleError};
use crate::office::live::Ctx;
use crate::office::ui::{Notice, NoticeBar, form_text};

/// The weekdays' names, Monday first.
const WEEKDAYS: [(&str, &str); 7] = [
    ("Pondělí", "Monday"),
    ("Úterý", "Tuesday"),
    ("Středa", "Wednesday"),
    ("Čtvrtek", "Thursday"),
    ("Pátek", "Friday"),
    ("Sobota", "Saturday"),
    ("Neděle", "Sunday"),
];

/// The hours the form says (an empty weekday closed).
fn hours_of(evt: &FormEvent) -> Result<Vec<Hours>, ScheduleError> {
    let mut hours = Vec::new();
    for weekday in 1..=7u8 {
        let opens = form_text(evt, &format!("opens_{weekday}"));
        let closes = form_text(evt, &format!("closes_{weekday}"));
        if opens.trim().is_empty() && closes.trim().is_empty() {
            continue;
        }
        let (opens, closes) = schedule::span(&opens, &closes)?;
        hours.push(Hours {
            weekday,
            opens,
            closes,
        });
    }
    Ok(hours)
}

/// The shift the form says.
fn shift_of(evt: &FormEvent, shop: Uuid) -> Result<Shift, ScheduleError> {
    let day_text = form_text(evt, "shift_day");
    let day = parse_day(&day_text).ok_or(ScheduleError::Time(day_text))?;
    let (starts, ends) = schedule::span(&form_text(evt, "starts"), &form_text(evt, "ends"))?;
    Ok(Shift {
        id: Uuid::now_v7(),
        shop,
        optometrist: form_text(evt, "optometrist"),
        day,
        starts,
        ends,
        mobile: !form_text(evt, "mobile").is_empty(),
    })
}

/// The schedule of store `shop`.
#[component]
pub fn ScheduleBox(shop: Uuid) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let store = ctx.state.store.clone();
    let today = prague_today(OffsetDateTime::now_utc());
    let plan = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let hours = store.hours(shop).await?;
            let shifts = store
                .exam_shifts(shop, today, today + Duration::days(13))
                .await?;
            Ok::<_, crate::store::StoreError>((hours, shifts))
        }
    });
    let act = move |evt: FormEvent| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let store = ctx.state.store.as_ref();
            let done = match form_text(&evt, "action").as_str() {
                "hours" => match hours_of(&evt) {
                    Ok(h) => schedule::set_hours(store, &actor, role, shop, &h).await,
                    Err(e) => Err(e),
                }
                .map(|()| ("Otevírací doba uložena.", "Opening hours saved.")),
                "close" => {
                    let day_text = form_text(&evt, "closed_day");
                    match parse_day(&day_text) {
                        Some(day) => {
                            let reason = form_text(&evt, "reason");
                            schedule::close_day(store, &actor, role, shop, day, &reason).await
                        }
                        None => Err(ScheduleError::Time(day_text)),
                    }
                    .map(|()| ("Den je zavřený.", "The day is closed."))
                }
                "shift" => match shift_of(&evt, shop) {
                    Ok(s) => schedule::add_shift(store, &actor, role, s).await,
                    Err(e) => Err(e),
                }
                .map(|()| ("Směna přidána.", "Shift added.")),
                _ => return,
            };
            notice.set(Some(match done {
                Ok((cs, en)) => Notice::ok(cs, en),
                Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
            }));
            reload += 1;
        });
    };
    let Some(Ok((hours, shifts))) = &*plan.read() else {
        return rsx! {};
    };
    let (hours, shifts) = (hours.clone(), shifts.clone());
    let of = |weekday: u8, open: bool| {
        hours
            .iter()
            .find(|h| h.weekday == weekday)
            .map(|h| time_text(if open { h.opens } else { h.closes }))
            .unwrap_or_default()
    };
    rsx! {
        details { class: "card", id: "schedule-box",
            summary { class: "strong", {l.pick("Rozvrh prodejny: otevírací doba, zavřené dny, směny", "The store's schedule: opening hours, closed days, shifts")} }
            NoticeBar { notice: notice() }
            form { id: "hours-form", onsubmit: act.clone(),
                input { r#type: "hidden", name: "action", value: "hours" }
                table { class: "table",
                    tbody {
                        for (i, (cs, en)) in WEEKDAYS.iter().enumerate() {
                            tr { key: "{i}",
                                th { {l.pick(cs, en)} }
                                td { input { r#type: "time", name: "opens_{i + 1}", id: "opens-{i + 1}", value: of(i as u8 + 1, true) } }
                                td { input { r#type: "time", name: "closes_{i + 1}", id: "closes-{i + 1}", value: of(i as u8 + 1, false) } }
                            }
                        }
                    }
                }
                p { class: "muted small", {l.pick("Den bez časů je zavřený.", "A day without times is closed.")} }
                button { class: "btn", r#type: "submit", id: "hours-save", {l.pick("Uložit otevírací dobu", "Save the opening hours")} }
            }
            h4 { {l.pick("Zavřený den", "A closed day")} }
            form { id: "close-form", onsubmit: act.clone(),
                input { r#type: "hidden", name: "action", value: "close" }
                input { r#type: "date", name: "closed_day", id: "closed-day", required: true }
                input { name: "reason", id: "closed-reason", maxlength: "100", placeholder: l.pick("Důvod (svátek, inventura…)", "Reason (holiday, stocktaking…)") }
                button { class: "btn", r#type: "submit", id: "close-save", {l.pick("Zavřít den", "Close the day")} }
            }
            h4 { {l.pick("Směna optometristy", "An optometrist's shift")} }
            form { id: "shift-form", onsubmit: act,
                input { r#type: "hidden", name: "action", value: "shift" }
                input { r#type: "date", name: "shift_day", id: "shift-day", required: true }
                input { r#type: "time", name: "starts", id: "shift-starts", required: true }
                input { r#type: "time", name: "ends", id: "shift-ends", required: true }
                input { name: "optometrist", id: "shift-optometrist", maxlength: "100", placeholder: l.pick("Optometrista", "Optometrist") }
                label { class: "check", input { r#type: "checkbox", name: "mobile", value: "1", id: "shift-mobile" } " " {l.pick("mobilní ordinace", "mobile room")} }
                button { class: "btn", r#type: "submit", id: "shift-save", {l.pick("Přidat směnu", "Add the shift")} }
            }
            h4 { {l.pick("Směny na příští dva týdny", "Shifts of the next two weeks")} }
            if shifts.is_empty() {
                p { class: "muted", id: "shifts-empty", {l.pick("Na příští dva týdny žádné směny.", "No shifts in the next two weeks.")} }
            } else {
                table { class: "table", id: "shifts-table",
                    tbody {
                        for s in shifts {
                            tr { key: "{s.id}", class: "shift",
                                td { "{s.day}" }
                                td { {time_text(s.starts)} "–" {time_text(s.ends)} }
                                td { "{s.optometrist}" }
                                td { if s.mobile { {l.pick("mobilní ordinace", "mobile room")} } }
                            }
                        }
                    }
                }
            }
        }
    }
}
