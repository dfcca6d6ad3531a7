//! The price-list import over HTTP: `POST /catalog/import` takes the office's
//! upload (multipart: the file, a CSRF token, "check only"), runs the import
//! (`import.rs`), publishes the new catalog to the phones and sends the browser to
//! the import's report, `GET /catalog/imports/{id}`: what was created, changed and
//! repriced, and each refused row with its line and reason. Staff sessions only;
//! importing is for the roles that edit products.

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use dioxus::prelude::*;
use fieldcase_shared::{Lang, Role};

use crate::catalog::import::{self, ImportFailed};
use crate::office::plain_page;
use crate::office::ui::datetime;
use crate::state::AppState;
use crate::store::Actor;

pub use crate::office::upload::MAX_FILE_BYTES;

/// Who may import price lists and change products.
pub fn may_edit_products(role: Role) -> bool {
    matches!(role, Role::Office | Role::Admin)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/catalog/import",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                MAX_FILE_BYTES + 64 * 1024,
            )),
        )
        .route("/catalog/imports/{id}", get(report))
}

fn page(status: StatusCode, lang: Lang, title: &str, body: String) -> Response {
    (status, Html(plain_page(lang, title, &body))).into_response()
}

fn message(status: StatusCode, lang: Lang, cs: &str, en: &str) -> Response {
    let text = lang.pick(cs, en).to_owned();
    let back = lang.pick("← Zpět na produkty", "← Back to products");
    page(
        status,
        lang,
        "Import",
        dioxus::ssr::render_element(rsx! {
            div { class: "alert alert-error", id: "import-error", "{text}" }
            p { a { href: "/office/products", "{back}" } }
        }),
    )
}

async fn upload(State(state): State<AppState>, headers: HeaderMap, form: Multipart) -> Response {
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to("/login?next=/office/products").into_response();
    };
    let lang = session.user.lang;
    if !may_edit_products(session.user.role) {
        return message(
            StatusCode::FORBIDDEN,
            lang,
            "Ceníky smí nahrávat jen kancelář a správce.",
            "Only the office and admins may import price lists.",
        );
    }
    let upload = match crate::office::upload::read(
        form,
        &session.csrf_token,
        (
            "Vyberte soubor s ceníkem (CSV nebo XLSX).",
            "Choose a price-list file (CSV or XLSX).",
        ),
    )
    .await
    {
        Ok(upload) => upload,
        Err(r) => return message(r.status, lang, r.cs, r.en),
    };
    let dry_run = upload.fields.get("dry_run").is_some_and(|v| !v.is_empty());
    let (name, bytes) = (upload.name, upload.bytes);
    let actor = Actor::user(&session.user);
    match import::import_file(state.store.as_ref(), &actor, &name, &bytes, dry_run).await {
        Ok((id, summary)) => {
            // Saved either way; if publishing fails, phones get the catalog when
            // they next connect (its version moved).
            if !dry_run
                && summary.created + summary.updated + summary.repriced > 0
                && let Err(err) = state.sync.publish_catalog().await
            {
                tracing::warn!(%err, "publishing the catalog after an import");
            }
            Redirect::to(&format!("/catalog/imports/{id}")).into_response()
        }
        Err(ImportFailed::File(why)) => {
            message(StatusCode::UNPROCESSABLE_ENTITY, lang, &why.cs, &why.en)
        }
        Err(ImportFailed::Store(err)) => {
            tracing::error!(%err, "importing a price list");
            message(
                StatusCode::SERVICE_UNAVAILABLE,
                lang,
                "Ceník se nepodařilo uložit; nic se nezměnilo. Zkuste to za chvíli.",
                "Could not save the price list; nothing was changed. Try again shortly.",
            )
        }
    }
}

async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to(&format!("/login?next=/catalog/imports/{id}")).into_response();
    };
    let l = session.user.lang;
    if !crate::office::may_use_office(session.user.role) {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    }
    let found = match id.parse::<uuid::Uuid>() {
        Ok(uuid) => state.store.catalog_import(uuid).await,
        Err(_) => Ok(None),
    };
    let record = match found {
        Ok(Some(r)) => r,
        Ok(None) => {
            return message(
                StatusCode::NOT_FOUND,
                l,
                "Takový import není.",
                "There is no such import.",
            );
        }
        Err(err) => {
            tracing::error!(%err, "import report");
            return message(
                StatusCode::SERVICE_UNAVAILABLE,
                l,
                "Zprávu teď nelze zobrazit.",
                "The report cannot be shown now.",
            );
        }
    };
    let s = record.summary;
    let title = l.pick("Import ceníku", "Price-list import");
    let body = dioxus::ssr::render_element(rsx! {
        h1 { "{title}: {record.file_name}" }
        p { class: "muted", "{datetime(record.at)} · {record.actor}" }
        if record.dry_run {
            div { class: "alert", id: "import-dry-run", {l.pick("Jen kontrola: nic se neuložilo. Nahrajte soubor znovu bez „jen zkontrolovat“.", "Checked only: nothing was saved. Upload the file again without \"check only\".")} }
        } else {
            div { class: "alert alert-ok", id: "import-done", {l.pick("Platné řádky jsou uložené a telefony dostanou nový katalog při synchronizaci.", "The valid rows are saved, and the phones get the new catalog when they sync.")} }
        }
        table { class: "table", id: "import-summary",
            tbody {
                tr { th { {l.pick("Řádků v souboru", "Rows in the file")} } td { class: "num", id: "rows-read", "{record.rows_read}" } }
                tr { th { {l.pick("Nové produkty", "New products")} } td { class: "num", id: "created", "{s.created}" } }
                tr { th { {l.pick("Změněné produkty", "Changed products")} } td { class: "num", id: "updated", "{s.updated}" } }
                tr { th { {l.pick("Nové ceny", "New prices")} } td { class: "num", id: "repriced", "{s.repriced}" } }
                tr { th { {l.pick("Beze změny", "Unchanged")} } td { class: "num", id: "unchanged", "{s.unchanged}" } }
                tr { th { {l.pick("Odmítnuté řádky", "Refused rows")} } td { class: "num", id: "refused", "{record.refused.len()}" } }
            }
        }
        if !record.refused.is_empty() {
            h2 { {l.pick("Odmítnuté řádky", "Refused rows")} }
            table { class: "table", id: "refused-rows",
                thead { tr { th { {l.pick("Řádek", "Line")} } th { {l.pick("Kód", "Code")} } th { {l.pick("Proč", "Why")} } } }
                tbody {
                    for p in record.refused.iter() {
                        tr { key: "{p.line}",
                            td { class: "num", "{p.line}" }
                            td { class: "mono", "{p.sku}" }
                            td { {l.pick(&p.cs, &p.en)} }
                        }
                    }
                }
            }
        }
        p { a { href: "/office/products", id: "back-to-products", {l.pick("← Zpět na produkty", "← Back to products")} } }
    });
    page(StatusCode::OK, l, title, body)
}
