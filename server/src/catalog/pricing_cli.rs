//! `fieldcase pricing …`: discount tiers, customers' price terms and products'
//! discount classes from the command line (the same rules as the office's forms:
//! `catalog/terms.rs`). Every change is audited; phones get it when they next
//! connect (the hub publishes it then).

use anyhow::Context;
use clap::Subcommand;
use fieldcase_shared::{ClientId, Lang};

use crate::catalog::terms::{self, classes_text, percent_text};
use crate::store::{Actor, Store};

/// `pricing` subcommands.
#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// List the discount tiers: code, name, classes (`frame=15, lens=10`).
    Tiers,
    /// Create or change a discount tier: a discount per discount class for the
    /// customers in it (a product's class is its own, or its kind: frame, lens,
    /// coating, contact_lens, accessory, service).
    Tier {
        /// Its code (letters and digits), e.g. B2B.
        #[arg(long)]
        code: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// `class=percent` pairs, e.g. "frame=15, lens=7,5".
        #[arg(long, default_value = "")]
        classes: String,
        /// The staff user it is recorded for (e-mail).
        #[arg(long)]
        by: String,
    },
    /// Set a customer's price terms: the least discount on every catalog line and
    /// their tier (neither: the terms are removed).
    Terms {
        /// The customer's id.
        #[arg(long)]
        customer: String,
        /// Percent, e.g. 5 or 7,5.
        #[arg(long, default_value = "")]
        min_discount: String,
        /// A tier's code.
        #[arg(long, default_value = "")]
        tier: String,
        /// The staff user it is recorded for (e-mail).
        #[arg(long)]
        by: String,
    },
    /// Give a product its own discount class (empty: the class of its kind).
    Class {
        /// The product's SKU.
        #[arg(long)]
        sku: String,
        /// The class, e.g. premium.
        #[arg(long, default_value = "")]
        class: String,
        /// The staff user it is recorded for (e-mail).
        #[arg(long)]
        by: String,
    },
}

/// Runs one `pricing` subcommand for the staff user `staff` resolves `--by` to;
/// returns what it prints.
pub async fn run(
    store: &dyn Store,
    command: PricingCommand,
    staff: impl AsyncFnOnce(&str) -> anyhow::Result<Actor>,
) -> anyhow::Result<String> {
    let err = |e: terms::TermsError| anyhow::anyhow!(e.message(Lang::En));
    match command {
        PricingCommand::Tiers => Ok(store
            .discount_tiers()
            .await?
            .iter()
            .map(|(code, t)| format!("{code}\t{}\t{}\n", t.name, classes_text(&t.classes)))
            .collect()),
        PricingCommand::Tier {
            code,
            name,
            classes,
            by,
        } => {
            let (code, tier) = terms::check_tier(&code, &name, &classes).map_err(err)?;
            terms::put_tier(store, None, &staff(&by).await?, &code, &tier).await?;
            Ok(format!("{code}\n"))
        }
        PricingCommand::Terms {
            customer,
            min_discount,
            tier,
            by,
        } => {
            let id: uuid::Uuid = customer
                .trim()
                .parse()
                .with_context(|| format!("--customer {customer:?} is not a customer's id"))?;
            let tiers = store.discount_tiers().await?;
            let record = terms::check_terms(&min_discount, &tier, &tiers).map_err(err)?;
            let actor = staff(&by).await?;
            terms::set_customer_terms(store, None, &actor, ClientId::from_uuid(id), &record)
                .await
                .map_err(|e| match e {
                    terms::SetError::Terms(t) => err(t),
                    terms::SetError::Store(s) => s.into(),
                })?;
            Ok(format!(
                "{id}\t{}\t{}\n",
                percent_text(record.min_discount_bp),
                record.tier
            ))
        }
        PricingCommand::Class { sku, class, by } => {
            let class = class.trim().to_lowercase();
            if !class.is_empty() {
                terms::parse_classes(&format!("{class}=0")).map_err(err)?;
            }
            let actor = staff(&by).await?;
            store
                .set_product_class(&actor, sku.trim(), &class)
                .await
                .with_context(|| format!("--sku {sku:?}"))?;
            crate::catalog::price::catalog_changed(store).await?;
            Ok(format!("{}\t{class}\n", sku.trim()))
        }
    }
}
