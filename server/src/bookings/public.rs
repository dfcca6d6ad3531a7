//! The public booking pages, no login, server-rendered (they work on a phone):
//! `/book` lists the stores, `/book/{code}?day=…` shows a store's free slots of a
//! day (the next two weeks to pick from) with the form; `POST /book/{code}` asks
//! for a slot (a refused form comes back filled in, 422, with the reason; at most
//! `throttle::PUBLIC_FORMS_PER_HOUR` requests per address). `/b/{token}` is the booking's
//! own page: its state, and the customer's steps (take a proposed time, cancel,
//! pick another time — `POST /b/{token}`). Not indexed, not cached; an unknown
//! token gets a 404.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use dioxus::prelude::*;
use fieldcase_shared::Lang;
use time::{Date, Duration, OffsetDateTime};

use super::rules::{self, Contact, Slot, Status};
use super::store::Booking;
use super::{BookingError, CustomerStep};
use crate::network::store::Shop;
use crate::office::ui::datetime;
use crate::orders::public::{respond, shell, well_formed};
use crate::state::AppState;
use crate::throttle::ClientAddr;

/// Days offered to pick from.
const DAYS: i64 = 14;

/// Routes of the public booking pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/book", get(stores))
        .route("/book/{code}", get(store_page).post(ask))
        .route("/b/{token}", get(booking_page).post(step))
}

/// The day shown and a slot picked.
#[derive(Debug, Default, serde::Deserialize)]
struct Pick {
    #[serde(default)]
    day: Option<String>,
    #[serde(default)]
    new: Option<String>,
}

/// The booking form.
#[derive(Debug, Default, Clone, serde::Deserialize)]
struct Ask {
    #[serde(default)]
    day: String,
    #[serde(default)]
    slot: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    note: String,
    /// The booking page's step: `confirm`, `cancel`, `move`.
    #[serde(default)]
    action: String,
}

fn page(status: StatusCode, lang: Lang, title: &str, body: String) -> Response {
    respond(status, shell(lang, title, body))
}

fn unavailable(lang: Lang) -> Response {
    let body = dioxus::ssr::render_element(rsx! {
        p { {lang.pick("Stránku teď nelze zobrazit; zkuste to za chvíli.", "The page cannot be shown now; try again shortly.")} }
    });
    page(StatusCode::SERVICE_UNAVAILABLE, lang, "fieldcase", body)
}

fn not_found(lang: Lang) -> Response {
    let body = dioxus::ssr::render_element(rsx! {
        div { class: "login-card", id: "public-not-found",
            h1 { {lang.pick("Stránka nenalezena", "Page not found")} }
            p { {lang.pick("Odkaz neplatí.", "This link is not valid.")} }
        }
    });
    page(StatusCode::NOT_FOUND, lang, "404", body)
}

async fn active_shops(state: &AppState) -> Result<Vec<Shop>, crate::store::StoreError> {
    Ok(state
        .store
        .list_shops()
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect())
}

/// The active store of `code`, or the page to answer (404, 503).
async fn find_shop(state: &AppState, l: Lang, code: &str) -> Result<Shop, Response> {
    match active_shops(state).await {
        Ok(shops) => shops
            .into_iter()
            .find(|s| s.code == code)
            .ok_or_else(|| not_found(l)),
        Err(err) => {
            tracing::error!(%err, "booking: the store");
            Err(unavailable(l))
        }
    }
}

async fn stores(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let l = crate::office::lang_of(&headers, None);
    let shops = match active_shops(&state).await {
        Ok(s) => s,
        Err(err) => {
            tracing::error!(%err, "booking: the stores");
            return unavailable(l);
        }
    };
    let body = dioxus::ssr::render_element(rsx! {
        div { class: "public-card", id: "book-stores",
            h1 { {l.pick("Objednat se na vyšetření zraku", "Book an eye exam")} }
            p { {l.pick("Vyberte prodejnu:", "Pick a store:")} }
            ul {
                for s in shops.iter() {
                    li { key: "{s.code}", a { class: "book-store", href: "/book/{s.code}", "{s.name}" } " " span { class: "muted small", "{s.street}, {s.city}" } }
                }
            }
        }
    });
    page(
        StatusCode::OK,
        l,
        l.pick("Vyšetření zraku", "Eye exam"),
        body,
    )
}

/// The day asked for, or today; never before today nor past the days offered.
fn day_of(text: Option<&str>, now: OffsetDateTime) -> Date {
    let today = rules::prague_today(now);
    text.and_then(fieldcase_shared::calendar::parse_day)
        .filter(|d| *d >= today && *d < today + Duration::days(DAYS))
        .unwrap_or(today)
}

async fn store_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(pick): Query<Pick>,
) -> Response {
    let l = crate::office::lang_of(&headers, None);
    let now = OffsetDateTime::now_utc();
    let day = day_of(pick.day.as_deref(), now);
    form_page(&state, l, &code, day, &Ask::default(), None).await
}

/// The store's page for `day` with the form as `ask` fills it and an error.
async fn form_page(
    state: &AppState,
    l: Lang,
    code: &str,
    day: Date,
    ask: &Ask,
    error: Option<String>,
) -> Response {
    let now = OffsetDateTime::now_utc();
    let shop = match find_shop(state, l, code).await {
        Ok(shop) => shop,
        Err(answer) => return answer,
    };
    let slots = match super::free_slots(state.store.as_ref(), shop.id.as_uuid(), day, now).await {
        Ok(s) => s,
        Err(err) => {
            tracing::error!(%err, "booking: the slots");
            return unavailable(l);
        }
    };
    let today = rules::prague_today(now);
    let days: Vec<Date> = (0..DAYS).map(|i| today + Duration::days(i)).collect();
    let title = format!("{} – {}", l.pick("Vyšetření zraku", "Eye exam"), shop.name);
    let action = format!("/book/{}", shop.code);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = dioxus::ssr::render_element(rsx! {
        div { class: "public-card", id: "book-store",
            h1 { "{title}" }
            p { class: "muted", "{shop.street}, {shop.city}" }
            {day_links(&format!("/book/{}", shop.code), &days, day, l)}
            if let Some(e) = &error { p { class: "alert alert-error", id: "book-error", role: "alert", "{e}" } }
            form { method: "post", action: "{action}", id: "book-form",
                input { r#type: "hidden", name: "day", value: "{day}" }
                {slot_choice(&slots, &ask.slot, l)}
                if !slots.is_empty() {
                    label { {l.pick("Jméno a příjmení", "Name")} input { name: "name", id: "book-name", required: true, maxlength: "120", value: "{ask.name}" } }
                    label { "E-mail" input { name: "email", id: "book-email", r#type: "email", value: "{ask.email}" } }
                    label { {l.pick("Telefon", "Phone")} input { name: "phone", id: "book-phone", r#type: "tel", value: "{ask.phone}" } }
                    label { {l.pick("Adresa (jen pro mobilní ordinaci, která přijede k vám)", "Address (only for the mobile room, which comes to you)")}
                        input { name: "address", id: "book-address", maxlength: "200", value: "{ask.address}" } }
                    label { {l.pick("Poznámka", "Note")} textarea { name: "note", id: "book-note", maxlength: "500", "{ask.note}" } }
                    button { r#type: "submit", id: "book-submit", class: "btn btn-primary", {l.pick("Objednat", "Book")} }
                }
            }
        }
    });
    page(status, l, &title, body)
}

fn day_links(base: &str, days: &[Date], current: Date, l: Lang) -> Element {
    rsx! {
        nav { class: "book-days", id: "book-days",
            for d in days.iter() {
                a { key: "{d}", class: if *d == current { "book-day current" } else { "book-day" }, href: "{base}?day={d}", "data-day": "{d}",
                    "{weekday(*d, l)} {d.day()}. {u8::from(d.month())}."
                }
            }
        }
    }
}

fn weekday(d: Date, l: Lang) -> &'static str {
    let cs = ["po", "út", "st", "čt", "pá", "so", "ne"];
    let en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = usize::from(d.weekday().number_days_from_monday());
    l.pick(cs[i], en[i])
}

fn slot_choice(slots: &[Slot], picked: &str, l: Lang) -> Element {
    if slots.is_empty() {
        return rsx! { p { class: "muted", id: "book-no-slots", {l.pick("Tento den nejsou volné termíny; zkuste jiný.", "No free times on this day; try another.")} } };
    }
    rsx! {
        fieldset { class: "book-slots", id: "book-slots",
            legend { {l.pick("Volné termíny", "Free times")} }
            for s in slots.iter() {
                {
                    let key = s.key();
                    let local = datetime(s.starts_at);
                    let time = local.rsplit(' ').next().unwrap_or_default().to_owned();
                    rsx! {
                        label { key: "{key}", class: "book-slot", "data-time": "{time}",
                            input { r#type: "radio", name: "slot", value: "{key}", required: true, checked: picked == key }
                            " {time} · {s.optometrist}"
                            if s.mobile { " · " span { class: "badge", {l.pick("mobilní ordinace u vás", "mobile room at your place")} } }
                        }
                    }
                }
            }
        }
    }
}

async fn ask(
    State(state): State<AppState>,
    headers: HeaderMap,
    addr: ClientAddr,
    Path(code): Path<String>,
    Form(ask): Form<Ask>,
) -> Response {
    let l = crate::office::lang_of(&headers, None);
    let now = OffsetDateTime::now_utc();
    let day = day_of(Some(&ask.day), now);
    if let Err(wait) = state.guards.public_forms.take(&addr.key()) {
        let msg = format!(
            "{} {} min.",
            l.pick(
                "Příliš mnoho žádostí; zkuste to znovu za",
                "Too many requests; try again in"
            ),
            wait.minutes()
        );
        let mut r = form_page(&state, l, &code, day, &ask, Some(msg)).await;
        *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return r;
    }
    let shop = match find_shop(&state, l, &code).await {
        Ok(shop) => shop,
        Err(answer) => return answer,
    };
    let Some(key) = rules::parse_key(&ask.slot) else {
        let msg = l
            .pick("Vyberte prosím termín.", "Please pick a time.")
            .to_owned();
        return form_page(&state, l, &code, day, &ask, Some(msg)).await;
    };
    let contact = Contact {
        name: ask.name.clone(),
        email: ask.email.clone(),
        phone: ask.phone.clone(),
        address: ask.address.clone(),
        note: ask.note.clone(),
        lang: l,
    };
    match super::request(state.store.as_ref(), shop.id.as_uuid(), key, &contact, now).await {
        Ok((_, token)) => Redirect::to(&format!("/b/{token}?new=1")).into_response(),
        Err(err) => {
            if matches!(err, BookingError::Store(_)) {
                tracing::error!(%err, "a booking request");
            }
            form_page(&state, l, &code, day, &ask, Some(err.text(l))).await
        }
    }
}

/// The booking of `token`, or the page to answer (404, 503).
async fn by_token(state: &AppState, l: Lang, token: &str) -> Result<Booking, Response> {
    if !well_formed(token) {
        return Err(not_found(l));
    }
    match state.store.booking_by_token(token).await {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(not_found(l)),
        Err(err) => {
            tracing::error!(%err, "a booking's page");
            Err(unavailable(l))
        }
    }
}

async fn booking_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(pick): Query<Pick>,
) -> Response {
    let l = crate::office::lang_of(&headers, None);
    let now = OffsetDateTime::now_utc();
    let day = pick.day.as_deref().map(|d| day_of(Some(d), now));
    let notice = pick.new.is_some().then(|| {
        l.pick(
            "Děkujeme, žádost o termín jsme přijali. Prodejna ji potvrdí a dáme vám vědět.",
            "Thank you, we have your request. The store will approve it and let you know.",
        )
        .to_owned()
    });
    show(&state, l, &token, day, notice, None).await
}

async fn show(
    state: &AppState,
    l: Lang,
    token: &str,
    day: Option<Date>,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let now = OffsetDateTime::now_utc();
    let b = match by_token(state, l, token).await {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    let Ok(status) = b.status() else {
        return unavailable(l);
    };
    let slots = match day {
        Some(day) if status.live() => super::free_slots(state.store.as_ref(), b.shop_id, day, now)
            .await
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let today = rules::prague_today(now);
    let days: Vec<Date> = (0..DAYS).map(|i| today + Duration::days(i)).collect();
    let base = format!("/b/{token}");
    let http = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let title = l.pick("Vaše rezervace", "Your booking");
    let body = dioxus::ssr::render_element(rsx! {
        div { class: "public-card", id: "booking",
            h1 { "{title}" }
            if let Some(n) = &notice { p { class: "alert alert-ok", id: "booking-notice", "{n}" } }
            if let Some(e) = &error { p { class: "alert alert-error", id: "booking-error", role: "alert", "{e}" } }
            p { {l.pick("Stav: ", "State: ")} span { class: "status booking-{status.code()}", id: "booking-status", "{status.label(l)}" } }
            p { {l.pick("Termín: ", "Time: ")} span { class: "strong", id: "booking-when", {datetime(b.starts_at)} } " · {b.optometrist}" }
            p { {l.pick("Místo: ", "Place: ")} span { id: "booking-place", "{b.shop_name}, {b.place()}" } }
            if status == Status::Proposed {
                form { method: "post", action: "{base}",
                    input { r#type: "hidden", name: "action", value: "confirm" }
                    button { r#type: "submit", class: "btn btn-primary", id: "booking-confirm", {l.pick("Navržený termín beru", "I take the proposed time")} }
                }
            }
            if status.live() {
                form { method: "post", action: "{base}",
                    input { r#type: "hidden", name: "action", value: "cancel" }
                    button { r#type: "submit", class: "btn", id: "booking-cancel", {l.pick("Zrušit rezervaci", "Cancel the booking")} }
                }
                h2 { {l.pick("Jiný termín", "Another time")} }
                {day_links(&base, &days, day.unwrap_or(today), l)}
                if day.is_some() {
                    form { method: "post", action: "{base}", id: "booking-move",
                        input { r#type: "hidden", name: "action", value: "move" }
                        {slot_choice(&slots, "", l)}
                        if !slots.is_empty() {
                            button { r#type: "submit", class: "btn", id: "booking-move-submit", {l.pick("Přeobjednat", "Move the booking")} }
                        }
                    }
                }
            }
        }
    });
    page(http, l, title, body)
}

async fn step(
    State(state): State<AppState>,
    headers: HeaderMap,
    addr: ClientAddr,
    Path(token): Path<String>,
    Form(ask): Form<Ask>,
) -> Response {
    let l = crate::office::lang_of(&headers, None);
    let now = OffsetDateTime::now_utc();
    let b = match by_token(&state, l, &token).await {
        Ok(b) => b,
        Err(answer) => return answer,
    };
    let step = match ask.action.as_str() {
        "confirm" => Some(CustomerStep::Confirm),
        "cancel" => Some(CustomerStep::Cancel),
        "move" => rules::parse_key(&ask.slot).map(|(s, at)| CustomerStep::Move(s, at)),
        _ => None,
    };
    let Some(step) = step else {
        let msg = l
            .pick("Vyberte prosím termín.", "Please pick a time.")
            .to_owned();
        return show(&state, l, &token, None, None, Some(msg)).await;
    };
    if matches!(step, CustomerStep::Move(..))
        && state.guards.public_forms.take(&addr.key()).is_err()
    {
        let msg = l
            .pick(
                "Příliš mnoho žádostí; zkuste to později.",
                "Too many requests; try again later.",
            )
            .to_owned();
        return show(&state, l, &token, None, None, Some(msg)).await;
    }
    match super::by_customer(state.store.as_ref(), &b, step, now).await {
        Ok(()) => Redirect::to(&format!("/b/{token}")).into_response(),
        Err(err) => {
            if matches!(err, BookingError::Store(_)) {
                tracing::error!(%err, "a customer's booking step");
            }
            show(&state, l, &token, None, None, Some(err.text(l))).await
        }
    }
}
