//! `GET /sync`: the WebSocket devices sync over (automerge-repo protocol, CBOR).

use std::collections::HashMap;

use axum::Router;
use axum::extract::ws::{Message, WebSocket};
use axum::extract::{Query, State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::{SinkExt, StreamExt, TryStreamExt};
use tokio::sync::watch;

use crate::auth;
use crate::error::AppError;
use crate::state::AppState;

/// The largest sync message accepted: a first sync can carry a whole document.
const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;

/// The header a phone names its workspace document in, and the hub the current one
/// when it answers 409 (the workspace was rewritten).
pub const WORKSPACE_HEADER: &str = "x-fieldcase-workspace";

/// 409 with the adviser's current workspace document (header and JSON).
fn workspace_moved(workspace: &str) -> Response {
    let body = axum::Json(serde_json::json!({
        "error": "workspace replaced",
        "detail": "this workspace was rewritten (a customer's data erased); carry local changes over to the new one",
        "workspace_doc": workspace,
    }));
    let mut response = (axum::http::StatusCode::CONFLICT, body).into_response();
    if let Ok(value) = workspace.parse() {
        response.headers_mut().insert(WORKSPACE_HEADER, value);
    }
    response
}

/// The `/sync` route.
pub fn router() -> Router<AppState> {
    Router::new().route("/sync", get(sync_socket))
}

#[tracing::instrument(skip_all)]
async fn sync_socket(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let Some(token) = auth::bearer(&headers, &query) else {
        return AppError::Unauthorized.into_response();
    };
    let device = match state.store.device_by_token(&auth::token_hash(&token)).await {
        Ok(Some(device)) => device,
        Ok(None) => return AppError::Unauthorized.into_response(),
        Err(err) => return AppError::from(err).into_response(),
    };
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            return AppError::BadRequest(format!("expected a WebSocket upgrade: {rejection}"))
                .into_response();
        }
    };
    if let Err(err) = state
        .store
        .touch_device(device.id, time::OffsetDateTime::now_utc())
        .await
    {
        tracing::warn!(%err, "recording a device's sync time");
    }
    // The hub's authority must watch the workspace before the device's changes
    // arrive (after a hub restart nothing watches it until someone uses it).
    let workspace = match state.sync.ensure_workspace(device.adviser).await {
        Ok(doc) => doc.to_string(),
        Err(err) => {
            tracing::error!(%err, adviser = %device.adviser, "opening a workspace for sync");
            return AppError::Internal(err).into_response();
        }
    };
    // A phone names the workspace it holds; one rewritten since (GDPR erasure) is
    // told the new one and carries its offline changes over before syncing.
    if let Some(held) = headers.get(WORKSPACE_HEADER).and_then(|v| v.to_str().ok())
        && held != workspace
    {
        tracing::info!(device = %device.id, "a device holds a replaced workspace; told the new one");
        return workspace_moved(&workspace);
    }
    // Ledger lines written outside the hub (the CLI, imports) reach the phone as it
    // connects; nothing is written when the document already has them.
    if let Err(err) = state.sync.publish_commission(device.adviser).await {
        tracing::warn!(%err, adviser = %device.adviser, "publishing the commission ledger");
    }
    // Coupons, tiers and customers' terms set outside the hub (the CLI) likewise.
    if let Err(err) = state.sync.publish_offers().await {
        tracing::warn!(%err, "publishing coupons and price terms");
    }
    // And prices (`fieldcase catalog price`).
    if let Err(err) = state.sync.publish_catalog_if_changed().await {
        tracing::warn!(%err, "publishing the catalog");
    }
    let peer = super::device_peer_id(device.id);
    let signals = state.sync.policy.register(device.id, device.adviser);
    tracing::info!(device = %device.id, adviser = %device.adviser, "device connected");
    ws.max_message_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let transport = revocable(socket, signals).with_expected_peer_id(peer);
            if let Err(err) = state.sync.acceptor.accept(transport) {
                tracing::error!(?err, "sync repo refused a connection");
            }
        })
}

/// Wraps the socket so that its inbound side ends when the device is revoked or
/// its connections are cut (its workspace replaced); samod then tears the
/// connection down and closes the socket.
fn revocable(
    socket: WebSocket,
    (mut revoked, mut cut): (watch::Receiver<bool>, watch::Receiver<u64>),
) -> samod::Transport {
    let (sink, stream) = socket.split();
    let cut = async move {
        // A dropped sender means the hub is stopping: end the connection too.
        tokio::select! {
            _ = revoked.wait_for(|r| *r) => {}
            _ = cut.changed() => {}
        }
    };
    let stream = stream
        .take_until(Box::pin(cut))
        .try_filter_map(|message| async move {
            Ok(match message {
                Message::Binary(bytes) => {
                    if let Err(refusal) = super::frames::check(&bytes) {
                        tracing::warn!(%refusal, "closing a device connection: refused frame");
                        return Err(axum::Error::new(refusal));
                    }
                    Some(bytes.to_vec())
                }
                // samod speaks binary CBOR only; a text frame is a protocol error.
                Message::Text(_) => return Err(axum::Error::new(TextFrame)),
                Message::Ping(_) | Message::Pong(_) | Message::Close(_) => None,
            })
        })
        .boxed();
    let sink = sink
        .with(|bytes: Vec<u8>| async move { Ok::<_, axum::Error>(Message::Binary(bytes.into())) });
    samod::Transport::new(stream, Box::pin(sink))
}

#[derive(Debug, thiserror::Error)]
#[error("text frames are not part of the sync protocol")]
struct TextFrame;
