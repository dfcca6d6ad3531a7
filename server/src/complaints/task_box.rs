//! Complaints' tasks in the office: the card's box (the complaint's tasks, "done"
//! for the team, forwarding to the lab or accounting with a note) and the
//! Complaints page's list of the open tasks (a lab's or accounting's own, else
//! all).

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use uuid::Uuid;

use super::rules::DECIDERS;
use super::tasks::{Task, Team, finish, forward};
use crate::office::live::Ctx;
use crate::office::ui::{Notice, datetime, form_text};

fn task_row(t: &Task, l: Lang, done: Option<EventHandler<Uuid>>) -> Element {
    let id = t.id;
    rsx! {
        li { key: "{t.id}", class: if t.done_at.is_some() { "complaint-task done" } else { "complaint-task" }, "data-team": "{t.team}",
            span { class: "badge", {t.team().label(l)} } " "
            a { href: "/office/complaints/{t.complaint_id}", "{t.number}" } " · "
            span { class: "task-body", "{t.body}" }
            br {}
            span { class: "muted small", "{t.created_by} · " {datetime(t.created_at)}
                if let (Some(by), Some(at)) = (&t.done_by, t.done_at) { " · " {l.pick("hotovo: ", "done: ")} "{by} · " {datetime(at)} }
            }
            if let Some(done) = done {
                " " button { class: "btn btn-small task-done", onclick: move |_| done.call(id), {l.pick("Hotovo", "Done")} }
            }
        }
    }
}

/// Marks task `id` done as the signed-in person, and says how it went.
fn mark_done(ctx: Ctx, id: Uuid, mut notice: Signal<Option<Notice>>, mut reload: Signal<u32>) {
    spawn(async move {
        // The lab and accounting read complaints without editing them: `finish`
        // checks that the task is their team's.
        let (actor, role) = match ctx.authorize_step(ctx.page).await {
            Ok(a) => a,
            Err(msg) => return notice.set(Some(Notice::Err(msg))),
        };
        notice.set(Some(
            match finish(ctx.state.store.as_ref(), &actor, role, id).await {
                Ok(()) => Notice::ok("Úkol splněn.", "Task done."),
                Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
            },
        ));
        reload += 1;
    });
}

/// The card's tasks of complaint `complaint` (`reload`: the card's, so a
/// decision shows its task at once).
#[component]
pub fn TaskBox(complaint: Uuid, notice: Signal<Option<Notice>>, reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.complaint_tasks(Some(complaint), None, 100).await }
    });
    let role = ctx.session.user.role;
    let done_ctx = ctx.clone();
    let done = move |id: Uuid| mark_done(done_ctx.clone(), id, notice, reload);
    let forward_ctx = ctx.clone();
    let send = move |evt: FormEvent| {
        let ctx = forward_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let team = form_text(&evt, "team");
            let body = form_text(&evt, "task");
            notice.set(Some(
                match forward(
                    ctx.state.store.as_ref(),
                    &actor,
                    role,
                    complaint,
                    &team,
                    &body,
                )
                .await
                {
                    Ok(_) => Notice::ok("Předáno.", "Forwarded."),
                    Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
                },
            ));
            reload += 1;
        });
    };
    let tasks = match &*list.read() {
        Some(Ok(t)) => t.clone(),
        _ => Vec::new(),
    };
    rsx! {
        div { class: "card", id: "complaint-tasks",
            h3 { {l.pick("Úkoly pro laboratoř a účtárnu", "Tasks for the lab and accounting")} }
            if tasks.is_empty() { p { class: "muted", {l.pick("Žádné.", "None.")} } }
            ul { class: "task-list",
                for t in tasks.iter() {
                    {task_row(t, l, (t.done_at.is_none() && t.team().may_finish(role)).then(|| EventHandler::new(done.clone())))}
                }
            }
            if DECIDERS.contains(&role) {
                form { id: "forward-form", onsubmit: send,
                    select { name: "team", id: "forward-team",
                        for t in Team::ALL { option { value: t.code(), {t.label(l)} } }
                    }
                    input { name: "task", id: "forward-body", maxlength: "4000", placeholder: l.pick("Co je potřeba udělat", "What needs doing") }
                    button { class: "btn btn-small", r#type: "submit", {l.pick("Předat", "Forward")} }
                }
            }
        }
    }
}

/// The Complaints page's open tasks: the lab's or accounting's own, else every team's.
#[component]
pub fn OpenTasks() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let notice = use_signal(|| None::<Notice>);
    let reload = use_signal(|| 0u32);
    let role = ctx.session.user.role;
    let team = Team::of(role);
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.complaint_tasks(None, Some(team), 200).await }
    });
    let done_ctx = ctx.clone();
    let done = move |id: Uuid| mark_done(done_ctx.clone(), id, notice, reload);
    let tasks = match &*list.read() {
        Some(Ok(t)) => t.clone(),
        _ => Vec::new(),
    };
    if tasks.is_empty() && notice().is_none() {
        return rsx! {};
    }
    rsx! {
        crate::office::ui::NoticeBar { notice: notice() }
        div { class: "card", id: "open-tasks",
            h3 { {match team { Some(t) => format!("{} ({})", l.pick("Úkoly z reklamací", "Tasks from complaints"), t.label(l)), None => l.pick("Otevřené úkoly z reklamací", "Open tasks from complaints").to_owned() }} }
            ul { class: "task-list",
                for t in tasks.iter() {
                    {task_row(t, l, t.team().may_finish(role).then(|| EventHandler::new(done.clone())))}
                }
            }
        }
    }
}
