//! XML read into a small tree, for tests that check a document element by
//! element (Pohoda's dataPack): names as written (with their prefixes),
//! attributes and the text of leaves.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// An element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub text: String,
}

impl Node {
    /// The attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The children's names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }

    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The element at `path` (child names separated by `/`).
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('/')
            .try_fold(self, |node, name| node.child(name))
    }

    /// The text at `path` (empty when there is none).
    pub fn text_at(&self, path: &str) -> &str {
        self.at(path).map(|n| n.text.as_str()).unwrap_or("")
    }

    /// Every child called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

fn node(e: &BytesStart<'_>) -> Node {
    Node {
        name: e.name().as_ref().to_owned(),
        attrs: e
            .attributes()
            .flatten()
            .map(|a| {
                (
                    a.key.as_ref().to_owned(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        ..Node::default()
    }
}

/// The root element of `xml`.
pub fn parse(xml: &str) -> anyhow::Result<Node> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Node> = vec![Node::default()];
    loop {
        match reader.read_event()? {
            Event::Start(e) => stack.push(node(&e)),
            Event::Empty(e) => {
                let n = node(&e);
                stack
                    .last_mut()
                    .ok_or_else(|| anyhow::anyhow!("unbalanced"))?
                    .children
                    .push(n);
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text
                        .push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    match r.resolve_char_ref()? {
                        Some(c) => top.text.push(c),
                        None => top.text.push_str(match r.as_ref() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            _ => "'",
                        }),
                    }
                }
            }
            Event::End(_) => {
                let done = stack.pop().ok_or_else(|| anyhow::anyhow!("unbalanced"))?;
                stack
                    .last_mut()
                    .ok_or_else(|| anyhow::anyhow!("unbalanced"))?
                    .children
                    .push(done);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut top = stack.pop().ok_or_else(|| anyhow::anyhow!("unbalanced"))?;
    for n in &mut top.children {
        trim(n);
    }
    top.children
        .pop()
        .ok_or_else(|| anyhow::anyhow!("no root element"))
}

/// Whitespace between elements is not text.
fn trim(n: &mut Node) {
    if !n.children.is_empty() {
        n.text.clear();
    }
    for c in &mut n.children {
        trim(c);
    }
}
