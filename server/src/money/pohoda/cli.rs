//! `fieldcase export pohoda --date D` and `fieldcase export pohoda-response FILE`:
//! a day's pack for Pohoda written to a file (or standard output), and Pohoda's
//! response pack read back, through the same path as the Pohoda page.

use anyhow::Context;
use clap::Subcommand;
use fieldcase_shared::Lang;

use super::export::{export_day, import_response};
use crate::config::Config;
use crate::store::{Actor, Store};

/// `export` subcommands.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Export a day's tax documents, till receipts and cash vouchers as a Pohoda
    /// dataPack (Windows-1250); the same day again gives the same document numbers.
    Pohoda {
        /// The day (YYYY-MM-DD, Prague).
        #[arg(long)]
        date: String,
        /// Where to write it (`-` or none: standard output).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// The staff user it is recorded for (e-mail; accounting or admin).
        #[arg(long)]
        by: String,
    },
    /// Read Pohoda's response pack and mark each document ok, warning or error.
    PohodaResponse {
        /// The response pack Pohoda wrote.
        file: std::path::PathBuf,
        #[arg(long)]
        by: String,
    },
}

/// Runs an `export` command; returns what to print (the pack itself goes to
/// standard output when no file is given).
pub async fn run(
    store: &dyn Store,
    config: &Config,
    command: ExportCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<(Actor, fieldcase_shared::Role)>,
) -> anyhow::Result<Vec<u8>> {
    match command {
        ExportCommand::Pohoda { date, out, by } => {
            let (actor, role) = staff(&by).await?;
            let day = fieldcase_shared::calendar::parse_day(&date)
                .with_context(|| format!("--date {date:?} is not YYYY-MM-DD"))?;
            let export = export_day(store, config, &actor, role, day)
                .await
                .map_err(|e| anyhow::anyhow!(e.text(Lang::En)))?;
            match out.filter(|p| p.as_os_str() != "-") {
                Some(file) => {
                    std::fs::write(&file, &export.bytes)
                        .with_context(|| format!("writing {}", file.display()))?;
                    Ok(format!(
                        "{} documents of {} → {} ({})\n",
                        export.documents,
                        export.day,
                        file.display(),
                        export.pack_id
                    )
                    .into_bytes())
                }
                None => Ok(export.bytes),
            }
        }
        ExportCommand::PohodaResponse { file, by } => {
            let (actor, role) = staff(&by).await?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let marked = import_response(store, &actor, role, &bytes)
                .await
                .map_err(|e| anyhow::anyhow!(e.text(Lang::En)))?;
            let mut out = format!(
                "{} marked, {} already ok in Pohoda\n",
                marked.marked, marked.kept
            );
            for n in marked.unknown {
                out += &format!("unknown document: {n}\n");
            }
            Ok(out.into_bytes())
        }
    }
}
