//! The office over real HTTP: a hub on an ephemeral port, a plain HTTP client.
//! Login, CSRF, lockout, sessions, role checks, the live socket's origin check,
//! and the operational endpoints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::auth;
use fieldcase_tests::{TestDb, TestHub};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use fieldcase_tests::office::{PASSWORD, cookie_value, office};

#[tokio::test]
async fn ops_endpoints_answer() {
    let o = office().await;
    let health: serde_json::Value = o
        .http
        .get(o.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let ready = o.http.get(o.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
    let resp = o.http.get(o.url("/healthz")).send().await.unwrap();
    assert!(
        resp.headers().get("x-request-id").is_some(),
        "every response carries a request id"
    );
    let metrics = o
        .http
        .get(o.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("fieldcase_http_responses_total{class=\"2xx\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("fieldcase_database_up 1"), "{metrics}");
    o.hub.stop().await.unwrap();
}

#[tokio::test]
async fn readyz_fails_when_the_database_is_gone() {
    let db = TestDb::sqlite().await.unwrap();
    let hub = TestHub::start(db.store.clone()).await.unwrap();
    db.store.close().await;
    let resp = reqwest::get(format!("{}/readyz", hub.url)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = resp.json().await.unwrap();
    // The sync storage may be failing too by now (it uses the same database).
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("database unreachable"),
        "{body}"
    );
    let health = reqwest::get(format!("{}/healthz", hub.url)).await.unwrap();
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "liveness does not depend on the database"
    );
    hub.stop().await.unwrap();
}

#[tokio::test]
async fn login_logout_and_session_cookie() {
    let o = office().await;
    let resp = o.post_login("ADMIN@example.cz", PASSWORD).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], "/office/advisers");
    let set: Vec<_> = resp
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session_cookie = set.iter().find(|c| c.starts_with("fc_session=")).unwrap();
    assert!(
        session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Lax"),
        "{session_cookie}"
    );
    let token = cookie_value(&resp, "fc_session").unwrap();

    let page = o
        .http
        .get(o.url("/office/advisers"))
        .header(COOKIE, format!("fc_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("/office/live/advisers") && html.contains("<title>Poradci"),
        "{html}"
    );

    // Logout needs the session's CSRF token.
    let refused = o
        .http
        .post(o.url("/logout"))
        .header(COOKIE, format!("fc_session={token}"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let session = o
        .hub
        .store
        .get_session(&auth::token_hash(&token), time::OffsetDateTime::now_utc())
        .await
        .unwrap()
        .unwrap();
    let out = o
        .http
        .post(o.url("/logout"))
        .header(COOKIE, format!("fc_session={token}"))
        .form(&[("csrf", session.csrf_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(out.headers()[LOCATION], "/login");
    let after = o
        .http
        .get(o.url("/office/advisers"))
        .header(COOKIE, format!("fc_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(after.headers()[LOCATION], "/login?next=/office/advisers");
    o.hub.stop().await.unwrap();
}

#[tokio::test]
async fn bad_logins_are_answered_clearly() {
    let o = office().await;
    let wrong = o.post_login("admin@example.cz", "nope").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Nesprávný e-mail nebo heslo.")
    );
    let unknown = o.post_login("nikdo@example.cz", PASSWORD).await;
    assert_eq!(
        unknown.status(),
        StatusCode::UNAUTHORIZED,
        "unknown users look like wrong passwords"
    );

    // Malformed: fields missing.
    let csrf = o.login_csrf().await;
    let malformed = o
        .http
        .post(o.url("/login"))
        .header(COOKIE, format!("fc_login_csrf={csrf}"))
        .form(&[("email", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert!(
        malformed
            .text()
            .await
            .unwrap()
            .contains("Formulář nebyl odeslán celý")
    );

    // Oversized.
    let huge = "x".repeat(64 * 1024);
    let big = o
        .http
        .post(o.url("/login"))
        .header(COOKIE, format!("fc_login_csrf={csrf}"))
        .form(&[("email", "a@b.cz"), ("password", &huge), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(big.text().await.unwrap().contains("příliš velký"));

    // Over-long password within the body limit is refused before hashing.
    let long = "x".repeat(1000);
    let resp = o
        .http
        .post(o.url("/login"))
        .header(COOKIE, format!("fc_login_csrf={csrf}"))
        .form(&[
            ("email", "admin@example.cz"),
            ("password", &long),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // CSRF: no cookie, or a field that does not match it.
    let forged = o
        .http
        .post(o.url("/login"))
        .form(&[
            ("email", "admin@example.cz"),
            ("password", PASSWORD),
            ("csrf", "abc"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(cookie_value(&forged, "fc_session").is_none());

    // Advisers use the phone app.
    let adviser = o.post_login("poradce@example.cz", PASSWORD).await;
    assert_eq!(adviser.status(), StatusCode::FORBIDDEN);
    assert!(adviser.text().await.unwrap().contains("mobilní aplikaci"));
    o.hub.stop().await.unwrap();
}

#[tokio::test]
async fn repeated_failures_lock_the_account() {
    let o = office().await;
    for _ in 0..5 {
        assert_eq!(
            o.post_login("office@example.cz", "wrong").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = o.post_login("office@example.cz", PASSWORD).await;
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the lock"
    );
    assert!(locked.text().await.unwrap().contains("dočasně zamčen"));
    let log = o
        .hub
        .store
        .list_audit(&fieldcase_server::store::AuditFilter {
            action: "user.locked".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    o.hub.stop().await.unwrap();
}

#[tokio::test]
async fn roles_limit_pages_and_next_cannot_leave_the_site() {
    let o = office().await;
    let token = o.session("office@example.cz").await;
    let users = o
        .http
        .get(o.url("/office/users"))
        .header(COOKIE, format!("fc_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(users.status(), StatusCode::FORBIDDEN);
    let advisers = o
        .http
        .get(o.url("/office/advisers"))
        .header(COOKIE, format!("fc_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(advisers.status(), StatusCode::OK);
    let missing = o
        .http
        .get(o.url("/office/nonsense"))
        .header(COOKIE, format!("fc_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let csrf = o.login_csrf().await;
    let resp = o
        .http
        .post(o.url("/login"))
        .header(COOKIE, format!("fc_login_csrf={csrf}"))
        .form(&[
            ("email", "admin@example.cz"),
            ("password", PASSWORD),
            ("csrf", &csrf),
            ("next", "https://evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()[LOCATION], "/office");
    o.hub.stop().await.unwrap();
}

#[tokio::test]
async fn the_live_socket_refuses_foreign_origins() {
    let o = office().await;
    let token = o.session("admin@example.cz").await;
    let host = o.hub.url.trim_start_matches("http://").to_owned();
    let upgrade = |origin: &str| {
        o.http
            .get(o.url("/office/live/advisers"))
            .header(COOKIE, format!("fc_session={token}"))
            .header("Origin", origin)
            .header("Connection", "Upgrade")
            .header("Upgrade", "websocket")
            .header("Sec-WebSocket-Version", "13")
            .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
            .send()
    };
    let foreign = upgrade("http://evil.example").await.unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let own = upgrade(&format!("http://{host}")).await.unwrap();
    assert_eq!(own.status(), StatusCode::SWITCHING_PROTOCOLS);
    drop(own);
    o.hub.stop().await.unwrap();
}
