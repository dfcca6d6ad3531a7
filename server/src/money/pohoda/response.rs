//! Pohoda's answer to an import, `rsp:responsePack`: one `rsp:responsePackItem`
//! per item sent (its `id` is the document's number), with its `state` (`ok`,
//! `warning`, `error`) and `note`, and inside the document's own response
//! (`inv:invoiceResponse`, `pro:prodejkaResponse`, `vch:voucherResponse`) with
//! its state and the details' states and notes (`rdc:state`, `rdc:note`; a
//! warning on an accepted document makes it `warning`). Read in Windows-1250 or UTF-8
//! as the declaration says.

use quick_xml::events::Event;

use super::store::Answer;
use crate::xml::{attr, local, push_ref};

/// The answer is not a response pack.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ResponseError {
    #[error("not XML: {0}")]
    Xml(String),
    #[error("not a Pohoda response pack (no rsp:responsePack)")]
    NotAPack,
    #[error("an item without its id")]
    NoId,
}

/// `bytes` as text: Windows-1250 when the declaration says so, else UTF-8.
fn text(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_lowercase();
    if head.contains("windows-1250") || head.contains("cp1250") {
        encoding_rs::WINDOWS_1250.decode(bytes).0.into_owned()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// The worse of two states.
fn worse(a: &str, b: &str) -> String {
    let rank = |s: &str| match s {
        "error" => 2,
        "warning" => 1,
        _ => 0,
    };
    if rank(b) > rank(a) { b } else { a }.to_owned()
}

/// The answers in a response pack.
pub fn parse(bytes: &[u8]) -> Result<Vec<Answer>, ResponseError> {
    let xml = text(bytes);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut answers = Vec::new();
    let mut pack = false;
    // The item being read: its answer, and whether a note is being read.
    let mut item: Option<Answer> = None;
    // The detail element whose text is being read (`note` or `state`).
    let mut reading: Option<String> = None;
    let mut note = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| ResponseError::Xml(e.to_string()))?;
        match event {
            Event::Start(e) | Event::Empty(e) if !pack => {
                if local(e.name().as_ref()) != "responsePack" {
                    return Err(ResponseError::NotAPack);
                }
                pack = true;
                let _ = e;
            }
            Event::Start(e) => {
                let name = local(e.name().as_ref()).to_owned();
                if name == "responsePackItem" {
                    let number = attr(&e, "id").ok_or(ResponseError::NoId)?;
                    let state = attr(&e, "state").unwrap_or_else(|| "error".into());
                    item = Some(Answer {
                        number,
                        state,
                        message: attr(&e, "note").unwrap_or_default(),
                    });
                } else if let Some(a) = item.as_mut() {
                    if name.ends_with("Response") {
                        if let Some(state) = attr(&e, "state") {
                            a.state = worse(&a.state, &state);
                        }
                        if let Some(n) = attr(&e, "note").filter(|n| !n.is_empty()) {
                            push(&mut a.message, &n);
                        }
                    } else if name == "note" || name == "state" {
                        reading = Some(name);
                        note.clear();
                    }
                }
            }
            Event::Empty(e) if local(e.name().as_ref()) == "responsePackItem" => {
                let number = attr(&e, "id").ok_or(ResponseError::NoId)?;
                answers.push(Answer {
                    number,
                    state: attr(&e, "state").unwrap_or_else(|| "error".into()),
                    message: attr(&e, "note").unwrap_or_default(),
                });
            }
            Event::Text(t) if reading.is_some() => {
                note.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
            }
            Event::GeneralRef(r) if reading.is_some() => push_ref(&mut note, &r),
            Event::End(e) => {
                let name = local(e.name().as_ref()).to_owned();
                if reading.as_deref() == Some(name.as_str()) {
                    reading = None;
                    if let Some(a) = item.as_mut() {
                        if name == "state" {
                            a.state = worse(&a.state, note.trim());
                        } else {
                            push(&mut a.message, note.trim());
                        }
                    }
                } else if name == "responsePackItem"
                    && let Some(a) = item.take()
                {
                    answers.push(a);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !pack {
        return Err(ResponseError::NotAPack);
    }
    Ok(answers)
}

/// Adds `more` to `message` (once).
fn push(message: &mut String, more: &str) {
    if more.is_empty() || message.contains(more) {
        return;
    }
    if !message.is_empty() {
        message.push_str("; ");
    }
    message.push_str(more);
}
