//! Coupons as the office creates and changes them — from the command line
//! (`fieldcase coupon add`), the Discounts page and the API: the terms checked (a
//! percentage or an amount, the last day, the minimum order, the one customer it is
//! for, the message shown with the order, how many orders may use it), then stored
//! and published into the catalog document.

use clap::Args;
use fieldcase_shared::docs::catalog::{CouponRecord, normalise_coupon_code};
use fieldcase_shared::{Lang, Money};

use crate::store::{Actor, Store, StoreError};

/// The longest message.
const MAX_MESSAGE: usize = 200;

/// A coupon as typed: what `coupon add`, the office's form and the API take.
#[derive(Debug, Clone, Default, Args)]
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

/// What is wrong with a coupon as typed (the field, and why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponError {
    Code,
    Percent(String),
    Amount(String),
    OneKind,
    ValidUntil(String),
    MinOrder(String),
    Client(String),
    NoSuchClient,
    Message,
    MaxUses,
    /// Storing failed.
    Store(String),
}

impl CouponError {
    /// The form field it is about.
    pub fn field(&self) -> &'static str {
        match self {
            CouponError::Code => "code",
            CouponError::Percent(_) | CouponError::OneKind => "percent",
            CouponError::Amount(_) => "amount",
            CouponError::ValidUntil(_) => "valid_until",
            CouponError::MinOrder(_) => "min_order",
            CouponError::Client(_) | CouponError::NoSuchClient => "client",
            CouponError::Message => "message",
            CouponError::MaxUses => "max_uses",
            CouponError::Store(_) => "",
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let cs = lang == Lang::Cs;
        match self {
            CouponError::Code if cs => "Kód kupónu: 1–32 písmen nebo číslic.".into(),
            CouponError::Code => "The coupon's code: 1–32 letters or digits.".into(),
            CouponError::Percent(t) if cs => format!("Procento „{t}“: víc než 0, nejvýš 100."),
            CouponError::Percent(t) => format!("Percentage \"{t}\": more than 0, at most 100."),
            CouponError::Amount(t) if cs => format!("Částka „{t}“ musí být kladná (Kč)."),
            CouponError::Amount(t) => format!("Amount \"{t}\" must be positive (CZK)."),
            CouponError::OneKind if cs => "Zadejte buď procento, nebo částku.".into(),
            CouponError::OneKind => "Give either a percentage or an amount.".into(),
            CouponError::ValidUntil(t) if cs => {
                format!("Poslední den „{t}“ není datum RRRR-MM-DD.")
            }
            CouponError::ValidUntil(t) => format!("Last day \"{t}\" is not a YYYY-MM-DD date."),
            CouponError::MinOrder(t) if cs => {
                format!("Nejmenší objednávka „{t}“ není částka v Kč.")
            }
            CouponError::MinOrder(t) => format!("Minimum order \"{t}\" is not an amount in CZK."),
            CouponError::Client(t) if cs => format!("„{t}“ není id zákazníka."),
            CouponError::Client(t) => format!("\"{t}\" is not a customer's id."),
            CouponError::NoSuchClient if cs => "Takový zákazník neexistuje.".into(),
            CouponError::NoSuchClient => "There is no such customer.".into(),
            CouponError::Message if cs => format!("Zpráva má nejvýš {MAX_MESSAGE} znaků."),
            CouponError::Message => format!("The message has at most {MAX_MESSAGE} characters."),
            CouponError::MaxUses if cs => {
                "Počet použití: aspoň 1 (bez omezení nechte prázdné).".into()
            }
            CouponError::MaxUses => {
                "Number of uses: at least 1 (leave it empty for no limit).".into()
            }
            CouponError::Store(e) if cs => format!("Kupón se nepodařilo uložit: {e}"),
            CouponError::Store(e) => format!("Could not save the coupon: {e}"),
        }
    }
}

impl std::fmt::Display for CouponError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for CouponError {}

impl From<StoreError> for CouponError {
    fn from(e: StoreError) -> Self {
        CouponError::Store(e.to_string())
    }
}

/// Money as typed (`1 290,50`) in haléře.
fn haler(text: &str) -> Option<i64> {
    Money::parse(text).ok().map(Money::haler)
}

/// Checks a coupon as typed; its normalised code and record.
pub async fn check(
    store: &dyn Store,
    args: CouponArgs,
) -> Result<(String, CouponRecord), CouponError> {
    let code = normalise_coupon_code(&args.code);
    if code.is_empty() || code.len() > 32 {
        return Err(CouponError::Code);
    }
    let given = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let percent_bp = match given(&args.percent) {
        None => 0,
        // Hundredths of a percent are basis points: "7,5" reads as 750.
        Some(p) => haler(&p)
            .filter(|bp| (1..=10_000).contains(bp))
            .and_then(|bp| u32::try_from(bp).ok())
            .ok_or(CouponError::Percent(p))?,
    };
    let amount = match given(&args.amount) {
        None => 0,
        Some(a) => haler(&a).filter(|h| *h > 0).ok_or(CouponError::Amount(a))?,
    };
    if (percent_bp == 0) == (amount == 0) {
        return Err(CouponError::OneKind);
    }
    let valid_until = match given(&args.valid_until) {
        None => String::new(),
        Some(d) => {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            time::Date::parse(&d, &fmt).map_err(|_| CouponError::ValidUntil(d.clone()))?;
            d
        }
    };
    let min_order = match given(&args.min_order) {
        None => 0,
        Some(m) => haler(&m)
            .filter(|h| *h >= 0)
            .ok_or(CouponError::MinOrder(m))?,
    };
    let client = match given(&args.client) {
        None => String::new(),
        Some(c) => {
            let id = c
                .parse::<uuid::Uuid>()
                .map_err(|_| CouponError::Client(c.clone()))?;
            let id = fieldcase_shared::ClientId::from_uuid(id);
            if store.client_owner(id).await?.is_none() {
                return Err(CouponError::NoSuchClient);
            }
            id.to_string()
        }
    };
    let message = args.message.trim().to_owned();
    if message.chars().count() > MAX_MESSAGE {
        return Err(CouponError::Message);
    }
    let max_uses = match args.max_uses {
        Some(0) => return Err(CouponError::MaxUses),
        n => n.unwrap_or(0),
    };
    Ok((
        code,
        CouponRecord {
            percent_bp,
            amount,
            valid_until,
            active: !args.withdrawn,
            min_order,
            client,
            message,
            max_uses,
            // The store records when it is withdrawn.
            withdrawn_at: String::new(),
        },
    ))
}

/// Checks and saves the coupon for `actor`; returns its normalised code.
pub async fn add(
    store: &dyn Store,
    actor: &Actor,
    args: CouponArgs,
) -> Result<String, CouponError> {
    let (code, coupon) = check(store, args).await?;
    store.put_coupon(actor, &code, &coupon).await?;
    Ok(code)
}

/// A coupon with how many orders used it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponUse {
    pub code: String,
    pub coupon: CouponRecord,
    pub uses: i64,
}

/// Every coupon (withdrawn ones too) with its uses, by code.
pub async fn with_uses(store: &dyn Store) -> Result<Vec<CouponUse>, StoreError> {
    let uses = store.coupon_use_counts().await?;
    Ok(store
        .coupons()
        .await?
        .into_iter()
        .map(|(code, coupon)| CouponUse {
            uses: uses.get(&code).copied().unwrap_or(0),
            code,
            coupon,
        })
        .collect())
}

/// What a coupon takes off, as the lists show it (`10 %`, `500,00 Kč`).
pub fn off_text(c: &CouponRecord, lang: Lang) -> String {
    if c.percent_bp > 0 {
        fieldcase_shared::Discount::Percent(u16::try_from(c.percent_bp).unwrap_or(10_000))
            .label(lang)
    } else {
        Money::from_haler(c.amount).format(lang)
    }
}

/// `fieldcase coupon list`: one tab-separated line per coupon — code, what it takes
/// off, its last day (`-`: none), `active` / `withdrawn`, the orders that used it,
/// its limit (`-`: none).
pub async fn list(store: &dyn Store) -> anyhow::Result<String> {
    let mut out = String::new();
    for CouponUse {
        code,
        coupon: c,
        uses,
    } in with_uses(store).await?
    {
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
            "{code}\t{off}\t{}\t{}\t{uses}\t{limit}\n",
            if c.valid_until.is_empty() {
                "-"
            } else {
                &c.valid_until
            },
            if c.active { "active" } else { "withdrawn" },
        ));
    }
    Ok(out)
}
