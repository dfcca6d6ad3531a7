//! Calling the hub's JSON API in tests: the staff roles that may hold keys, and a
//! client that sends a request with a key and reads the JSON answer (or the text,
//! when it is not JSON), and a keyed user per staff role.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use fieldcase_server::api::access as keys;
use fieldcase_server::api::keys::Scope;
use fieldcase_server::store::{Actor, NewUser, Store};
use fieldcase_shared::{Lang, Role, UserId};
use reqwest::StatusCode;
use serde_json::Value;

/// The staff roles that may hold keys, in a stable order.
pub const STAFF: [Role; 6] = [
    Role::Office,
    Role::Store,
    Role::Lab,
    Role::Accounting,
    Role::CustomerService,
    Role::Admin,
];

/// One staff user per role in [`STAFF`] (`api-{role}@example.cz`) with a key of
/// `scopes`: role → (the key's secret, the user).
pub async fn staff_keys(store: &dyn Store, scopes: &[Scope]) -> HashMap<Role, (String, UserId)> {
    let system = Actor::system("test");
    let mut out = HashMap::new();
    for role in STAFF {
        let user = store
            .create_user(
                &system,
                &NewUser {
                    email: format!("api-{}@example.cz", role.code()),
                    name: format!("Jméno {}", role.code()),
                    password_hash: "x".into(),
                    role,
                    shop: None,
                    lang: Lang::Cs,
                },
            )
            .await
            .unwrap();
        let (_, secret) = keys::create(store, &system, user.id, "crm", scopes)
            .await
            .unwrap();
        out.insert(role, (secret, user.id));
    }
    out
}

/// [`staff_keys`]' secrets only: role → the key's secret.
pub async fn role_keys(store: &dyn Store, scopes: &[Scope]) -> HashMap<Role, String> {
    staff_keys(store, scopes)
        .await
        .into_iter()
        .map(|(role, (secret, _))| (role, secret))
        .collect()
}

/// The API of a hub at `url`.
pub struct Api {
    pub http: reqwest::Client,
    pub url: String,
}

impl Api {
    /// The API of the hub at `url`.
    pub fn new(url: &str) -> Api {
        Api {
            http: reqwest::Client::new(),
            url: url.to_owned(),
        }
    }

    /// `method path` with `key` (empty: none) and a JSON `body`; the status and the
    /// answer's JSON (a string when it is not JSON).
    pub async fn call(
        &self,
        key: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!("{}{path}", self.url);
        let mut req = match method {
            "GET" => self.http.get(url),
            "POST" => self.http.post(url),
            "PUT" => self.http.put(url),
            "PATCH" => self.http.patch(url),
            "DELETE" => self.http.delete(url),
            other => panic!("{other}"),
        };
        if !key.is_empty() {
            req = req.bearer_auth(key);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}
