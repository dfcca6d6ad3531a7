//! Guards for automerge input from outside. automerge 0.12 panics on some
//! malformed input instead of returning an error (found by fuzzing, see `fuzz/`):
//! a sync message whose Bloom filter has no bits divides by zero when the receiver
//! answers it, and some malformed change bundles unwrap a short read. These checks
//! run the same code paths on a scratch document, so a bad message is refused
//! before it reaches a real one.

use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::sync::{Message, State, SyncDoc};
use automerge::{Automerge, ChangeHash};

/// Why a sync payload was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The payload's Bloom filter would crash the receiver.
    #[error("malformed Bloom filter in a sync message")]
    Bloom,
    /// The payload's changes would crash the decoder.
    #[error("malformed changes in a sync message")]
    Changes,
}

/// Checks an automerge sync message (the `data` of an automerge-repo sync frame).
/// An undecodable message passes: automerge rejects it with an error by itself.
pub fn check_sync_message(data: &[u8]) -> Result<(), Refusal> {
    let message = match catch_unwind(|| Message::decode(data)) {
        Ok(Ok(m)) => m,
        Ok(Err(_)) => return Ok(()),
        Err(_) => return Err(Refusal::Changes),
    };
    let probe = ChangeHash([0; 32]);
    for have in &message.have {
        if catch_unwind(AssertUnwindSafe(|| have.bloom.contains_hash(&probe))).is_err() {
            return Err(Refusal::Bloom);
        }
    }
    if !message.changes.is_empty() {
        // Apply to a scratch document: the same decoding the real receive will do.
        let mut scratch = Automerge::new();
        let mut state = State::new();
        let applied = catch_unwind(AssertUnwindSafe(move || {
            scratch.receive_sync_message(&mut state, message)
        }));
        if applied.is_err() {
            return Err(Refusal::Changes);
        }
    }
    Ok(())
}
