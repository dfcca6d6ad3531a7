//! A segment's export over HTTP: `GET /customers/segments/{id}/export?channel=
//! email|sms&format=csv|xlsx` answers the office's download with the file of the
//! segment's contacts who consent to that channel now (`segment.rs`). Staff
//! sessions of the roles that keep segments only; each export is audited.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fieldcase_shared::Lang;
use serde::Deserialize;

use crate::customers::segment::{Channel, Format, file_name, write};
use crate::state::AppState;
use crate::store::{Actor, Store};

/// The export of segment `id` for `actor` (audited): its file's name and bytes, or
/// None when there is no such segment. The office's download and the API's both.
pub async fn file(
    store: &dyn Store,
    actor: &Actor,
    id: uuid::Uuid,
    channel: Channel,
    format: Format,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let Some(segment) = store.segment(id).await? else {
        return Ok(None);
    };
    let rows = store.segment_contacts(actor, &segment, channel).await?;
    let fields =
        crate::customers::fields::active(store, fieldcase_shared::custom_field::Entity::Customer)
            .await?;
    let today = time::OffsetDateTime::now_utc().date();
    Ok(Some((
        file_name(&segment.name, channel, format, today),
        write(channel, format, &rows, &fields)?,
    )))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/customers/segments/{id}/export", get(export))
}

#[derive(Debug, Deserialize)]
struct Params {
    channel: Option<String>,
    format: Option<String>,
}

pub(crate) fn refuse(status: StatusCode, lang: Lang, cs: &str, en: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        lang.pick(cs, en).to_owned(),
    )
        .into_response()
}

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to("/login?next=/office/segments").into_response();
    };
    let lang = session.user.lang;
    if !crate::customers::MARKETERS.contains(&session.user.role) {
        return refuse(
            StatusCode::FORBIDDEN,
            lang,
            "Segmenty smí vyvážet jen kancelář, zákaznický servis a správce.",
            "Only the office, customer service and admins may export segments.",
        );
    }
    let (Some(channel), Some(format)) = (
        Channel::parse(p.channel.as_deref().unwrap_or("email")),
        Format::parse(p.format.as_deref().unwrap_or("csv")),
    ) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            lang,
            "Kanál je email nebo sms, formát csv nebo xlsx.",
            "The channel is email or sms, the format csv or xlsx.",
        );
    };
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return refuse(
            StatusCode::NOT_FOUND,
            lang,
            "Takový segment není.",
            "No such segment.",
        );
    };
    let actor = Actor::user(&session.user);
    let answer = file(state.store.as_ref(), &actor, id, channel, format);
    let made = answer
        .await
        .map(|found| found.map(|(name, bytes)| (name, format.media_type().to_owned(), bytes)));
    attachment(
        made,
        lang,
        "segment export",
        ("Takový segment není.", "No such segment."),
    )
}

/// The answer to an office download: the file as an attachment (never cached),
/// `missing` as 404, a failure as 500 (logged as `what`).
pub(crate) fn attachment(
    made: anyhow::Result<Option<(String, String, Vec<u8>)>>,
    lang: Lang,
    what: &str,
    missing: (&str, &str),
) -> Response {
    match made {
        Ok(Some((name, media, bytes))) => (
            [
                (header::CONTENT_TYPE, media),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => refuse(StatusCode::NOT_FOUND, lang, missing.0, missing.1),
        Err(err) => {
            tracing::error!(%err, "{what} failed");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                lang,
                "Export se nepovedl; zkuste to znovu.",
                "The export failed; try again.",
            )
        }
    }
}
