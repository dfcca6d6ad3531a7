//! `fieldcase customer find | add | import | scan | segments | export | fields |
//! field-add | field-withdraw`: the customer
//! search, the office's own customers (one or a file of them), the duplicate scan and
//! the segments' exports from the command line, through the same search and one path as the
//! office's pages. A customer for an adviser is given in the office or over the API
//! (their workspace is written by the running hub).

use anyhow::Context;
use clap::Subcommand;
use fieldcase_shared::Lang;
use fieldcase_shared::docs::records::ClientRecord;

use crate::customers::edit::{self, EditError};
use crate::customers::segment::{Channel, Format, Named};
use crate::customers::store::CustomerFilter;
use crate::store::{Actor, Store};

/// `customer` subcommands.
#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Find customers as the office's search does (name without diacritics, phone
    /// however written, e-mail, street, town, postal code); prints one per line:
    /// id, name, phone, e-mail, town, adviser.
    Find {
        /// What to search for.
        query: String,
        /// At most this many (1–500).
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Add the office's own customer (no adviser); prints the new id. Refused when
    /// other customers may be the same person, unless --allow-duplicates.
    Add {
        #[arg(long)]
        last_name: String,
        #[arg(long, default_value = "")]
        first_name: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        street: String,
        #[arg(long, default_value = "")]
        city: String,
        #[arg(long, default_value = "")]
        postal_code: String,
        /// The staff user it is recorded for (e-mail).
        #[arg(long)]
        by: String,
        /// Save even if other customers may be the same person.
        #[arg(long)]
        allow_duplicates: bool,
    },
    /// Import the office's own customers from a CSV (UTF-8 or Windows-1250) or XLSX
    /// file whose header names the columns (Czech or English; the surname is
    /// required): valid rows are saved all together, each refused row is reported
    /// with its line; possible duplicates go to the review queue.
    Import {
        /// The file.
        file: std::path::PathBuf,
        /// The staff user it is recorded for (e-mail).
        #[arg(long)]
        by: String,
    },
    /// Scan the whole base for customers who may be one person (the Duplicates
    /// page's scan, in the foreground); found pairs go to the review queue. Prints
    /// how many pairs were found.
    Scan,
    /// List the saved segments with how many customers each takes now: id, count,
    /// name, criteria (the Segments page's list).
    Segments,
    /// Export a saved segment's e-mails (or phones) of the customers who consent to
    /// that channel now, as the Segments page's download does; audited.
    Export {
        /// The segment's name or id.
        segment: String,
        /// `email` or `sms`.
        #[arg(long, default_value = "email")]
        channel: String,
        /// `csv` or `xlsx`.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file written.
        #[arg(long)]
        out: std::path::PathBuf,
        /// The staff user it is recorded for (e-mail).
        #[arg(long)]
        by: String,
    },
    /// List the open reminders (tab-separated: planned for, due, rule, customer,
    /// adviser, task); with --run, first make what the rules make due today (the
    /// hub writes them into the advisers' workspaces at its next hourly run).
    Reminders {
        /// Make the due reminders first.
        #[arg(long)]
        run: bool,
    },
    /// List the custom fields of customers and orders (tab-separated: id, entity,
    /// key, kind, label, choices, required, withdrawn).
    Fields,
    /// Add a custom field (administrators; the Custom fields page's form); prints
    /// its id. Phones get it when they next connect to the hub.
    FieldAdd {
        /// `customer` or `order`.
        #[arg(long)]
        entity: String,
        /// The Czech label.
        #[arg(long)]
        label: String,
        #[arg(long, default_value = "")]
        label_en: String,
        /// Empty: made from the label.
        #[arg(long, default_value = "")]
        key: String,
        /// `text`, `number`, `date` or `choice`.
        #[arg(long)]
        kind: String,
        /// A choice field's choices, comma-separated.
        #[arg(long, default_value = "")]
        choices: String,
        #[arg(long)]
        required: bool,
        /// The administrator it is recorded for (e-mail).
        #[arg(long)]
        by: String,
    },
    /// Withdraw a custom field (its values stay with the records).
    FieldWithdraw {
        /// The field's id.
        id: uuid::Uuid,
        /// The administrator it is recorded for (e-mail).
        #[arg(long)]
        by: String,
    },
}

/// The administrator `by` names, for the custom fields' commands.
async fn field_admin(store: &dyn Store, by: &str) -> anyhow::Result<Actor> {
    let (user, _) = store
        .find_login(by)
        .await?
        .with_context(|| format!("--by: no staff user with e-mail {by:?}"))?;
    if !crate::customers::fields::FIELD_ADMINS.contains(&user.role) {
        anyhow::bail!("--by: only an administrator defines custom fields");
    }
    Ok(Actor::user(&user))
}

/// Runs one `customer` subcommand; returns what it prints.
pub async fn run(store: &dyn Store, command: CustomerCommand) -> anyhow::Result<String> {
    match command {
        CustomerCommand::Fields => {
            let mut out = String::new();
            for f in store.custom_fields().await? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    f.id,
                    f.entity.code(),
                    f.key,
                    f.kind.code(),
                    f.label_cs,
                    f.choices.join(", "),
                    if f.required { "required" } else { "" },
                    if f.withdrawn_at.is_some() {
                        "withdrawn"
                    } else {
                        ""
                    },
                ));
            }
            Ok(out)
        }
        CustomerCommand::FieldAdd {
            entity,
            label,
            label_en,
            key,
            kind,
            choices,
            required,
            by,
        } => {
            let actor = field_admin(store, &by).await?;
            let def = crate::customers::fields::Definition {
                entity,
                label_cs: label,
                label_en,
                key,
                kind,
                choices: choices.split(',').map(str::to_owned).collect(),
                required,
            };
            let new = crate::customers::fields::check(&def).map_err(|problems| {
                anyhow::anyhow!(
                    "{}",
                    problems
                        .iter()
                        .map(|p| format!("{}: {}", p.field, p.message(Lang::En)))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })?;
            let id = store
                .add_custom_field(&actor, &new)
                .await
                .map_err(|e| match e {
                    crate::store::StoreError::Duplicate { .. } => {
                        anyhow::anyhow!("--key: {} is in use for {}", new.key, new.entity.code())
                    }
                    e => e.into(),
                })?;
            Ok(format!("{id}\n"))
        }
        CustomerCommand::FieldWithdraw { id, by } => {
            let actor = field_admin(store, &by).await?;
            store.withdraw_custom_field(&actor, id).await?;
            Ok(format!("withdrawn {id}\n"))
        }
        CustomerCommand::Find { query, limit } => {
            let filter = CustomerFilter {
                text: query,
                limit: limit.clamp(1, 500),
                ..CustomerFilter::default()
            };
            let mut out = String::new();
            for c in store.list_customers(&filter).await? {
                out.push_str(&format!(
                    "{}\t{} {}\t{}\t{}\t{}\t{}\n",
                    c.id, c.first_name, c.last_name, c.phone, c.email, c.city, c.adviser_name
                ));
            }
            Ok(out)
        }
        CustomerCommand::Import { file, by } => {
            let (user, _) = store
                .find_login(&by)
                .await?
                .with_context(|| format!("--by: no staff user with e-mail {by:?}"))?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let name = file.to_string_lossy();
            let report = crate::customers::import::import(
                store,
                &Actor::user(&user),
                &name,
                &bytes,
                Lang::En,
            )
            .await?;
            let mut out = format!(
                "imported {} of {} rows; {} refused; {} possible duplicates queued\n",
                report.imported.len(),
                report.rows,
                report.refused.len(),
                report.duplicates
            );
            for r in &report.refused {
                out.push_str(&format!("line {}: {}\n", r.line, r.problems.join("; ")));
            }
            Ok(out)
        }
        CustomerCommand::Segments => {
            let mut out = String::new();
            for seg in store.segments().await? {
                let n = store.count_segment(&seg.criteria).await?;
                let names = |n: Named| match n {
                    Named::Adviser(a) => a.to_string(),
                    Named::Shop(s) => s.to_string(),
                };
                out.push_str(&format!(
                    "{}\t{n}\t{}\t{}\n",
                    seg.id,
                    seg.name,
                    seg.criteria.describe(Lang::En, &names)
                ));
            }
            Ok(out)
        }
        CustomerCommand::Export {
            segment,
            channel,
            format,
            out,
            by,
        } => {
            let channel = Channel::parse(&channel).context("--channel: email or sms")?;
            let format = Format::parse(&format).context("--format: csv or xlsx")?;
            let (user, _) = store
                .find_login(&by)
                .await?
                .with_context(|| format!("--by: no staff user with e-mail {by:?}"))?;
            if !crate::customers::MARKETERS.contains(&user.role) {
                anyhow::bail!(
                    "--by: the role {} may not export segments",
                    user.role.code()
                );
            }
            let all = store.segments().await?;
            let seg = all
                .into_iter()
                .find(|s| s.name == segment || s.id.to_string() == segment)
                .with_context(|| format!("no segment named {segment:?}"))?;
            let rows = store
                .segment_contacts(&Actor::user(&user), &seg, channel)
                .await?;
            let fields = crate::customers::fields::active(
                store,
                fieldcase_shared::custom_field::Entity::Customer,
            )
            .await?;
            let bytes = crate::customers::segment::write(channel, format, &rows, &fields)?;
            std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
            Ok(format!(
                "{} contacts written to {}\n",
                rows.len(),
                out.display()
            ))
        }
        CustomerCommand::Reminders { run } => {
            let mut out = String::new();
            if run {
                let today = time::OffsetDateTime::now_utc().date();
                let done = crate::customers::reminders::run(store, None, today).await?;
                out.push_str(&format!("made {} reminders\n", done.made));
            }
            let open = store
                .list_reminders(
                    crate::customers::store::reminders::ReminderState::Open,
                    10_000,
                )
                .await?;
            for r in open {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    r.planned_for,
                    r.due_on,
                    r.rule.code(),
                    r.client_name,
                    r.adviser_code,
                    r.title
                ));
            }
            Ok(out)
        }
        CustomerCommand::Scan => {
            let id = store
                .start_scan("system:cli")
                .await
                .context("a duplicate scan is running (the Duplicates page shows it)")?;
            let found = crate::customers::scan::run(store, id).await?;
            Ok(format!("{found} pairs found\n"))
        }
        CustomerCommand::Add {
            last_name,
            first_name,
            phone,
            email,
            street,
            city,
            postal_code,
            by,
            allow_duplicates,
        } => {
            let (user, _) = store
                .find_login(&by)
                .await?
                .with_context(|| format!("--by: no staff user with e-mail {by:?}"))?;
            let record = ClientRecord {
                first_name,
                last_name,
                phone,
                email,
                street,
                city,
                postal_code,
                ..ClientRecord::default()
            };
            let actor = Actor::user(&user);
            match edit::create_own(store, &actor, record, allow_duplicates).await {
                Ok(id) => Ok(format!("{id}\n")),
                Err(EditError::Invalid(errors)) => Err(anyhow::anyhow!(
                    "{}",
                    errors
                        .iter()
                        .map(|e| format!(
                            "--{}: {}",
                            e.field.replace('_', "-"),
                            e.message(Lang::En)
                        ))
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                Err(EditError::Duplicates(found)) => Err(anyhow::anyhow!(
                    "possibly already on file (add --allow-duplicates to save anyway):\n{}",
                    found
                        .iter()
                        .map(|d| format!(
                            "  {}\t{} {}\t{}\t{}",
                            d.customer.id,
                            d.customer.first_name,
                            d.customer.last_name,
                            d.customer.phone,
                            d.likeness
                                .matches
                                .iter()
                                .map(|m| m.label(Lang::En))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                        .collect::<Vec<_>>()
                        .join("\n")
                )),
                Err(e) => Err(e.into()),
            }
        }
    }
}
