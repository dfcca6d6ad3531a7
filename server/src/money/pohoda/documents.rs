//! The Pohoda page's two plain forms: `POST /office/pohoda/export` (a day) answers
//! with the day's dataPack to download, and `POST /office/pohoda/response` (the
//! file Pohoda wrote, multipart) reads the answer and shows what it marked. Staff
//! sessions with their CSRF token; accounting and administrators only.

use axum::Router;
use axum::extract::{Form, Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use dioxus::prelude::*;
use fieldcase_shared::Lang;
use serde::Deserialize;

use super::ACCOUNTANTS;
use super::export::{export_day, import_response};
use crate::office::plain_page;
use crate::state::AppState;
use crate::store::Actor;

/// Largest response pack taken.
const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/pohoda/export", post(export))
        .route(
            "/office/pohoda/response",
            post(response).layer(axum::extract::DefaultBodyLimit::max(
                MAX_FILE_BYTES + 64 * 1024,
            )),
        )
}

fn page(status: StatusCode, lang: Lang, body: Element) -> Response {
    let title = lang.pick("Pohoda", "Pohoda");
    let back = lang.pick("← Zpět na export do Pohody", "← Back to the Pohoda export");
    let html = dioxus::ssr::render_element(rsx! {
        h1 { "{title}" }
        {body}
        p { a { href: "/office/pohoda", id: "back-to-pohoda", "{back}" } }
    });
    (status, Html(plain_page(lang, title, &html))).into_response()
}

fn message(status: StatusCode, lang: Lang, text: String) -> Response {
    page(
        status,
        lang,
        rsx! { div { class: "alert alert-error", id: "pohoda-error", "{text}" } },
    )
}

/// The export form.
#[derive(Debug, Deserialize)]
pub struct ExportForm {
    csrf: String,
    date: String,
}

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<ExportForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to("/login?next=/office/pohoda").into_response();
    };
    let lang = session.user.lang;
    if !ACCOUNTANTS.contains(&session.user.role) {
        return message(
            StatusCode::FORBIDDEN,
            lang,
            lang.pick(
                "Do účetnictví exportuje účtárna a administrátor.",
                "Accounting and administrators export to the accounts.",
            )
            .into(),
        );
    }
    let Some(Form(form)) = form
        .ok()
        .filter(|f| crate::auth::constant_time_eq(&f.csrf, &session.csrf_token))
    else {
        return message(
            StatusCode::FORBIDDEN,
            lang,
            lang.pick(
                "Formulář vypršel; obnovte stránku.",
                "The form has expired; reload the page.",
            )
            .into(),
        );
    };
    let Some(day) = fieldcase_shared::calendar::parse_day(&form.date) else {
        return message(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            lang.pick("Zadejte den (RRRR-MM-DD).", "Enter a day (YYYY-MM-DD).")
                .into(),
        );
    };
    let actor = Actor::user(&session.user);
    match export_day(
        state.store.as_ref(),
        &state.config,
        &actor,
        session.user.role,
        day,
    )
    .await
    {
        Ok(export) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/xml; charset=windows-1250".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"pohoda-{day}.xml\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            export.bytes,
        )
            .into_response(),
        Err(e) => message(StatusCode::UNPROCESSABLE_ENTITY, lang, e.text(lang)),
    }
}

async fn response(State(state): State<AppState>, headers: HeaderMap, form: Multipart) -> Response {
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to("/login?next=/office/pohoda").into_response();
    };
    let lang = session.user.lang;
    if !ACCOUNTANTS.contains(&session.user.role) {
        return message(
            StatusCode::FORBIDDEN,
            lang,
            lang.pick(
                "Odpovědi Pohody čte účtárna a administrátor.",
                "Accounting and administrators read Pohoda's answers.",
            )
            .into(),
        );
    }
    let upload = match crate::office::upload::read(
        form,
        &session.csrf_token,
        (
            "Vyberte soubor s odpovědí Pohody (XML).",
            "Choose the file of Pohoda's response (XML).",
        ),
    )
    .await
    {
        Ok(upload) => upload,
        Err(r) => return message(r.status, lang, lang.pick(r.cs, r.en).to_owned()),
    };
    let actor = Actor::user(&session.user);
    let l = lang;
    match import_response(
        state.store.as_ref(),
        &actor,
        session.user.role,
        &upload.bytes,
    )
    .await
    {
        Ok(marked) => page(
            StatusCode::OK,
            lang,
            rsx! {
                p { class: "muted", "{upload.name}" }
                div { class: "alert alert-ok", id: "response-done",
                    {l.pick("Označeno dokladů: ", "Documents marked: ")} span { id: "marked", "{marked.marked}" }
                    {l.pick(". Už dříve přijaté: ", ". Accepted before: ")} span { id: "kept", "{marked.kept}" } "."
                }
                if !marked.unknown.is_empty() {
                    div { class: "alert alert-warn", id: "unknown",
                        {l.pick("Doklady, které hub neposlal: ", "Documents the hub never sent: ")} {marked.unknown.join(", ")}
                    }
                }
            },
        ),
        Err(e) => message(StatusCode::UNPROCESSABLE_ENTITY, lang, e.text(lang)),
    }
}
