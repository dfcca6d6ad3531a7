//! What the simulator measures about the server process, and its report.

use std::path::PathBuf;

use super::Report;

/// A temporary folder removed on drop.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new() -> anyhow::Result<TempDir> {
        let path = std::env::temp_dir().join(format!("fieldcase-sim-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Resident memory of a process, MiB (Linux `/proc`).
pub(crate) fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// User + system CPU ticks of a process and its reaped children (Linux `/proc`).
pub(crate) fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

pub(crate) fn ticks_per_second() -> f64 {
    // Linux's USER_HZ is 100 on every architecture we run on.
    100.0
}

/// The report as the table `bench/RESULTS.md` keeps.
pub fn render(report: &Report) -> String {
    let opt = |v: Option<f64>, digits: usize| match v {
        Some(v) => format!("{v:.digits$}"),
        None => "–".into(),
    };
    format!(
        "server {} · {} advisers ({} phones) · setup {:.1} s\n\
         changes {} · unacked {} · lost {}\n\
         change→ack ms: p50 {:.1} p95 {:.1} p99 {:.1} max {:.1}\n\
         device→device ms: p50 {:.1} p95 {:.1} p99 {:.1} max {:.1}\n\
         per change: {:.0} bytes, {:.1} messages (all phones, both directions)\n\
         server RSS MiB: start {} idle {} end {} · per idle phone {} KiB · CPU {} %{}",
        report.server,
        report.advisers,
        report.advisers * 2,
        report.setup_seconds,
        report.changes,
        report.unacked,
        report.lost,
        report.ack_ms.p50,
        report.ack_ms.p95,
        report.ack_ms.p99,
        report.ack_ms.max,
        report.device_to_device_ms.p50,
        report.device_to_device_ms.p95,
        report.device_to_device_ms.p99,
        report.device_to_device_ms.max,
        report.bytes_per_change,
        report.messages_per_change,
        opt(report.server_rss_start_mib, 1),
        opt(report.server_rss_idle_mib, 1),
        opt(report.server_rss_end_mib, 1),
        opt(report.server_kib_per_idle_phone, 1),
        opt(report.server_cpu_percent, 0),
        match &report.fan_out_ms {
            Some(l) => format!(
                "\noffice→phone ms: p50 {:.1} p95 {:.1} p99 {:.1} max {:.1} ({} edits)",
                l.p50, l.p95, l.p99, l.max, l.count
            ),
            None => String::new(),
        },
    )
}
