//! The Automerge documents the hub and the phones share: what each one holds and
//! how it starts. Every document carries its `schema` version and `kind` at the
//! root, so a reader can tell what it has and migrate old layouts.
//!
//! Records live in `records` (clients, prescriptions, orders, visits, case
//! movements, inbox), `commission` (ledger snapshot, payout requests) and `catalog`
//! (products). A map missing from an older workspace is created on first write.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc, ScalarValue, Value};

pub mod catalog;
pub mod commission;
pub mod guard;
pub mod order_info;
pub mod records;
pub mod rewrite;
pub mod stamp;
mod text;
pub(crate) use text::string as text_string;

use crate::ids::AdviserId;

/// Layout version written into every new document.
pub const SCHEMA_VERSION: u64 = 1;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// The shared catalog (hub-written, read-only for devices).
    Catalog,
    /// One adviser's workspace (written by their devices and the hub).
    Workspace,
}

impl DocKind {
    /// Stored name.
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Catalog => "catalog",
            DocKind::Workspace => "workspace",
        }
    }
}

/// The maps at the root of a workspace document, created empty.
pub const WORKSPACE_MAPS: [&str; 8] = [
    "clients",
    "prescriptions",
    "orders",
    "visits",
    "case_movements",
    "payout_requests",
    "commission",
    "inbox",
];
/// The maps at the root of the catalog document.
pub const CATALOG_MAPS: [&str; 3] = ["products", "stores", "status_labels"];

/// A document that is not what the caller expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// The root lacks `schema`/`kind` or has unexpected values.
    #[error("not a fieldcase document: {0}")]
    NotOurs(String),
    /// Written by a newer version of fieldcase.
    #[error("document schema {0} is newer than this version understands ({SCHEMA_VERSION})")]
    TooNew(u64),
    /// Automerge refused an operation.
    #[error("automerge: {0}")]
    Automerge(String),
}

impl From<automerge::AutomergeError> for DocError {
    fn from(e: automerge::AutomergeError) -> Self {
        DocError::Automerge(e.to_string())
    }
}

/// The header every document carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocHeader {
    /// Layout version.
    pub schema: u64,
    /// What it is.
    pub kind: DocKind,
    /// Whose workspace (workspaces only).
    pub adviser: Option<AdviserId>,
}

fn init(kind: DocKind, adviser: Option<AdviserId>, maps: &[&str]) -> Result<Automerge, DocError> {
    let mut doc = Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        // Int, not Uint: automerge-js reads an Int as a number and a Uint as a BigInt.
        tx.put(ROOT, "schema", SCHEMA_VERSION as i64)?;
        tx.put(ROOT, "kind", kind.code())?;
        if let Some(adviser) = adviser {
            tx.put(ROOT, "adviser", adviser.to_string())?;
        }
        for map in maps {
            tx.put_object(ROOT, *map, ObjType::Map)?;
        }
        Ok(())
    })
    .map_err(|failure| DocError::from(failure.error))?;
    Ok(doc)
}

/// Loads a document from bytes that came from outside (a device, a file).
/// automerge 0.12 panics on some malformed inputs instead of returning an error
/// (found by fuzzing: `fuzz/`, regression in `shared/tests/fuzz_regressions.rs`);
/// such a panic becomes an error here, so a bad input cannot take the caller down.
pub fn load_untrusted(bytes: &[u8]) -> Result<Automerge, DocError> {
    match std::panic::catch_unwind(|| Automerge::load(bytes)) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => Err(DocError::Automerge(e.to_string())),
        Err(_) => Err(DocError::Automerge(
            "malformed document (the decoder failed)".into(),
        )),
    }
}

/// Decodes one change from bytes that came from outside, like [`load_untrusted`].
pub fn change_untrusted(bytes: &[u8]) -> Result<automerge::Change, DocError> {
    let owned = bytes.to_vec();
    match std::panic::catch_unwind(move || automerge::Change::from_bytes(owned)) {
        Ok(Ok(change)) => Ok(change),
        Ok(Err(e)) => Err(DocError::Automerge(e.to_string())),
        Err(_) => Err(DocError::Automerge(
            "malformed change (the decoder failed)".into(),
        )),
    }
}

/// A new, empty catalog document.
pub fn new_catalog() -> Result<Automerge, DocError> {
    init(DocKind::Catalog, None, &CATALOG_MAPS)
}

/// A new, empty workspace for `adviser`.
pub fn new_workspace(adviser: AdviserId) -> Result<Automerge, DocError> {
    init(DocKind::Workspace, Some(adviser), &WORKSPACE_MAPS)
}

fn scalar<'a>(doc: &'a impl ReadDoc, key: &str) -> Option<std::borrow::Cow<'a, ScalarValue>> {
    match doc.get(ROOT, key) {
        Ok(Some((Value::Scalar(s), _))) => Some(s),
        _ => None,
    }
}

/// Reads and checks a document's header.
pub fn header(doc: &impl ReadDoc) -> Result<DocHeader, DocError> {
    let schema = match scalar(doc, "schema").as_deref() {
        Some(ScalarValue::Uint(v)) => *v,
        Some(ScalarValue::Int(v)) if *v >= 0 => v.unsigned_abs(),
        other => return Err(DocError::NotOurs(format!("schema = {other:?}"))),
    };
    if schema > SCHEMA_VERSION {
        return Err(DocError::TooNew(schema));
    }
    let kind = match scalar(doc, "kind").as_deref() {
        Some(ScalarValue::Str(s)) if s.as_str() == "catalog" => DocKind::Catalog,
        Some(ScalarValue::Str(s)) if s.as_str() == "workspace" => DocKind::Workspace,
        other => return Err(DocError::NotOurs(format!("kind = {other:?}"))),
    };
    let adviser = match (kind, scalar(doc, "adviser").as_deref()) {
        (DocKind::Workspace, Some(ScalarValue::Str(s))) => Some(
            s.parse()
                .map_err(|_| DocError::NotOurs(format!("adviser = {s}")))?,
        ),
        (DocKind::Workspace, other) => {
            return Err(DocError::NotOurs(format!("adviser = {other:?}")));
        }
        (DocKind::Catalog, _) => None,
    };
    Ok(DocHeader {
        schema,
        kind,
        adviser,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_documents_carry_their_header_and_maps() {
        let adviser = AdviserId::new();
        let ws = new_workspace(adviser).unwrap();
        assert_eq!(
            header(&ws).unwrap(),
            DocHeader {
                schema: SCHEMA_VERSION,
                kind: DocKind::Workspace,
                adviser: Some(adviser)
            }
        );
        for map in WORKSPACE_MAPS {
            assert!(
                matches!(
                    ws.get(ROOT, map),
                    Ok(Some((Value::Object(ObjType::Map), _)))
                ),
                "{map}"
            );
        }
        let catalog = new_catalog().unwrap();
        assert_eq!(header(&catalog).unwrap().kind, DocKind::Catalog);
    }

    #[test]
    fn foreign_and_future_documents_are_refused() {
        let empty = Automerge::new();
        assert!(matches!(header(&empty), Err(DocError::NotOurs(_))));
        let mut doc = automerge::AutoCommit::new();
        doc.put(ROOT, "schema", SCHEMA_VERSION + 1).unwrap();
        doc.put(ROOT, "kind", "catalog").unwrap();
        assert_eq!(header(&doc), Err(DocError::TooNew(SCHEMA_VERSION + 1)));
    }

    #[test]
    fn documents_survive_save_and_load() {
        let ws = new_workspace(AdviserId::new()).unwrap();
        let bytes = ws.save();
        let loaded = Automerge::load(&bytes).unwrap();
        assert_eq!(header(&loaded).unwrap(), header(&ws).unwrap());
    }
}
