//! What the hub's XML formats share (Pohoda's packs, FIO's payment orders and
//! answers), on quick-xml: writing an element with its escaped text, and reading
//! names without their prefix, attributes and text with its references resolved.

use std::io::Cursor;

use quick_xml::Writer;
use quick_xml::events::{BytesEnd, BytesRef, BytesStart, BytesText, Event};

/// A writer into memory.
pub type W = Writer<Cursor<Vec<u8>>>;
type Res = std::io::Result<()>;

/// `<name attrs…>`.
pub fn open(w: &mut W, name: &str, attrs: &[(&str, &str)]) -> Res {
    let mut start = BytesStart::new(name);
    for (k, v) in attrs {
        start.push_attribute((*k, *v));
    }
    w.write_event(Event::Start(start))
}

/// `</name>`.
pub fn close(w: &mut W, name: &str) -> Res {
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// `<name>text</name>`, escaped.
pub fn el(w: &mut W, name: &str, text: &str) -> Res {
    open(w, name, &[])?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    close(w, name)
}

/// A name without its namespace prefix.
pub fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Attribute `name` (any prefix), unescaped.
pub fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Appends what a reference in text stands for (`&amp;`, `&#x10D;`…).
pub fn push_ref(text: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        text.push(c);
    } else {
        let name: &str = r.as_ref();
        text.push_str(match name {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            _ => "",
        });
    }
}
