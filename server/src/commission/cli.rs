//! `fieldcase commission …`: `add` a ledger line by hand; `rule | rules | level`:
//! the commission rules (a new rule, or the next version of one) and advisers'
//! levels, checked like the office's (accounting and administrators; overlapping
//! validity, a rate outside 0–100 %, an end before the start refused, nothing
//! written); `accrue`: book what the queued orders earn now (the hub's job does it
//! by itself); `ledger`: an adviser's lines with "why this amount"; `payout …`
//! (`payout_cli.rs`); `statement | report` (`statement_cli.rs`).

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use fieldcase_shared::{AdviserId, Lang, Role};
use time::Date;
use uuid::Uuid;

use super::rule_edit::{RULE_EDITORS, RuleInput, put};
use super::rules::Level;
use super::store::accrue::ACCRUAL_BATCH;
use crate::field::adviser_by_code;
use crate::store::{Actor, Store};

/// Runs a `commission` command (`staff`: the acting user by e-mail); returns what
/// to print.
pub async fn run(
    store: &dyn Store,
    config: &crate::config::Config,
    command: CommissionCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<(Actor, Role)>,
) -> anyhow::Result<String> {
    match command {
        CommissionCommand::Recompute { from, dry_run, by } => {
            let (actor, role) = staff(&by).await?;
            if !RULE_EDITORS.contains(&role) {
                bail!("only accounting and administrators recompute commission");
            }
            let from = day("from", &from)?;
            // What waits for the accrual is booked first (so nothing counts twice).
            accrue(store).await?;
            let done = store.recompute_commission(&actor, from, dry_run).await?;
            let mut out = String::new();
            for r in &done {
                let a = &r.adjustment;
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    r.vs,
                    a.adviser,
                    a.rule,
                    a.booked.to_decimal_string(),
                    a.due.to_decimal_string(),
                    a.amount.to_decimal_string()
                );
            }
            out += &format!(
                "{} {} adjustments\n",
                if dry_run { "would book" } else { "booked" },
                done.len()
            );
            Ok(out)
        }
        CommissionCommand::Statement(args) => {
            super::statement_cli::statement(store, config, args).await
        }
        CommissionCommand::Report(args) => super::statement_cli::report(store, args).await,
        CommissionCommand::Payout(command) => {
            super::payout_cli::run(store, config, command, staff).await
        }
        CommissionCommand::Rule(args) => {
            let (actor, role) = staff(&args.by).await?;
            rule(store, &actor, role, args).await
        }
        CommissionCommand::Rules { history } => rules(store, history).await,
        CommissionCommand::Accrue => accrue(store).await,
        CommissionCommand::Ledger { adviser, lang } => {
            let lang =
                Lang::from_code(&lang).with_context(|| format!("--lang {lang:?}: cs or en"))?;
            ledger(store, adviser_by_code(store, &adviser).await?.id, lang).await
        }
        CommissionCommand::Level {
            adviser,
            level,
            from,
            lead,
            by,
        } => {
            let (actor, role) = staff(&by).await?;
            let set = super::rule_edit::set_level(
                store,
                &actor,
                role,
                &adviser,
                &level,
                lead.as_deref().unwrap_or(""),
                &from,
            )
            .await
            .map_err(|e| anyhow::anyhow!("the level was not set: {}", e.text(Lang::En)))?;
            Ok(format!(
                "{}\t{}\t{}\n",
                set.adviser,
                set.level.code(),
                set.valid_from
            ))
        }
        CommissionCommand::Add {
            adviser,
            kind,
            amount,
            note,
            by,
        } => {
            let (actor, _) = staff(&by).await?;
            add(store, &actor, &adviser, kind, &amount, note).await
        }
    }
}

/// Adds a line by hand; its id.
async fn add(
    store: &dyn Store,
    actor: &Actor,
    adviser: &str,
    kind: String,
    amount: &str,
    note: String,
) -> anyhow::Result<String> {
    use fieldcase_shared::docs::commission::{CommissionEntryRecord, CommissionKind};
    if CommissionKind::parse(&kind).is_none() {
        bail!(
            "unknown ledger line kind {kind:?} (one of {})",
            CommissionKind::codes()
        );
    }
    let amount = fieldcase_shared::Money::parse(amount)
        .map_err(|e| anyhow::anyhow!("--amount {amount:?}: {e}"))?;
    let adviser = adviser_by_code(store, adviser).await?;
    let id = Uuid::now_v7();
    let entry = CommissionEntryRecord {
        kind,
        amount: amount.haler(),
        at: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)?,
        note,
        ..Default::default()
    };
    store
        .add_commission_entry(actor, adviser.id, id, &entry)
        .await?;
    Ok(format!("{id}\n"))
}

/// Books what the queued orders earn or lose.
async fn accrue(store: &dyn Store) -> anyhow::Result<String> {
    let actor = Actor::system("cli");
    let (mut orders, mut lines) = (0, 0);
    loop {
        let run = store.accrue_queued(&actor, ACCRUAL_BATCH).await?;
        orders += run.orders;
        lines += run.lines;
        if run.orders < ACCRUAL_BATCH {
            break;
        }
    }
    Ok(format!("{orders} orders looked at, {lines} lines booked\n"))
}

/// An adviser's ledger, one line per entry.
async fn ledger(store: &dyn Store, adviser: AdviserId, lang: Lang) -> anyhow::Result<String> {
    let mut out = String::new();
    for (_, e) in store.commission_entries(adviser).await? {
        out += &format!(
            "{}\t{}\t{}\t{}\t{}\n",
            e.at.get(..10).unwrap_or(&e.at),
            e.kind,
            fieldcase_shared::Money::from_haler(e.amount).to_decimal_string(),
            e.order,
            if lang == Lang::Cs { e.why_cs } else { e.why_en },
        );
    }
    Ok(out)
}

/// `commission` subcommands.
#[derive(Debug, Subcommand)]
pub enum CommissionCommand {
    /// Add a line to an adviser's commission ledger (SQL, audited). Phones get it
    /// when they next connect.
    Add {
        /// The adviser's number, e.g. P0001.
        #[arg(long)]
        adviser: String,
        /// accrual, reversal, payout or adjustment.
        #[arg(long)]
        kind: String,
        /// Signed amount in CZK, e.g. 1500 or -1000,50.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Explanation shown on the phone.
        #[arg(long, default_value = "")]
        note: String,
        /// E-mail of the staff user adding it (recorded in the audit log).
        #[arg(long)]
        by: String,
    },
    /// Add a commission rule, or with --id the next version of one; prints its id
    /// and version. Overlapping validity, a rate outside 0–100 % or an end before
    /// the start is refused.
    Rule(RuleArgs),
    /// The commission rules (current versions; --history: every version).
    Rules {
        #[arg(long)]
        history: bool,
    },
    /// Book what the orders whose status or payment changed earn or lose (the
    /// running hub does it by itself); prints the orders looked at and the lines
    /// booked. Phones get the lines when they next connect.
    Accrue,
    /// An adviser's ledger, oldest first: date, kind, amount (CZK), order, why.
    Ledger {
        /// The adviser's number, e.g. P0001.
        #[arg(long)]
        adviser: String,
        /// cs or en.
        #[arg(long, default_value = "cs")]
        lang: String,
    },
    /// Recompute what the rules give the orders taken from --from on against
    /// what was booked, and book only the differences as adjustment lines with the
    /// reason (--dry-run: show them, book nothing). Prints one line per
    /// adjustment: VS, adviser, rule, booked, due, difference.
    Recompute {
        /// YYYY-MM-DD.
        #[arg(long)]
        from: String,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        by: String,
    },
    /// An adviser's monthly statement: the sums (month, opening, accruals,
    /// reversals, payouts, adjustments, closing; CZK) and every line, or the PDF
    /// (--pdf FILE); --year: the twelve months' sums.
    Statement(super::statement_cli::StatementArgs),
    /// Commission against turnover per month, by adviser, store or month.
    Report(super::statement_cli::ReportArgs),
    /// Payouts: list, approve, reject, account, batch, paid.
    #[command(subcommand)]
    Payout(super::payout_cli::PayoutCommand),
    /// Set an adviser's level (junior, senior, lead) and team lead from a day on.
    Level {
        /// The adviser's number, e.g. P0001.
        #[arg(long)]
        adviser: String,
        #[arg(long)]
        level: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// The team lead's number.
        #[arg(long)]
        lead: Option<String>,
        #[arg(long)]
        by: String,
    },
}

/// A rule to add, or the next version of one.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule to version (none: a new rule).
    #[arg(long)]
    pub id: Option<Uuid>,
    /// Percent of the lines' price without VAT, e.g. 8 or 7,5.
    #[arg(long)]
    pub rate: String,
    /// First day it applies (YYYY-MM-DD; orders taken that day on).
    #[arg(long)]
    pub from: String,
    /// First day it no longer applies.
    #[arg(long)]
    pub to: Option<String>,
    /// Product kind: frame, lens, coating, contact_lens, accessory, service (none: all).
    #[arg(long)]
    pub group: Option<String>,
    /// junior, senior or lead (none: all).
    #[arg(long)]
    pub level: Option<String>,
    /// A campaign's name: the rule adds to the ordinary one.
    #[arg(long)]
    pub campaign: Option<String>,
    /// The campaign's one product.
    #[arg(long, requires = "campaign")]
    pub sku: Option<String>,
    /// The campaign's bonus per piece (CZK).
    #[arg(long, requires = "campaign")]
    pub bonus: Option<String>,
    /// The staff user (e-mail; accounting or admin).
    #[arg(long)]
    pub by: String,
}

fn day(flag: &str, text: &str) -> anyhow::Result<Date> {
    fieldcase_shared::calendar::parse_day(text)
        .with_context(|| format!("--{flag} {text:?} is not YYYY-MM-DD"))
}

/// Writes the rule; its id and version.
pub async fn rule(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    args: RuleArgs,
) -> anyhow::Result<String> {
    let input = RuleInput {
        id: args.id,
        rate: args.rate,
        valid_from: args.from,
        valid_to: args.to.unwrap_or_default(),
        group: args.group.unwrap_or_default(),
        level: args.level.unwrap_or_default(),
        campaign: args.campaign.unwrap_or_default(),
        sku: args.sku.unwrap_or_default(),
        bonus: args.bonus.unwrap_or_default(),
    };
    let (id, version) = put(store, actor, role, &input)
        .await
        .map_err(|e| anyhow::anyhow!("the rule was not written: {}", e.text(Lang::En)))?;
    Ok(format!("{id}\tv{version}\n"))
}

/// The rules, one per line: id, version, group, level, rate (bp), from, to,
/// campaign, SKU, bonus.
pub async fn rules(store: &dyn Store, history: bool) -> anyhow::Result<String> {
    let mut out = String::new();
    for s in store.commission_rules(history).await? {
        let r = s.rule;
        let c = r.campaign.as_ref();
        out += &format!(
            "{}\tv{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            r.id,
            r.version,
            r.group.as_deref().unwrap_or("*"),
            r.level.map_or("*", Level::code),
            r.rate_bp,
            r.valid_from,
            r.valid_to.map(|d| d.to_string()).unwrap_or_default(),
            c.map(|c| c.name.as_str()).unwrap_or(""),
            c.and_then(|c| c.sku.as_deref()).unwrap_or(""),
            c.map(|c| c.bonus.to_decimal_string()).unwrap_or_default(),
        );
    }
    Ok(out)
}
