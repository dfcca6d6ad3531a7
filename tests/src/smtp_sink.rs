//! A real SMTP server on loopback (aiosmtpd, `tests/fixtures/smtp_sink.py`) for
//! the notification tests: the port it picked, the messages it accepted (raw),
//! and a number of first messages it refuses as "try again later". The Python
//! with aiosmtpd is `FIELDCASE_TEST_PYTHON` (scripts/test.sh makes a venv), else
//! `python3`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A running sink; killed when dropped.
pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl SmtpSink {
    /// Starts one that refuses the first `fail_first` messages.
    pub fn start(fail_first: usize) -> anyhow::Result<SmtpSink> {
        SmtpSink::start_failing(fail_first, 0)
    }

    /// Starts one that refuses the first `fail_first` messages and every
    /// `fail_every`-th after them (0: none).
    pub fn start_failing(fail_first: usize, fail_every: usize) -> anyhow::Result<SmtpSink> {
        let python = std::env::var("FIELDCASE_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/smtp_sink.py");
        let dir = tempfile::tempdir()?;
        let mut child = Command::new(&python)
            .arg(&script)
            .arg(dir.path())
            .arg(fail_first.to_string())
            .arg(fail_every.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| anyhow::anyhow!("starting {python} (with aiosmtpd): {e}"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("the sink's stdout"))?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let port = line.trim().parse().map_err(|_| {
            anyhow::anyhow!(
                "the SMTP sink did not start (is aiosmtpd installed for {python}?): {line:?}"
            )
        })?;
        Ok(SmtpSink { port, dir, child })
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages accepted so far, oldest first, as received.
    pub fn messages(&self) -> anyhow::Result<Vec<Vec<u8>>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files.into_iter().map(|f| Ok(std::fs::read(f)?)).collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
