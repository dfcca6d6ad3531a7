//! A fake SMS gateway on loopback speaking the gateway's format
//! (`integrations/sms.rs`): `POST /messages` with the bearer token and
//! `{"to", "text"}` answers `{"id"}`; a wrong token 401; the test may make the
//! next answers a given status (with `Retry-After`). It keeps what it accepted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// The token the fake takes.
pub const TOKEN: &str = "sms-test-token";

#[derive(Default)]
struct Inner {
    sent: Vec<(String, String)>,
    faults: crate::faults::Faults,
}

/// A running fake gateway.
#[derive(Clone)]
pub struct FakeSms {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeSms {
    /// Starts one on a port the system picks.
    pub async fn start() -> FakeSms {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/messages", post(accept))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeSms { url, inner }
    }

    /// The messages accepted: (to, text).
    pub fn sent(&self) -> Vec<(String, String)> {
        self.inner.lock().unwrap().sent.clone()
    }

    /// Every `n`-th request from now is answered 503 (a transient failure).
    pub fn fail_every(&self, n: usize) {
        self.inner.lock().unwrap().faults.every(n);
    }

    /// The next answer is `status` (with `Retry-After: seconds`).
    pub fn fail_next(&self, status: u16, retry_after: Option<u64>) {
        self.inner.lock().unwrap().faults.push(status, retry_after);
    }
}

async fn accept(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if auth != format!("Bearer {TOKEN}") {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "bad token"})),
        )
            .into_response();
    }
    let mut inner = inner.lock().unwrap();
    if let Some((status, retry)) = inner.faults.answer() {
        let status = StatusCode::from_u16(status).unwrap();
        let mut response = (status, Json(json!({"error": "not now"}))).into_response();
        if let Some(s) = retry {
            response
                .headers_mut()
                .insert("retry-after", s.to_string().parse().unwrap());
        }
        return response;
    }
    let (Some(to), Some(text)) = (body["to"].as_str(), body["text"].as_str()) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "to and text"})),
        )
            .into_response();
    };
    inner.sent.push((to.to_owned(), text.to_owned()));
    let id = format!("sms-{}", inner.sent.len());
    (StatusCode::CREATED, Json(json!({ "id": id }))).into_response()
}
