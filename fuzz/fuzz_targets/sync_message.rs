//! Arbitrary bytes as the automerge sync payload a device sends inside a sync frame,
//! received into a workspace the way the hub's document actor does.
#![no_main]

use automerge::sync::{Message, State, SyncDoc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(message) = Message::decode(data) else { return };
    let Ok(mut doc) = fieldcase_shared::docs::new_workspace(fieldcase_shared::AdviserId::new()) else { return };
    let mut state = State::new();
    let _ = doc.receive_sync_message(&mut state, message);
    let _ = fieldcase_shared::docs::header(&doc);
    let _ = doc.generate_sync_message(&mut state);
});
