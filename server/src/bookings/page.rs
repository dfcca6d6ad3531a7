//! Bookings (`/office/bookings`): the eye exams from today on, per store (a
//! store's staff see their own first) or all, the waiting ones marked (or only
//! those), with the customer, the optometrist and the state, and the chosen
//! store's schedule (`schedule_box.rs`); `/office/bookings/{id}` is a booking's
//! card: approve it, propose another free time, cancel it, record the exam's
//! result.

use dioxus::prelude::*;
use fieldcase_shared::{Diopters, EyeRx, Lang, Millimetres};
use time::OffsetDateTime;

use super::ExamResult;
use super::rules::{self, STAFF, Status};
use super::schedule_box::ScheduleBox;
use super::store::BookingFilter;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{self, Notice, NoticeBar, datetime, form_text};

/// Bookings: the stores, the office and customer service.
pub const PAGE: PageSpec = PageSpec {
    slug: "bookings",
    title_cs: "Rezervace vyšetření",
    title_en: "Eye-exam bookings",
    open: Roles::Only(STAFF),
    edit: Roles::Only(STAFF),
    component: Bookings,
};

#[component]
fn Bookings() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut pending_only = use_signal(|| false);
    // A store's staff see their own store's bookings first.
    let own = ctx
        .session
        .user
        .shop
        .map(|s| s.as_uuid().to_string())
        .unwrap_or_default();
    let mut shop = use_signal(move || own.clone());
    let store = ctx.state.store.clone();
    let shops_store = ctx.state.store.clone();
    let shops = use_resource(move || {
        let store = shops_store.clone();
        async move { store.list_shops().await }
    });
    let list = use_resource(move || {
        let store = store.clone();
        let filter = BookingFilter {
            shop: shop().parse().ok(),
            from: Some(OffsetDateTime::now_utc() - time::Duration::hours(12)),
            pending_only: pending_only(),
            client: None,
        };
        async move { store.bookings(filter, 300).await }
    });
    if let Some(arg) = ctx.arg.clone() {
        return rsx! { Card { arg } };
    }
    let rows = match &*list.read() {
        Some(Ok(rows)) => rows.clone(),
        Some(Err(_)) => {
            return rsx! { NoticeBar { notice: Some(Notice::err("Rezervace teď nelze načíst.", "Bookings cannot be read now.")) } };
        }
        None => return rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
    };
    let shops = match &*shops.read() {
        Some(Ok(s)) => s.clone(),
        _ => Vec::new(),
    };
    let waiting = rows.iter().filter(|b| b.status == "pending").count();
    rsx! {
        div { class: "toolbar",
            select { id: "booking-shop", onchange: move |e| shop.set(e.value()),
                option { value: "", {l.pick("Všechny prodejny", "All stores")} }
                for s in shops.iter() { option { key: "{s.id}", value: "{s.id}", selected: s.id.as_uuid().to_string() == shop(), "{s.name}" } }
            }
            label { class: "check",
                input { r#type: "checkbox", id: "pending-only", checked: pending_only(), onchange: move |e| pending_only.set(e.checked()) }
                " " {l.pick("Jen čekající na potvrzení", "Waiting for approval only")}
            }
            if waiting > 0 { span { class: "badge", id: "bookings-waiting", {l.pick("Čeká: ", "Waiting: ")} "{waiting}" } }
            a { class: "btn btn-small", href: "/book", target: "_blank", {l.pick("Veřejná stránka objednávek", "The public booking page")} }
        }
        if let Ok(id) = shop().parse::<uuid::Uuid>() { ScheduleBox { key: "{id}", shop: id } }
        if rows.is_empty() {
            p { class: "muted", id: "bookings-empty", {l.pick("Žádné rezervace.", "No bookings.")} }
        } else {
            table { class: "table", id: "bookings-table",
                thead { tr {
                    th { {l.pick("Termín", "Time")} }
                    th { {l.pick("Prodejna", "Store")} }
                    th { {l.pick("Zákazník", "Customer")} }
                    th { {l.pick("Stav", "State")} }
                } }
                tbody {
                    for b in rows {
                        tr { key: "{b.id}", class: "booking booking-{b.status}", "data-name": "{b.name}",
                            td { class: "nowrap", a { class: "booking-link", href: "/office/bookings/{b.id}", {datetime(b.starts_at)} } br {} span { class: "muted small", "{b.optometrist}" } }
                            td { "{b.shop_name}" if b.mobile { br {} span { class: "badge", {l.pick("mobilní ordinace", "mobile room")} } } }
                            td { "{b.name}" br {} span { class: "muted small", "{b.email} {b.phone}" } }
                            td { {Status::parse(&b.status).map(|s| s.label(l)).unwrap_or_default()} }
                        }
                    }
                }
            }
        }
    }
}

/// One eye's fields of the result form.
fn eye(evt: &FormEvent, eye: &str) -> Result<EyeRx, String> {
    let power = |name: &str| -> Result<Diopters, String> {
        let text = form_text(evt, &format!("{eye}_{name}"));
        if text.trim().is_empty() {
            return Ok(Diopters::default());
        }
        Diopters::parse(&text).map_err(|_| format!("{eye} {name}: {text}"))
    };
    let axis = form_text(evt, &format!("{eye}_axis"));
    let add = form_text(evt, &format!("{eye}_add"));
    Ok(EyeRx {
        sph: power("sph")?,
        cyl: power("cyl")?,
        axis: if axis.trim().is_empty() {
            None
        } else {
            Some(
                axis.trim()
                    .parse()
                    .map_err(|_| format!("{eye} axis: {axis}"))?,
            )
        },
        add: if add.trim().is_empty() {
            None
        } else {
            Some(power("add")?)
        },
        ..EyeRx::default()
    })
}

fn result_of(evt: &FormEvent, measured_by: String) -> Result<ExamResult, String> {
    let pd = form_text(evt, "pd");
    Ok(ExamResult {
        right: eye(evt, "right")?,
        left: eye(evt, "left")?,
        pd_binocular_mm: if pd.trim().is_empty() {
            None
        } else {
            Some(Millimetres::parse(&pd).map_err(|_| format!("PD: {pd}"))?)
        },
        measured_by,
        note: form_text(evt, "result_note"),
    })
}

/// What the card shows without its record.
const CARD_GAPS: ui::Gaps = ui::Gaps {
    id: "booking-not-found",
    missing: ("Rezervace nenalezena.", "No such booking."),
    failed: (
        "Rezervaci teď nelze načíst.",
        "The booking cannot be read now.",
    ),
};

#[component]
fn Card(arg: String) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut day = use_signal(String::new);
    let id = arg.parse::<uuid::Uuid>().ok();
    let store = ctx.state.store.clone();
    let found = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            match id {
                Some(id) => store.booking(id).await,
                None => Ok(None),
            }
        }
    });
    let slot_store = ctx.state.store.clone();
    let slots = use_resource(move || {
        let store = slot_store.clone();
        let d = fieldcase_shared::calendar::parse_day(&day());
        let shop = found
            .read()
            .as_ref()
            .and_then(|r| r.as_ref().ok().cloned().flatten())
            .map(|b| b.shop_id);
        async move {
            match (d, shop) {
                (Some(d), Some(shop)) => {
                    super::free_slots(store.as_ref(), shop, d, OffsetDateTime::now_utc())
                        .await
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            }
        }
    });
    let act_ctx = ctx.clone();
    let act = move |evt: FormEvent| {
        let ctx = act_ctx.clone();
        spawn(async move {
            let Some(id) = id else { return };
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let store = ctx.state.store.as_ref();
            let now = OffsetDateTime::now_utc();
            let done = match form_text(&evt, "action").as_str() {
                "approve" => super::approve(store, &actor, role, id, now)
                    .await
                    .map(|()| {
                        (
                            "Potvrzeno; zákazníkovi dáme vědět.",
                            "Approved; the customer will be told.",
                        )
                    }),
                "cancel" => super::cancel(store, &actor, role, id)
                    .await
                    .map(|()| ("Zrušeno.", "Cancelled.")),
                "propose" => match rules::parse_key(&form_text(&evt, "slot")) {
                    Some(key) => {
                        super::propose(store, &actor, role, id, key, now)
                            .await
                            .map(|()| {
                                (
                                    "Navrženo; zákazník termín potvrdí.",
                                    "Proposed; the customer will confirm.",
                                )
                            })
                    }
                    None => {
                        return notice.set(Some(Notice::err("Vyberte termín.", "Pick a time.")));
                    }
                },
                "result" => match result_of(&evt, actor.label.clone()) {
                    Ok(r) => super::record(store, &actor, role, id, &r)
                        .await
                        .map(|()| ("Výsledek uložen.", "Result saved.")),
                    Err(bad) => {
                        return notice.set(Some(Notice::err(
                            format!("Neplatná hodnota: {bad}"),
                            format!("Not a value: {bad}"),
                        )));
                    }
                },
                _ => return,
            };
            notice.set(Some(match done {
                Ok((cs, en)) => Notice::ok(cs, en),
                Err(e) => Notice::err(e.text(Lang::Cs), e.text(Lang::En)),
            }));
            reload += 1;
        });
    };
    let b = match ui::loaded(&found.read(), l, CARD_GAPS) {
        Ok(b) => b,
        Err(shown) => return shown,
    };
    let status = Status::parse(&b.status);
    let result: Option<ExamResult> = serde_json::from_str(&b.result).ok();
    let free = slots.read().clone().unwrap_or_default();
    rsx! {
        NoticeBar { notice: notice() }
        p { a { href: "/office/bookings", {l.pick("← Rezervace", "← Bookings")} } }
        div { class: "card", id: "booking-card",
            h2 { {l.pick("Vyšetření zraku", "Eye exam")} }
            p { span { class: "strong", id: "booking-when", {datetime(b.starts_at)} } " · {b.optometrist} · {b.shop_name}" }
            if b.mobile { p { {l.pick("Mobilní ordinace: ", "Mobile room: ")} span { id: "booking-address", "{b.address}" } } }
            p { id: "booking-customer", "{b.name} · {b.email} · {b.phone}"
                if let Some(c) = b.client_id { " · " a { href: "/office/customers/{c}", {l.pick("karta zákazníka", "customer card")} } }
            }
            if !b.note.is_empty() { p { class: "note-body", "{b.note}" } }
            p { {l.pick("Stav: ", "State: ")} span { class: "strong", id: "booking-state", {status.map(|s| s.label(l)).unwrap_or_default()} } }
            if status == Some(Status::Pending) {
                form { id: "approve-form", onsubmit: act.clone(),
                    input { r#type: "hidden", name: "action", value: "approve" }
                    button { class: "btn btn-primary", r#type: "submit", id: "booking-approve", {l.pick("Potvrdit termín", "Approve")} }
                }
                form { id: "propose-form", onsubmit: act.clone(),
                    input { r#type: "hidden", name: "action", value: "propose" }
                    input { r#type: "date", id: "propose-day", value: "{day}", onchange: move |e| day.set(e.value()) }
                    select { name: "slot", id: "propose-slot",
                        for s in free.iter() { option { key: "{s.key()}", value: "{s.key()}", {datetime(s.starts_at)} " · {s.optometrist}" } }
                    }
                    button { class: "btn", r#type: "submit", id: "booking-propose", {l.pick("Navrhnout jiný termín", "Propose another time")} }
                }
            }
            if status.is_some_and(|s| s.live()) {
                form { id: "cancel-form", onsubmit: act.clone(),
                    input { r#type: "hidden", name: "action", value: "cancel" }
                    button { class: "btn", r#type: "submit", id: "booking-cancel", {l.pick("Zrušit", "Cancel")} }
                }
            }
        }
        if status == Some(Status::Approved) {
            div { class: "card", id: "result-box",
                h3 { {l.pick("Výsledek vyšetření", "The exam's result")} }
                form { id: "result-form", onsubmit: act.clone(),
                    input { r#type: "hidden", name: "action", value: "result" }
                    for (eye, name) in [("right", l.pick("Pravé oko (OD)", "Right eye (OD)")), ("left", l.pick("Levé oko (OS)", "Left eye (OS)"))] {
                        fieldset { key: "{eye}", legend { "{name}" }
                            label { "SPH" input { name: "{eye}_sph", id: "{eye}-sph", size: "6" } }
                            label { "CYL" input { name: "{eye}_cyl", id: "{eye}-cyl", size: "6" } }
                            label { "AX" input { name: "{eye}_axis", id: "{eye}-axis", size: "4" } }
                            label { "ADD" input { name: "{eye}_add", id: "{eye}-add", size: "6" } }
                        }
                    }
                    label { "PD" input { name: "pd", id: "result-pd", size: "6" } }
                    label { {l.pick("Poznámka", "Note")} textarea { name: "result_note", rows: "2", maxlength: "2000" } }
                    button { class: "btn btn-primary", r#type: "submit", id: "result-submit", {l.pick("Uložit výsledek", "Save the result")} }
                }
            }
        }
        if let Some(r) = result { ResultBox { result: r } }
    }
}

/// A recorded result (the card's and the customer card's).
#[component]
pub fn ResultBox(result: ExamResult) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let eye = |e: &EyeRx| {
        format!(
            "SPH {} CYL {}{}{}",
            e.sph,
            e.cyl,
            e.axis.map(|a| format!(" AX {a}°")).unwrap_or_default(),
            e.add.map(|a| format!(" ADD {a}")).unwrap_or_default()
        )
    };
    rsx! {
        div { class: "card exam-result", id: "exam-result",
            h3 { {l.pick("Výsledek vyšetření", "The exam's result")} }
            p { "OD: " span { id: "result-right", {eye(&result.right)} } }
            p { "OS: " span { id: "result-left", {eye(&result.left)} } }
            if let Some(pd) = result.pd_binocular_mm { p { "PD {pd} mm" } }
            p { class: "muted small", "{result.measured_by}" }
            if !result.note.is_empty() { p { class: "note-body", "{result.note}" } }
        }
    }
}

/// The customer card's eye exams: their bookings, newest first, with the results.
#[component]
pub fn ExamsBox(client: fieldcase_shared::ClientId) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let filter = BookingFilter {
            client: Some(client),
            ..BookingFilter::default()
        };
        async move { store.bookings(filter, 50).await }
    });
    let mut rows = match &*list.read() {
        Some(Ok(rows)) => rows.clone(),
        _ => return rsx! {},
    };
    if rows.is_empty() {
        return rsx! {};
    }
    rows.reverse();
    rsx! {
        div { class: "card", id: "customer-exams",
            h3 { {l.pick("Vyšetření zraku", "Eye exams")} }
            for b in rows {
                div { key: "{b.id}", class: "customer-exam",
                    p {
                        a { href: "/office/bookings/{b.id}", {datetime(b.starts_at)} }
                        " · {b.shop_name} · {b.optometrist} · "
                        span { class: "strong", {Status::parse(&b.status).map(|s| s.label(l)).unwrap_or_default()} }
                    }
                    if let Ok(r) = serde_json::from_str::<ExamResult>(&b.result) { ResultBox { result: r } }
                }
            }
        }
    }
}
