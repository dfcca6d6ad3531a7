//! FIO's payment orders (the "Import" XML of FIO API Bankovnictví, chapter 6) and
//! the bank's answer. A batch is `<Import><Orders>` with one
//! `<DomesticTransaction>` per payment: `accountFrom` (our account number without
//! the bank code), `currency`, `amount` (two decimals, a dot), `accountTo` and
//! `bankCode` (the payee's), optional `ks` / `vs` / `ss`, `date` (due,
//! YYYY-MM-DD), `messageForRecipient` (≤ 140 characters), `comment` (≤ 255, our
//! own note) and `paymentType` (431001: a standard payment). It is uploaded as
//! `multipart/form-data` (`type=xml`, `token`, `lng`, `file`) to `import/`; the
//! orders then wait for the account holder's authorisation in internet banking.
//!
//! The answer, `<responseImport>`: `result/errorCode` (0 ok, 1 a payment
//! refused, 2 a warning, 11 not the format, 12 nothing to import, 13 too big, 14
//! an empty file), `result/status` (`ok`, `error`, `warning`, `fatal`),
//! `result/idInstruction` (the batch's number at the bank), and per payment
//! (`ordersDetails/detail id="N"`, N counted from 1 in the file's order) its
//! `messages/message` with `status` and `errorCode` attributes and a text.

use std::io::Cursor;

use fieldcase_shared::Money;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};
use time::Date;

use crate::xml::{attr, close, el, local, open, push_ref};

/// FIO's standard payment.
pub const STANDARD_PAYMENT: &str = "431001";

/// One payment to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOrder {
    /// Our account's number (without the bank code).
    pub account_from: String,
    pub amount: Money,
    /// The payee's account number (`prefix-number` or `number`) and bank code.
    pub account_to: String,
    pub bank_code: String,
    pub vs: String,
    pub ks: String,
    pub date: Date,
    /// Shown to the payee (cut to 140 characters).
    pub message: String,
    /// Our own note (cut to 255).
    pub comment: String,
}

fn cut(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

/// The upload file of `orders` (UTF-8).
pub fn orders_xml(orders: &[PaymentOrder]) -> Vec<u8> {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let write = |w: &mut crate::xml::W| -> std::io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        open(
            w,
            "Import",
            &[
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                (
                    "xsi:noNamespaceSchemaLocation",
                    "http://www.fio.cz/schema/importIB.xsd",
                ),
            ],
        )?;
        open(w, "Orders", &[])?;
        for o in orders {
            open(w, "DomesticTransaction", &[])?;
            el(w, "accountFrom", &o.account_from)?;
            el(w, "currency", "CZK")?;
            el(w, "amount", &o.amount.to_decimal_string())?;
            el(w, "accountTo", &o.account_to)?;
            el(w, "bankCode", &o.bank_code)?;
            if !o.ks.is_empty() {
                el(w, "ks", &o.ks)?;
            }
            if !o.vs.is_empty() {
                el(w, "vs", &o.vs)?;
            }
            el(w, "date", &o.date.to_string())?;
            el(w, "messageForRecipient", &cut(&o.message, 140))?;
            el(w, "comment", &cut(&o.comment, 255))?;
            el(w, "paymentType", STANDARD_PAYMENT)?;
            close(w, "DomesticTransaction")?;
        }
        close(w, "Orders")?;
        close(w, "Import")
    };
    // Writing into memory does not fail.
    let _ = write(&mut w);
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

/// The bank's word on one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemResult {
    /// Its place in the file, from 1.
    pub id: usize,
    /// `ok`, `warning`, `error`.
    pub status: String,
    pub error_code: i64,
    pub message: String,
}

impl ItemResult {
    /// Whether the bank took it.
    pub fn accepted(&self) -> bool {
        self.status != "error" && self.status != "fatal"
    }
}

/// The bank's answer to an upload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportResult {
    pub error_code: i64,
    pub status: String,
    /// The batch's number at the bank.
    pub instruction: String,
    pub items: Vec<ItemResult>,
}

/// The answer is not FIO's.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ResultError {
    #[error("not XML: {0}")]
    Xml(String),
    #[error("not FIO's import answer (no responseImport)")]
    NotAnAnswer,
}

/// Reads the bank's answer.
pub fn parse_result(bytes: &[u8]) -> Result<ImportResult, ResultError> {
    let xml = String::from_utf8_lossy(bytes);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = ImportResult::default();
    let mut seen = false;
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        match reader
            .read_event()
            .map_err(|e| ResultError::Xml(e.to_string()))?
        {
            Event::Start(e) => {
                let name = local(e.name().as_ref()).to_owned();
                if name == "responseImport" {
                    seen = true;
                } else if name == "detail" {
                    let id = attr(&e, "id").and_then(|v| v.parse().ok()).unwrap_or(0);
                    out.items.push(ItemResult {
                        id,
                        status: "ok".into(),
                        error_code: 0,
                        message: String::new(),
                    });
                } else if name == "message"
                    && let Some(item) = out.items.last_mut()
                {
                    let status = attr(&e, "status").unwrap_or_default();
                    if item.status == "ok" || status == "error" || status == "fatal" {
                        item.status = status;
                        item.error_code = attr(&e, "errorCode")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                    }
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) => push_ref(&mut text, &r),
            Event::End(_) => {
                let value = text.trim().to_owned();
                match path.join("/").as_str() {
                    "responseImport/result/errorCode" => {
                        out.error_code = value.parse().unwrap_or(-1);
                    }
                    "responseImport/result/status" => out.status = value,
                    "responseImport/result/idInstruction" => out.instruction = value,
                    p if p.ends_with("detail/messages/message") => {
                        if let Some(item) = out.items.last_mut()
                            && !value.is_empty()
                        {
                            if !item.message.is_empty() {
                                item.message.push_str("; ");
                            }
                            item.message.push_str(&value);
                        }
                    }
                    _ => {}
                }
                path.pop();
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if seen {
        Ok(out)
    } else {
        Err(ResultError::NotAnAnswer)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn an_answer_reads_per_payment() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<responseImport xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.fio.cz/schema/responseImport.xsd">
  <result><errorCode>1</errorCode><idInstruction>105783812</idInstruction><status>error</status>
    <sums><sum id="CZK"><sumCredit>0</sumCredit><sumDebet>1500.00</sumDebet></sum></sums></result>
  <ordersDetails>
    <detail id="1"><messages><message status="ok" errorCode="0">OK</message></messages></detail>
    <detail id="2"><messages><message status="error" errorCode="1013">Neplatn&#xE9; &#269;&#237;slo &amp; k&#243;d</message></messages></detail>
  </ordersDetails>
</responseImport>"#;
        let r = parse_result(xml).unwrap();
        assert_eq!(
            (r.error_code, r.status.as_str(), r.instruction.as_str()),
            (1, "error", "105783812")
        );
        assert_eq!(r.items.len(), 2);
        assert!(r.items[0].accepted());
        assert!(!r.items[1].accepted());
        assert_eq!(r.items[1].error_code, 1013);
        assert_eq!(r.items[1].message, "Neplatné číslo & kód");
        assert_eq!(parse_result(b"<html/>"), Err(ResultError::NotAnAnswer));
    }

    #[test]
    fn a_batch_is_written_in_fio_s_elements() {
        let xml = orders_xml(&[PaymentOrder {
            account_from: "2900000099".into(),
            amount: Money::from_haler(150_050),
            account_to: "19-2000145399".into(),
            bank_code: "0800".into(),
            vs: "2026120001".into(),
            ks: "0558".into(),
            date: date!(2026 - 12 - 07),
            message: "Provize <listopad> & bonus".into(),
            comment: String::new(),
        }]);
        let text = String::from_utf8(xml).unwrap();
        for part in [
            "<amount>1500.50</amount>",
            "<accountTo>19-2000145399</accountTo>",
            "<bankCode>0800</bankCode>",
            "<ks>0558</ks>",
            "<vs>2026120001</vs>",
            "<date>2026-12-07</date>",
            "<messageForRecipient>Provize &lt;listopad&gt; &amp; bonus</messageForRecipient>",
            "<paymentType>431001</paymentType>",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
    }
}
