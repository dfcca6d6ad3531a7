//! `fieldcase commission statement | report`: an adviser's monthly statement
//! (the sums, every line, or the PDF written to a file; `--year` prints the twelve
//! months' sums) and the report of commission against turnover. Read-only.

use anyhow::{Context, bail};
use clap::Args;
use fieldcase_shared::Lang;
use fieldcase_shared::statement::Month;

use super::report::{By, rows};
use super::statement::{find_adviser, month, pdf, year};
use crate::store::Store;

/// Which statement.
#[derive(Debug, Args)]
pub struct StatementArgs {
    /// The adviser's number, e.g. P0001.
    #[arg(long)]
    pub adviser: String,
    /// YYYY-MM (Prague time).
    #[arg(long, conflicts_with = "year", required_unless_present = "year")]
    pub month: Option<String>,
    /// Every month of a year: one line each (month, opening, accruals, reversals,
    /// payouts, adjustments, closing; CZK).
    #[arg(long)]
    pub year: Option<i32>,
    /// Write the month's PDF to this file instead of printing the lines.
    #[arg(long, requires = "month")]
    pub pdf: Option<std::path::PathBuf>,
    /// cs or en.
    #[arg(long, default_value = "cs")]
    pub lang: String,
}

/// Which report.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The first month, YYYY-MM.
    #[arg(long)]
    pub from: String,
    /// The last month, YYYY-MM.
    #[arg(long)]
    pub to: String,
    /// adviser, store or month.
    #[arg(long, default_value = "adviser")]
    pub by: String,
}

fn czk(haler: i64) -> String {
    fieldcase_shared::Money::from_haler(haler).to_decimal_string()
}

/// Prints (or writes) the statement.
pub async fn statement(
    store: &dyn Store,
    config: &crate::config::Config,
    args: StatementArgs,
) -> anyhow::Result<String> {
    let lang =
        Lang::from_code(&args.lang).with_context(|| format!("--lang {:?}: cs or en", args.lang))?;
    let Some(adviser) = find_adviser(store, &args.adviser).await? else {
        bail!("no adviser with number {:?}", args.adviser);
    };
    let row = |s: &fieldcase_shared::statement::Statement| {
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            s.month,
            czk(s.opening),
            czk(s.accruals),
            czk(s.reversals),
            czk(s.payouts),
            czk(s.adjustments),
            czk(s.closing)
        )
    };
    if let Some(y) = args.year {
        if !(1900..=9999).contains(&y) {
            bail!("--year {y} is not a year");
        }
        return Ok(year(store, &adviser, y).await?.iter().map(row).collect());
    }
    let text = args.month.unwrap_or_default();
    let m = Month::parse(&text).with_context(|| format!("--month {text:?} is not YYYY-MM"))?;
    let lines = month(store, &adviser, m).await?;
    if let Some(file) = args.pdf {
        let bytes = pdf(&adviser, &lines, &config.payee_name, lang)?;
        std::fs::write(&file, bytes).with_context(|| format!("writing {}", file.display()))?;
        return Ok(format!("{}\n", file.display()));
    }
    let mut out = row(&lines.0);
    for (_, e) in &lines.1 {
        let why = if lang == Lang::Cs {
            &e.why_cs
        } else {
            &e.why_en
        };
        out += &format!("{}\t{}\t{}\t{}\n", e.at, e.kind, czk(e.amount), why);
    }
    Ok(out)
}

/// Prints the report: month, code, name, commission, turnover, cost (%).
pub async fn report(store: &dyn Store, args: ReportArgs) -> anyhow::Result<String> {
    let by = By::parse(&args.by)
        .with_context(|| format!("--by {:?}: adviser, store or month", args.by))?;
    let (from, to) = super::report::span(&args.from, &args.to)
        .map_err(|(field, why)| anyhow::anyhow!("--{field}: {why}"))?;
    let data = store.commission_report(from.start(), to.end()).await?;
    Ok(rows(&data, by)
        .iter()
        .map(|r| {
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}\n",
                r.month,
                r.code,
                r.name,
                czk(r.commission),
                czk(r.turnover),
                r.cost_text(Lang::En)
            )
        })
        .collect())
}
