//! Self-billing invoices of self-employed advisers (issue 14, slice 3): one per
//! payout paid, issued by the company in the adviser's name ("vystaveno
//! odběratelem", § 28(3) of the Czech VAT act), written when the batch is marked
//! paid (`store/payout_batches.rs`). Here: the VAT split of the payout, the PDF
//! (krilla via `pdf::one_page`, the parties drawn like tax documents'), and the
//! office's download `/office/commission/self-billing/{id}` for accounting and
//! administrators.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fieldcase_shared::{Lang, Money};
use uuid::Uuid;

use super::payout::PAYOUT_APPROVERS;
use super::store::self_billing::SelfBilling;
use crate::money::invoice_pdf::parties;
use crate::pdf::{HEIGHT, MARGIN, Pen, WIDTH, one_page};
use crate::state::AppState;

/// The payout's base and VAT (the payout is the gross; VAT rounded to haléře).
pub fn split(total: Money, vat_bp: i64) -> (Money, Money) {
    let t = i128::from(total.haler());
    let d = 10_000 + i128::from(vat_bp);
    let base = (t * 10_000 * 2 + d) / (2 * d);
    let base = i64::try_from(base).unwrap_or(total.haler());
    (
        Money::from_haler(base),
        Money::from_haler(total.haler() - base),
    )
}

/// The invoice as a PDF in `l`.
pub fn pdf(doc: &SelfBilling, l: Lang) -> anyhow::Result<Vec<u8>> {
    one_page(WIDTH, HEIGHT, |w| draw(w, doc, l))
}

fn draw(w: &mut Pen<'_>, doc: &SelfBilling, l: Lang) {
    let right = WIDTH - MARGIN;
    let mut y = MARGIN + 16.0;
    let title = if doc.vat_bp > 0 {
        l.pick("Faktura – daňový doklad", "Invoice – tax document")
    } else {
        l.pick("Faktura", "Invoice")
    };
    w.at(MARGIN, y, 16.0, true, title);
    w.right(right, y, 14.0, true, &doc.number);
    y += 16.0;
    w.at(
        MARGIN,
        y,
        9.0,
        true,
        l.pick(
            "Vystaveno odběratelem (samofakturace podle § 28 odst. 3 zákona o DPH)",
            "Issued by the customer (self-billing, § 28(3) of the Czech VAT act)",
        ),
    );
    y += 20.0;
    y = parties(w, y, &doc.supplier, &doc.customer, l);
    if doc.vat_bp == 0 {
        w.at(
            MARGIN,
            y,
            9.0,
            false,
            l.pick(
                "Dodavatel není plátcem DPH.",
                "The supplier is not a VAT payer.",
            ),
        );
        y += 14.0;
    }
    let day = doc
        .issued_at
        .to_offset(fieldcase_shared::calendar::prague_offset(doc.issued_at))
        .date();
    let date = format!("{}. {}. {}", day.day(), u8::from(day.month()), day.year());
    let facts = [
        (l.pick("Datum vystavení", "Date of issue"), date.clone()),
        (
            l.pick(
                "Datum uskutečnění zdanitelného plnění",
                "Date of taxable supply",
            ),
            date,
        ),
        (
            l.pick("Forma úhrady", "Payment"),
            format!(
                "{} {}",
                l.pick("převodem, dávka", "bank transfer, batch"),
                doc.batch_number
            ),
        ),
        (l.pick("Na účet", "To account"), doc.supplier.iban.clone()),
    ];
    for (label, value) in facts {
        w.at(MARGIN, y, 9.0, false, label);
        w.at(MARGIN + 230.0, y, 9.0, true, &value);
        y += 12.0;
    }
    y += 14.0;
    let m = |v: Money| v.format(l);
    let (base, vat) = split(doc.total, doc.vat_bp);
    w.at(MARGIN, y, 8.0, true, l.pick("PLNĚNÍ", "SUPPLY"));
    w.right(right, y, 8.0, true, l.pick("CELKEM", "TOTAL"));
    y += 14.0;
    w.at(
        MARGIN,
        y,
        9.0,
        false,
        l.pick(
            "Provize za zprostředkování prodeje optiky",
            "Commission for brokering optical sales",
        ),
    );
    w.right(right, y, 9.0, false, &m(doc.total));
    y += 20.0;
    if doc.vat_bp > 0 {
        for (label, value) in [
            (
                format!(
                    "{} {} %",
                    l.pick("Základ daně", "Tax base"),
                    doc.vat_bp / 100
                ),
                base,
            ),
            (
                format!("{} {} %", l.pick("DPH", "VAT"), doc.vat_bp / 100),
                vat,
            ),
        ] {
            w.at(MARGIN + 230.0, y, 9.0, false, &label);
            w.right(right, y, 9.0, false, &m(value));
            y += 12.0;
        }
    }
    w.at(MARGIN + 230.0, y, 11.0, true, l.pick("Celkem", "Total"));
    w.right(right, y, 11.0, true, &m(doc.total));
    y += 16.0;
    w.at(MARGIN + 230.0, y, 9.0, false, l.pick("Uhrazeno", "Paid"));
    w.right(right, y, 9.0, false, &m(doc.total));
}

/// The office's download route.
pub fn router() -> Router<AppState> {
    Router::new().route("/office/commission/self-billing/{id}", get(download))
}

async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/office/commission/self-billing/{id}");
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return Redirect::to(&format!("/login?next={path}")).into_response();
    };
    if !PAYOUT_APPROVERS.contains(&session.user.role) {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    }
    let Ok(id) = id.parse::<Uuid>() else {
        return (StatusCode::NOT_FOUND, "no such invoice").into_response();
    };
    crate::money::documents::pdf_response(file(&state, id, session.user.lang).await)
}

/// Invoice `id`'s number and PDF (none when there is no such invoice).
pub async fn file(
    state: &AppState,
    id: Uuid,
    l: Lang,
) -> anyhow::Result<Option<(String, Vec<u8>)>> {
    let Some(doc) = state.store.self_billing_invoice(id).await? else {
        return Ok(None);
    };
    Ok(Some((doc.number.clone(), pdf(&doc, l)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payout_splits_into_base_and_vat() {
        assert_eq!(
            split(Money::from_czk(12_100), 2_100),
            (Money::from_czk(10_000), Money::from_czk(2_100))
        );
        assert_eq!(
            split(Money::from_haler(1_000), 2_100),
            (Money::from_haler(826), Money::from_haler(174))
        );
        assert_eq!(
            split(Money::from_czk(500), 0),
            (Money::from_czk(500), Money::ZERO)
        );
    }
}
