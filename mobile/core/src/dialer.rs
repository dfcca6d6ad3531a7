//! Dials the hub's `/sync` with the device's bearer token (samod's own WebSocket
//! dialer cannot send headers, and pulls in OpenSSL).

use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt, TryStreamExt};
use samod::{DialError, PeerId, Transport};
use tokio_tungstenite::tungstenite::{self, Message, client::IntoClientRequest};

/// The hub refused the device's token (revoked or wiped on the hub).
#[derive(Debug, thiserror::Error)]
#[error("the hub refused this device's token; it may have been revoked")]
pub struct Refused;

/// Dials `url` with `Authorization: Bearer <token>` and pins the hub's peer id.
pub struct BearerDialer {
    /// `ws://…/sync` or `wss://…/sync`.
    pub url: samod::Url,
    /// The device's token.
    pub token: String,
    /// The hub's peer id from enrolment.
    pub hub_peer: String,
}

impl samod::Dialer for BearerDialer {
    type Error = Refused;

    fn url(&self) -> samod::Url {
        self.url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Refused>>> {
        let (url, token, hub) = (self.url.clone(), self.token.clone(), self.hub_peer.clone());
        Box::pin(async move {
            let mut request = url
                .as_str()
                .into_client_request()
                .map_err(DialError::transient)?;
            let auth = format!("Bearer {token}")
                .parse()
                .map_err(DialError::transient)?;
            request.headers_mut().insert("authorization", auth);
            let (socket, _) =
                tokio_tungstenite::connect_async(request)
                    .await
                    .map_err(|e| match e {
                        tungstenite::Error::Http(response) if response.status() == 401 => {
                            DialError::PermanentFailure(Refused)
                        }
                        other => DialError::transient(other),
                    })?;
            let (sink, stream) = socket.split();
            let stream = stream
                .try_filter_map(|m| async move {
                    Ok(if let Message::Binary(b) = m {
                        Some(b.to_vec())
                    } else {
                        None
                    })
                })
                .boxed();
            let sink = sink.with(|b: Vec<u8>| async move {
                Ok::<_, tungstenite::Error>(Message::Binary(b.into()))
            });
            Ok(Transport::new(stream, Box::pin(sink)).with_expected_peer_id(PeerId::from(hub)))
        })
    }
}
