//! `/office/invoices/{id}/pdf`: a tax document as a PDF for the signed-in staff
//! who issue documents (the session is checked like any office page's), in the
//! user's language.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::money::invoice_pdf;
use crate::state::AppState;

/// The documents' routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/office/invoices/{id}/pdf", get(pdf_file))
}

async fn pdf_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to(&format!("/login?next=/office/invoices/{id}/pdf")).into_response();
    };
    if !crate::money::invoicing::INVOICERS.contains(&session.user.role) {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    }
    let Ok(uuid) = id.parse::<uuid::Uuid>() else {
        return (StatusCode::NOT_FOUND, "no such document").into_response();
    };
    pdf_response(pdf(&state, uuid, session.user.lang).await)
}

/// A PDF answer, or 404 / 503.
pub fn pdf_response(made: anyhow::Result<Option<(String, Vec<u8>)>>) -> Response {
    match made {
        Ok(Some((name, bytes))) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{name}.pdf\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "no such document").into_response(),
        Err(err) => {
            tracing::error!(%err, "PDF");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the document cannot be made now",
            )
                .into_response()
        }
    }
}

/// Document `id`'s number and PDF in `lang` (none when there is no such document).
pub async fn pdf(
    state: &AppState,
    id: uuid::Uuid,
    lang: fieldcase_shared::Lang,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let Some(doc) = state.store.invoice(id).await? else {
        return Ok(None);
    };
    let corrected = match doc.corrects {
        Some(c) => state.store.invoice(c).await?.map(|i| i.number),
        None => None,
    };
    let bytes = invoice_pdf::render(&doc, corrected.as_deref(), lang)?;
    Ok(Some((doc.number, bytes)))
}
