//! The complaint protocol (reklamační protokol) the law requires the seller to
//! hand over: who complains about what, when it was received, the deadline, and
//! once decided how and why — a PDF (`pdf::TextPdf`, krilla) at
//! `/office/complaints/{id}/protocol.pdf`; and the complaint's photos at
//! `/office/complaints/photos/{photo}`. Both for signed-in staff who read
//! complaints (the session is checked like any office page's). Staff who receive
//! complaints add a photo from the card (`POST /office/complaints/{id}/photos`,
//! a native multipart form with the page's CSRF token).

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use dioxus::prelude::*;
use fieldcase_shared::Lang;

use super::rules::READERS;
use super::store::Complaint;
use crate::office::ui::datetime;
use crate::pdf::TextPdf;
use crate::state::AppState;

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/complaints/{id}/protocol.pdf", get(protocol))
        .route("/office/complaints/photos/{photo}", get(photo))
        .route(
            "/office/complaints/{id}/photos",
            post(add_photo).layer(axum::extract::DefaultBodyLimit::max(
                crate::office::upload::MAX_FILE_BYTES + 64 * 1024,
            )),
        )
}

/// A photo staff add on the card; back to the card, or the refusal with a way back.
async fn add_photo(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let card = format!("/office/complaints/{id}");
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to(&format!("/login?next={card}")).into_response();
    };
    let l = session.user.lang;
    let refused = |status: StatusCode, text: String| {
        let body = dioxus::ssr::render_element(rsx! {
            div { class: "alert alert-error", id: "photo-error", "{text}" }
            p { a { href: "{card}", {l.pick("← Zpět na reklamaci", "← Back to the complaint")} } }
        });
        (
            status,
            Html(crate::office::ui::plain_page(
                l,
                l.pick("Fotka", "Photo"),
                &body,
            )),
        )
            .into_response()
    };
    let Ok(complaint) = id.parse::<uuid::Uuid>() else {
        return (StatusCode::NOT_FOUND, "no such complaint").into_response();
    };
    let upload = match crate::office::upload::read(
        form,
        &session.csrf_token,
        ("Vyberte fotku.", "Choose a photo."),
    )
    .await
    {
        Ok(upload) => upload,
        Err(r) => return refused(r.status, l.pick(r.cs, r.en).to_owned()),
    };
    let actor = crate::store::Actor::user(&session.user);
    let photo = super::Upload {
        name: upload.name,
        bytes: upload.bytes,
    };
    match super::add_photo(
        state.store.as_ref(),
        &state.blobs(),
        &actor,
        session.user.role,
        complaint,
        &photo,
    )
    .await
    {
        Ok(()) => Redirect::to(&card).into_response(),
        Err(e) => {
            let status = match e {
                super::ComplaintError::Forbidden => StatusCode::FORBIDDEN,
                super::ComplaintError::NotFound => StatusCode::NOT_FOUND,
                super::ComplaintError::Store(_) | super::ComplaintError::Blob(_) => {
                    tracing::error!(%e, "adding a complaint's photo");
                    StatusCode::SERVICE_UNAVAILABLE
                }
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            refused(status, e.text(l))
        }
    }
}

/// The signed-in reader's language, or the answer that sends them away.
async fn reader(state: &AppState, headers: &HeaderMap, path: &str) -> Result<Lang, Response> {
    let Some((session, _)) = crate::office::current_session(state, headers).await else {
        return Err(Redirect::to(&format!("/login?next={path}")).into_response());
    };
    if !READERS.contains(&session.user.role) {
        return Err((StatusCode::FORBIDDEN, "forbidden").into_response());
    }
    Ok(session.user.lang)
}

async fn protocol(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let lang = match reader(
        &state,
        &headers,
        &format!("/office/complaints/{id}/protocol.pdf"),
    )
    .await
    {
        Ok(lang) => lang,
        Err(answer) => return answer,
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return (StatusCode::NOT_FOUND, "no such complaint").into_response();
    };
    let made = match state.store.complaint(id).await {
        Ok(Some(c)) => {
            render(&state.config, &c, lang).map(|bytes| Some((c.row.number.clone(), bytes)))
        }
        Ok(None) => Ok(None),
        Err(err) => Err(err.into()),
    };
    crate::money::documents::pdf_response(made)
}

/// The protocol of `c` in `l`.
pub fn render(config: &crate::config::Config, c: &Complaint, l: Lang) -> anyhow::Result<Vec<u8>> {
    let r = &c.row;
    let mut doc = TextPdf::new();
    doc.title(&format!(
        "{} {}",
        l.pick("Reklamační protokol", "Complaint protocol"),
        r.number
    ));
    let seller = [
        config.payee_name.as_str(),
        config.company_street.as_str(),
        config.company_city.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(", ");
    if !seller.is_empty() {
        doc.text(&format!("{}: {seller}", l.pick("Prodávající", "Seller")));
    }
    if !config.company_ico.is_empty() {
        doc.text(&format!("IČO: {}", config.company_ico));
    }
    doc.text(&format!(
        "{}: {}",
        l.pick("Zákazník", "Customer"),
        r.customer_name()
    ));
    doc.text(&format!("{}: {}", l.pick("Zakázka", "Order"), r.vs));
    doc.text(&format!(
        "{}: {} ({})",
        l.pick("Reklamace přijata", "Complaint received"),
        datetime(r.opened_at),
        r.via().label(l)
    ));
    doc.text(&format!(
        "{}: {}",
        l.pick("Lhůta pro vyřízení (30 dnů)", "To be settled by (30 days)"),
        datetime(r.deadline_at)
    ));
    doc.heading(l.pick("Reklamované položky", "Items"));
    for (_, text) in &c.items {
        doc.text(&format!("• {text}"));
    }
    doc.heading(l.pick("Popis vady", "The defect"));
    doc.text(&r.reason);
    if !c.photos.is_empty() {
        doc.text(&format!(
            "{}: {}",
            l.pick("Přiložené fotky", "Photos attached"),
            c.photos.len()
        ));
    }
    doc.heading(l.pick("Způsob vyřízení", "Settlement"));
    match r.decision() {
        Some(d) => {
            doc.text(&format!(
                "{} ({}, {})",
                d.label(l),
                datetime(r.decided_at.unwrap_or(r.opened_at)),
                r.decided_by.clone().unwrap_or_default()
            ));
            if !r.decision_reason.is_empty() {
                doc.text(&format!(
                    "{}: {}",
                    l.pick("Odůvodnění", "Why"),
                    r.decision_reason
                ));
            }
        }
        None => doc.text(l.pick("Dosud nevyřízeno.", "Not settled yet.")),
    }
    doc.finish()
}

async fn photo(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(photo): Path<String>,
) -> Response {
    if let Err(answer) = reader(
        &state,
        &headers,
        &format!("/office/complaints/photos/{photo}"),
    )
    .await
    {
        return answer;
    }
    let Ok(id) = photo.parse::<uuid::Uuid>() else {
        return (StatusCode::NOT_FOUND, "no such photo").into_response();
    };
    let found = match state.store.complaint_photo(id).await {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(%err, "a complaint's photo");
            return (StatusCode::SERVICE_UNAVAILABLE, "try again shortly").into_response();
        }
    };
    let Some((_, p)) = found else {
        return (StatusCode::NOT_FOUND, "no such photo").into_response();
    };
    match state.blobs().get(p.id).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, p.content_type),
                (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "the photo's file is missing").into_response(),
        Err(err) => {
            tracing::error!(%err, "reading a complaint's photo");
            (StatusCode::SERVICE_UNAVAILABLE, "try again shortly").into_response()
        }
    }
}
