//! A tax document as a PDF (krilla, A4, DejaVu Sans embedded so Czech prints and
//! copies as text): what Czech VAT law asks a document to say — its kind and
//! number, the supplier and the customer with their identification, the dates
//! of issue, of the taxable supply and due, the variable symbol — the lines with
//! their VAT rate, the VAT breakdown per rate (base, VAT, total), what was paid
//! and what is left, and a QR payment code (SPAYD) for the amount left.

use fieldcase_shared::spayd::Spayd;
use fieldcase_shared::{Lang, Money};

use crate::money::invoice::{Kind, Party, breakdown};
use crate::money::store::invoices::Invoice;
use crate::pdf::{HEIGHT, MARGIN, Pen, WIDTH, draw_qr, one_page};

/// Draws the supplier (left) and the customer (right) from `y`; where the
/// next block starts.
pub(crate) fn parties(w: &mut Pen<'_>, y: f32, supplier: &Party, customer: &Party, l: Lang) -> f32 {
    let left_end = party(w, MARGIN, y, l.pick("Dodavatel", "Supplier"), supplier, l);
    let right_end = party(
        w,
        WIDTH / 2.0 + 10.0,
        y,
        l.pick("Odběratel", "Customer"),
        customer,
        l,
    );
    left_end.max(right_end) + 12.0
}

/// Draws a party (name, address, IČO, DIČ) at `x`, `y`; where it ends.
fn party(w: &mut Pen<'_>, x: f32, y: f32, title: &str, p: &Party, l: Lang) -> f32 {
    let mut y = y;
    w.at(x, y, 9.0, true, title);
    y += 14.0;
    w.at(x, y, 11.0, true, &p.name);
    y += 14.0;
    for line in [
        p.street.clone(),
        format!("{} {}", p.postal_code, p.city).trim().to_owned(),
    ] {
        if !line.is_empty() {
            w.at(x, y, 9.0, false, &line);
            y += 12.0;
        }
    }
    if !p.ico.is_empty() {
        w.at(
            x,
            y,
            9.0,
            false,
            &format!("{} {}", l.pick("IČO:", "Company ID:"), p.ico),
        );
        y += 12.0;
    }
    if !p.dic.is_empty() {
        w.at(
            x,
            y,
            9.0,
            false,
            &format!("{} {}", l.pick("DIČ:", "VAT ID:"), p.dic),
        );
        y += 12.0;
    }
    y
}

/// The PDF bytes of `doc` in `l`; `corrected` is the number of the document a
/// credit note corrects.
pub fn render(doc: &Invoice, corrected: Option<&str>, l: Lang) -> anyhow::Result<Vec<u8>> {
    one_page(WIDTH, HEIGHT, |w| draw(w, doc, corrected, l))
}

fn draw(w: &mut Pen<'_>, doc: &Invoice, corrected: Option<&str>, l: Lang) {
    let right = WIDTH - MARGIN;
    let mut y = MARGIN + 16.0;
    w.at(MARGIN, y, 16.0, true, doc.kind.title(l));
    w.right(right, y, 14.0, true, &doc.number);
    y += 28.0;
    y = parties(w, y, &doc.supplier, &doc.customer, l);
    let date = |d: time::Date| format!("{}. {}. {}", d.day(), u8::from(d.month()), d.year());
    let facts = [
        (
            l.pick("Datum vystavení", "Date of issue"),
            date(doc.issued_on),
        ),
        (
            l.pick(
                "Datum uskutečnění zdanitelného plnění",
                "Date of taxable supply",
            ),
            date(doc.taxable_on),
        ),
        (l.pick("Datum splatnosti", "Due date"), date(doc.due_on)),
        (
            l.pick("Variabilní symbol", "Variable symbol"),
            doc.variable_symbol.clone(),
        ),
        (
            l.pick("Forma úhrady", "Payment"),
            l.pick("převodem", "bank transfer").to_owned(),
        ),
    ];
    for (label, value) in facts {
        w.at(MARGIN, y, 9.0, false, label);
        w.at(MARGIN + 230.0, y, 9.0, true, &value);
        y += 12.0;
    }
    if !doc.supplier.iban.is_empty() {
        w.at(
            MARGIN,
            y,
            9.0,
            false,
            l.pick("Účet (IBAN)", "Account (IBAN)"),
        );
        w.at(MARGIN + 230.0, y, 9.0, true, &doc.supplier.iban);
        y += 12.0;
    }
    if let (Kind::CreditNote, Some(number)) = (doc.kind, corrected) {
        w.at(
            MARGIN,
            y,
            9.0,
            false,
            l.pick("Opravuje doklad", "Corrects document"),
        );
        w.at(MARGIN + 230.0, y, 9.0, true, number);
        y += 12.0;
        w.at(MARGIN, y, 9.0, false, l.pick("Důvod opravy", "Reason"));
        w.at(MARGIN + 230.0, y, 9.0, true, &doc.reason);
        y += 12.0;
    }
    y += 14.0;
    // Lines.
    let (qty_x, unit_x, vat_x, total_x) = (330.0, 410.0, 460.0, right);
    w.at(MARGIN, y, 8.0, true, l.pick("POLOŽKA", "ITEM"));
    w.right(qty_x, y, 8.0, true, l.pick("KS", "QTY"));
    w.right(unit_x, y, 8.0, true, l.pick("CENA/KS", "UNIT"));
    w.right(vat_x, y, 8.0, true, l.pick("DPH", "VAT"));
    w.right(total_x, y, 8.0, true, l.pick("CELKEM", "TOTAL"));
    y += 14.0;
    for line in &doc.lines {
        if y > HEIGHT - MARGIN - 200.0 {
            w.at(MARGIN, y, 9.0, false, "…");
            break;
        }
        let text: String = line.text.chars().take(52).collect();
        w.at(MARGIN, y, 9.0, false, &text);
        w.right(qty_x, y, 9.0, false, &line.quantity.to_string());
        w.right(unit_x, y, 9.0, false, &line.unit_price.format(l));
        w.right(vat_x, y, 9.0, false, &format!("{} %", line.vat_bp / 100));
        w.right(total_x, y, 9.0, false, &line.total.format(l));
        y += 13.0;
    }
    y += 12.0;
    // The VAT breakdown.
    w.at(
        MARGIN,
        y,
        10.0,
        true,
        l.pick("Rekapitulace DPH", "VAT breakdown"),
    );
    y += 14.0;
    let (base_x, tax_x, gross_x) = (300.0, 400.0, right);
    w.at(MARGIN, y, 8.0, true, l.pick("SAZBA", "RATE"));
    w.right(base_x, y, 8.0, true, l.pick("ZÁKLAD", "BASE"));
    w.right(tax_x, y, 8.0, true, l.pick("DPH", "VAT"));
    w.right(gross_x, y, 8.0, true, l.pick("CELKEM", "TOTAL"));
    y += 13.0;
    for v in breakdown(&doc.lines) {
        w.at(
            MARGIN,
            y,
            9.0,
            false,
            &format!("{} {} %", l.pick("DPH", "VAT"), v.vat_bp / 100),
        );
        w.right(base_x, y, 9.0, false, &v.base.format(l));
        w.right(tax_x, y, 9.0, false, &v.vat.format(l));
        w.right(gross_x, y, 9.0, false, &v.gross.format(l));
        y += 13.0;
    }
    y += 8.0;
    w.at(MARGIN, y, 11.0, true, l.pick("Celkem", "Total"));
    w.right(right, y, 11.0, true, &doc.total.format(l));
    y += 15.0;
    if !doc.paid.is_zero() {
        w.at(
            MARGIN,
            y,
            9.0,
            false,
            l.pick("Již uhrazeno", "Paid already"),
        );
        w.right(right, y, 9.0, false, &doc.paid.format(l));
        y += 13.0;
    }
    let to_pay = doc.to_pay();
    w.at(MARGIN, y, 12.0, true, l.pick("K úhradě", "To pay"));
    w.right(right, y, 12.0, true, &to_pay.format(l));
    y += 20.0;
    if to_pay > Money::ZERO && !doc.supplier.iban.is_empty() {
        let spayd = Spayd {
            iban: doc.supplier.iban.clone(),
            amount: to_pay,
            variable_symbol: doc.variable_symbol.clone(),
            recipient: doc.supplier.name.clone(),
            message: format!("Faktura {}", doc.number),
        };
        if let Ok(text) = spayd.text() {
            draw_qr(&mut w.surface, &text, MARGIN, y, 110.0);
            w.at(
                MARGIN + 120.0,
                y + 50.0,
                9.0,
                false,
                l.pick(
                    "QR Platba: naskenujte v bankovní aplikaci",
                    "QR payment: scan in your banking app",
                ),
            );
        }
    }
}
