//! The SMS gateway's client: `POST {base}/messages` with the account's bearer
//! token and `{"to": "+420…", "text": "…"}`; the gateway answers `{"id": "…"}`
//! (2xx), asks to wait (429 with `Retry-After`, or 5xx: tried again later) or
//! refuses (other 4xx: the number or text is wrong; not tried again). The base
//! URL is configurable (`sms_gateway_url`); tests run it against a fake gateway on
//! loopback that speaks the same.

use std::time::Duration;

use serde::Deserialize;

use super::Delivery;

/// A configured gateway.
#[derive(Debug, Clone)]
pub struct SmsGateway {
    http: reqwest::Client,
    base: String,
    token: String,
}

#[derive(Deserialize)]
struct Accepted {
    id: String,
}

impl SmsGateway {
    /// The gateway at `base` with `token`.
    pub fn new(base: &str, token: &str) -> anyhow::Result<SmsGateway> {
        Ok(SmsGateway {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }

    /// Sends `text` to `to` (`+420…`); the gateway's id of the message.
    pub async fn send(&self, to: &str, text: &str) -> Result<String, Delivery> {
        let answer = self
            .http
            .post(format!("{}/messages", self.base))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({ "to": to, "text": text }))
            .send()
            .await
            .map_err(|e| Delivery::Transient {
                error: format!("the SMS gateway did not answer: {}", e.without_url()),
                retry_after: None,
            })?;
        let status = answer.status();
        if status.is_success() {
            let body: Accepted = answer.json().await.map_err(|e| Delivery::Transient {
                error: format!(
                    "the SMS gateway's answer does not read: {}",
                    e.without_url()
                ),
                retry_after: None,
            })?;
            return Ok(body.id);
        }
        let retry_after = super::retry_after(answer.headers());
        let text = answer.text().await.unwrap_or_default();
        let error = format!(
            "the SMS gateway answered {status}: {}",
            text.chars().take(200).collect::<String>()
        );
        if status.as_u16() == 429 || status.is_server_error() {
            Err(Delivery::Transient { error, retry_after })
        } else {
            Err(Delivery::Permanent(error))
        }
    }
}
