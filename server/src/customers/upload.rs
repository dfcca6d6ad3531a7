//! The customer import over HTTP: `POST /customers/import` takes the office's upload
//! (multipart: the file and a CSRF token), runs the one path (`import.rs`) and
//! answers with its report: how many rows were saved and each refused row with its
//! line and why. Staff sessions only; importing is for the roles that edit
//! customers.

use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::post;
use dioxus::prelude::*;
use fieldcase_shared::Lang;

use crate::customers::import::{ImportError, import};
use crate::office::plain_page;
use crate::state::AppState;
use crate::store::Actor;

pub use crate::office::upload::MAX_FILE_BYTES;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/customers/import",
        post(upload).layer(axum::extract::DefaultBodyLimit::max(
            MAX_FILE_BYTES + 64 * 1024,
        )),
    )
}

fn page(status: StatusCode, lang: Lang, body: Element) -> Response {
    let title = lang.pick("Import zákazníků", "Customer import");
    let back = lang.pick("← Zpět na zákazníky", "← Back to customers");
    let html = dioxus::ssr::render_element(rsx! {
        h1 { "{title}" }
        {body}
        p { a { href: "/office/customers", id: "back-to-customers", "{back}" } }
    });
    (status, Html(plain_page(lang, title, &html))).into_response()
}

fn message(status: StatusCode, lang: Lang, cs: &str, en: &str) -> Response {
    let text = lang.pick(cs, en).to_owned();
    page(
        status,
        lang,
        rsx! { div { class: "alert alert-error", id: "import-error", "{text}" } },
    )
}

async fn upload(State(state): State<AppState>, headers: HeaderMap, form: Multipart) -> Response {
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to("/login?next=/office/customers").into_response();
    };
    let lang = session.user.lang;
    if !crate::customers::EDITORS.contains(&session.user.role) {
        return message(
            StatusCode::FORBIDDEN,
            lang,
            "Zákazníky smí nahrávat jen role, které je upravují.",
            "Only the roles that edit customers may import them.",
        );
    }
    let upload = match crate::office::upload::read(
        form,
        &session.csrf_token,
        (
            "Vyberte soubor se zákazníky (CSV nebo XLSX).",
            "Choose a file of customers (CSV or XLSX).",
        ),
    )
    .await
    {
        Ok(upload) => upload,
        Err(r) => return message(r.status, lang, r.cs, r.en),
    };
    let (name, bytes) = (upload.name, upload.bytes);
    let actor = Actor::user(&session.user);
    let l = lang;
    match import(state.store.as_ref(), &actor, &name, &bytes, lang).await {
        Ok(report) => {
            let saved = report.imported.len();
            page(
                StatusCode::OK,
                lang,
                rsx! {
                    p { class: "muted", "{name}" }
                    div { class: "alert alert-ok", id: "import-done",
                        {l.pick("Uloženo zákazníků: ", "Customers saved: ")} span { id: "imported", "{saved}" }
                        {l.pick(" z ", " of ")} "{report.rows}" {l.pick(" řádků. ", " rows. ")}
                        {l.pick("Možné duplicity ve frontě: ", "Possible duplicates queued: ")} span { id: "queued", "{report.duplicates}" }
                    }
                    if !report.refused.is_empty() {
                        h2 { {l.pick("Odmítnuté řádky", "Refused rows")} " (" span { id: "refused", "{report.refused.len()}" } ")" }
                        table { class: "table", id: "refused-rows",
                            thead { tr { th { {l.pick("Řádek", "Line")} } th { {l.pick("Proč", "Why")} } } }
                            tbody {
                                for r in report.refused.iter() {
                                    tr { key: "{r.line}", td { class: "num", "{r.line}" } td { {r.problems.join("; ")} } }
                                }
                            }
                        }
                    }
                    if report.duplicates > 0 {
                        p { a { href: "/office/duplicates", id: "to-duplicates", {l.pick("Projít možné duplicity →", "Review the possible duplicates →")} } }
                    }
                },
            )
        }
        Err(ImportError::File(why)) => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            &format!("Soubor nelze přečíst: {why}"),
            &format!("The file cannot be read: {why}"),
        ),
        Err(ImportError::MissingColumns(missing)) => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            &format!(
                "V záhlaví chybí sloupce: {}. Nic se neuložilo.",
                missing.join(", ")
            ),
            &format!(
                "The header lacks the columns: {}. Nothing was saved.",
                missing.join(", ")
            ),
        ),
        Err(ImportError::Store(err)) => {
            tracing::error!(%err, "importing customers");
            message(
                StatusCode::SERVICE_UNAVAILABLE,
                lang,
                "Zákazníky se nepodařilo uložit; nic se nezměnilo. Zkuste to za chvíli.",
                "Could not save the customers; nothing was changed. Try again shortly.",
            )
        }
    }
}
