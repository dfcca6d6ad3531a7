//! A day's pack as Pohoda's XML import (`dat:dataPack` version 2.0), written
//! element by element with quick-xml and encoded in Windows-1250 (characters
//! Windows-1250 lacks become numeric character references). Learned from
//! Stormware's XSDs (data, invoice, intDoc, prodejka, voucher, type):
//!
//! - invoices are `inv:invoice` of type `issuedInvoice`, credit notes of type
//!   `issuedCreditNotice` (pairing symbol = the corrected document's VS, its
//!   number in the text); a tax document for a payment received is an internal
//!   document `int:intDoc` (Pohoda has no invoice type for it);
//! - a till's receipt is a `pro:prodejka` (`saleVoucher`) on the shop's cash
//!   register (`kasa`), paid `cash` or `creditcard` (both: `prodejkaPayments`);
//! - a cash voucher is a `vch:voucher` (`receipt` in, `expense` out) on the
//!   shop's cash account, outside VAT;
//! - every item's price includes VAT (`payVAT` true) at `high` (21 %), `low`
//!   (12 %) or `none`; a negative line (a discount, a deduction, a refund) is a
//!   negative quantity at a positive price; the document's rounding is `none`;
//! - each item's id and requested number is the document's number, with the
//!   duplicate check on, so importing a day twice adds nothing.
//!
//! The blocks of a document (header, detail, summary) are sequences in the XSDs
//! and go in that order; the elements inside a header or an item are `xsd:all`
//! and are written in the XSDs' order anyway.

use std::io::Cursor;

use fieldcase_shared::Money;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

use super::{Document, Pack};
use crate::money::invoice::{Kind, Line, Party};
use crate::money::till::{Entry, EntryKind};
use crate::xml::{W, close, el, open};

const NS: &str = "http://www.stormware.cz/schema/version_2/";

type Res = std::io::Result<()>;

/// At most `max` characters of `text` (Pohoda's field lengths).
fn cut(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

/// `<name><inner>text</inner></name>`.
fn wrapped(w: &mut W, name: &str, inner: &str, text: &str) -> Res {
    open(w, name, &[])?;
    el(w, inner, text)?;
    close(w, name)
}

/// Pohoda's rate of `vat_bp`.
fn rate(vat_bp: i64) -> &'static str {
    match vat_bp {
        bp if bp >= 2100 => "high",
        bp if bp > 0 => "low",
        _ => "none",
    }
}

/// An amount as Pohoda reads it: a dot, two decimals.
fn amount(m: Money) -> String {
    m.to_decimal_string()
}

/// `number` as the requested number of `prefix:number`.
fn number(w: &mut W, prefix: &str, number: &str) -> Res {
    wrapped(
        w,
        &format!("{prefix}:number"),
        "typ:numberRequested",
        &cut(number, 32),
    )
}

/// A partner's address (`prefix:partnerIdentity`), when there is anyone.
fn partner(w: &mut W, prefix: &str, p: &Party) -> Res {
    if p.name.trim().is_empty() {
        return Ok(());
    }
    let tag = format!("{prefix}:partnerIdentity");
    open(w, &tag, &[])?;
    open(w, "typ:address", &[])?;
    if p.ico.is_empty() {
        el(w, "typ:name", &cut(&p.name, 64))?;
    } else {
        el(w, "typ:company", &cut(&p.name, 255))?;
    }
    for (name, value, max) in [
        ("typ:city", &p.city, 45),
        ("typ:street", &p.street, 64),
        ("typ:zip", &p.postal_code, 15),
        ("typ:ico", &p.ico, 15),
        ("typ:dic", &p.dic, 18),
    ] {
        if !value.trim().is_empty() {
            el(w, name, &cut(value, max))?;
        }
    }
    close(w, "typ:address")?;
    close(w, &tag)
}

/// An item (`prefix:item`): its text, quantity, unit, VAT and gross unit price;
/// a negative price goes as a negative quantity.
fn item(w: &mut W, prefix: &str, item: &str, line: &Line) -> Res {
    let (quantity, unit_price) = if line.unit_price.is_negative() {
        (-line.quantity, -line.unit_price)
    } else {
        (line.quantity, line.unit_price)
    };
    let tag = format!("{prefix}:{item}");
    open(w, &tag, &[])?;
    el(w, &format!("{prefix}:text"), &cut(&line.text, 90))?;
    el(w, &format!("{prefix}:quantity"), &quantity.to_string())?;
    el(w, &format!("{prefix}:unit"), "ks")?;
    el(w, &format!("{prefix}:payVAT"), "true")?;
    el(w, &format!("{prefix}:rateVAT"), rate(line.vat_bp))?;
    wrapped(
        w,
        &format!("{prefix}:homeCurrency"),
        "typ:unitPrice",
        &amount(unit_price),
    )?;
    close(w, &tag)
}

fn rounding(w: &mut W, prefix: &str, summary: &str) -> Res {
    wrapped(
        w,
        &format!("{prefix}:{summary}"),
        &format!("{prefix}:roundingDocument"),
        "none",
    )
}

fn invoice(
    w: &mut W,
    doc: &crate::money::store::invoices::Invoice,
    corrected: Option<&str>,
) -> Res {
    if doc.kind == Kind::Deposit {
        return int_doc(w, doc);
    }
    open(w, "inv:invoice", &[("version", "2.0")])?;
    open(w, "inv:invoiceHeader", &[])?;
    let credit = doc.kind == Kind::CreditNote;
    el(
        w,
        "inv:invoiceType",
        if credit {
            "issuedCreditNotice"
        } else {
            "issuedInvoice"
        },
    )?;
    number(w, "inv", &doc.number)?;
    if !doc.variable_symbol.is_empty() {
        el(w, "inv:symVar", &cut(&doc.variable_symbol, 20))?;
        if credit {
            el(w, "inv:symPar", &cut(&doc.variable_symbol, 20))?;
        }
    }
    el(w, "inv:date", &doc.issued_on.to_string())?;
    el(w, "inv:dateTax", &doc.taxable_on.to_string())?;
    el(w, "inv:dateDue", &doc.due_on.to_string())?;
    let text = match (credit, corrected) {
        (true, Some(c)) => format!("Dobropis k dokladu {c}: {}", doc.reason),
        (true, None) => format!("Dobropis: {}", doc.reason),
        (false, _) => format!("Faktura {}", doc.number),
    };
    el(w, "inv:text", &cut(&text, 240))?;
    partner(w, "inv", &doc.customer)?;
    wrapped(w, "inv:paymentType", "typ:paymentType", "draft")?;
    close(w, "inv:invoiceHeader")?;
    open(w, "inv:invoiceDetail", &[])?;
    for line in &doc.lines {
        item(w, "inv", "invoiceItem", line)?;
    }
    close(w, "inv:invoiceDetail")?;
    rounding(w, "inv", "invoiceSummary")?;
    close(w, "inv:invoice")
}

/// A tax document for a payment received: an internal document.
fn int_doc(w: &mut W, doc: &crate::money::store::invoices::Invoice) -> Res {
    open(w, "int:intDoc", &[("version", "2.0")])?;
    open(w, "int:intDocHeader", &[])?;
    number(w, "int", &doc.number)?;
    if !doc.variable_symbol.is_empty() {
        el(w, "int:symVar", &cut(&doc.variable_symbol, 20))?;
    }
    el(w, "int:date", &doc.issued_on.to_string())?;
    el(w, "int:dateTax", &doc.taxable_on.to_string())?;
    el(
        w,
        "int:text",
        &cut(
            &format!("Daňový doklad k přijaté platbě {}", doc.number),
            240,
        ),
    )?;
    partner(w, "int", &doc.customer)?;
    close(w, "int:intDocHeader")?;
    open(w, "int:intDocDetail", &[])?;
    for line in &doc.lines {
        item(w, "int", "intDocItem", line)?;
    }
    close(w, "int:intDocDetail")?;
    rounding(w, "int", "intDocSummary")?;
    close(w, "int:intDoc")
}

/// How a till's entry was paid, as Pohoda names it (the larger part).
fn paid_by(entry: &Entry) -> &'static str {
    if entry.card.haler().abs() > entry.cash.haler().abs() {
        "creditcard"
    } else {
        "cash"
    }
}

fn prodejka(w: &mut W, entry: &Entry, register: &str) -> Res {
    open(w, "pro:prodejka", &[("version", "2.0")])?;
    open(w, "pro:prodejkaHeader", &[])?;
    el(w, "pro:prodejkaType", "saleVoucher")?;
    number(w, "pro", &entry.number)?;
    el(w, "pro:date", &day_of(entry).to_string())?;
    let text = match (entry.kind, &entry.order_vs) {
        (EntryKind::Refund, _) => format!("Vrácení: {}", entry.note),
        (_, Some(vs)) => format!("Platba objednávky {vs}"),
        _ => format!("Prodej {}", entry.number),
    };
    el(w, "pro:text", &cut(&text, 240))?;
    wrapped(w, "pro:paymentType", "typ:paymentType", paid_by(entry))?;
    if !register.is_empty() {
        wrapped(w, "pro:kasa", "typ:ids", &cut(register, 19))?;
    }
    close(w, "pro:prodejkaHeader")?;
    open(w, "pro:prodejkaDetail", &[])?;
    for l in &entry.lines {
        item(w, "pro", "prodejkaItem", &l.line)?;
    }
    close(w, "pro:prodejkaDetail")?;
    if entry.kind == EntryKind::Sale && !entry.cash.is_zero() && !entry.card.is_zero() {
        open(w, "pro:prodejkaPayments", &[])?;
        for (kind, part) in [("cash", entry.cash), ("creditcard", entry.card)] {
            open(w, "pro:paymentItem", &[])?;
            wrapped(w, "pro:paymentType", "typ:paymentType", kind)?;
            el(w, "pro:received", &amount(part))?;
            close(w, "pro:paymentItem")?;
        }
        close(w, "pro:prodejkaPayments")?;
    }
    rounding(w, "pro", "prodejkaSummary")?;
    close(w, "pro:prodejka")
}

fn voucher(w: &mut W, entry: &Entry, register: &str) -> Res {
    open(w, "vch:voucher", &[("version", "2.0")])?;
    open(w, "vch:voucherHeader", &[])?;
    let out = entry.kind == EntryKind::CashOut;
    el(
        w,
        "vch:voucherType",
        if out { "expense" } else { "receipt" },
    )?;
    if !register.is_empty() {
        wrapped(w, "vch:cashAccount", "typ:ids", &cut(register, 19))?;
    }
    number(w, "vch", &entry.number)?;
    el(w, "vch:date", &day_of(entry).to_string())?;
    let what = if out {
        "Výběr z pokladny"
    } else {
        "Vklad do pokladny"
    };
    el(w, "vch:text", &cut(&format!("{what}: {}", entry.note), 240))?;
    close(w, "vch:voucherHeader")?;
    open(w, "vch:voucherDetail", &[])?;
    open(w, "vch:voucherItem", &[])?;
    el(w, "vch:text", &cut(&entry.note, 90))?;
    el(w, "vch:quantity", "1")?;
    el(w, "vch:payVAT", "false")?;
    el(w, "vch:rateVAT", "none")?;
    wrapped(
        w,
        "vch:homeCurrency",
        "typ:unitPrice",
        &amount(entry.total.abs()),
    )?;
    close(w, "vch:voucherItem")?;
    close(w, "vch:voucherDetail")?;
    rounding(w, "vch", "voucherSummary")?;
    close(w, "vch:voucher")
}

/// The Prague day of an entry.
fn day_of(entry: &Entry) -> time::Date {
    entry
        .at
        .to_offset(crate::office::ui::prague_offset(entry.at))
        .date()
}

/// The pack as Windows-1250 bytes.
pub fn write(pack: &Pack) -> std::io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("Windows-1250"),
        None,
    )))?;
    let ns = |file: &str| format!("{NS}{file}.xsd");
    let (dat, inv, int, pro, vch, typ) = (
        ns("data"),
        ns("invoice"),
        ns("intDoc"),
        ns("prodejka"),
        ns("voucher"),
        ns("type"),
    );
    let note = format!("fieldcase {}", pack.day);
    open(
        &mut w,
        "dat:dataPack",
        &[
            ("version", "2.0"),
            ("id", &pack.id),
            ("ico", &pack.company.ico),
            ("application", "fieldcase"),
            ("note", &note),
            ("xmlns:dat", &dat),
            ("xmlns:inv", &inv),
            ("xmlns:int", &int),
            ("xmlns:pro", &pro),
            ("xmlns:vch", &vch),
            ("xmlns:typ", &typ),
        ],
    )?;
    for d in &pack.documents {
        open(
            &mut w,
            "dat:dataPackItem",
            &[("version", "2.0"), ("id", d.number())],
        )?;
        match d {
            Document::Invoice { doc, corrected } => invoice(&mut w, doc, corrected.as_deref())?,
            Document::Till { entry, register } if d.is_receipt() => {
                prodejka(&mut w, entry, register)?
            }
            Document::Till { entry, register } => voucher(&mut w, entry, register)?,
        }
        close(&mut w, "dat:dataPackItem")?;
    }
    close(&mut w, "dat:dataPack")?;
    let utf8 = String::from_utf8(w.into_inner().into_inner())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(&utf8);
    Ok(bytes.into_owned())
}
