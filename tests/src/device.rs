//! A minimal device for tests: enrols over the API and syncs with samod over
//! `/sync`, authenticated with its bearer token. (The phone's real client lives in
//! `mobile/core` once it exists; this one only proves the hub's side.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use fieldcase_device::dialer::{BearerDialer, Refused};
use fieldcase_server::api::EnrolResponse;
use samod::{BackoffConfig, DialerHandle, DocumentId, PeerId};

/// Enrols with `code`; returns the hub's answer (or its status and body on refusal).
pub async fn enrol(
    hub: &str,
    code: &str,
    name: &str,
) -> anyhow::Result<Result<EnrolResponse, (u16, String)>> {
    let resp = reqwest::Client::new()
        .post(format!("{hub}/api/v1/devices/enrol"))
        .json(&serde_json::json!({"code": code, "device_name": name}))
        .send()
        .await?;
    let status = resp.status().as_u16();
    if status == 201 {
        Ok(Ok(resp.json().await?))
    } else {
        Ok(Err((status, resp.text().await?)))
    }
}

/// An enrolled device with its own in-memory repo, dialled to the hub.
pub struct Device {
    /// The device's repo.
    pub repo: samod::Repo,
    /// The connection to the hub.
    pub dialer: DialerHandle<Refused>,
    /// What enrolment returned.
    pub enrolment: EnrolResponse,
}

impl Device {
    /// Dials the hub at `hub` (http URL) with the enrolment's token and peer id.
    pub async fn connect(hub: &str, enrolment: EnrolResponse) -> anyhow::Result<Device> {
        let repo = samod::Repo::build_tokio()
            .with_peer_id(PeerId::from(enrolment.peer_id.clone()))
            .load()
            .await;
        let dialer = dial(&repo, hub, &enrolment)?;
        Ok(Device {
            repo,
            dialer,
            enrolment,
        })
    }

    /// Goes offline (closes the connection); edits stay local until [`Device::online`].
    pub fn offline(&self) {
        self.dialer.close();
    }

    /// Comes back online and waits for the connection.
    pub async fn online(&mut self, hub: &str) -> anyhow::Result<()> {
        self.dialer = dial(&self.repo, hub, &self.enrolment)?;
        self.dialer
            .established()
            .await
            .map_err(|e| anyhow::anyhow!("reconnecting: {e:?}"))?;
        Ok(())
    }

    /// Finds a document through the hub.
    pub async fn find(&self, id: &str) -> anyhow::Result<Option<samod::DocHandle>> {
        let id: DocumentId = id.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
        self.repo
            .find(id)
            .await
            .map_err(|_| anyhow::anyhow!("device repo stopped"))
    }
}

fn dial(
    repo: &samod::Repo,
    hub: &str,
    enrolment: &EnrolResponse,
) -> anyhow::Result<DialerHandle<Refused>> {
    let url = samod::Url::parse(&format!(
        "{}{}",
        hub.replacen("http", "ws", 1),
        enrolment.sync_path
    ))?;
    let backoff = BackoffConfig {
        initial_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(500),
        max_retries: Some(20),
    };
    repo.dial(
        backoff,
        Arc::new(BearerDialer {
            url,
            token: enrolment.token.clone(),
            hub_peer: enrolment.hub_peer_id.clone(),
            workspace: String::new(),
            moved: Default::default(),
        }),
    )
    .map_err(|_| anyhow::anyhow!("device repo stopped"))
}

/// Polls `check` until it is true or `within` passes (no fixed sleeps).
pub async fn eventually<F, Fut>(what: &str, within: Duration, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while !check().await {
        if Instant::now() > deadline {
            anyhow::bail!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}
