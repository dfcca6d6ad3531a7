//! `fieldcase commission payout …`: payouts from the command line, by the rules
//! of the Payouts page (accounting and administrators; never one's own request;
//! four eyes over `payout_four_eyes_czk`). Phones learn of rejections and
//! payouts when they next connect.

use anyhow::{Context, bail};
use clap::Subcommand;
use fieldcase_shared::{Lang, Money, Role};
use uuid::Uuid;

use super::payout::{PAYOUT_APPROVERS, account_of_iban, check_account};
use super::store::payouts::{PayoutAccount, PayoutError};
use crate::field::adviser_by_code;
use crate::store::{Actor, Store};

/// `commission payout` subcommands.
#[derive(Debug, Subcommand)]
pub enum PayoutCommand {
    /// The requests (--open: only those waiting): id, adviser, amount, status,
    /// approvals/needed, batch.
    List {
        #[arg(long)]
        open: bool,
    },
    /// Approve a waiting request.
    Approve {
        #[arg(long)]
        request: Uuid,
        #[arg(long)]
        by: String,
    },
    /// Reject a waiting request with the reason.
    Reject {
        #[arg(long)]
        request: Uuid,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        by: String,
    },
    /// Set an adviser's payout account.
    Account {
        /// The adviser's number, e.g. P0001.
        #[arg(long)]
        adviser: String,
        /// `[prefix-]number`.
        #[arg(long)]
        account: String,
        #[arg(long)]
        bank: String,
        #[arg(long)]
        by: String,
    },
    /// Make a batch of the approved requests, paid from bank account `--from`
    /// (its id) on `--date`; writes its FIO file to `--out` and prints its number.
    Batch {
        #[arg(long)]
        from: Uuid,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long)]
        by: String,
    },
    /// Mark a batch paid (payout lines for the payments the bank did not refuse).
    Paid {
        #[arg(long)]
        batch: Uuid,
        #[arg(long)]
        by: String,
    },
}

fn refused(e: PayoutError) -> anyhow::Error {
    match e {
        PayoutError::Refused(r) => anyhow::anyhow!("{}", r.text(Lang::En)),
        PayoutError::Store(e) => e.into(),
    }
}

/// Runs a `commission payout` command; what to print.
pub async fn run(
    store: &dyn Store,
    config: &crate::config::Config,
    command: PayoutCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<(Actor, Role)>,
) -> anyhow::Result<String> {
    let limit = Money::from_czk(config.payout_four_eyes_czk);
    let acting = async |by: &str| -> anyhow::Result<Actor> {
        let (actor, role) = staff(by).await?;
        if !PAYOUT_APPROVERS.contains(&role) {
            bail!("only accounting and administrators handle payouts");
        }
        Ok(actor)
    };
    match command {
        PayoutCommand::List { open } => {
            let mut out = String::new();
            for r in store.payout_rows(open, limit).await? {
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}/{}\t{}\n",
                    r.id,
                    r.adviser_code,
                    r.amount.to_decimal_string(),
                    r.status,
                    r.approvers.len(),
                    r.needed,
                    r.batch.unwrap_or_default()
                );
            }
            Ok(out)
        }
        PayoutCommand::Approve { request, by } => {
            let actor = acting(&by).await?;
            let (have, need) = store
                .approve_payout(&actor, request, limit)
                .await
                .map_err(refused)?;
            Ok(format!("{request}\t{have}/{need}\n"))
        }
        PayoutCommand::Reject {
            request,
            reason,
            by,
        } => {
            let actor = acting(&by).await?;
            if reason.trim().is_empty() {
                bail!("--reason: say why");
            }
            store
                .reject_payout(&actor, request, reason.trim())
                .await
                .map_err(refused)?;
            Ok(format!("{request}\trejected\n"))
        }
        PayoutCommand::Account {
            adviser,
            account,
            bank,
            by,
        } => {
            let actor = acting(&by).await?;
            let adviser = adviser_by_code(store, &adviser).await?.id;
            let (account, bank_code) = check_account(&account, &bank).map_err(|fields| {
                anyhow::anyhow!(
                    "not a valid account: {}",
                    fields
                        .iter()
                        .map(|f| f.field.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            store
                .set_payout_account(
                    &actor,
                    &PayoutAccount {
                        adviser,
                        account: account.clone(),
                        bank_code: bank_code.clone(),
                        self_employed: false,
                        ico: String::new(),
                        dic: String::new(),
                    },
                )
                .await?;
            Ok(format!("{adviser}\t{account}/{bank_code}\n"))
        }
        PayoutCommand::Batch {
            from,
            date,
            out,
            by,
        } => {
            let actor = acting(&by).await?;
            let day = fieldcase_shared::calendar::parse_day(&date)
                .with_context(|| format!("--date {date:?} is not YYYY-MM-DD"))?;
            let iban = store
                .bank_accounts()
                .await?
                .into_iter()
                .find(|a| a.id == from)
                .map(|a| a.iban)
                .with_context(|| format!("no bank account {from}"))?;
            let (account, _) = account_of_iban(&iban).context("the account's IBAN is not Czech")?;
            let batch = store
                .create_payout_batch(&actor, &account, day, limit)
                .await
                .map_err(refused)?;
            let (_, file) = store
                .payout_batch_file(batch.id)
                .await?
                .context("the batch vanished")?;
            std::fs::write(&out, file).with_context(|| format!("writing {}", out.display()))?;
            Ok(format!(
                "{}\t{}\t{} payments\t{}\n",
                batch.id,
                batch.number,
                batch.items.len(),
                batch.total.to_decimal_string()
            ))
        }
        PayoutCommand::Paid { batch, by } => {
            let actor = acting(&by).await?;
            let advisers = store
                .mark_batch_paid(&actor, batch)
                .await
                .map_err(refused)?;
            Ok(format!("{batch}\tpaid to {} advisers\n", advisers.len()))
        }
    }
}
