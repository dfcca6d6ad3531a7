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

/// Folds text for search: lower case, no diacritics (`Černá` → `cerna`).
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

impl ProductRecord {
    /// The folded text a query is matched against.
    pub fn search_text(&self) -> String {
        fold(&format!(
            "{} {} {} {} {}",
            self.sku, self.brand, self.name, self.colour, self.kind
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
