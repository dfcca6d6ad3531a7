//! `/office/till/entries/{id}/pdf` and `/office/till/shifts/{id}/pdf`: a receipt
//! or voucher and a shift's Z report as 80-mm PDFs, for the signed-in staff who
//! may read that shop's till (the session is checked like any office page's),
//! in the user's language.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fieldcase_shared::{Lang, StoreId};
use uuid::Uuid;

use super::pdf;
use super::service::{Clerk, TillError, report};
use crate::config::Config;
use crate::money::documents::pdf_response;
use crate::state::AppState;
use crate::store::{Actor, Store};

/// The till's printouts.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/office/till/entries/{id}/pdf", get(entry_file))
        .route("/office/till/shifts/{id}/pdf", get(shift_file))
}

/// The shop's name and address as printed.
pub async fn shop_line(store: &dyn Store, shop: StoreId) -> String {
    match store.list_shops().await {
        Ok(shops) => shops
            .into_iter()
            .find(|s| s.id == shop)
            .map(|s| {
                format!("{} · {}, {} {}", s.name, s.street, s.postal_code, s.city)
                    .trim_end_matches([' ', ','])
                    .to_owned()
            })
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Entry `id`'s number and printout for `clerk` (none: no such entry or not the
/// clerk's to read).
pub async fn entry_pdf(
    store: &dyn Store,
    config: &Config,
    clerk: &Clerk,
    id: Uuid,
    l: Lang,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let Some(entry) = store.till_entry(id).await? else {
        return Ok(None);
    };
    if !clerk.may_read(entry.shop) {
        return Ok(None);
    }
    let shop = shop_line(store, entry.shop).await;
    let bytes = pdf::receipt(&entry, config.supplier().as_ref(), &shop, l)?;
    Ok(Some((entry.number, bytes)))
}

/// Shift `id`'s Z report for `clerk` (none: no such shift or not theirs to read).
pub async fn shift_pdf(
    store: &dyn Store,
    config: &Config,
    clerk: &Clerk,
    id: Uuid,
    l: Lang,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let z = match report(store, clerk, id).await {
        Ok(z) => z,
        Err(TillError::NotFound | TillError::Forbidden) => return Ok(None),
        Err(e) => return Err(anyhow::anyhow!(e.text(Lang::En))),
    };
    let name = format!("Z-{}-{}", z.shift.shop_code, z.shift.opened_at.date());
    let bytes = pdf::z_report(&z, config.supplier().as_ref(), l)?;
    Ok(Some((name, bytes)))
}

async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
) -> Result<(Clerk, Lang), Response> {
    let Some((session, _)) = crate::office::current_session(state, headers).await else {
        return Err(Redirect::to(&format!("/login?next={path}")).into_response());
    };
    let user = session.user;
    if !super::READERS.contains(&user.role) {
        return Err((StatusCode::FORBIDDEN, "forbidden").into_response());
    }
    Ok((Clerk::of(&user, Actor::user(&user)), user.lang))
}

async fn entry_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (clerk, lang) =
        match signed_in(&state, &headers, &format!("/office/till/entries/{id}/pdf")).await {
            Ok(c) => c,
            Err(r) => return r,
        };
    let Ok(id) = id.parse::<Uuid>() else {
        return (StatusCode::NOT_FOUND, "no such document").into_response();
    };
    pdf_response(entry_pdf(state.store.as_ref(), &state.config, &clerk, id, lang).await)
}

async fn shift_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (clerk, lang) =
        match signed_in(&state, &headers, &format!("/office/till/shifts/{id}/pdf")).await {
            Ok(c) => c,
            Err(r) => return r,
        };
    let Ok(id) = id.parse::<Uuid>() else {
        return (StatusCode::NOT_FOUND, "no such document").into_response();
    };
    pdf_response(shift_pdf(state.store.as_ref(), &state.config, &clerk, id, lang).await)
}
