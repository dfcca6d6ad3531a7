//! Monthly commission statements of an adviser: the numbers come from the shared
//! calculation the phone uses (`fieldcase_shared::statement`) over the lines the
//! store reads for the period; the PDF is laid out with `pdf::TextPdf`. The office
//! downloads it at `/office/commission/statements/{adviser}/{YYYY-MM}` (the
//! commission's readers, session checked like any office page's); the API and the
//! CLI have the same.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fieldcase_shared::docs::commission::{CommissionEntryRecord, CommissionKind};
use fieldcase_shared::statement::{Month, Statement};
use fieldcase_shared::{Lang, Money};
use uuid::Uuid;

use super::rule_edit::RULE_READERS;
use crate::pdf::TextPdf;
use crate::state::AppState;
use crate::store::{Adviser, Store, StoreResult};

/// A month's statement and its lines, oldest first.
pub type MonthLines = (Statement, Vec<(Uuid, CommissionEntryRecord)>);

/// `adviser`'s statement for `month`.
pub async fn month(store: &dyn Store, adviser: &Adviser, month: Month) -> StoreResult<MonthLines> {
    let (opening, lines) = store
        .commission_between(adviser.id, month.start(), month.end())
        .await?;
    let s = Statement::of(month, opening, lines.iter().map(|(_, e)| e));
    Ok((s, lines))
}

/// `adviser`'s statements for every month of `year` (one read of the year).
pub async fn year(store: &dyn Store, adviser: &Adviser, year: i32) -> StoreResult<Vec<Statement>> {
    let first = Month {
        year,
        month: time::Month::January,
    };
    let after = Month {
        year: year + 1,
        month: time::Month::January,
    };
    let (mut opening, lines) = store
        .commission_between(adviser.id, first.start(), after.start())
        .await?;
    let mut out = Vec::with_capacity(12);
    let mut m = first;
    let mut rest = lines.as_slice();
    while m < after {
        let end = m.end();
        let split = rest
            .iter()
            .position(|(_, e)| {
                fieldcase_shared::statement::booked_at(e).is_some_and(|at| at >= end)
            })
            .unwrap_or(rest.len());
        let s = Statement::of(m, opening, rest[..split].iter().map(|(_, e)| e));
        opening = s.closing;
        rest = &rest[split..];
        out.push(s);
        m = m.next();
    }
    Ok(out)
}

/// The statement as a PDF in `lang`.
pub fn pdf(
    adviser: &Adviser,
    (s, lines): &MonthLines,
    company: &str,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    let l = lang;
    let m = |h: i64| Money::from_haler(h).format(l);
    let mut doc = TextPdf::new();
    doc.title(&format!(
        "{} {}",
        l.pick("Výpis provizí", "Commission statement"),
        s.month.label(l)
    ));
    doc.text(&format!("{} · {} {}", company, adviser.code, adviser.name));
    doc.heading(l.pick("Souhrn", "Summary"));
    for (label, amount) in [
        (l.pick("Počáteční zůstatek", "Opening balance"), s.opening),
        (l.pick("Provize", "Accruals"), s.accruals),
        (l.pick("Storna", "Reversals"), s.reversals),
        (l.pick("Výplaty", "Payouts"), s.payouts),
        (l.pick("Úpravy", "Adjustments"), s.adjustments),
        (l.pick("Konečný zůstatek", "Closing balance"), s.closing),
    ] {
        doc.text(&format!("{label}: {}", m(amount)));
    }
    doc.heading(l.pick("Pohyby", "Lines"));
    if lines.is_empty() {
        doc.text(l.pick("V tomto měsíci žádné pohyby.", "No lines this month."));
    }
    for (_, e) in lines {
        let kind = CommissionKind::parse(&e.kind).map_or(l.pick("jiné", "other"), |k| k.label(l));
        let why = if l == Lang::Cs { &e.why_cs } else { &e.why_en };
        let day = crate::office::ui::datetime(
            fieldcase_shared::statement::booked_at(e).unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        );
        doc.text(&format!("{day} · {kind} · {}", m(e.amount)));
        if !why.is_empty() {
            doc.text(&format!("    {why}"));
        }
    }
    doc.finish()
}

/// The statement's file name: `provize-P0001-2026-11`.
pub fn file_name(adviser: &Adviser, month: Month) -> String {
    format!("provize-{}-{month}", adviser.code)
}

/// The office's download route.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/office/commission/statements/{adviser}/{month}",
        get(download),
    )
}

async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((code, month)): Path<(String, String)>,
) -> Response {
    let path = format!("/office/commission/statements/{code}/{month}");
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to(&format!("/login?next={path}")).into_response();
    };
    if !RULE_READERS.contains(&session.user.role) {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    }
    let Some(month) = Month::parse(&month) else {
        return (StatusCode::BAD_REQUEST, "the month is written YYYY-MM").into_response();
    };
    let made = async {
        let Some(adviser) = find_adviser(state.store.as_ref(), &code).await? else {
            return Ok(None);
        };
        let lines = self::month(state.store.as_ref(), &adviser, month).await?;
        let bytes = pdf(
            &adviser,
            &lines,
            &state.config.payee_name,
            session.user.lang,
        )?;
        Ok::<_, anyhow::Error>(Some((file_name(&adviser, month), bytes)))
    };
    crate::money::documents::pdf_response(made.await)
}

pub use crate::field::find_adviser;
