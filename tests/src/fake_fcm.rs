//! A fake Firebase Cloud Messaging on loopback speaking FCM's HTTP v1 and
//! Google's token endpoint: `POST /token` takes the JWT-bearer grant, checks the
//! assertion's RS256 signature against the test service account's public key
//! (`fixtures/fcm-test-public.pem`), its issuer, audience and scope, and hands
//! out an access token; `POST /v1/projects/{project}/messages:send` takes only a
//! token it handed out and answers `{"name"}`, 404 `UNREGISTERED` for a token the
//! test made stale, or the statuses the test queued (with `Retry-After`). It keeps
//! what it accepted and counts the grants.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The test service account's project.
pub const PROJECT: &str = "fieldcase-test";
/// Its e-mail (the grant's issuer).
pub const CLIENT_EMAIL: &str = "push@fieldcase-test.iam.gserviceaccount.com";

/// A push FCM accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    pub token: String,
    pub title: String,
    pub body: String,
    /// The data message's `kind` (`sync`).
    pub kind: String,
    pub data: Value,
}

#[derive(Default)]
struct Inner {
    url: String,
    grants: usize,
    access: Vec<String>,
    pushed: Vec<Pushed>,
    stale: Vec<String>,
    faults: crate::faults::Faults,
}

/// A running fake.
#[derive(Clone)]
pub struct FakeFcm {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeFcm {
    /// Starts one on a port the system picks.
    pub async fn start() -> FakeFcm {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/token", post(grant))
            .route("/v1/projects/{project}/{method}", post(send))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        inner.lock().unwrap().url = url.clone();
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeFcm { url, inner }
    }

    /// The test service account's key file pointing its `token_uri` at this
    /// fake, written into `dir`; its path.
    pub fn service_account(&self, dir: &Path) -> PathBuf {
        let mut account: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture("fcm-test-service-account.json")).unwrap(),
        )
        .unwrap();
        account["token_uri"] = json!(format!("{}/token", self.url));
        let path = dir.join("fcm-service-account.json");
        std::fs::write(&path, serde_json::to_vec_pretty(&account).unwrap()).unwrap();
        path
    }

    /// The pushes accepted.
    pub fn pushed(&self) -> Vec<Pushed> {
        self.inner.lock().unwrap().pushed.clone()
    }

    /// How many access tokens were granted.
    pub fn grants(&self) -> usize {
        self.inner.lock().unwrap().grants
    }

    /// From now on `token` is unknown to FCM (the app was uninstalled).
    pub fn make_stale(&self, token: &str) {
        self.inner.lock().unwrap().stale.push(token.to_owned());
    }

    /// Every `n`-th send from now is answered 503 (a transient failure).
    pub fn fail_every(&self, n: usize) {
        self.inner.lock().unwrap().faults.every(n);
    }

    /// The next send is answered `status` (with `Retry-After: seconds`).
    pub fn fail_next(&self, status: u16, retry_after: Option<u64>) {
        self.inner.lock().unwrap().faults.push(status, retry_after);
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn error(status: u16, code: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap();
    (
        status,
        Json(json!({"error": {
            "code": status.as_u16(),
            "message": code,
            "status": code,
            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}]
        }})),
    )
        .into_response()
}

async fn grant(
    State(inner): State<Arc<Mutex<Inner>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    if field("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "unsupported_grant_type"})),
        )
            .into_response();
    }
    let public = std::fs::read(fixture("fcm-test-public.pem")).unwrap();
    let key = DecodingKey::from_rsa_pem(&public).unwrap();
    let mut rules = Validation::new(Algorithm::RS256);
    let audience = format!("{}/token", inner.lock().unwrap().url);
    rules.set_audience(&[audience]);
    rules.set_issuer(&[CLIENT_EMAIL]);
    let claims = match jsonwebtoken::decode::<Value>(field("assertion"), &key, &rules) {
        Ok(t) => t.claims,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "invalid_grant", "error_description": e.to_string()})),
            )
                .into_response();
        }
    };
    if claims["scope"] != "https://www.googleapis.com/auth/firebase.messaging" {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_scope"})),
        )
            .into_response();
    }
    let mut inner = inner.lock().unwrap();
    inner.grants += 1;
    let token = format!("ya29.fake-{}", inner.grants);
    inner.access.push(token.clone());
    Json(json!({"access_token": token, "expires_in": 3599, "token_type": "Bearer"})).into_response()
}

async fn send(
    State(inner): State<Arc<Mutex<Inner>>>,
    UrlPath((project, method)): UrlPath<(String, String)>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if project != PROJECT || method != "messages:send" {
        return (StatusCode::NOT_FOUND, "no such page").into_response();
    }
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    let mut inner = inner.lock().unwrap();
    if !inner.access.contains(&bearer) {
        return error(401, "UNAUTHENTICATED");
    }
    let m = &body["message"];
    let (Some(token), Some(title), Some(text)) = (
        m["token"].as_str(),
        m["notification"]["title"].as_str(),
        m["notification"]["body"].as_str(),
    ) else {
        return error(400, "INVALID_ARGUMENT");
    };
    // FCM's data values are strings only, and the whole message at most 4 KB.
    let data_ok = m["data"]
        .as_object()
        .is_some_and(|d| d.values().all(Value::is_string));
    if !data_ok || body.to_string().len() > 4096 {
        return error(400, "INVALID_ARGUMENT");
    }
    if inner.stale.iter().any(|s| s == token) {
        return error(404, "UNREGISTERED");
    }
    if let Some((status, retry)) = inner.faults.answer() {
        let code = if status == 429 {
            "QUOTA_EXCEEDED"
        } else {
            "UNAVAILABLE"
        };
        let mut response = error(status, code);
        if let Some(s) = retry {
            response
                .headers_mut()
                .insert("retry-after", s.to_string().parse().unwrap());
        }
        return response;
    }
    inner.pushed.push(Pushed {
        token: token.to_owned(),
        title: title.to_owned(),
        body: text.to_owned(),
        kind: m["data"]["kind"].as_str().unwrap_or_default().to_owned(),
        data: m["data"].clone(),
    });
    let name = format!("projects/{PROJECT}/messages/0:{}", inner.pushed.len());
    Json(json!({ "name": name })).into_response()
}
