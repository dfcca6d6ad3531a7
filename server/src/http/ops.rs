//! Operational endpoints: liveness, readiness, metrics.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::state::AppState;

/// `/healthz`, `/readyz`, `/metrics`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// The process is up.
async fn healthz() -> impl IntoResponse {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

/// The hub can serve: its database answers and the sync storage is not stuck
/// retrying a failed write (a phone's changes would not be stored).
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.store.backend().name();
    let db = state.store.ping().await;
    let storage_failing = state.sync.health.is_failing();
    if let Err(err) = &db {
        tracing::warn!(%err, "readiness check: database unreachable");
    }
    if storage_failing {
        tracing::warn!("readiness check: sync storage is failing");
    }
    let mut problems = Vec::new();
    if db.is_err() {
        problems.push("database unreachable");
    }
    if storage_failing {
        problems.push("sync storage failing");
    }
    if problems.is_empty() {
        (
            StatusCode::OK,
            Json(json!({"status": "ready", "database": database, "sync_storage": "ok"})),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "not ready",
                "database": database,
                "sync_storage": if storage_failing { "failing" } else { "ok" },
                "error": problems.join("; "),
            })),
        )
    }
}

/// Prometheus text format.
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let db_up = state.store.ping().await.is_ok();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(db_up),
    )
}
