//! The office over HTTP for tests: a hub with users and a client that signs in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::auth;
use fieldcase_server::store::{Actor, NewAdviser, NewShop, NewUser, Store};
use fieldcase_shared::{Lang, Role};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};

use crate::{TestDb, TestHub};

/// Every test user's password.
pub const PASSWORD: &str = "správné-heslo-1";

/// A hub with an admin, an office user and an adviser, and an HTTP client that
/// does not follow redirects.
pub struct Office {
    /// The hub.
    pub hub: TestHub,
    /// The client.
    pub http: reqwest::Client,
    _db: TestDb,
}

/// Starts the hub with its users.
pub async fn office() -> Office {
    let db = TestDb::sqlite().await.unwrap();
    let store: Arc<dyn Store> = db.store.clone();
    let hash = auth::hash_password(PASSWORD).unwrap();
    for (email, role) in [
        ("admin@example.cz", Role::Admin),
        ("office@example.cz", Role::Office),
    ] {
        let user = NewUser {
            email: email.into(),
            name: email.into(),
            password_hash: hash.clone(),
            role,
            shop: None,
            lang: Lang::Cs,
        };
        store
            .create_user(&Actor::system("test"), &user)
            .await
            .unwrap();
    }
    let shop = store
        .create_shop(
            &Actor::system("test"),
            &NewShop {
                code: "BRN1".into(),
                name: "Brno".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let adviser = NewAdviser {
        code: "P1".into(),
        name: "Poradkyně".into(),
        email: "poradce@example.cz".into(),
        phone: String::new(),
        region: "JM".into(),
        home_shop: shop.id,
        password_hash: hash,
    };
    store
        .create_adviser(&Actor::system("test"), &adviser)
        .await
        .unwrap();
    let hub = TestHub::start(store).await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Office { hub, http, _db: db }
}

/// The value of cookie `name` set by the response.
pub fn cookie_value(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap()[name.len() + 1..].to_owned())
}

impl Office {
    /// An address on the hub.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.hub.url)
    }

    /// The login CSRF token (cookie and field carry the same value).
    pub async fn login_csrf(&self) -> String {
        let resp = self.http.get(self.url("/login")).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        cookie_value(&resp, "fc_login_csrf").expect("login sets a CSRF cookie")
    }

    /// Posts the login form (with a fresh CSRF token).
    pub async fn post_login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_login_by(&self.http, email, password, "/office/advisers")
            .await
    }

    /// Posts the login form through `http` (e.g. a client on another loopback
    /// address) with `next`.
    pub async fn post_login_by(
        &self,
        http: &reqwest::Client,
        email: &str,
        password: &str,
        next: &str,
    ) -> reqwest::Response {
        let resp = http.get(self.url("/login")).send().await.unwrap();
        let csrf = cookie_value(&resp, "fc_login_csrf").expect("login sets a CSRF cookie");
        http.post(self.url("/login"))
            .header(COOKIE, format!("fc_login_csrf={csrf}"))
            .form(&[
                ("email", email),
                ("password", password),
                ("csrf", &csrf),
                ("next", next),
            ])
            .send()
            .await
            .unwrap()
    }

    /// A session cookie for `email`.
    pub async fn session(&self, email: &str) -> String {
        let resp = self.post_login(email, PASSWORD).await;
        assert_eq!(
            resp.status(),
            StatusCode::SEE_OTHER,
            "{}",
            resp.text().await.unwrap()
        );
        cookie_value(&resp, "fc_session").unwrap()
    }
}

/// A client that comes from another loopback address, `127.0.0.<last>` (another
/// user, for the per-address throttles), and does not follow redirects.
pub fn client_from(last: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::V4(std::net::Ipv4Addr::new(
            127, 0, 0, last,
        )))
        .build()
        .unwrap()
}
