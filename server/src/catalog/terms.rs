//! Customers' price terms and discount tiers, as the office sets them: the rules
//! their forms, the API and the CLI share (a percentage as typed, a tier's code, a
//! tier's classes), and the writes, which publish into the catalog document at once
//! so phones online get them (`SyncHub::publish_offers`; phones offline get them on
//! their next connection).

use std::collections::BTreeMap;

use fieldcase_shared::docs::catalog::{CustomerTermsRecord, TierRecord};
use fieldcase_shared::{ClientId, Lang, Role};

use crate::store::{Actor, Store, StoreError};
use crate::sync::SyncHub;

/// The roles that set prices: coupons, tiers, customers' terms.
pub const PRICE_SETTERS: &[Role] = &[Role::Office, Role::Admin];

/// The longest tier code, class name and tier name.
const MAX_CODE: usize = 16;
const MAX_CLASS: usize = 32;
const MAX_NAME: usize = 80;

/// What is wrong with price terms as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermsError {
    /// Not a percentage from 0 to 100 (at most two decimals).
    Percent(String),
    /// A tier code must be 1–16 letters or digits.
    Code(String),
    /// A tier needs a name (up to 80 characters).
    Name,
    /// `class=percent` pairs, e.g. `frame=15, lens=10`; this part is not one.
    Class(String),
    /// No such tier.
    UnknownTier(String),
    /// No such customer.
    UnknownCustomer,
}

impl TermsError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (TermsError::Percent(t), Lang::Cs) => {
                format!("„{t}“ není procento od 0 do 100 (nejvýš dvě desetinná místa).")
            }
            (TermsError::Percent(t), Lang::En) => {
                format!("\"{t}\" is not a percentage from 0 to 100 (two decimals at most).")
            }
            (TermsError::Code(t), Lang::Cs) => {
                format!("Kód tarifu „{t}“: 1–{MAX_CODE} písmen nebo číslic.")
            }
            (TermsError::Code(t), Lang::En) => {
                format!("Tier code \"{t}\": 1–{MAX_CODE} letters or digits.")
            }
            (TermsError::Name, Lang::Cs) => {
                format!("Tarif potřebuje název (nejvýš {MAX_NAME} znaků).")
            }
            (TermsError::Name, Lang::En) => {
                format!("A tier needs a name (up to {MAX_NAME} characters).")
            }
            (TermsError::Class(t), Lang::Cs) => format!(
                "„{t}“: zapište třídu=procento, např. frame=15, lens=10 (třída: malá písmena, číslice, - nebo _)."
            ),
            (TermsError::Class(t), Lang::En) => format!(
                "\"{t}\": write class=percent, e.g. frame=15, lens=10 (class: lower-case letters, digits, - or _)."
            ),
            (TermsError::UnknownTier(t), Lang::Cs) => format!("Tarif „{t}“ neexistuje."),
            (TermsError::UnknownTier(t), Lang::En) => format!("There is no tier \"{t}\"."),
            (TermsError::UnknownCustomer, Lang::Cs) => "Takový zákazník neexistuje.".into(),
            (TermsError::UnknownCustomer, Lang::En) => "There is no such customer.".into(),
        }
    }
}

impl std::fmt::Display for TermsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for TermsError {}

/// `7,5` / `7.5` / `10 %` / empty (0) → basis points.
pub fn parse_percent(text: &str) -> Result<u32, TermsError> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    if t.is_empty() {
        return Ok(0);
    }
    let bad = || TermsError::Percent(text.trim().to_owned());
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let bp = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(bad)?;
    if bp > 10_000 {
        return Err(bad());
    }
    Ok(bp)
}

/// Basis points as a percentage the forms show (`7,5`, `15`).
pub fn percent_text(bp: u32) -> String {
    match bp % 100 {
        0 => (bp / 100).to_string(),
        f if f % 10 == 0 => format!("{},{}", bp / 100, f / 10),
        f => format!("{},{f:02}", bp / 100),
    }
}

/// A tier code: letters and digits, upper case (`b2b` → `B2B`).
pub fn check_code(text: &str) -> Result<String, TermsError> {
    let code = text.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > MAX_CODE || !code.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(TermsError::Code(text.trim().to_owned()));
    }
    Ok(code)
}

/// `frame=15, lens=7,5` (commas, semicolons or new lines between pairs; a decimal
/// comma inside a percentage is kept) → class → basis points.
pub fn parse_classes(text: &str) -> Result<BTreeMap<String, u32>, TermsError> {
    let mut out = BTreeMap::new();
    let pairs = text.split(['\n', ';']).flat_map(split_pairs);
    for pair in pairs.filter(|p| !p.trim().is_empty()) {
        let bad = || TermsError::Class(pair.trim().to_owned());
        let (class, pct) = pair.split_once('=').ok_or_else(bad)?;
        let class = class.trim().to_lowercase();
        if class.is_empty()
            || class.len() > MAX_CLASS
            || !class
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad());
        }
        out.insert(class, parse_percent(pct).map_err(|_| bad())?);
    }
    Ok(out)
}

/// Splits `frame=15, lens=7,5` at the commas that start a new `class=` pair.
fn split_pairs(text: &str) -> Vec<String> {
    let mut pairs: Vec<String> = Vec::new();
    for piece in text.split(',') {
        match pairs.last_mut() {
            Some(last) if !piece.contains('=') => {
                last.push(',');
                last.push_str(piece);
            }
            _ => pairs.push(piece.to_owned()),
        }
    }
    pairs
}

/// A tier's classes as the forms show them (`frame=15, lens=7,5`).
pub fn classes_text(classes: &BTreeMap<String, u32>) -> String {
    classes
        .iter()
        .map(|(c, bp)| format!("{c}={}", percent_text(*bp)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A tier from its form: code, name, classes.
pub fn check_tier(
    code: &str,
    name: &str,
    classes: &str,
) -> Result<(String, TierRecord), TermsError> {
    let code = check_code(code)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(TermsError::Name);
    }
    Ok((
        code,
        TierRecord {
            name: name.to_owned(),
            classes: parse_classes(classes)?,
        },
    ))
}

/// A customer's terms from their form: the minimum discount and the tier (empty:
/// none), checked against the tiers that exist.
pub fn check_terms(
    min: &str,
    tier: &str,
    tiers: &BTreeMap<String, TierRecord>,
) -> Result<CustomerTermsRecord, TermsError> {
    let min_discount_bp = parse_percent(min)?;
    let tier = match tier.trim() {
        "" => String::new(),
        t => {
            let code = check_code(t)?;
            if !tiers.contains_key(&code) {
                return Err(TermsError::UnknownTier(code));
            }
            code
        }
    };
    Ok(CustomerTermsRecord {
        min_discount_bp,
        tier,
    })
}

/// Why setting terms failed: the input, or the store.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error(transparent)]
    Terms(#[from] TermsError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Sets a customer's terms (audited) and publishes them to the phones through
/// `sync` (the running hub; the CLI has none: the hub publishes them when a phone
/// next connects).
pub async fn set_customer_terms(
    store: &dyn Store,
    sync: Option<&SyncHub>,
    actor: &Actor,
    client: ClientId,
    terms: &CustomerTermsRecord,
) -> Result<(), SetError> {
    match store.set_customer_terms(actor, client, terms).await {
        Err(StoreError::NotFound(_)) => {
            return Err(if store.client_owner(client).await?.is_none() {
                TermsError::UnknownCustomer.into()
            } else {
                TermsError::UnknownTier(terms.tier.clone()).into()
            });
        }
        other => other?,
    }
    publish(sync).await;
    Ok(())
}

/// Creates or changes a tier (audited) and publishes it (see
/// [`set_customer_terms`]).
pub async fn put_tier(
    store: &dyn Store,
    sync: Option<&SyncHub>,
    actor: &Actor,
    code: &str,
    tier: &TierRecord,
) -> Result<(), StoreError> {
    store.put_discount_tier(actor, code, tier).await?;
    publish(sync).await;
    Ok(())
}

/// Publishes the offers now, if the hub runs here; a failure is logged (phones get
/// them on their next connection anyway).
pub async fn publish(sync: Option<&SyncHub>) {
    if let Some(sync) = sync
        && let Err(err) = sync.publish_offers().await
    {
        tracing::warn!(%err, "publishing coupons and price terms");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_as_typed() {
        assert_eq!(parse_percent(""), Ok(0));
        assert_eq!(parse_percent("7,5"), Ok(750));
        assert_eq!(parse_percent(" 10 % "), Ok(1_000));
        assert_eq!(parse_percent("12.25"), Ok(1_225));
        assert_eq!(parse_percent("100"), Ok(10_000));
        for bad in ["101", "-5", "abc", "1,234", ",5", "99999999999"] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
        assert_eq!(percent_text(750), "7,5");
        assert_eq!(percent_text(1_225), "12,25");
        assert_eq!(percent_text(1_500), "15");
    }

    #[test]
    fn a_tiers_classes_read_and_write_back() {
        let classes = parse_classes("frame=15, lens=7,5; Premium = 20").unwrap();
        assert_eq!(
            classes,
            BTreeMap::from([
                ("frame".to_owned(), 1_500),
                ("lens".to_owned(), 750),
                ("premium".to_owned(), 2_000)
            ])
        );
        assert_eq!(classes_text(&classes), "frame=15, lens=7,5, premium=20");
        assert_eq!(parse_classes(&classes_text(&classes)).unwrap(), classes);
        assert!(matches!(
            parse_classes("frame 15"),
            Err(TermsError::Class(_))
        ));
        assert!(matches!(
            parse_classes("fr ame=15"),
            Err(TermsError::Class(_))
        ));
        assert!(matches!(check_tier("b2b", " ", ""), Err(TermsError::Name)));
        assert_eq!(check_tier("b2b", "Firmy", "").unwrap().0, "B2B");
        let tiers = BTreeMap::from([("B2B".to_owned(), TierRecord::default())]);
        assert_eq!(
            check_terms("5", "b2b", &tiers).unwrap(),
            CustomerTermsRecord {
                min_discount_bp: 500,
                tier: "B2B".into()
            }
        );
        assert_eq!(
            check_terms("5", "VIP", &tiers),
            Err(TermsError::UnknownTier("VIP".into()))
        );
        assert!(
            TermsError::UnknownTier("VIP".into())
                .message(Lang::Cs)
                .contains("neexistuje")
        );
    }
}
