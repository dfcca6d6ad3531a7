//! What a security probe found at the hub's doors, each fixed: sign-in floods,
//! parallel guesses past the limit, account probing through the lockout, control
//! characters in `next`, missing security headers, and guessing enrolment codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_tests::office::{Office, PASSWORD, cookie_value, office};
use reqwest::StatusCode;
use reqwest::header::LOCATION;

use fieldcase_tests::office::client_from;

async fn statuses(o: &Office, http: &reqwest::Client, email: &str, n: usize) -> Vec<StatusCode> {
    let attempts = (0..n).map(|i| {
        let http = http.clone();
        let email = email.to_owned();
        async move {
            o.post_login_by(&http, &email, &format!("wrong-{i}"), "/office")
                .await
                .status()
        }
    });
    futures::future::join_all(attempts).await
}

#[tokio::test]
async fn parallel_guesses_count_each_and_stop_at_the_limit() {
    let o = office().await;
    let answers = statuses(&o, &o.http, "office@example.cz", 40).await;
    let wrong = answers
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((wrong, throttled), (5, 35), "{answers:?}");
    let right = o.post_login("office@example.cz", PASSWORD).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(right.headers().get("retry-after").is_some());
    assert!(cookie_value(&right, "fc_session").is_none());
    o.hub.stop().await.unwrap();
}

#[tokio::test]
async fn unknown_and_known_accounts_are_answered_alike() {
    let o = office().await;
    let mut texts = Vec::new();
    for email in ["office@example.cz", "nikdo@example.cz"] {
        for _ in 0..5 {
            let resp = o.post_login(email, "wrong").await;
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        }
        let sixth = o.post_login(email, "wrong").await;
        assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS, "{email}");
        let text = sixth.text().await.unwrap();
        texts.push(
            text[text.find("alert").unwrap()..]
                .split("</div>")
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(
        texts[0], texts[1],
        "the answer does not tell accounts apart"
    );
    // Throttling one name does not lock anyone else out.
    let admin = o.post_login("admin@example.cz", PASSWORD).await;
    assert_eq!(admin.status(), StatusCode::SEE_OTHER);
    o.hub.stop().await.unwrap();
}

#[tokio::test]
async fn a_control_character_in_next_is_refused_before_the_session() {
    let o = office().await;
    let resp = o
        .post_login_by(
            &o.http,
            "admin@example.cz",
            PASSWORD,
            "/office/orders\u{7}x",
        )
        .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()[LOCATION], "/office");
    let resp = o
        .post_login_by(
            &o.http,
            "admin@example.cz",
            PASSWORD,
            "/office/orders\r\nSet-Cookie: x=1",
        )
        .await;
    assert_eq!(resp.headers()[LOCATION], "/office");
    assert!(cookie_value(&resp, "x").is_none());
    o.hub.stop().await.unwrap();
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let o = office().await;
    let token = o.session("admin@example.cz").await;
    for (path, cookie) in [
        ("/login", None),
        ("/office/advisers", Some(&token)),
        ("/healthz", None),
        ("/api/v1/nothing", None),
        ("/nothing", None),
    ] {
        let mut req = o.http.get(o.url(path));
        if let Some(token) = cookie {
            req = req.header("cookie", format!("fc_session={token}"));
        }
        let resp = req.send().await.unwrap();
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
    o.hub.stop().await.unwrap();
}

async fn enrol_status(o: &Office, http: &reqwest::Client, code: &str) -> reqwest::Response {
    http.post(o.url("/api/v1/devices/enrol"))
        .json(&serde_json::json!({"code": code, "device_name": "Pixel"}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn enrolment_codes_cannot_be_guessed() {
    let o = office().await;
    for i in 0..10 {
        let resp = enrol_status(&o, &o.http, &format!("ABCDE-FGHJ{}", 2 + i % 8)).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    }
    let resp = enrol_status(&o, &o.http, "ABCDE-FGHJK").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 15 * 60);
    // Another address is not affected.
    let other = enrol_status(&o, &client_from(3), "ABCDE-FGHJK").await;
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    o.hub.stop().await.unwrap();
}
