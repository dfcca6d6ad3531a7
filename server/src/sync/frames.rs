//! A look inside each frame a device sends, before samod sees it: the automerge
//! sync payload of `sync` and `request` messages goes through
//! [`fieldcase_shared::docs::guard`], because automerge 0.12 panics on some
//! malformed payloads (fuzz-found) and one bad device must not break a document
//! for everyone.

use fieldcase_shared::docs::guard::{self, Refusal};
use minicbor::Decoder;
use minicbor::data::Type;

/// The `data` bytes of an automerge-repo `sync`/`request` message, if this is one.
/// Frames that are not CBOR maps are left to samod, which refuses them itself.
fn sync_payload(frame: &[u8]) -> Option<Vec<u8>> {
    let mut d = Decoder::new(frame);
    let entries = d.map().ok()??;
    let (mut kind, mut data) = (None, None);
    for _ in 0..entries {
        let key = d.str().ok()?.to_owned();
        match (key.as_str(), d.datatype().ok()?) {
            ("type", Type::String) => kind = Some(d.str().ok()?.to_owned()),
            ("data", Type::Bytes) => data = Some(d.bytes().ok()?.to_vec()),
            _ => d.skip().ok()?,
        }
    }
    matches!(kind.as_deref(), Some("sync" | "request"))
        .then_some(data)
        .flatten()
}

/// Checks one frame from a device.
pub fn check(frame: &[u8]) -> Result<(), Refusal> {
    match sync_payload(frame) {
        Some(data) => guard::check_sync_message(&data),
        None => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn frame(kind: &str, data: &[u8]) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut e = minicbor::Encoder::new(&mut buf);
        e.map(5).unwrap();
        e.str("type").unwrap().str(kind).unwrap();
        e.str("senderId").unwrap().str("device:x").unwrap();
        e.str("targetId").unwrap().str("hub").unwrap();
        e.str("documentId")
            .unwrap()
            .str("2kLMmtFiDKJ6SUZBRLbLzMWDvZbB")
            .unwrap();
        e.str("data").unwrap().bytes(data).unwrap();
        buf
    }

    #[test]
    fn a_sync_frame_carrying_a_crashing_payload_is_refused() {
        let bad = include_bytes!("../../tests/fixtures/fuzz-sync-crash-1.bin");
        assert_eq!(check(&frame("sync", bad)), Err(Refusal::Bloom));
        assert_eq!(check(&frame("request", bad)), Err(Refusal::Bloom));
        // Other message types and non-CBOR frames are samod's business.
        assert_eq!(check(&frame("ephemeral", bad)), Ok(()));
        assert_eq!(check(b"\xff\x00garbage"), Ok(()));
    }
}
