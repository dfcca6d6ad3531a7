//! What a reconnect with nothing new costs on the wire. Alone in its own test binary:
//! it reads the process-wide traffic counters of the device core.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fieldcase_device::dialer::traffic;
use fieldcase_shared::ClientId;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_tests::device::eventually;
use fieldcase_tests::field::Field;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconnect_with_nothing_new_is_one_small_round_trip_per_document() {
    let field = Field::start(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let phone = field.phone(&dir, "Pixel").await;
    // 3,000 separate saves (offline, then synced at once): without a kept sync
    // state, each side would open with a Bloom filter over all of them (~3.7 KB) on
    // every reconnect.
    phone.go_offline();
    for i in 0..3_000 {
        phone
            .save_client(
                ClientId::new(),
                &ClientRecord {
                    first_name: format!("Klient {i}"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    phone.go_online().unwrap();
    eventually("the hub confirms everything", WAIT, || async {
        phone.sync_status().await.unwrap().pending_changes == 0
    })
    .await
    .unwrap();
    phone.go_offline();
    eventually("offline", WAIT, || async {
        !phone.sync_status().await.unwrap().connected
    })
    .await
    .unwrap();

    let before = traffic::totals();
    phone.go_online().unwrap();
    // Two documents (workspace and catalog): at least one message each way for each.
    eventually("the reconnect exchange", WAIT, || async {
        let now = traffic::totals();
        now.received_messages >= before.received_messages + 2
            && now.sent_messages >= before.sent_messages + 2
    })
    .await
    .unwrap();
    // Give the exchange the chance to go wrong: one more full sync round would show.
    let marker = ClientId::new();
    phone
        .save_client(marker, &ClientRecord::default())
        .await
        .unwrap();
    eventually("a later change still syncs", WAIT, || async {
        phone.sync_status().await.unwrap().pending_changes == 0
    })
    .await
    .unwrap();
    let after = traffic::totals();
    let sent = after.sent_bytes - before.sent_bytes;
    let received = after.received_bytes - before.received_bytes;
    let change_bytes = 1_000; // the marker change and its acknowledgement
    assert!(
        sent + received < 4 * 300 + change_bytes,
        "reconnect of 2 documents plus one change: {sent} B up, {received} B down, {:?}",
        (
            after.sent_messages - before.sent_messages,
            after.received_messages - before.received_messages
        )
    );
    phone.close().await;
    field.hub.stop().await.unwrap();
}
