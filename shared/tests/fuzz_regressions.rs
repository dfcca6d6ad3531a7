//! Inputs the fuzzers (`fuzz/`) found that crashed a decoder, kept so they never
//! crash us again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_shared::docs;

#[test]
fn a_malformed_bundle_is_an_error_not_a_crash() {
    // 69 bytes that make automerge 0.12's bundle decoder unwrap a short read.
    let bytes = include_bytes!("fixtures/fuzz-document-crash-1.bin");
    assert!(docs::load_untrusted(bytes).is_err());
    assert!(docs::change_untrusted(bytes).is_err());
}

#[test]
fn a_real_document_still_loads() {
    let doc = docs::new_workspace(fieldcase_shared::AdviserId::new()).expect("new workspace");
    let loaded = docs::load_untrusted(&doc.save()).expect("loads");
    assert_eq!(
        docs::header(&loaded).expect("header").kind,
        docs::DocKind::Workspace
    );
}

#[test]
fn a_sync_message_with_an_empty_bloom_filter_is_refused() {
    // 50 bytes that make automerge 0.12 divide by zero when answering them.
    let bytes = include_bytes!("fixtures/fuzz-sync-crash-1.bin");
    assert_eq!(
        docs::guard::check_sync_message(bytes),
        Err(docs::guard::Refusal::Bloom)
    );
}

#[test]
fn ordinary_sync_messages_pass_the_guard() {
    use automerge::sync::{State, SyncDoc};
    let doc = docs::new_workspace(fieldcase_shared::AdviserId::new()).expect("workspace");
    let message = doc
        .generate_sync_message(&mut State::new())
        .expect("a first message");
    assert_eq!(docs::guard::check_sync_message(&message.encode()), Ok(()));
    assert_eq!(
        docs::guard::check_sync_message(b"not a sync message"),
        Ok(()),
        "undecodable input is automerge's to refuse"
    );
}
