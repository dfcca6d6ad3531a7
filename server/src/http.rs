//! The HTTP server: the router assembled from each area's `router()`,
//! operational endpoints, request ids, tracing and graceful shutdown.

pub mod metrics;
mod ops;

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use metrics::Metrics;

use crate::state::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application.
pub fn router(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    Router::new()
        .merge(ops::router())
        .merge(crate::office::router())
        .merge(crate::orders::public::router())
        .merge(crate::bookings::public::router())
        .merge(crate::campaigns::public::router())
        .merge(crate::lab::sheet::router())
        .merge(crate::money::documents::router())
        .merge(crate::complaints::protocol::router())
        .merge(crate::money::till::documents::router())
        .merge(crate::money::pohoda::documents::router())
        .merge(crate::commission::batch_file::router())
        .merge(crate::commission::statement::router())
        .merge(crate::commission::self_billing::router())
        .merge(crate::catalog::upload::router())
        .merge(crate::customers::upload::router())
        .merge(crate::customers::export::router())
        .merge(crate::customers::gdpr::router())
        .merge(crate::api::router())
        .merge(crate::sync::router())
        .fallback(not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn(move |req, next| {
            metrics::count(metrics.clone(), req, next)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The Content-Security-Policy of every answer. Nothing is loaded from another
/// site and no other site may frame the office (clickjacking). Scripts may be
/// inline and use `Function`: the LiveView glue is an inline script, and its
/// interpreter runs the hub's queries (e.g. the page title) through `Function`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Security headers on every answer (a handler may set its own first).
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

/// Unknown paths: a clear 404, JSON for API clients and a page for people.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    use axum::response::IntoResponse;
    if uri.path().starts_with("/api/") {
        return crate::error::AppError::NotFound.into_response();
    }
    let body = "<p>Stránka nenalezena. / Page not found.</p><p><a href=\"/\">fieldcase</a></p>";
    (
        axum::http::StatusCode::NOT_FOUND,
        axum::response::Html(crate::office::plain_page(
            fieldcase_shared::Lang::Cs,
            "404",
            body,
        )),
    )
        .into_response()
}

/// Serves on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state.clone());
    // Drop expired sessions now and then so the table does not grow forever.
    let purge = tokio::spawn({
        let store = state.store.clone();
        async move {
            let mut tick = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tick.tick().await;
                if let Err(err) = store.purge_sessions(time::OffsetDateTime::now_utc()).await {
                    tracing::warn!(%err, "purging expired sessions failed");
                }
            }
        }
    });
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    purge.abort();
    // Flush what the sync repo still holds before the process ends.
    state.sync.stop().await;
    result
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called,
/// not when the future is first polled, so a signal that arrives while the server is
/// still starting up is not lost (and does not kill the process).
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {},
                        _ = int.recv() => {},
                    }
                }
                (Err(err), _) | (_, Err(err)) => {
                    tracing::error!(%err, "cannot listen for signals; stop the hub with SIGKILL");
                    std::future::pending::<()>().await;
                }
            }
            tracing::info!("shutting down: finishing requests in flight");
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
