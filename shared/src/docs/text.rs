//! Reading strings the way every automerge client may have written them.
//!
//! automerge-js 3 stores a plain JS string as a collaborative text object, and an
//! `ImmutableString` as a scalar string; this hub writes scalars. Record fields read
//! either, so a record written by a JavaScript automerge-repo client hydrates as
//! well as one written by the phone. Missing fields read as empty (old records
//! keep working when a field is added).

use automerge::ObjId;
use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc};

struct AnyString(String);

impl Hydrate for AnyString {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        Ok(AnyString(s.to_owned()))
    }

    fn hydrate_text<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        Ok(AnyString(doc.text(obj)?))
    }
}

struct AnyOptString(Option<String>);

impl Hydrate for AnyOptString {
    fn hydrate_none() -> Result<Self, HydrateError> {
        Ok(AnyOptString(None))
    }

    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        Ok(AnyOptString(Some(s.to_owned())))
    }

    fn hydrate_text<D: ReadDoc>(doc: &D, obj: &ObjId) -> Result<Self, HydrateError> {
        Ok(AnyOptString(Some(doc.text(obj)?)))
    }
}

/// A string field: scalar or text.
pub fn string<D: ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<String, HydrateError> {
    autosurgeon::hydrate_prop::<_, AnyString, _, _>(doc, obj, prop).map(|s| s.0)
}

/// An optional string field: null, scalar or text.
pub fn opt_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    prop: Prop<'_>,
) -> Result<Option<String>, HydrateError> {
    autosurgeon::hydrate_prop::<_, AnyOptString, _, _>(doc, obj, prop).map(|s| s.0)
}
