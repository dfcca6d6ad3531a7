//! `fieldcase commission payout …`: payouts from the command line, by the rules
//! of the Payouts page (accounting and administrators; never one's own request;
//! four eyes over `payout_four_eyes_czk`). Phones learn of rejections and
//! payouts when they next connect.

use anyhow::{Context, bail};
use clap::Subcommand;
use fieldcase_shared::{Lang, Money, Role};
use uuid::Uuid;

use super::payout::{AccountInput, PAYOUT_APPROVERS, account_of_iban, check_account_input};
use super::store::payouts::PayoutError;
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
        /// Self-employed: gets a self-billing invoice per payout (needs --ico and
        /// the address).
        #[arg(long)]
        self_employed: bool,
        #[arg(long, default_value = "")]
        ico: String,
        /// CZ and digits (a VAT payer's).
        #[arg(long, default_value = "")]
        dic: String,
        #[arg(long, default_value = "")]
        street: String,
        #[arg(long, default_value = "")]
        city: String,
        #[arg(long, default_value = "")]
        postal_code: String,
        /// A VAT payer (needs --dic): 21 % VAT in the payout.
        #[arg(long)]
        vat_payer: bool,
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
    /// Mark a batch paid (payout lines for the payments the bank did not refuse;
    /// a self-billing invoice for each self-employed adviser's payment).
    Paid {
        #[arg(long)]
        batch: Uuid,
        #[arg(long)]
        by: String,
    },
    /// The self-billing invoices (number, adviser, batch, total CZK, VAT rate in
    /// basis points, id), newest first; --out DIR writes each one's PDF there.
    Invoices {
        /// One adviser's (their number).
        #[arg(long)]
        adviser: Option<String>,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
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
            self_employed,
            ico,
            dic,
            street,
            city,
            postal_code,
            vat_payer,
            by,
        } => {
            let actor = acting(&by).await?;
            let adviser = adviser_by_code(store, &adviser).await?.id;
            let input = AccountInput {
                account,
                bank_code: bank,
                self_employed,
                ico,
                dic,
                street,
                city,
                postal_code,
                vat_payer,
            };
            let a = check_account_input(adviser, &input).map_err(|fields| {
                anyhow::anyhow!(
                    "not a valid account: {}",
                    fields
                        .iter()
                        .map(|f| format!("{} ({})", f.field, f.message(Lang::En)))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            store.set_payout_account(&actor, &a).await?;
            Ok(format!("{adviser}\t{}/{}\n", a.account, a.bank_code))
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
        PayoutCommand::Invoices { adviser, out } => {
            let adviser = match adviser {
                Some(code) => Some(adviser_by_code(store, &code).await?.id),
                None => None,
            };
            let mut text = String::new();
            for s in store.self_billing_invoices(adviser).await? {
                if let Some(dir) = &out {
                    let file = dir.join(format!("{}.pdf", s.number));
                    std::fs::write(&file, super::self_billing::pdf(&s, Lang::Cs)?)
                        .with_context(|| format!("writing {}", file.display()))?;
                }
                text += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    s.number,
                    s.adviser_code,
                    s.batch_number,
                    s.total.to_decimal_string(),
                    s.vat_bp,
                    s.id
                );
            }
            Ok(text)
        }
        PayoutCommand::Paid { batch, by } => {
            let actor = acting(&by).await?;
            let advisers = store
                .mark_batch_paid(&actor, batch, &super::payouts::company(config))
                .await
                .map_err(refused)?;
            Ok(format!("{batch}\tpaid to {} advisers\n", advisers.len()))
        }
    }
}
