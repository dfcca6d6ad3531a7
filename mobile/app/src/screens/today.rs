//! Today: planned visits and tasks (overdue first), eye-exam reminders for clients
//! whose prescription runs out, and a quick form for a new task.

use dioxus::prelude::*;
use fieldcase_device::DeviceError;
use fieldcase_shared::docs::records::VisitRecord;
use fieldcase_shared::{ClientId, FieldError};

use crate::open_client;
use crate::ui::{Ctx, FieldMessage, date, iso, t, today, use_ctx};

/// Days before a prescription runs out when the client is due an eye exam.
const EXAM_DUE_DAYS: i64 = 30;

#[component]
pub(crate) fn Today() -> Element {
    let Ctx {
        phone,
        screen,
        revision,
        l,
        ..
    } = use_ctx();
    let shared = use_hook(|| CopyValue::new(phone.clone()));
    let mut title = use_signal(String::new);
    let mut when = use_signal(|| iso(today()));
    let mut kind = use_signal(|| "visit".to_owned());
    let mut errors = use_signal(Vec::<FieldError>::new);
    let Some(device) = phone.device() else {
        return rsx! {};
    };
    let clients = device.clients();
    let name_of = |id: &str| {
        clients
            .iter()
            .find(|(c, _)| c.to_string() == id)
            .map(|(_, c)| format!("{} {}", c.first_name, c.last_name))
    };
    let day = today();
    let open: Vec<(String, VisitRecord)> = device
        .visits()
        .into_iter()
        .filter(|(_, v)| v.done_at.is_empty())
        .filter(|(_, v)| {
            v.planned_date()
                .is_some_and(|d| d <= day + time::Duration::days(7))
        })
        .collect();
    // Clients whose newest prescription expires within a month (or has expired).
    let newest = device.newest_prescriptions();
    let mut due: Vec<(ClientId, String, time::Date)> = clients
        .iter()
        .filter_map(|(id, c)| {
            let newest = newest.get(id)?;
            (newest.valid_until <= day + time::Duration::days(EXAM_DUE_DAYS)).then(|| {
                (
                    *id,
                    format!("{} {}", c.first_name, c.last_name),
                    newest.valid_until,
                )
            })
        })
        .collect();
    due.sort_by_key(|d| d.2);
    let add = move |_evt: FormEvent| {
        let visit = VisitRecord {
            kind: kind(),
            title: title().trim().to_owned(),
            planned_for: when(),
            ..Default::default()
        };
        let Some(device) = shared.read().device() else {
            return;
        };
        spawn(async move {
            let id = fieldcase_shared::OrderId::new().to_string();
            match device.save_visit(&id, &visit).await {
                Ok(()) => {
                    errors.set(Vec::new());
                    title.set(String::new());
                    revision.bump();
                }
                Err(DeviceError::Invalid(problems)) => errors.set(problems),
                Err(err) => tracing::warn!(%err, "saving a task"),
            }
        });
    };
    let done = move |id: String| {
        let Some(device) = shared.read().device() else {
            return;
        };
        spawn(async move {
            if let Err(err) = device.complete_visit(&id).await {
                tracing::warn!(%err, "completing a visit");
            }
            revision.bump();
        });
    };
    let snooze = move |id: String| {
        let Some(device) = shared.read().device() else {
            return;
        };
        spawn(async move {
            if let Err(err) = device.snooze_visit(&id, today()).await {
                tracing::warn!(%err, "snoozing a reminder");
            }
            revision.bump();
        });
    };
    let greeting = device.enrolment().adviser_name.clone();
    rsx! {
        h1 { {t(l, "Dnes", "Today")} " · {date(l, day)}" }
        if !greeting.is_empty() {
            p { class: "meta", style: "padding:0 12px;margin:0", "{greeting}" }
        }
        h2 { {t(l, "Návštěvy a úkoly", "Visits and tasks")} }
        div { class: "list", id: "visits",
            if open.is_empty() {
                p { class: "empty", {t(l, "Na nejbližší týden nic naplánováno.", "Nothing planned for the coming week.")} }
            }
            for (id, v) in open {
                div { class: if v.planned_date().is_some_and(|d| d < day) { "item bad" } else { "item" }, key: "{id}",
                    div { class: "name", "{v.title}" }
                    div { class: "meta",
                        {match v.kind.as_str() {
                            "task" => t(l, "Úkol", "Task"),
                            "exam_reminder" => t(l, "Připomínka vyšetření", "Eye-exam reminder"),
                            "lens_reminder" => t(l, "Připomínka kontaktních čoček", "Contact-lens reminder"),
                            _ => t(l, "Návštěva", "Visit"),
                        }}
                        " · {v.planned_date().map(|d| date(l, d)).unwrap_or_default()}"
                        if let Some(n) = name_of(&v.client) { " · {n}" }
                    }
                    div { class: "row",
                        button { class: "secondary", onclick: { let id = id.clone(); move |_| done(id.clone()) },
                            {t(l, "Hotovo", "Done")} }
                        if fieldcase_shared::reminder::Rule::of_task(&v.kind).is_some() {
                            button { class: "secondary snooze", onclick: { let id = id.clone(); move |_| snooze(id.clone()) },
                                {t(l, "Odložit o týden", "Snooze a week")} }
                        }
                        if let Ok(cid) = v.client.parse::<ClientId>() {
                            button { class: "secondary", onclick: move |_| open_client(screen, cid), {t(l, "Klient", "Client")} }
                        }
                    }
                }
            }
        }
        h2 { {t(l, "Připomínky vyšetření", "Eye-exam reminders")} }
        div { class: "list", id: "reminders",
            if due.is_empty() {
                p { class: "empty", {t(l, "Nikomu nekončí platnost refrakce.", "No prescription is running out.")} }
            }
            for (cid, name, until) in due {
                button { class: "item", key: "{cid}", onclick: move |_| open_client(screen, cid),
                    div { class: "name", "{name}" }
                    div { class: "meta",
                        {if until < day { t(l, "Refrakce neplatná od ", "Prescription expired on ") } else { t(l, "Refrakce platí do ", "Prescription valid until ") }}
                        "{date(l, until)}"
                    }
                }
            }
        }
        h2 { {t(l, "Nový úkol", "New task")} }
        form { id: "task-form", onsubmit: add,
            label { r#for: "task-title", {t(l, "Co udělat", "What to do")} }
            input { id: "task-title", value: "{title}", oninput: move |e| title.set(e.value()) }
            FieldMessage { errors: errors(), field: "title" }
            label { r#for: "task-kind", {t(l, "Druh", "Kind")} }
            select { id: "task-kind", onchange: move |e| kind.set(e.value()),
                option { value: "visit", selected: kind() == "visit", {t(l, "Návštěva", "Visit")} }
                option { value: "task", selected: kind() == "task", {t(l, "Úkol", "Task")} }
                option { value: "exam_reminder", selected: kind() == "exam_reminder", {t(l, "Připomínka vyšetření", "Eye-exam reminder")} }
            }
            label { r#for: "task-date", {t(l, "Kdy", "When")} }
            input { id: "task-date", r#type: "date", value: "{when}", oninput: move |e| when.set(e.value()) }
            FieldMessage { errors: errors(), field: "planned_for" }
            p { button { r#type: "submit", id: "save-task", {t(l, "Přidat", "Add")} } }
        }
    }
}
