//! Firebase Cloud Messaging's HTTP v1 client: `POST {base}/v1/projects/{project}/
//! messages:send` with an OAuth2 access token that a service account's key buys
//! at the account's `token_uri` (a JWT signed RS256 with the scope
//! `firebase.messaging`, exchanged by the JWT-bearer grant; kept until a minute
//! before it expires). A message is a "sync now" data message with a visible
//! notification. FCM's answers: 2xx `{"name"}`; `UNREGISTERED` (404, FCM's JSON
//! error) — the phone's token is dead ([`Delivery::Gone`]); 429 / 500 / 503 — later, honouring
//! `Retry-After`; 401 — the access token is dropped and bought again next time;
//! other 4xx — refused. The base URL is configurable (`fcm_url`) and the token URL
//! comes from the key file, so tests run it against fakes on loopback.
//!
//! Not `fcm-rs`: it fixes FCM's address (no fake can stand in) and buys tokens
//! through yup-oauth2's own HTTP stack; this is one POST each way on the reqwest
//! client the other integrations use, with `jsonwebtoken` signing the grant
//! (docs/decisions.md).

use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::Delivery;

/// The scope FCM's sending needs.
pub const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

/// What a service-account key file (JSON, from the Firebase console) holds that
/// the client uses.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceAccount {
    pub project_id: String,
    pub client_email: String,
    pub private_key: String,
    #[serde(default)]
    pub private_key_id: String,
    pub token_uri: String,
}

/// A configured FCM client.
pub struct Fcm {
    http: reqwest::Client,
    base: String,
    account: ServiceAccount,
    key: EncodingKey,
    token: Mutex<Option<(String, Instant)>>,
}

impl std::fmt::Debug for Fcm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fcm")
            .field("base", &self.base)
            .field("project", &self.account.project_id)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

#[derive(Deserialize)]
struct Granted {
    access_token: String,
    #[serde(default = "an_hour")]
    expires_in: u64,
}

fn an_hour() -> u64 {
    3600
}

#[derive(Deserialize)]
struct Accepted {
    name: String,
}

/// What a push says: the visible notification and the data the app reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// Data pairs besides `kind: sync`.
    pub data: &'a [(&'a str, &'a str)],
}

impl Fcm {
    /// The client for the key file's account, sending to `base`
    /// (`https://fcm.googleapis.com` in production).
    pub fn new(base: &str, account: ServiceAccount) -> anyhow::Result<Fcm> {
        let key = EncodingKey::from_rsa_pem(account.private_key.as_bytes())
            .map_err(|e| anyhow::anyhow!("the service account's private_key: {e}"))?;
        if account.project_id.trim().is_empty() || account.token_uri.trim().is_empty() {
            anyhow::bail!("the service account names no project_id or token_uri");
        }
        Ok(Fcm {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
            base: base.trim_end_matches('/').to_owned(),
            account,
            key,
            token: Mutex::new(None),
        })
    }

    /// The client for the key file at `path`.
    pub fn from_file(base: &str, path: &std::path::Path) -> anyhow::Result<Fcm> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        let account: ServiceAccount = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{} is no service-account key: {e}", path.display()))?;
        Fcm::new(base, account)
    }

    /// A valid access token: the kept one, or a new one bought with a signed grant.
    async fn access_token(&self) -> Result<String, Delivery> {
        let mut kept = self.token.lock().await;
        if let Some((token, until)) = kept.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let claims = Claims {
            iss: &self.account.client_email,
            scope: SCOPE,
            aud: &self.account.token_uri,
            iat: now,
            exp: now + 3600,
        };
        let mut header = Header::new(Algorithm::RS256);
        if !self.account.private_key_id.is_empty() {
            header.kid = Some(self.account.private_key_id.clone());
        }
        let assertion = jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| Delivery::Permanent(format!("signing the token grant: {e}")))?;
        let answer = self
            .http
            .post(&self.account.token_uri)
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ])
            .send()
            .await
            .map_err(|e| {
                transient(format!(
                    "the token endpoint did not answer: {}",
                    e.without_url()
                ))
            })?;
        let status = answer.status();
        if !status.is_success() {
            let text = answer.text().await.unwrap_or_default();
            let error = format!("the token endpoint answered {status}: {}", cut(&text));
            return Err(if status.is_server_error() || status.as_u16() == 429 {
                transient(error)
            } else {
                Delivery::Permanent(error)
            });
        }
        let granted: Granted = answer.json().await.map_err(|e| {
            transient(format!(
                "the token endpoint's answer does not read: {}",
                e.without_url()
            ))
        })?;
        let life = Duration::from_secs(granted.expires_in.saturating_sub(60).max(1));
        *kept = Some((granted.access_token.clone(), Instant::now() + life));
        Ok(granted.access_token)
    }

    /// Sends `push` to the phone with `token`; FCM's name of the message.
    pub async fn send(&self, token: &str, push: &Push<'_>) -> Result<String, Delivery> {
        let access = self.access_token().await?;
        let mut data = serde_json::Map::new();
        data.insert("kind".into(), "sync".into());
        for (k, v) in push.data {
            data.insert((*k).into(), (*v).into());
        }
        let message = serde_json::json!({
            "message": {
                "token": token,
                "notification": { "title": push.title, "body": push.body },
                "data": data,
                "android": { "priority": "high" },
                "apns": {
                    "headers": { "apns-priority": "10" },
                    "payload": { "aps": { "content-available": 1 } }
                }
            }
        });
        let answer = self
            .http
            .post(format!(
                "{}/v1/projects/{}/messages:send",
                self.base, self.account.project_id
            ))
            .bearer_auth(&access)
            .json(&message)
            .send()
            .await
            .map_err(|e| transient(format!("FCM did not answer: {}", e.without_url())))?;
        let status = answer.status();
        if status.is_success() {
            let body: Accepted = answer.json().await.map_err(|e| {
                transient(format!("FCM's answer does not read: {}", e.without_url()))
            })?;
            return Ok(body.name);
        }
        let retry_after = super::retry_after(answer.headers());
        let text = answer.text().await.unwrap_or_default();
        let code = error_code(&text);
        let error = format!("FCM answered {status} {code}: {}", cut(&text));
        match (status.as_u16(), code.as_str()) {
            // FCM's own 404 (JSON with its code); a 404 without it is a wrong
            // `fcm_url`, which must not cost the phones their tokens.
            (_, "UNREGISTERED") | (404, "NOT_FOUND") => Err(Delivery::Gone(error)),
            (429 | 500 | 503, _) => Err(Delivery::Transient { error, retry_after }),
            (401, _) => {
                // The access token went stale early: buy a new one next time.
                *self.token.lock().await = None;
                Err(Delivery::Transient {
                    error,
                    retry_after: None,
                })
            }
            _ => Err(Delivery::Permanent(error)),
        }
    }
}

/// FCM's error code (`error.details[].errorCode`, else `error.status`).
fn error_code(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(body) else {
        return String::new();
    };
    v["error"]["details"]
        .as_array()
        .and_then(|d| d.iter().find_map(|x| x["errorCode"].as_str()))
        .or_else(|| v["error"]["status"].as_str())
        .unwrap_or_default()
        .to_owned()
}

fn transient(error: String) -> Delivery {
    Delivery::Transient {
        error,
        retry_after: None,
    }
}

fn cut(text: &str) -> String {
    text.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::error_code;

    #[test]
    fn the_error_code_is_read_from_the_details() {
        let body = r#"{"error":{"code":404,"status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}"#;
        assert_eq!(error_code(body), "UNREGISTERED");
        assert_eq!(
            error_code(r#"{"error":{"status":"UNAVAILABLE"}}"#),
            "UNAVAILABLE"
        );
        assert_eq!(error_code("<html>"), "");
    }
}
