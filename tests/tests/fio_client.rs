//! The FIO client (issue 13, point 1) against a fake FIO on loopback speaking the
//! real JSON: `last` reads what is new since the bookmark and moves it (a second
//! read right after waits out the interval itself, so FIO never answers 409, and
//! gets nothing new); `set-last-id` / `set-last-date` re-read; a 409 caused by
//! another program is waited out once (then the error); a bad token, 413, 422 and
//! other statuses are clear errors that never show the token; an empty statement
//! reads as no movements.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fieldcase_server::integrations::fio::{FioClient, FioError, Token};
use fieldcase_tests::fake_fio::{FakeFio, FakeMovement};
use time::macros::date;

/// The client's spacing per token.
const INTERVAL: Duration = Duration::from_millis(400);
/// The fake FIO's rule, shorter than the client's spacing by a margin for the
/// time a request takes to arrive (the fake's clock starts when a request arrives,
/// the client's when it leaves); the least spacing the fake must see.
const FAKE_INTERVAL: Duration = Duration::from_millis(200);
const TOKEN: &str = "tajnyTokenUctu0123456789";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_reads_statements_with_fio_s_manners() {
    let today = date!(2026 - 12 - 04);
    let fio = FakeFio::start(FAKE_INTERVAL, today).await;
    fio.book(
        TOKEN,
        FakeMovement::incoming(101, date!(2026 - 12 - 01), 1299.0, "9000100001"),
    );
    fio.book(
        TOKEN,
        FakeMovement::incoming(102, date!(2026 - 12 - 02), 500.5, "9000100002"),
    );
    let client = FioClient::with_interval(&fio.url, INTERVAL);
    let token = Token::new(TOKEN).unwrap();

    // `last`: both, then nothing new (the bookmark moved); spaced by the client.
    let first = client.last(&token).await.unwrap();
    assert_eq!(
        first.movements.iter().map(|m| m.id).collect::<Vec<_>>(),
        [101, 102]
    );
    assert_eq!(first.movements[1].amount.haler(), 50_050);
    assert_eq!(first.movements[0].vs, "9000100001");
    let again = client.last(&token).await.unwrap();
    assert!(
        again.movements.is_empty(),
        "an empty statement reads as no movements"
    );
    assert_eq!(again.id_last_download, Some(102));
    let seen = fio.seen();
    assert!(
        seen.iter().all(|s| s.status == 200),
        "the client never made FIO say 409: {seen:?}"
    );
    assert!(seen[1].at.duration_since(seen[0].at) >= FAKE_INTERVAL);

    // Re-reading: from a movement id, and from a date.
    client.set_last_id(&token, 101).await.unwrap();
    let reread = client.last(&token).await.unwrap();
    assert_eq!(
        reread.movements.iter().map(|m| m.id).collect::<Vec<_>>(),
        [102]
    );
    client
        .set_last_date(&token, date!(2026 - 12 - 01))
        .await
        .unwrap();
    assert_eq!(client.last(&token).await.unwrap().movements.len(), 2);
    let period = client
        .periods(&token, date!(2026 - 12 - 02), date!(2026 - 12 - 04))
        .await
        .unwrap();
    assert_eq!(
        period.movements.iter().map(|m| m.id).collect::<Vec<_>>(),
        [102]
    );

    // FIO says 409 (another program used the token): waited out once, then read.
    fio.book(TOKEN, FakeMovement::incoming(103, today, 10.0, ""));
    fio.force(&[409]);
    let after_409 = client.last(&token).await.unwrap();
    assert_eq!(
        after_409.movements.iter().map(|m| m.id).collect::<Vec<_>>(),
        [103]
    );
    let tail: Vec<_> = fio.seen().into_iter().rev().take(2).collect();
    assert_eq!((tail[1].status, tail[0].status), (409, 200));
    assert!(
        tail[0].at.duration_since(tail[1].at) >= FAKE_INTERVAL,
        "waited before asking again"
    );
    // 409 twice: one wait, then the error.
    fio.force(&[409, 409]);
    assert_eq!(client.last(&token).await.unwrap_err(), FioError::TooSoon);

    // Clear errors, never naming the token.
    for (status, expected) in [
        (413, FioError::TooMany),
        (422, FioError::TooOld),
        (500, FioError::BadToken),
        (503, FioError::Status(503)),
    ] {
        fio.force(&[status]);
        let err = client.last(&token).await.unwrap_err();
        assert_eq!(err, expected);
        assert!(!err.to_string().contains(TOKEN));
    }
    let unknown = Token::new("jinyToken999").unwrap();
    assert_eq!(client.last(&unknown).await.unwrap_err(), FioError::BadToken);
    assert_eq!(
        client
            .periods(&token, date!(2026 - 08 - 01), today)
            .await
            .unwrap_err(),
        FioError::TooOld,
        "more than 90 days back"
    );
    assert!(!format!("{token:?} {client_err}", client_err = FioError::BadToken).contains(TOKEN));
    // Nobody listening: unreachable, the URL (and so the token) not shown.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let gone = FioClient::with_interval(&format!("http://127.0.0.1:{port}/v1/rest/"), INTERVAL);
    let err = gone.last(&token).await.unwrap_err();
    assert!(matches!(err, FioError::Unreachable(_)), "{err:?}");
    assert!(!err.to_string().contains(TOKEN), "{err}");
}
