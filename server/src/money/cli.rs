//! `fieldcase money accounts | account-add | fetch | receivables | settle |
//! movements` (and `shifts | z-report`, `till/cli.rs`): the bank from the
//! command line through the same path as the Bank page. A token is read from a
//! file or standard input, never from the command line (where `ps` shows it). A
//! download here books and matches; the running hub's poller publishes the paid
//! amounts to the phones.

use std::io::Read;

use anyhow::{Context, bail};
use clap::Subcommand;
use fieldcase_shared::Lang;

use crate::money::bank::{self, Bank, Rewind};
use crate::money::invoicing::{Issue, issue};
use crate::money::matching::Decision;
use crate::money::settle::{OrderRef, Request};
use crate::money::store::MovementFilter;
use crate::money::store::invoices::InvoiceFilter;
use crate::store::{Actor, Store};

/// `money` subcommands.
#[derive(Debug, Subcommand)]
pub enum MoneyCommand {
    /// The bank accounts with the poller's state: id, name, IBAN, on/off, last run,
    /// result, error.
    Accounts,
    /// Add a FIO account; prints its id. The read-only token comes from --token-file
    /// (`-`: standard input).
    AccountAdd {
        #[arg(long)]
        name: String,
        #[arg(long)]
        iban: String,
        /// The file holding the token, or `-` for standard input.
        #[arg(long)]
        token_file: String,
        /// The staff user it is recorded for (e-mail; accounting or admin).
        #[arg(long)]
        by: String,
    },
    /// Download an account from FIO now and book what is new; prints the counts.
    Fetch {
        /// The account (its id or IBAN); every active one when left out.
        #[arg(long)]
        account: Option<String>,
        /// Re-read everything after this FIO movement id.
        #[arg(long, conflicts_with = "from_date")]
        after_id: Option<i64>,
        /// Re-read from this day (YYYY-MM-DD).
        #[arg(long)]
        from_date: Option<String>,
        /// The staff user it is recorded for (e-mail; accounting or admin).
        #[arg(long)]
        by: String,
    },
    /// The open money by age (0–14, 15–30, 31–60, 60+ days), then each payment to
    /// settle: movement id, FIO id, day, open amount, VS, payer, why.
    Receivables,
    /// Settle a payment's open money by hand, all steps or none: parts to orders
    /// (`--to VS=AMOUNT`, repeatable), then the rest written off or sent back.
    Settle {
        /// The movement (its id, as `receivables` prints it).
        #[arg(long)]
        movement: String,
        /// An order's variable symbol and the amount (CZK) to give it.
        #[arg(long = "to")]
        to: Vec<String>,
        /// Write off this amount (CZK) with --reason.
        #[arg(long)]
        write_off: Option<String>,
        /// Send this amount (CZK) back to the payer with --reason.
        #[arg(long = "return")]
        send_back: Option<String>,
        #[arg(long, default_value = "")]
        reason: String,
        /// The staff user it is recorded for (e-mail; accounting or admin).
        #[arg(long)]
        by: String,
    },
    /// Issue an order's final invoice (or, with --deposit, a document for a deposit
    /// received); prints its number.
    Invoice {
        /// The order's variable symbol.
        #[arg(long)]
        order: String,
        /// A deposit received (CZK) instead of the final invoice.
        #[arg(long)]
        deposit: Option<String>,
        #[arg(long)]
        by: String,
    },
    /// Issue a credit note taking AMOUNT (CZK) back from document NUMBER.
    CreditNote {
        #[arg(long)]
        invoice: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        by: String,
    },
    /// Tax documents of a year, newest first: number, kind, issued, customer, VS,
    /// total, to pay.
    Invoices {
        #[arg(long)]
        year: Option<i32>,
    },
    /// Write document NUMBER as PDF to FILE.
    InvoicePdf {
        number: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Booked movements, newest first: FIO id, day, amount, VS, decision, why.
    Movements {
        /// Only one decision: matched, partial, over, receivable, ignored.
        #[arg(long)]
        decision: Option<String>,
        /// Only those with money not yet allocated.
        #[arg(long)]
        open: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// The tills' shifts, newest first: id, shop, opened, closed, float, expected,
    /// counted, difference.
    Shifts {
        /// Only this shop's (its code).
        #[arg(long)]
        shop: Option<String>,
        /// Only those opened on this day (YYYY-MM-DD, Prague).
        #[arg(long)]
        date: Option<String>,
    },
    /// Write shift SHIFT's Z report (80-mm PDF) to FILE.
    ZReport {
        shift: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

/// Runs a `money` command; returns what to print.
pub async fn run(
    store: &dyn Store,
    bank: &Bank,
    config: &crate::config::Config,
    command: MoneyCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<(Actor, fieldcase_shared::Role)>,
) -> anyhow::Result<String> {
    let mut out = String::new();
    match command {
        MoneyCommand::Shifts { shop, date } => {
            out +=
                &crate::money::till::cli::shifts(store, shop.as_deref(), date.as_deref()).await?;
        }
        MoneyCommand::ZReport { shift, out: file } => {
            out += &crate::money::till::cli::z_report(store, config, &shift, &file).await?;
        }
        MoneyCommand::Accounts => {
            for a in store.bank_accounts().await? {
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    a.id,
                    a.name,
                    a.iban,
                    if a.active { "on" } else { "off" },
                    a.last_run_at
                        .map(crate::store::sql::rfc3339)
                        .unwrap_or_default(),
                    a.last_result,
                    a.last_error
                );
            }
        }
        MoneyCommand::AccountAdd {
            name,
            iban,
            token_file,
            by,
        } => {
            let (actor, role) = staff(&by).await?;
            let mut token = String::new();
            if token_file == "-" {
                std::io::stdin()
                    .read_to_string(&mut token)
                    .context("reading the token from standard input")?;
            } else {
                token = std::fs::read_to_string(&token_file)
                    .with_context(|| format!("reading the token from {token_file}"))?;
            }
            let id = bank::add_account(store, bank, &actor, role, &name, &iban, &token)
                .await
                .map_err(|e| refusal(&e))?;
            out += &format!("{id}\n");
        }
        MoneyCommand::Fetch {
            account,
            after_id,
            from_date,
            by,
        } => {
            let (actor, role) = staff(&by).await?;
            if !crate::money::BANKERS.contains(&role) {
                bail!("{}", bank::BankError::Forbidden.text(Lang::En));
            }
            let from = match (after_id, from_date) {
                (Some(id), _) => Rewind::AfterId(id),
                (None, Some(day)) => Rewind::FromDate(
                    fieldcase_shared::calendar::parse_day(&day)
                        .with_context(|| format!("--from-date {day:?} is not YYYY-MM-DD"))?,
                ),
                (None, None) => Rewind::Bookmark,
            };
            let accounts = store.bank_accounts().await?;
            let chosen: Vec<_> = match account.as_deref() {
                Some(which) => {
                    let compact = which.replace(' ', "").to_uppercase();
                    let found = accounts
                        .into_iter()
                        .find(|a| a.id.to_string() == which.trim() || a.iban == compact)
                        .with_context(|| format!("no bank account {which:?}"))?;
                    vec![found]
                }
                None => accounts.into_iter().filter(|a| a.active).collect(),
            };
            for a in chosen {
                let done = bank::book(store, bank, &actor, a.id, from)
                    .await
                    .map_err(|e| refusal(&e))?;
                out += &format!(
                    "{}: {} new ({} matched, {} partial, {} over, {} receivable, {} ignored), {} already booked\n",
                    a.name,
                    done.new,
                    done.matched,
                    done.partial,
                    done.over,
                    done.receivable,
                    done.ignored,
                    done.seen
                );
            }
        }
        MoneyCommand::Invoice { order, deposit, by } => {
            let (actor, role) = staff(&by).await?;
            let found = store.orders_by_vs(&order).await?;
            let [o] = found.as_slice() else {
                bail!(
                    "--order {order:?}: {} orders have this variable symbol",
                    found.len()
                );
            };
            let what = match deposit {
                Some(a) => Issue::Deposit {
                    order: o.id,
                    amount: fieldcase_shared::Money::parse(&a)
                        .map_err(|e| anyhow::anyhow!("--deposit {a:?}: {e}"))?,
                },
                None => Issue::Final { order: o.id },
            };
            let doc = issue(store, config, &actor, role, &what)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.text(Lang::En)))?;
            out += &format!("{}\n", doc.number);
        }
        MoneyCommand::CreditNote {
            invoice,
            amount,
            reason,
            by,
        } => {
            let (actor, role) = staff(&by).await?;
            let doc = by_number(store, &invoice).await?;
            let amount = fieldcase_shared::Money::parse(&amount)
                .map_err(|e| anyhow::anyhow!("--amount {amount:?}: {e}"))?;
            let what = Issue::Credit {
                invoice: doc.id,
                amount,
                reason,
            };
            let note = issue(store, config, &actor, role, &what)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.text(Lang::En)))?;
            out += &format!("{}\n", note.number);
        }
        MoneyCommand::Invoices { year } => {
            let filter = InvoiceFilter {
                year,
                limit: 1000,
                ..InvoiceFilter::default()
            };
            for d in store.invoices(&filter).await? {
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    d.number,
                    d.kind.code(),
                    d.issued_on,
                    d.customer.name,
                    d.variable_symbol,
                    d.total.to_decimal_string(),
                    d.to_pay().to_decimal_string()
                );
            }
        }
        MoneyCommand::InvoicePdf { number, out: file } => {
            let doc = by_number(store, &number).await?;
            let full = store
                .invoice(doc.id)
                .await?
                .with_context(|| format!("no document {number}"))?;
            let corrected = match full.corrects {
                Some(c) => store.invoice(c).await?.map(|i| i.number),
                None => None,
            };
            let bytes = crate::money::invoice_pdf::render(&full, corrected.as_deref(), Lang::Cs)?;
            std::fs::write(&file, bytes).with_context(|| format!("writing {}", file.display()))?;
            out += &format!("{}\n", file.display());
        }
        MoneyCommand::Receivables => {
            let today = time::OffsetDateTime::now_utc().date();
            let ageing = store.ageing(today).await?;
            out += &format!(
                "0-14\t{}\n15-30\t{}\n31-60\t{}\n60+\t{}\n",
                ageing[0].to_decimal_string(),
                ageing[1].to_decimal_string(),
                ageing[2].to_decimal_string(),
                ageing[3].to_decimal_string()
            );
            let filter = MovementFilter {
                open_only: true,
                limit: 1000,
                ..MovementFilter::default()
            };
            for m in store.bank_movements(&filter).await? {
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    m.id,
                    m.fio_id,
                    m.booked_on.map(|d| d.to_string()).unwrap_or_default(),
                    m.open.to_decimal_string(),
                    m.vs,
                    m.counter_name,
                    m.explain(Lang::En)
                );
            }
        }
        MoneyCommand::Settle {
            movement,
            to,
            write_off,
            send_back,
            reason,
            by,
        } => {
            let (actor, role) = staff(&by).await?;
            let id: uuid::Uuid = movement
                .trim()
                .parse()
                .with_context(|| format!("--movement {movement:?} is not a movement id"))?;
            let czk = |flag: &str, text: &str| {
                fieldcase_shared::Money::parse(text)
                    .map_err(|e| anyhow::anyhow!("{flag} {text:?}: {e}"))
            };
            let mut requests = Vec::new();
            for part in &to {
                let (vs, amount) = part
                    .split_once('=')
                    .with_context(|| format!("--to {part:?}: expected VS=AMOUNT"))?;
                requests.push(Request::Allocate {
                    order: OrderRef::Vs(vs.trim().to_owned()),
                    amount: czk("--to", amount)?,
                });
            }
            if let Some(a) = write_off {
                requests.push(Request::WriteOff {
                    amount: czk("--write-off", &a)?,
                    reason: reason.clone(),
                });
            }
            if let Some(a) = send_back {
                requests.push(Request::Return {
                    amount: czk("--return", &a)?,
                    reason: reason.clone(),
                });
            }
            let orders = crate::money::settle::book(store, &actor, role, id, &requests)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.text(Lang::En)))?;
            out += &format!("settled; {} orders paid more\n", orders.len());
        }
        MoneyCommand::Movements {
            decision,
            open,
            limit,
        } => {
            let decision = match decision.as_deref() {
                None => None,
                Some(code) => Some(Decision::from_code(code).with_context(|| {
                    format!("--decision {code:?}: expected matched, partial, over, receivable or ignored")
                })?),
            };
            let filter = MovementFilter {
                decision,
                open_only: open,
                account: None,
                limit: limit.clamp(1, 1000),
            };
            for m in store.bank_movements(&filter).await? {
                out += &format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    m.fio_id,
                    m.booked_on.map(|d| d.to_string()).unwrap_or_default(),
                    m.amount.to_decimal_string(),
                    m.vs,
                    m.decision.code(),
                    m.explain(Lang::En)
                );
            }
        }
    }
    Ok(out)
}

/// The document numbered `number`.
async fn by_number(
    store: &dyn Store,
    number: &str,
) -> anyhow::Result<crate::money::store::invoices::Invoice> {
    let filter = InvoiceFilter {
        number: Some(number.to_owned()),
        ..InvoiceFilter::default()
    };
    store
        .invoices(&filter)
        .await?
        .into_iter()
        .next()
        .with_context(|| format!("no document {number}"))
}

fn refusal(e: &bank::BankError) -> anyhow::Error {
    match e {
        bank::BankError::Invalid(problems) => anyhow::anyhow!(
            "{}",
            problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.message(Lang::En)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        e => anyhow::anyhow!("{}", e.text(Lang::En)),
    }
}
