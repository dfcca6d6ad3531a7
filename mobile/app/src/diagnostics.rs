//! Diagnostics the adviser can send to support: the last log lines (kept in memory
//! by a tracing writer) and the device's sync state and record counts. No client
//! names, phones or notes go into it.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Mutex, PoisonError};

use fieldcase_device::Device;

/// How many log lines are kept.
const KEEP: usize = 300;

static LINES: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());

/// A `tracing_subscriber` writer: each line goes to stderr and into the ring kept
/// for the diagnostics report.
#[derive(Clone, Copy, Default)]
pub struct LogRing;

impl Write for LogRing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        std::io::stderr().write_all(buf)?;
        let mut lines = LINES.lock().unwrap_or_else(PoisonError::into_inner);
        for line in String::from_utf8_lossy(buf).lines() {
            if lines.len() == KEEP {
                lines.pop_front();
            }
            lines.push_back(line.to_owned());
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogRing {
    type Writer = LogRing;
    fn make_writer(&'a self) -> LogRing {
        LogRing
    }
}

/// The report: app version, enrolment ids, sync status, counts, recent log lines.
pub async fn report(device: &Device) -> String {
    let e = device.enrolment();
    let status = match device.sync_status().await {
        Ok(s) => format!("{s:?}"),
        Err(err) => format!("unavailable: {err}"),
    };
    let lines = LINES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "fieldcase-mobile {}\nhub: {}\ndevice: {}\nadviser: {}\nworkspace: {}\nstatus: {status}\n\
         clients: {}\norders: {}\ncase movements: {}\ninbox: {}\n\n-- log --\n{lines}\n",
        env!("CARGO_PKG_VERSION"),
        e.hub,
        e.device_id,
        e.adviser_code,
        e.workspace_doc,
        device.clients().len(),
        device.orders().len(),
        device.case_movements().len(),
        device.inbox().len(),
    )
}

/// Percent-encodes `text` for a `data:` URL.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~ ".contains(&b) {
            out.push(if b == b' ' { ' ' } else { b as char });
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.replace(' ', "%20")
}
