//! The job sheet of an order: what the lab needs at the bench — the frame (model,
//! colour, size), both eyes' lens parameters (SPH, CYL, axis, ADD, prism, PD,
//! fitting height), lenses and coatings, the lab notes, and a QR code of the order
//! number. As an HTML print view (`/lab/sheet/{id}`) and as a PDF made by a library
//! (`/lab/sheet/{id}/pdf`, krilla with an embedded DejaVu Sans), never by a browser.
//! Staff only; the session is checked like any office page.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use dioxus::prelude::*;
use fieldcase_shared::order::notes::NoteKind;
use fieldcase_shared::{EyeRx, Lang, OrderId, Prescription, Role};

use crate::lab::store::SheetLine;
use crate::office::ui::datetime;
use crate::orders::store::OrderCard;
use crate::state::AppState;

mod pdf;

/// Routes of the job sheet.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lab/sheet/{id}", get(html))
        .route("/lab/sheet/{id}/pdf", get(pdf_file))
}

/// Everything a job sheet prints.
#[derive(Debug, Clone)]
pub struct JobSheet {
    /// The order's card (client, prescription, lines, notes).
    pub card: OrderCard,
    /// Its lines with their products.
    pub lines: Vec<SheetLine>,
    /// The warehouses its stocked lines were reserved in (empty: none, so the frame
    /// comes from the adviser's sample case).
    pub sources: Vec<String>,
}

impl JobSheet {
    /// Where the frame comes from, as printed.
    pub fn frame_source(&self, l: Lang) -> String {
        if self.sources.is_empty() {
            l.pick("Z kufru poradce", "From the adviser's sample case")
                .to_owned()
        } else {
            format!(
                "{}{}",
                l.pick("Ze skladu ", "From the warehouse "),
                self.sources.join(", ")
            )
        }
    }

    /// Lines of one product kind.
    pub fn of_kind(&self, kind: &str) -> Vec<&SheetLine> {
        self.lines.iter().filter(|l| l.kind == kind).collect()
    }

    /// Lines that are no frame, lens or coating (services, free lines).
    pub fn others(&self) -> Vec<&SheetLine> {
        self.lines
            .iter()
            .filter(|l| !["frame", "lens", "coating"].contains(&l.kind.as_str()))
            .collect()
    }

    /// The lab notes, oldest first: (author, when, text).
    pub fn lab_notes(&self) -> Vec<(String, String, String)> {
        self.card
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Lab)
            .map(|n| (n.author.clone(), datetime(n.at), n.body.clone()))
            .collect()
    }
}

/// One eye's row of values, as printed: SPH, CYL, axis, ADD, prism, PD, height.
pub fn eye_values(rx: &EyeRx, lang: Lang) -> [String; 7] {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "–".to_owned());
    [
        rx.sph.format(lang),
        rx.cyl.format(lang),
        opt(rx.axis.map(|a| format!("{a}°"))),
        opt(rx.add.map(|a| a.format(lang))),
        opt(rx
            .prism
            .map(|p| format!("{} {}", p.amount.format(lang), p.base.label(lang)))),
        opt(rx.pd_mono_mm.map(|p| p.format(lang))),
        opt(rx.fitting_height_mm.map(|p| p.format(lang))),
    ]
}

/// The heads of [`eye_values`].
pub const EYE_HEADS: [&str; 7] = ["SPH", "CYL", "AX", "ADD", "PRISM", "PD", "HT"];

/// A line's description for the sheet: text, then brand / colour / size when known.
pub fn describe(line: &SheetLine) -> String {
    // What the text already says is not repeated (the brand is often in it).
    let extra: Vec<&str> = [
        line.brand.as_str(),
        line.colour.as_str(),
        line.size.as_str(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty() && !line.text.contains(*s))
    .collect();
    let qty = if line.quantity == 1 {
        String::new()
    } else {
        format!("{}× ", line.quantity)
    };
    if extra.is_empty() {
        format!("{qty}{}", line.text)
    } else {
        format!("{qty}{} ({})", line.text, extra.join(", "))
    }
}

/// The sheet of order `id` for the signed-in staff user, or the answer to give.
async fn load(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(JobSheet, Lang), Response> {
    let Some((session, _)) = crate::office::current_session(state, headers).await else {
        return Err(Redirect::to(&format!("/login?next=/lab/sheet/{id}")).into_response());
    };
    let role = session.user.role;
    if !crate::office::may_use_office(role) {
        return Err((StatusCode::FORBIDDEN, "forbidden").into_response());
    }
    let lang = session.user.lang;
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            Html(crate::office::plain_page(
                lang,
                "404",
                "<p>Objednávka nenalezena / Order not found.</p>",
            )),
        )
            .into_response()
    };
    let Ok(uuid) = id.parse::<uuid::Uuid>() else {
        return Err(not_found());
    };
    let order = OrderId::from_uuid(uuid);
    let loaded = async {
        let card = state.store.order_card(order, role_for_sheet(role)).await?;
        let lines = state.store.sheet_lines(order).await?;
        let sources = state.store.order_sources(order).await?;
        Ok::<_, crate::store::StoreError>(card.map(|card| JobSheet {
            card,
            lines,
            sources,
        }))
    };
    match loaded.await {
        Ok(Some(sheet)) => Ok((sheet, lang)),
        Ok(None) => Err(not_found()),
        Err(err) => {
            tracing::error!(%err, "job sheet");
            Err((
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is unavailable",
            )
                .into_response())
        }
    }
}

/// The sheet never prints private notes, whoever prints it.
fn role_for_sheet(_: Role) -> Role {
    Role::Lab
}

async fn html(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match load(&state, &headers, &id).await {
        Ok((sheet, lang)) => Html(render_html(&sheet, lang)).into_response(),
        Err(answer) => answer,
    }
}

async fn pdf_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (sheet, lang) = match load(&state, &headers, &id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match pdf::render(&sheet, lang) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "inline; filename=\"zakazkovy-list-{}.pdf\"",
                        sheet.card.variable_symbol
                    ),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(%err, "job sheet PDF");
            (StatusCode::INTERNAL_SERVER_ERROR, "could not make the PDF").into_response()
        }
    }
}

fn render_html(sheet: &JobSheet, l: Lang) -> String {
    let c = &sheet.card;
    let title = format!(
        "{} {}",
        l.pick("Zakázkový list", "Job sheet"),
        c.variable_symbol
    );
    let qr = crate::office::ui::qr_svg(&c.variable_symbol, 120).unwrap_or_default();
    let rx: Option<Prescription> = c.prescription.clone();
    let frames: Vec<String> = sheet.of_kind("frame").into_iter().map(describe).collect();
    let lenses: Vec<String> = sheet.of_kind("lens").into_iter().map(describe).collect();
    let coatings: Vec<String> = sheet.of_kind("coating").into_iter().map(describe).collect();
    let others: Vec<String> = sheet.others().into_iter().map(describe).collect();
    let notes = sheet.lab_notes();
    let body = dioxus::ssr::render_element(rsx! {
        div { class: "sheet", id: "job-sheet",
            div { class: "sheet-head",
                div {
                    h1 { "{title}" }
                    p { class: "muted", "{c.client.first_name} {c.client.last_name} · {c.adviser_name} · {c.shop_name} · {datetime(c.created_at)}" }
                    p { a { href: "/lab/sheet/{c.id}/pdf", id: "sheet-pdf", "PDF" } " · " a { href: "/office/orders/{c.id}", {l.pick("Karta objednávky", "Order card")} } }
                }
                div { class: "qr", id: "sheet-qr", dangerous_inner_html: "{qr}" }
            }
            h2 { {l.pick("Obruba", "Frame")} }
            for (i, f) in frames.iter().enumerate() { p { key: "{i}", class: "sheet-frame", "{f}" } }
            if frames.is_empty() { p { class: "muted", "–" } } else { p { class: "small", id: "frame-source", {sheet.frame_source(l)} } }
            h2 { {l.pick("Předpis", "Prescription")} }
            match &rx {
                None => rsx! { p { class: "muted", {l.pick("Bez předpisu.", "No prescription.")} } },
                Some(rx) => rsx! {
                    table { class: "table rx", id: "sheet-rx",
                        thead { tr { th {} for h in EYE_HEADS { th { key: "{h}", "{h}" } } } }
                        tbody {
                            tr { th { "OD" } for (i, v) in eye_values(&rx.right, l).iter().enumerate() { td { key: "{i}", class: "num", "{v}" } } }
                            tr { th { "OS" } for (i, v) in eye_values(&rx.left, l).iter().enumerate() { td { key: "{i}", class: "num", "{v}" } } }
                        }
                    }
                    p { class: "muted small",
                        if let Some(pd) = rx.pd_binocular_mm { "PD {pd.format(l)} · " }
                        {l.pick("Změřil(a) ", "Measured by ")} "{rx.measured_by} · {rx.measured_on}"
                    }
                },
            }
            h2 { {l.pick("Čočky", "Lenses")} }
            for (i, f) in lenses.iter().enumerate() { p { key: "{i}", "{f}" } }
            h2 { {l.pick("Úpravy", "Coatings")} }
            for (i, f) in coatings.iter().enumerate() { p { key: "{i}", "{f}" } }
            if !others.is_empty() {
                h2 { {l.pick("Ostatní", "Other")} }
                for (i, f) in others.iter().enumerate() { p { key: "{i}", "{f}" } }
            }
            h2 { {l.pick("Poznámky pro laboratoř", "Notes for the lab")} }
            for (i, (author, at, text)) in notes.iter().enumerate() {
                p { key: "{i}", class: "sheet-note", span { class: "note-body", "{text}" } br {} span { class: "muted small", "{author} · {at}" } }
            }
            if notes.is_empty() { p { class: "muted", "–" } }
        }
    });
    crate::office::plain_page(l, &title, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_what_its_text_does_not() {
        let line = SheetLine {
            text: "Polaroid RX317".into(),
            quantity: 1,
            kind: "frame".into(),
            brand: "Polaroid".into(),
            colour: "stříbrná".into(),
            size: "55□17 140".into(),
            ..SheetLine::default()
        };
        assert_eq!(describe(&line), "Polaroid RX317 (stříbrná, 55□17 140)");
        let free = SheetLine {
            text: "Čištění".into(),
            quantity: 2,
            ..SheetLine::default()
        };
        assert_eq!(describe(&free), "2× Čištění");
    }
}
