//! `fieldcase coupon add`: a coupon created or changed from the command line, its
//! terms checked (a percentage or an amount, the last day, the minimum order, the
//! one customer it is for, the message shown with the order), then stored and
//! published into the catalog document by the store.

use anyhow::bail;
use fieldcase_shared::Money;
use fieldcase_shared::docs::catalog::{CouponRecord, normalise_coupon_code};

use crate::store::{Actor, Store};

/// The longest message.
const MAX_MESSAGE: usize = 200;

/// What `coupon add` takes.
#[derive(Debug, clap::Args)]
pub struct CouponArgs {
    /// The code the client gives (letters and digits; case and spaces ignored).
    #[arg(long)]
    pub code: String,
    /// Percentage off, e.g. 10 or 7,5.
    #[arg(long, conflicts_with = "amount")]
    pub percent: Option<String>,
    /// Amount off the order in CZK, e.g. 500.
    #[arg(long)]
    pub amount: Option<String>,
    /// Last day it may be used, YYYY-MM-DD.
    #[arg(long)]
    pub valid_until: Option<String>,
    /// The least the order must come to after the adviser's discount, CZK.
    #[arg(long)]
    pub min_order: Option<String>,
    /// The one customer who may use it (their id); anyone when not given.
    #[arg(long)]
    pub client: Option<String>,
    /// Shown with an order it applies to (up to 200 characters).
    #[arg(long, default_value = "")]
    pub message: String,
    /// How many orders may use it in all (the hub counts them as orders arrive);
    /// no limit when not given.
    #[arg(long)]
    pub max_uses: Option<u32>,
    /// Withdraw it (it stays listed but no longer applies).
    #[arg(long)]
    pub withdrawn: bool,
}

fn czk(option: &str, text: &str) -> anyhow::Result<i64> {
    Ok(Money::parse(text)
        .map_err(|e| anyhow::anyhow!("{option} {text:?}: {e}"))?
        .haler())
}

/// Checks and saves the coupon for `actor`; returns its normalised code.
pub async fn add(store: &dyn Store, actor: &Actor, args: CouponArgs) -> anyhow::Result<String> {
    let code = normalise_coupon_code(&args.code);
    if code.is_empty() || code.len() > 32 {
        bail!("--code must have 1–32 letters or digits");
    }
    let percent_bp = match args.percent.as_deref() {
        None => 0,
        Some(p) => {
            // Hundredths of a percent are basis points: "7,5" reads as 750.
            let bp = czk("--percent", p)?;
            if !(1..=10_000).contains(&bp) {
                bail!("--percent must be more than 0 and at most 100");
            }
            u32::try_from(bp)?
        }
    };
    let amount = match args.amount.as_deref() {
        None => 0,
        Some(a) => {
            let h = czk("--amount", a)?;
            if h <= 0 {
                bail!("--amount must be more than 0");
            }
            h
        }
    };
    if (percent_bp == 0) == (amount == 0) {
        bail!("give either --percent or --amount");
    }
    let valid_until = match args.valid_until {
        None => String::new(),
        Some(d) => {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(&d, &fmt)
                .map_err(|_| anyhow::anyhow!("--valid-until {d:?} is not YYYY-MM-DD"))?;
            d
        }
    };
    let min_order = match args.min_order.as_deref() {
        None => 0,
        Some(m) => {
            let h = czk("--min-order", m)?;
            if h < 0 {
                bail!("--min-order must not be negative");
            }
            h
        }
    };
    let client = match args.client.as_deref().map(str::trim) {
        None | Some("") => String::new(),
        Some(c) => {
            let id = c
                .parse::<uuid::Uuid>()
                .map_err(|_| anyhow::anyhow!("--client {c:?} is not a customer's id"))?;
            let id = fieldcase_shared::ClientId::from_uuid(id);
            if store.client_owner(id).await?.is_none() {
                bail!("--client: no customer {id}");
            }
            id.to_string()
        }
    };
    let message = args.message.trim().to_owned();
    if message.chars().count() > MAX_MESSAGE {
        bail!("--message has at most {MAX_MESSAGE} characters");
    }
    let coupon = CouponRecord {
        percent_bp,
        amount,
        valid_until,
        active: !args.withdrawn,
        min_order,
        client,
        message,
        max_uses: match args.max_uses {
            Some(0) => bail!("--max-uses must be at least 1 (leave it out for no limit)"),
            n => n.unwrap_or(0),
        },
    };
    store.put_coupon(actor, &code, &coupon).await?;
    Ok(code)
}

/// `fieldcase coupon list`: one tab-separated line per coupon — code, what it takes
/// off, its last day (`-`: none), `active` / `withdrawn`, the orders that used it,
/// its limit (`-`: none).
pub async fn list(store: &dyn Store) -> anyhow::Result<String> {
    let uses = store.coupon_use_counts().await?;
    let mut out = String::new();
    for (code, c) in store.coupons().await? {
        let off = if c.percent_bp > 0 {
            format!(
                "{}%",
                Money::from_haler(i64::from(c.percent_bp)).to_decimal_string()
            )
        } else {
            format!("{} CZK", Money::from_haler(c.amount).to_decimal_string())
        };
        let limit = match c.max_uses {
            0 => "-".to_owned(),
            n => n.to_string(),
        };
        out.push_str(&format!(
            "{code}\t{off}\t{}\t{}\t{}\t{limit}\n",
            if c.valid_until.is_empty() {
                "-"
            } else {
                &c.valid_until
            },
            if c.active { "active" } else { "withdrawn" },
            uses.get(&code).copied().unwrap_or(0),
        ));
    }
    Ok(out)
}
