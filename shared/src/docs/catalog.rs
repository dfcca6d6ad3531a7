//! The catalog document's records (written by the hub from its SQL `products`,
//! read-only on phones) and the search the phone runs over them offline.

use autosurgeon::{Hydrate, Reconcile};

/// Root map of products.
pub const PRODUCTS: &str = "products";

/// A product as phones see it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct ProductRecord {
    /// Stock-keeping unit (printed on the frame's tag).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub sku: String,
    /// `frame`, `lens`, `coating`, `contact_lens`, `accessory`, `service`.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub kind: String,
    /// Name.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub name: String,
    /// Brand.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub brand: String,
    /// Colour.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub colour: String,
    /// Size (frames: `52□18 140`).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub size: String,
    /// Gross price, haléře.
    #[autosurgeon(missing = "Default::default")]
    pub price: i64,
    /// VAT, basis points.
    #[autosurgeon(missing = "Default::default")]
    pub vat_bp: u32,
    /// Still sold (inactive products stay so old orders can show them).
    #[autosurgeon(missing = "Default::default")]
    pub active: bool,
    /// The model this product is a variant of (a frame model in its colours and
    /// sizes; a lens line). Older documents lack it.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub model: String,
    /// Lenses: who makes them.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub lens_maker: String,
    /// Lenses: refractive index, `1.60`.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub lens_index: String,
    /// Lenses: a `LensDesign` code.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub lens_design: String,
    /// Lenses: `Coating` codes, comma-separated.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub lens_coatings: String,
    /// Its discount class for customers' tiers ([`TierRecord`]); empty: the class
    /// of its kind (`frame`, `lens`, …).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub discount_class: String,
}

impl ProductRecord {
    /// Its discount class: its own, or its kind.
    pub fn class(&self) -> &str {
        if self.discount_class.is_empty() {
            &self.kind
        } else {
            &self.discount_class
        }
    }
}

/// Root map of customers' price terms, keyed by client id. The office sets them;
/// only ids and percentages are published (no personal data), so every phone can
/// price an order for any customer offline exactly as the hub will.
pub const CUSTOMER_TERMS: &str = "customer_terms";

/// A customer's price terms.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct CustomerTermsRecord {
    /// The least discount on every catalog line of their orders, basis points
    /// (500 = 5 %); the adviser may give more.
    #[autosurgeon(missing = "Default::default")]
    pub min_discount_bp: u32,
    /// Their discount tier's code ([`DISCOUNT_TIERS`]); empty: none.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub tier: String,
}

/// Root map of discount tiers (e.g. B2B), keyed by code.
pub const DISCOUNT_TIERS: &str = "discount_tiers";

/// A discount tier: a discount per discount class for the customers in it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct TierRecord {
    /// Its name (`Firmy`, `Partneři`).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub name: String,
    /// Discount class → basis points off a line of that class.
    #[autosurgeon(missing = "Default::default")]
    pub classes: std::collections::BTreeMap<String, u32>,
}

/// Root key of the account clients pay to.
pub const PAYEE: &str = "payee";

/// The account clients pay orders to (from the hub's configuration).
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct Payee {
    /// IBAN.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub iban: String,
    /// Account holder.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub name: String,
}

/// The payee in a catalog document, if the hub has published one.
pub fn payee(doc: &impl autosurgeon::ReadDoc) -> Option<Payee> {
    autosurgeon::hydrate_prop::<_, Option<Payee>, _, _>(doc, automerge::ROOT, PAYEE)
        .ok()
        .flatten()
        .filter(|p| !p.iban.is_empty())
}

/// Root map of discount coupons, keyed by the normalised code.
pub const COUPONS: &str = "coupons";

/// A discount coupon the office hands out (the phone checks it offline).
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct CouponRecord {
    /// Percentage off in basis points (1 000 = 10 %); 0 when it is an amount.
    #[autosurgeon(missing = "Default::default")]
    pub percent_bp: u32,
    /// Amount off the order, haléře; 0 when it is a percentage.
    #[autosurgeon(missing = "Default::default")]
    pub amount: i64,
    /// Last day it may be used (`YYYY-MM-DD`); empty for no end.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub valid_until: String,
    /// Withdrawn coupons stay listed but no longer apply.
    #[autosurgeon(missing = "Default::default")]
    pub active: bool,
    /// The least an order must come to (after the adviser's discount, before the
    /// coupon), haléře; 0: any order.
    #[autosurgeon(missing = "Default::default")]
    pub min_order: i64,
    /// The one customer (client id) who may use it; empty: anyone.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub client: String,
    /// Shown with an order it applies to (the offer's terms, a greeting).
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub message: String,
    /// How many orders may use it in all (0: no limit). Only the hub can count
    /// them (phones do not see each other's orders): it takes a use when an order
    /// arrives, and an order that comes after the last one loses the coupon.
    #[autosurgeon(missing = "Default::default")]
    pub max_uses: u32,
    /// When the office withdrew it (RFC 3339; empty: not withdrawn, or withdrawn
    /// before this was recorded). An order taken before then keeps it.
    #[autosurgeon(hydrate = "super::text::string", missing = "Default::default")]
    pub withdrawn_at: String,
}

/// Why a coupon does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponProblem {
    /// No coupon has that code.
    Unknown,
    /// Its last day has passed.
    Expired(String),
    /// The office withdrew it.
    Withdrawn,
    /// The order comes to less than the coupon's minimum (haléře).
    BelowMinimum(i64),
    /// The coupon is another customer's.
    OtherCustomer,
    /// Other orders took all its uses (the limit) before this one reached the hub.
    UsedUp(u32),
}

impl CouponProblem {
    /// The message for the order form.
    pub fn message(&self, lang: crate::Lang) -> String {
        match (self, lang) {
            (CouponProblem::Unknown, crate::Lang::Cs) => {
                "Takový kupón neznáme; zkontrolujte kód.".into()
            }
            (CouponProblem::Unknown, crate::Lang::En) => {
                "No coupon has this code; check it.".into()
            }
            (CouponProblem::Expired(d), crate::Lang::Cs) => format!("Kupón platil do {d}."),
            (CouponProblem::Expired(d), crate::Lang::En) => {
                format!("The coupon was valid until {d}.")
            }
            (CouponProblem::Withdrawn, crate::Lang::Cs) => "Kancelář kupón zrušila.".into(),
            (CouponProblem::Withdrawn, crate::Lang::En) => {
                "The office withdrew this coupon.".into()
            }
            (CouponProblem::BelowMinimum(min), lang) => {
                let min = crate::Money::from_haler(*min).format(lang);
                match lang {
                    crate::Lang::Cs => format!("Kupón platí pro objednávku od {min}."),
                    crate::Lang::En => format!("The coupon needs an order of at least {min}."),
                }
            }
            (CouponProblem::OtherCustomer, crate::Lang::Cs) => {
                "Kupón patří jinému zákazníkovi.".into()
            }
            (CouponProblem::OtherCustomer, crate::Lang::En) => {
                "The coupon belongs to another customer.".into()
            }
            (CouponProblem::UsedUp(n), crate::Lang::Cs) => format!(
                "Kupón lze použít nejvýš {n}× a tolikrát už ho použily objednávky, které dorazily do centrály dřív."
            ),
            (CouponProblem::UsedUp(n), crate::Lang::En) => format!(
                "The coupon may be used at most {n} times, and orders that reached the hub earlier have used it that often."
            ),
        }
    }
}

/// `jaro 10` / `Jaro-10` → `JARO10`: letters and digits, upper case.
pub fn normalise_coupon_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl CouponRecord {
    /// Whether it applies on `today`.
    pub fn check(&self, today: time::Date) -> Result<(), CouponProblem> {
        if !self.active {
            return Err(CouponProblem::Withdrawn);
        }
        self.check_last_day(today)
    }

    /// Whether `day` is on or before its last day.
    fn check_last_day(&self, day: time::Date) -> Result<(), CouponProblem> {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        match time::Date::parse(&self.valid_until, &fmt) {
            Ok(last) if day > last => Err(CouponProblem::Expired(self.valid_until.clone())),
            _ => Ok(()),
        }
    }

    /// Whether it applied at `taken` (the moment the hub takes an order as taken):
    /// on or before its last day (`taken`'s UTC date, as the phone checks), and
    /// not withdrawn by then (a coupon withdrawn at an unknown time applies to no
    /// order).
    pub fn check_at(&self, taken: time::OffsetDateTime) -> Result<(), CouponProblem> {
        if !self.active {
            let withdrawn = time::OffsetDateTime::parse(
                &self.withdrawn_at,
                &time::format_description::well_known::Rfc3339,
            );
            match withdrawn {
                Ok(at) if taken < at => {}
                _ => return Err(CouponProblem::Withdrawn),
            }
        }
        self.check_last_day(taken.date())
    }

    /// Whether it applies to an order of `client` that comes to `before_coupon`
    /// haléře (after the adviser's discount).
    pub fn check_order(&self, client: &str, before_coupon: i64) -> Result<(), CouponProblem> {
        if !self.client.is_empty() && !self.client.eq_ignore_ascii_case(client.trim()) {
            return Err(CouponProblem::OtherCustomer);
        }
        if before_coupon < self.min_order {
            return Err(CouponProblem::BelowMinimum(self.min_order));
        }
        Ok(())
    }

    /// How much it takes off `gross` haléře (never more than `gross`); a percentage
    /// is rounded half up to whole haléře.
    pub fn off(&self, gross: i64) -> i64 {
        let off = if self.percent_bp > 0 {
            (gross * i64::from(self.percent_bp.min(10_000)) + 5_000) / 10_000
        } else {
            self.amount
        };
        off.clamp(0, gross.max(0))
    }
}

/// Folds text for search: lower case, no diacritics (`Černá` → `cerna`).
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

impl ProductRecord {
    /// The folded text a query is matched against.
    pub fn search_text(&self) -> String {
        fold(&format!(
            "{} {} {} {} {} {} {}",
            self.sku, self.brand, self.model, self.name, self.colour, self.kind, self.lens_maker
        ))
    }
}

/// True when every word of the (folded) query appears in `text` (folded).
pub fn matches(folded_query_words: &[String], folded_text: &str) -> bool {
    folded_query_words
        .iter()
        .all(|w| folded_text.contains(w.as_str()))
}

/// Splits a query into folded words.
pub fn query_words(query: &str) -> Vec<String> {
    fold(query).split_whitespace().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coupons_check_dates_and_take_no_more_than_the_price() {
        let day = |s: &str| {
            time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).unwrap()
        };
        let jaro = CouponRecord {
            percent_bp: 1_000,
            valid_until: "2026-12-31".into(),
            active: true,
            ..Default::default()
        };
        assert_eq!(jaro.check(day("2026-12-31")), Ok(()));
        assert_eq!(
            jaro.check(day("2027-01-01")),
            Err(CouponProblem::Expired("2026-12-31".into()))
        );
        assert_eq!(jaro.off(123_455), 12_346);
        let fixed = CouponRecord {
            amount: 50_000,
            active: true,
            ..Default::default()
        };
        assert_eq!(fixed.off(30_000), 30_000);
        assert_eq!(fixed.check(day("2099-01-01")), Ok(()));
        let withdrawn = CouponRecord::default();
        assert_eq!(
            withdrawn.check(day("2026-01-01")),
            Err(CouponProblem::Withdrawn)
        );
        assert_eq!(normalise_coupon_code(" jaro-10 "), "JARO10");
        assert!(
            CouponProblem::Unknown
                .message(crate::Lang::Cs)
                .contains("kód")
        );
    }

    #[test]
    fn search_ignores_case_diacritics_and_word_order() {
        let p = ProductRecord {
            sku: "RB-2140-901".into(),
            kind: "frame".into(),
            name: "Wayfarer".into(),
            brand: "Ray-Ban".into(),
            colour: "Černá".into(),
            ..Default::default()
        };
        let text = p.search_text();
        assert!(matches(&query_words("cerna wayfarer"), &text));
        assert!(matches(&query_words("ČERNÁ ray"), &text));
        assert!(matches(&query_words("rb-2140"), &text));
        assert!(!matches(&query_words("wayfarer hnědá"), &text));
        assert!(
            matches(&query_words("   "), &text),
            "an empty query matches all"
        );
    }
}
