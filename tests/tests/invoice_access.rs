//! Who gets a tax document's PDF in the office (`/office/invoices/{id}/pdf`): the
//! roles that issue documents; another staff role is refused (403), no session is
//! sent to sign in, and an unknown document is a 404.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fieldcase_server::auth;
use fieldcase_server::store::{Actor, NewUser};
use fieldcase_shared::{Lang, Role};
use fieldcase_tests::office::{PASSWORD, office};
use reqwest::StatusCode;
use reqwest::header::COOKIE;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_roles_that_issue_documents_get_them() {
    let o = office().await;
    let lab = NewUser {
        email: "lab@example.cz".into(),
        name: "Laborant".into(),
        password_hash: auth::hash_password(PASSWORD).unwrap(),
        role: Role::Lab,
        shop: None,
        lang: Lang::Cs,
    };
    o.hub
        .store
        .create_user(&Actor::system("test"), &lab)
        .await
        .unwrap();
    let url = o.url(&format!("/office/invoices/{}/pdf", uuid::Uuid::now_v7()));
    let get = |session: Option<String>| {
        let mut req = o.http.get(&url);
        if let Some(token) = session {
            req = req.header(COOKIE, format!("fc_session={token}"));
        }
        req.send()
    };
    let none = get(None).await.unwrap();
    assert_eq!(none.status(), StatusCode::SEE_OTHER);
    assert!(
        none.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    let refused = get(Some(o.session("lab@example.cz").await)).await.unwrap();
    let status = refused.status();
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "{}",
        refused.text().await.unwrap()
    );
    let missing = get(Some(o.session("office@example.cz").await))
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    o.hub.stop().await.unwrap();
}
