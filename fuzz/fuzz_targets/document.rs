//! Arbitrary bytes as an Automerge document, read the way the hub and the phone
//! read workspaces: header, every record map, the diff of touched records.
#![no_main]

use fieldcase_shared::docs::{self, records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = automerge::Automerge::load(data) else { return };
    let _ = docs::header(&doc);
    for map in [records::CLIENTS, records::PRESCRIPTIONS, records::ORDERS, records::INBOX, records::CASE_MOVEMENTS] {
        for id in records::ids(&doc, map) {
            let _ = records::get::<records::ClientRecord>(&doc, map, &id);
            let _ = records::get::<records::OrderRecord>(&doc, map, &id);
            let _ = records::get::<records::PrescriptionRecord>(&doc, map, &id);
            let _ = records::get::<records::CaseMovementRecord>(&doc, map, &id);
            let _ = records::get::<records::InboxRecord>(&doc, map, &id);
        }
    }
    let _ = records::touched(&doc, &[], &doc.get_heads());
});
