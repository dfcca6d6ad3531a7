//! Sync between the hub and devices over real WebSockets: enrolment, access rules,
//! read-only catalog, revocation and bad input. The hub's authority over what devices
//! write and the office's status path are modules of this binary (`sync/`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_shared::docs;
use fieldcase_tests::TestDb;
use fieldcase_tests::device::{Device, enrol, eventually};
use fieldcase_tests::world::{
    WAIT, World, has_key, put_in, read, wait_for_key, world, world_on, write,
};
use futures::{SinkExt, StreamExt};
use time::{Duration as TimeDuration, OffsetDateTime};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolment_exchanges_a_code_once() {
    let w = world().await;
    let code = w.code_for(w.advisers[0], TimeDuration::minutes(15)).await;
    let lower = code.to_lowercase().replace('-', " ");
    let first = enrol(&w.hub.url, &lower, "Pixel 8")
        .await
        .unwrap()
        .expect("a fresh code enrols, whatever its case and spacing");
    assert!(first.peer_id.starts_with("device:") && first.token.len() >= 40);
    assert_eq!(first.hub_peer_id, "hub");
    assert_eq!(
        w.hub
            .store
            .workspace_doc(w.advisers[0])
            .await
            .unwrap()
            .as_deref(),
        Some(first.workspace_doc.as_str())
    );

    let (status, body) = enrol(&w.hub.url, &code, "Pixel 8")
        .await
        .unwrap()
        .unwrap_err();
    // Used, expired and unknown codes get one answer (a guesser learns nothing).
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("not valid"));

    let expired = w.code_for(w.advisers[0], TimeDuration::minutes(-1)).await;
    let (status, body) = enrol(&w.hub.url, &expired, "Pixel")
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("not valid"));

    let (status, body) = enrol(&w.hub.url, "ABCDE-FGHJK", "Pixel")
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("not valid"));

    let (status, body) = enrol(&w.hub.url, "??", "").await.unwrap().unwrap_err();
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("\"code\"") && body.contains("\"device_name\""),
        "{body}"
    );

    let garbage = reqwest::Client::new()
        .post(format!("{}/api/v1/devices/enrol", w.hub.url))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
    let huge = reqwest::Client::new()
        .post(format!("{}/api/v1/devices/enrol", w.hub.url))
        .json(&serde_json::json!({"code": "x".repeat(100_000), "device_name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);

    // A second device of the same adviser gets the same workspace.
    let again = w.code_for(w.advisers[0], TimeDuration::minutes(15)).await;
    let second = enrol(&w.hub.url, &again, "Tablet").await.unwrap().unwrap();
    assert_eq!(second.workspace_doc, first.workspace_doc);
    assert_ne!(second.device_id, first.device_id);
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_syncs_its_workspace_both_ways() {
    let w = world().await;
    let phone = w.device(w.advisers[0]).await;
    let workspace = phone
        .find(&phone.enrolment.workspace_doc)
        .await
        .unwrap()
        .expect("own workspace is shared");
    let header = workspace.with_document(|d| docs::header(d)).unwrap();
    assert_eq!(header.adviser, Some(w.advisers[0]));
    assert!(
        phone
            .find(&phone.enrolment.catalog_doc)
            .await
            .unwrap()
            .is_some(),
        "the catalog is shared"
    );

    // Device → hub.
    put_in(&workspace, "clients", "c1", "Jana Nováková");
    let on_hub = w.on_hub(&workspace).await;
    wait_for_key("the client on the hub", &on_hub, "clients", "c1").await;

    // Hub → device (e.g. an inbox entry written by the office).
    put_in(&on_hub, "inbox", "n1", "Objednávka potvrzena");
    wait_for_key("the inbox entry on the phone", &workspace, "inbox", "n1").await;
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_advisers_workspace_looks_missing() {
    let w = world().await;
    let a = w.device(w.advisers[0]).await;
    let b = w.device(w.advisers[1]).await;
    assert!(
        b.find(&a.enrolment.workspace_doc).await.unwrap().is_none(),
        "A's workspace must not reach B"
    );
    let unknown = samod::DocumentId::new(&mut rand_like());
    assert!(b.find(&unknown.to_string()).await.unwrap().is_none());
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_attaches_a_device_only_to_the_documents_it_asks_for() {
    let w = world().await;
    let a = w.device(w.advisers[0]).await;
    let b = w.device(w.advisers[1]).await;
    // Both are connected and have their own workspace.
    for d in [&a, &b] {
        assert!(d.find(&d.enrolment.workspace_doc).await.unwrap().is_some());
    }
    let on_hub = w
        .hub
        .state
        .sync
        .repo()
        .find(a.enrolment.workspace_doc.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let (peers, _) = on_hub.peers();
    assert_eq!(
        peers.len(),
        1,
        "only A's connection holds A's workspace (upstream samod attaches every document to every connection): {peers:?}"
    );
    w.hub.stop().await.unwrap();
}

fn rand_like() -> impl rand_core_shim::Rng {
    rand_core_shim::seeded()
}

mod rand_core_shim {
    pub use rand::Rng;
    pub fn seeded() -> rand::rngs::StdRng {
        use rand::SeedableRng;
        rand::rngs::StdRng::seed_from_u64(7)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalog_is_read_only_for_devices() {
    let w = world().await;
    let phone = w.device(w.advisers[0]).await;
    let catalog = phone
        .find(&phone.enrolment.catalog_doc)
        .await
        .unwrap()
        .unwrap();
    put_in(&catalog, "products", "forged", "free glasses");
    // The hub then publishes a product; once the phone has it, the two have exchanged
    // sync messages for the catalog in both directions.
    let on_hub = w.on_hub(&catalog).await;
    put_in(&on_hub, "products", "real", "Ray-Ban RX5154");
    wait_for_key(
        "the hub's product on the phone",
        &catalog,
        "products",
        "real",
    )
    .await;
    assert!(
        !on_hub.with_document(|d| has_key(d, "products", "forged")),
        "a device's catalog edit must not reach the hub"
    );
    w.hub.stop().await.unwrap();
}

async fn upgrade(hub: &str, token: Option<&str>) -> u16 {
    let mut req = reqwest::Client::new()
        .get(format!("{hub}/sync"))
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    if let Some(t) = token {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_checked_and_revocation_cuts_the_device_off() {
    let w = world().await;
    assert_eq!(upgrade(&w.hub.url, None).await, 401);
    assert_eq!(upgrade(&w.hub.url, Some("forged")).await, 401);
    let phone = w.device(w.advisers[0]).await;
    assert_eq!(upgrade(&w.hub.url, Some(&phone.enrolment.token)).await, 101);
    // ?token= works for clients that cannot set headers.
    let status = reqwest::Client::new()
        .get(format!(
            "{}/sync?token={}",
            w.hub.url, phone.enrolment.token
        ))
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 101);

    let mut events = phone.dialer.events();
    w.hub
        .store
        .revoke_device(&w.office, phone.enrolment.device_id)
        .await
        .unwrap();
    w.hub.state.sync.revoke_device(phone.enrolment.device_id);
    let cut = tokio::time::timeout(WAIT, async {
        while let Some(event) = events.next().await {
            if matches!(
                event,
                samod::DialerEvent::Disconnected { .. } | samod::DialerEvent::PermanentFailure
            ) {
                return true;
            }
        }
        false
    })
    .await
    .unwrap();
    assert!(cut, "the live connection ends on revocation");
    assert_eq!(
        upgrade(&w.hub.url, Some(&phone.enrolment.token)).await,
        401,
        "the token no longer works"
    );
    w.hub.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_frames_close_only_that_connection() {
    let w = world().await;
    let good = w.device(w.advisers[0]).await;
    let bad = w.device(w.advisers[1]).await;
    let url = format!("{}/sync", w.hub.url.replacen("http", "ws", 1));
    for frame in [
        Message::Binary(vec![0xff, 0x00, 0x13, 0x37].into()),
        Message::Text("hello".into()),
        Message::Binary(vec![0xa1].into()),
    ] {
        let mut request = url.as_str().into_client_request().unwrap();
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {}", bad.enrolment.token).parse().unwrap(),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        socket.send(frame).await.unwrap();
        let closed = tokio::time::timeout(WAIT, async {
            loop {
                match socket.next().await {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return true,
                    Some(Ok(_)) => continue,
                }
            }
        })
        .await
        .unwrap();
        assert!(closed, "the hub closes a connection that sends garbage");
    }
    // Everyone else is unaffected.
    let workspace = good
        .find(&good.enrolment.workspace_doc)
        .await
        .unwrap()
        .unwrap();
    put_in(&workspace, "clients", "after-garbage", "ok");
    let on_hub = w.on_hub(&workspace).await;
    wait_for_key("sync still works", &on_hub, "clients", "after-garbage").await;
    assert_eq!(
        reqwest::get(format!("{}/readyz", w.hub.url))
            .await
            .unwrap()
            .status(),
        200
    );
    w.hub.stop().await.unwrap();
}

#[path = "sync/authority.rs"]
mod authority;

#[path = "sync/office_path.rs"]
mod office_path;

#[path = "sync/customers.rs"]
mod customers;

#[path = "sync/merge.rs"]
mod merge;

/// A CBOR automerge-repo message.
fn wire(fields: &[(&str, WireValue<'_>)]) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut e = minicbor::Encoder::new(&mut buf);
    e.map(fields.len() as u64).unwrap();
    for (k, v) in fields {
        e.str(k).unwrap();
        match v {
            WireValue::Str(s) => {
                e.str(s).unwrap();
            }
            WireValue::Bytes(b) => {
                e.bytes(b).unwrap();
            }
            WireValue::Versions => {
                e.array(1).unwrap().str("1").unwrap();
            }
            WireValue::Ephemeral => {
                e.map(1)
                    .unwrap()
                    .str("isEphemeral")
                    .unwrap()
                    .bool(true)
                    .unwrap();
            }
        }
    }
    buf
}

enum WireValue<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
    Versions,
    Ephemeral,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashing_sync_payload_closes_only_that_connection() {
    let w = world().await;
    let code = w.code_for(w.advisers[1], TimeDuration::minutes(15)).await;
    let bad = enrol(&w.hub.url, &code, "attacker").await.unwrap().unwrap();
    let url = format!("{}/sync", w.hub.url.replacen("http", "ws", 1));
    let mut request = url.as_str().into_client_request().unwrap();
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", bad.token).parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let join = wire(&[
        ("type", WireValue::Str("join")),
        ("senderId", WireValue::Str(&bad.peer_id)),
        ("supportedProtocolVersions", WireValue::Versions),
        ("peerMetadata", WireValue::Ephemeral),
    ]);
    socket.send(Message::Binary(join.into())).await.unwrap();
    let reply = tokio::time::timeout(WAIT, socket.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        matches!(reply, Message::Binary(_)),
        "the hub answers the join: {reply:?}"
    );
    // A sync message that makes automerge 0.12 divide by zero (found by fuzzing).
    let payload = include_bytes!("../../server/tests/fixtures/fuzz-sync-crash-1.bin");
    let sync = wire(&[
        ("type", WireValue::Str("sync")),
        ("senderId", WireValue::Str(&bad.peer_id)),
        ("targetId", WireValue::Str("hub")),
        ("documentId", WireValue::Str(&bad.workspace_doc)),
        ("data", WireValue::Bytes(payload)),
    ]);
    socket.send(Message::Binary(sync.into())).await.unwrap();
    let closed = tokio::time::timeout(WAIT, async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return true,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await
    .unwrap();
    assert!(closed, "the hub closes the connection that sent it");

    // The same workspace still syncs for a well-behaved device, and others are fine.
    let phone = w.device(w.advisers[1]).await;
    let ws = phone
        .find(&phone.enrolment.workspace_doc)
        .await
        .unwrap()
        .expect("the workspace still works");
    put_in(&ws, "clients", "after-attack", "ok");
    let on_hub = w.on_hub(&ws).await;
    wait_for_key(
        "sync after the refused frame",
        &on_hub,
        "clients",
        "after-attack",
    )
    .await;
    assert_eq!(
        reqwest::get(format!("{}/readyz", w.hub.url))
            .await
            .unwrap()
            .status(),
        200
    );
    w.hub.stop().await.unwrap();
}
