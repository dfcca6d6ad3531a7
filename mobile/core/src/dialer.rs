//! Dials the hub's `/sync` with the device's bearer token (samod's own WebSocket
//! dialer cannot send headers, and pulls in OpenSSL).

use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt, TryStreamExt};
use samod::{BackoffConfig, DialError, DialerHandle, PeerId, Transport};
use tokio_tungstenite::tungstenite::{self, Message, client::IntoClientRequest};

use crate::{Enrolment, Moved};

/// The hub refused the device's token (revoked or wiped on the hub).
#[derive(Debug, thiserror::Error)]
#[error("the hub refused this device's token; it may have been revoked")]
pub struct Refused;

/// Bytes and messages this process's devices sent and received over sync sockets
/// (the load simulator reports them).
pub mod traffic {
    use std::sync::atomic::{AtomicU64, Ordering};

    pub(crate) static SENT_BYTES: AtomicU64 = AtomicU64::new(0);
    pub(crate) static SENT_MESSAGES: AtomicU64 = AtomicU64::new(0);
    pub(crate) static RECEIVED_BYTES: AtomicU64 = AtomicU64::new(0);
    pub(crate) static RECEIVED_MESSAGES: AtomicU64 = AtomicU64::new(0);

    /// Totals so far.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct Traffic {
        /// Bytes sent.
        pub sent_bytes: u64,
        /// Messages sent.
        pub sent_messages: u64,
        /// Bytes received.
        pub received_bytes: u64,
        /// Messages received.
        pub received_messages: u64,
    }

    /// Totals so far.
    pub fn totals() -> Traffic {
        Traffic {
            sent_bytes: SENT_BYTES.load(Ordering::Relaxed),
            sent_messages: SENT_MESSAGES.load(Ordering::Relaxed),
            received_bytes: RECEIVED_BYTES.load(Ordering::Relaxed),
            received_messages: RECEIVED_MESSAGES.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn count(bytes: &AtomicU64, messages: &AtomicU64, len: usize) {
        bytes.fetch_add(len as u64, Ordering::Relaxed);
        messages.fetch_add(1, Ordering::Relaxed);
    }
}

/// The header the phone names its workspace in; the hub answers 409 with the new
/// one there when it rewrote the workspace (GDPR erasure).
pub const WORKSPACE_HEADER: &str = "x-fieldcase-workspace";

/// Dials `url` with `Authorization: Bearer <token>` and pins the hub's peer id.
/// An empty token or peer id leaves them out (a plain automerge-repo sync server,
/// for the load simulator's reference runs).
pub struct BearerDialer {
    /// `ws://…/sync` or `wss://…/sync`.
    pub url: samod::Url,
    /// The device's token.
    pub token: String,
    /// The hub's peer id from enrolment.
    pub hub_peer: String,
    /// The workspace document this phone holds (empty: not named).
    pub workspace: String,
    /// Set to the new workspace when the hub says this one was replaced.
    pub moved: std::sync::Arc<tokio::sync::watch::Sender<Option<String>>>,
}

impl samod::Dialer for BearerDialer {
    type Error = Refused;

    fn url(&self) -> samod::Url {
        self.url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Refused>>> {
        let (url, token, hub) = (self.url.clone(), self.token.clone(), self.hub_peer.clone());
        let (workspace, moved) = (self.workspace.clone(), self.moved.clone());
        Box::pin(async move {
            let mut request = url
                .as_str()
                .into_client_request()
                .map_err(DialError::transient)?;
            if !token.is_empty() {
                let auth = format!("Bearer {token}")
                    .parse()
                    .map_err(DialError::transient)?;
                request.headers_mut().insert("authorization", auth);
            }
            if !workspace.is_empty() {
                let held = workspace.parse().map_err(DialError::transient)?;
                request.headers_mut().insert(WORKSPACE_HEADER, held);
            }
            let (socket, _) =
                tokio_tungstenite::connect_async(request)
                    .await
                    .map_err(|e| match e {
                        tungstenite::Error::Http(response) if response.status() == 401 => {
                            DialError::PermanentFailure(Refused)
                        }
                        // The workspace was rewritten: stop dialing it; the app moves
                        // to the new one (`Device::switch_workspace`).
                        tungstenite::Error::Http(response)
                            if response.status() == 409
                                && response.headers().contains_key(WORKSPACE_HEADER) =>
                        {
                            let new = response
                                .headers()
                                .get(WORKSPACE_HEADER)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default();
                            moved.send_replace(Some(new.to_owned()));
                            DialError::PermanentFailure(Refused)
                        }
                        other => DialError::transient(other),
                    })?;
            let (sink, stream) = socket.split();
            let stream = stream
                .try_filter_map(|m| async move {
                    Ok(if let Message::Binary(b) = m {
                        traffic::count(
                            &traffic::RECEIVED_BYTES,
                            &traffic::RECEIVED_MESSAGES,
                            b.len(),
                        );
                        Some(b.to_vec())
                    } else {
                        None
                    })
                })
                .boxed();
            let sink = sink.with(|b: Vec<u8>| async move {
                traffic::count(&traffic::SENT_BYTES, &traffic::SENT_MESSAGES, b.len());
                Ok::<_, tungstenite::Error>(Message::Binary(b.into()))
            });
            let transport = Transport::new(stream, Box::pin(sink));
            Ok(if hub.is_empty() {
                transport
            } else {
                transport.with_expected_peer_id(PeerId::from(hub))
            })
        })
    }
}

/// Dials the hub naming the workspace held; when it refuses the token for good,
/// `revoked` turns true; when it says the workspace was replaced, `moved` names
/// the new one (and dialing stops).
pub(crate) fn dial(
    repo: &samod::Repo,
    enrolment: &Enrolment,
    revoked: &Arc<tokio::sync::watch::Sender<bool>>,
    moved: &Moved,
) -> anyhow::Result<DialerHandle<Refused>> {
    let url = samod::Url::parse(&format!(
        "{}{}",
        enrolment.hub.replacen("http", "ws", 1),
        enrolment.sync_path
    ))?;
    let backoff = BackoffConfig {
        initial_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(30),
        max_retries: None,
    };
    let dialer = BearerDialer {
        url,
        token: enrolment.token.clone(),
        hub_peer: enrolment.hub_peer_id.clone(),
        // A plain sync server (no token) is not told: it would not know the header.
        workspace: if enrolment.token.is_empty() {
            String::new()
        } else {
            enrolment.workspace_doc.clone()
        },
        moved: moved.clone(),
    };
    let handle = repo
        .dial(backoff, Arc::new(dialer))
        .map_err(|_| anyhow::anyhow!("the local repo has stopped"))?;
    let (established, on_refusal, was_moved) =
        (handle.established(), revoked.clone(), moved.clone());
    tokio::spawn(async move {
        // `established` settles once: connected, or refused for good (the token, or
        // the workspace moved, which is no revocation).
        if let Err(samod::DialerFailed::PermanentFailure(_)) = established.await
            && was_moved.borrow().is_none()
        {
            on_refusal.send_replace(true);
        }
    });
    // A refusal after a live connection ended (revocation) shows in the events.
    let (watcher, on_refusal, was_moved) = (handle.clone(), revoked.clone(), moved.clone());
    tokio::spawn(async move {
        use futures::StreamExt;
        let mut events = watcher.events();
        while let Some(event) = events.next().await {
            if matches!(event, samod::DialerEvent::PermanentFailure) {
                if was_moved.borrow().is_none() {
                    on_refusal.send_replace(true);
                }
                return;
            }
        }
    });
    Ok(handle)
}
