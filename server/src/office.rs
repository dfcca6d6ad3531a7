//! The office web app. Login/logout are plain server-rendered pages with CSRF
//! tokens; every other page is a Dioxus LiveView: the page shell is served over HTTP
//! after a session check, and its live WebSocket is accepted only with a valid
//! session cookie and a same-origin `Origin` header. Each action re-checks the
//! session and the role on the hub before it touches the store.

mod cookies;
pub(crate) mod live;
mod login;
pub(crate) mod page;
mod pages;
pub(crate) mod ui;
pub(crate) mod upload;

use axum::Router;
use axum::extract::{Path, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fieldcase_shared::{Lang, Role};

use crate::state::AppState;
use crate::store::Session;

pub use page::{PageSpec, Roles};
pub use pages::{ENROLMENT_CODE_MINUTES, PAGES};
pub use ui::plain_page;

/// Routes of the office.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route(
            "/office",
            get(|s, h| page_shell(s, h, Path(pages::HOME.slug.to_owned()))),
        )
        .route("/office/{page}", get(page_shell))
        .route("/office/{page}/{arg}", get(page_shell_with))
        .route("/office/live/{page}", get(live_socket))
        .route("/office/live/{page}/{arg}", get(live_socket_with))
        .route("/assets/office.css", get(stylesheet))
        .layer(axum::extract::DefaultBodyLimit::max(login::MAX_FORM_BYTES))
}

async fn root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match current_session(&state, &headers).await {
        Some(_) => Redirect::to("/office").into_response(),
        None => Redirect::to("/login").into_response(),
    }
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("office/office.css"),
    )
}

/// The session behind the request's cookie, if it is live.
pub(crate) async fn current_session(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<(Session, String)> {
    let token = cookies::get(headers, cookies::SESSION)?;
    let hash = crate::auth::token_hash(&token);
    match state
        .store
        .get_session(&hash, time::OffsetDateTime::now_utc())
        .await
    {
        Ok(Some(session)) => Some((session, hash)),
        Ok(None) => None,
        Err(err) => {
            tracing::warn!(%err, "session lookup failed");
            None
        }
    }
}

/// The language for a page: the user's choice, else the `lang` cookie, else Czech.
pub(crate) fn lang_of(headers: &HeaderMap, session: Option<&Session>) -> Lang {
    session
        .map(|s| s.user.lang)
        .or_else(|| cookies::get(headers, cookies::LANG).and_then(|l| Lang::from_code(&l)))
        .unwrap_or_default()
}

async fn page_shell(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    shell(state, headers, slug, None).await
}

/// A page with an argument: `/office/orders/{id}` is the card of one order.
async fn page_shell_with(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, arg)): Path<(String, String)>,
) -> Response {
    shell(state, headers, slug, Some(arg)).await
}

/// The part of a page's URL after `/office/` (the argument escaped).
fn page_path(slug: &str, arg: Option<&str>) -> String {
    match arg {
        Some(arg) => format!(
            "{slug}/{}",
            url::form_urlencoded::byte_serialize(arg.as_bytes()).collect::<String>()
        ),
        None => slug.to_owned(),
    }
}

async fn shell(state: AppState, headers: HeaderMap, slug: String, arg: Option<String>) -> Response {
    let Some(page) = pages::find(&slug) else {
        return (
            StatusCode::NOT_FOUND,
            Html(ui::plain_page(
                Lang::Cs,
                "404",
                "<p>Stránka nenalezena / Page not found. <a href=\"/office\">←</a></p>",
            )),
        )
            .into_response();
    };
    let Some((session, _)) = current_session(&state, &headers).await else {
        return Redirect::to(&format!(
            "/login?next=/office/{}",
            page_path(page.slug, arg.as_deref())
        ))
        .into_response();
    };
    let lang = session.user.lang;
    if !page.may_open(session.user.role) {
        let body = format!(
            "<p>{}</p><p><a href=\"/office\">{}</a></p>",
            lang.pick(
                "Na tuto stránku nemáte oprávnění.",
                "You are not allowed to open this page."
            ),
            lang.pick("Zpět na přehled", "Back to the dashboard")
        );
        return (
            StatusCode::FORBIDDEN,
            Html(ui::plain_page(lang, "403", &body)),
        )
            .into_response();
    }
    let glue = dioxus_liveview::interpreter_glue(&format!(
        "/office/live/{}",
        page_path(page.slug, arg.as_deref())
    ));
    Html(ui::live_shell(lang, page.title(lang), &glue)).into_response()
}

/// Whether the WebSocket comes from a page of this hub (blocks cross-site WebSocket hijacking).
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    origin_host == host || origin.trim_end_matches('/') == state.config.public_url()
}

async fn live_socket(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    ws: WebSocketUpgrade,
) -> Response {
    socket(state, headers, slug, None, ws).await
}

async fn live_socket_with(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, arg)): Path<(String, String)>,
    ws: WebSocketUpgrade,
) -> Response {
    socket(state, headers, slug, Some(arg), ws).await
}

async fn socket(
    state: AppState,
    headers: HeaderMap,
    slug: String,
    arg: Option<String>,
    ws: WebSocketUpgrade,
) -> Response {
    if !same_origin(&state, &headers) {
        tracing::warn!(origin = ?headers.get(header::ORIGIN), "live socket refused: foreign origin");
        return (StatusCode::FORBIDDEN, "cross-origin WebSocket refused").into_response();
    }
    let page = pages::find(&slug).unwrap_or(pages::HOME);
    let session = current_session(&state, &headers).await;
    let lang = lang_of(&headers, session.as_ref().map(|(s, _)| s));
    ws.max_message_size(256 * 1024)
        .on_upgrade(move |socket| live::run(state, socket, page, pages::PAGES, session, lang, arg))
}

/// Roles that may use the office at all (advisers use the phone app).
pub fn may_use_office(role: Role) -> bool {
    Roles::Staff.include(role)
}
