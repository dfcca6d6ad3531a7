//! Request counters, exposed in the Prometheus text format at `/metrics`.

use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// Process-wide counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Responses by status class (1xx…5xx).
    responses: [AtomicU64; 5],
    /// Sum of request durations, microseconds.
    duration_us: AtomicU64,
    /// Live office sessions now open.
    pub live_sessions: AtomicU64,
    /// Failed logins.
    pub failed_logins: AtomicU64,
}

impl Metrics {
    /// The Prometheus text exposition of every metric.
    pub fn render(&self, db_up: bool) -> String {
        let mut out = String::new();
        let total: u64 = self
            .responses
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum();
        out.push_str("# HELP fieldcase_http_responses_total HTTP responses by status class.\n");
        out.push_str("# TYPE fieldcase_http_responses_total counter\n");
        for (i, c) in self.responses.iter().enumerate() {
            let _ = writeln!(
                out,
                "fieldcase_http_responses_total{{class=\"{}xx\"}} {}",
                i + 1,
                c.load(Ordering::Relaxed)
            );
        }
        out.push_str("# HELP fieldcase_http_request_duration_seconds_sum Total time spent answering requests.\n");
        out.push_str("# TYPE fieldcase_http_request_duration_seconds_sum counter\n");
        let secs = self.duration_us.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "fieldcase_http_request_duration_seconds_sum {secs}");
        let _ = writeln!(out, "fieldcase_http_request_duration_seconds_count {total}");
        out.push_str("# HELP fieldcase_live_sessions Open office LiveView connections.\n");
        out.push_str("# TYPE fieldcase_live_sessions gauge\n");
        let _ = writeln!(
            out,
            "fieldcase_live_sessions {}",
            self.live_sessions.load(Ordering::Relaxed)
        );
        out.push_str("# HELP fieldcase_failed_logins_total Failed office logins.\n");
        out.push_str("# TYPE fieldcase_failed_logins_total counter\n");
        let _ = writeln!(
            out,
            "fieldcase_failed_logins_total {}",
            self.failed_logins.load(Ordering::Relaxed)
        );
        out.push_str("# HELP fieldcase_database_up Whether the database answered this scrape.\n");
        out.push_str("# TYPE fieldcase_database_up gauge\n");
        let _ = writeln!(out, "fieldcase_database_up {}", u8::from(db_up));
        out
    }
}

/// Middleware: counts every response by class and its duration.
pub async fn count(metrics: Arc<Metrics>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(req).await;
    let class = usize::from(response.status().as_u16() / 100).clamp(1, 5) - 1;
    metrics.responses[class].fetch_add(1, Ordering::Relaxed);
    let us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    metrics.duration_us.fetch_add(us, Ordering::Relaxed);
    response
}
