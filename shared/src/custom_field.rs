//! Custom fields (issue 12, point 8): extra fields an administrator adds to
//! customers or orders — text, number, date or a choice — with their Czech and
//! English labels. The hub keeps the definitions (SQL) and publishes them into the
//! catalog document ([`CUSTOM_FIELDS`]); a record keeps its values by the field's
//! key (`ClientRecord::custom`, `OrderRecord::custom`), so they sync with it. The
//! phone's forms and the office's check a value by the same rule ([`check`]).

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use crate::validate::{FieldError, Problem};

/// Root map of the catalog document holding the definitions, keyed by
/// `<entity>.<key>` (`customer.loyalty_card`).
pub const CUSTOM_FIELDS: &str = "custom_fields";

/// The longest text value.
pub const TEXT_MAX: usize = 500;

/// What a custom field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Customer,
    Order,
}

impl Entity {
    /// Stored name.
    pub fn code(self) -> &'static str {
        match self {
            Entity::Customer => "customer",
            Entity::Order => "order",
        }
    }

    /// From its stored name.
    pub fn from_code(code: &str) -> Option<Entity> {
        [Entity::Customer, Entity::Order]
            .into_iter()
            .find(|e| e.code() == code)
    }
}

/// What a custom field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Free text (at most [`TEXT_MAX`] characters).
    Text,
    /// A number (integer or decimal with `.` or `,`), kept with `.`.
    Number,
    /// A date, kept as `YYYY-MM-DD` (typed as that or `d. m. yyyy`).
    Date,
    /// One of the definition's choices.
    Choice,
}

impl Kind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [Kind; 4] = [Kind::Text, Kind::Number, Kind::Date, Kind::Choice];

    /// Stored name.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Choice => "choice",
        }
    }

    /// From its stored name.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Its name for people.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Kind::Text => lang.pick("text", "text"),
            Kind::Number => lang.pick("číslo", "number"),
            Kind::Date => lang.pick("datum", "date"),
            Kind::Choice => lang.pick("výběr", "choice"),
        }
    }
}

/// A custom field as the catalog document carries it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Reconcile, Hydrate)]
pub struct FieldRecord {
    /// `customer` or `order`.
    #[autosurgeon(hydrate = "crate::docs::text_string", missing = "Default::default")]
    pub entity: String,
    /// The key values are kept under (`a-z`, `0-9`, `_`).
    #[autosurgeon(hydrate = "crate::docs::text_string", missing = "Default::default")]
    pub key: String,
    #[autosurgeon(hydrate = "crate::docs::text_string", missing = "Default::default")]
    pub label_cs: String,
    #[autosurgeon(hydrate = "crate::docs::text_string", missing = "Default::default")]
    pub label_en: String,
    /// [`Kind::code`].
    #[autosurgeon(hydrate = "crate::docs::text_string", missing = "Default::default")]
    pub kind: String,
    /// The choices of a choice field, in order.
    #[autosurgeon(missing = "Default::default")]
    pub choices: Vec<String>,
    #[autosurgeon(missing = "Default::default")]
    pub required: bool,
    /// Where forms show it (ascending).
    #[autosurgeon(missing = "Default::default")]
    pub position: i64,
}

impl FieldRecord {
    /// Its kind (text when unknown, so an older phone still shows a newer kind).
    pub fn kind(&self) -> Kind {
        Kind::from_code(&self.kind).unwrap_or(Kind::Text)
    }

    /// Its label in `lang`.
    pub fn label(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Cs => &self.label_cs,
            crate::Lang::En if !self.label_en.is_empty() => &self.label_en,
            crate::Lang::En => &self.label_cs,
        }
    }

    /// The form field's name: `custom.<key>`.
    pub fn form_name(&self) -> String {
        format!("custom.{}", self.key)
    }
}

/// The definitions of `entity` among `all`, in form order.
pub fn of(all: &[FieldRecord], entity: Entity) -> Vec<FieldRecord> {
    let mut out: Vec<FieldRecord> = all
        .iter()
        .filter(|f| f.entity == entity.code())
        .cloned()
        .collect();
    out.sort_by(|a, b| a.position.cmp(&b.position).then(a.key.cmp(&b.key)));
    out
}

/// A key as an administrator may choose it: 1–40 of `a-z`, `0-9`, `_`, starting
/// with a letter.
pub fn valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A key made from a label (`Věrnostní karta` → `vernostni_karta`).
pub fn key_from_label(label: &str) -> String {
    let folded = crate::docs::catalog::fold(label);
    let mut key = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    let key = key.trim_end_matches('_');
    let key = key.trim_start_matches(|c: char| c.is_ascii_digit() || c == '_');
    key.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('_')
        .to_owned()
}

/// Checks one value of `field` as a form gives it: trimmed; empty is allowed unless
/// the field is required; returns the value as kept (a number with `.`, a date as
/// `YYYY-MM-DD`).
pub fn check(field: &FieldRecord, value: &str) -> Result<String, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return if field.required {
            Err(Problem::Required)
        } else {
            Ok(String::new())
        };
    }
    match field.kind() {
        Kind::Text => {
            if value.chars().count() > TEXT_MAX {
                Err(Problem::TooLong { max: TEXT_MAX })
            } else {
                Ok(value.to_owned())
            }
        }
        Kind::Number => {
            let kept = value.replace(',', ".").replace(' ', "");
            match kept.parse::<f64>() {
                Ok(n) if n.is_finite() && kept.len() <= 30 => Ok(kept),
                _ => Err(Problem::Invalid),
            }
        }
        Kind::Date => date(value).map(|d| d.to_string()).ok_or(Problem::Invalid),
        Kind::Choice => field
            .choices
            .iter()
            .find(|c| c.as_str() == value)
            .cloned()
            .ok_or_else(|| Problem::NotAllowed(crate::validate::reason::NOT_A_CHOICE.into())),
    }
}

/// A date typed as `YYYY-MM-DD` or `d. m. yyyy`.
fn date(text: &str) -> Option<time::Date> {
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = time::Date::parse(text, &iso) {
        return Some(d);
    }
    let parts: Vec<&str> = text
        .split('.')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// Checks the values of `fields` in `values` (a record's, as a form gives them),
/// normalising them in place and dropping empty ones and keys no field has; the
/// errors name `custom.<key>`.
pub fn check_all(fields: &[FieldRecord], values: &mut BTreeMap<String, String>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut kept = BTreeMap::new();
    for field in fields {
        let given = values.get(&field.key).map(String::as_str).unwrap_or("");
        match check(field, given) {
            Ok(v) if v.is_empty() => {}
            Ok(v) => {
                kept.insert(field.key.clone(), v);
            }
            Err(problem) => errors.push(FieldError::new(field.form_name(), problem)),
        }
    }
    // Values of withdrawn fields stay with the record (they are data); only the
    // current fields are checked.
    for (key, value) in values.iter() {
        if !fields.iter().any(|f| &f.key == key) && !value.is_empty() {
            kept.insert(key.clone(), value.clone());
        }
    }
    *values = kept;
    errors
}

/// The values shown for people: `label: value` of each field with a value, in form
/// order (dates as `d. m. yyyy`).
pub fn shown(
    fields: &[FieldRecord],
    values: &BTreeMap<String, String>,
    lang: crate::Lang,
) -> Vec<(String, String)> {
    fields
        .iter()
        .filter_map(|f| {
            let v = values.get(&f.key).filter(|v| !v.is_empty())?;
            let v = match (f.kind(), date(v)) {
                (Kind::Date, Some(d)) => {
                    format!("{}. {}. {}", d.day(), u8::from(d.month()), d.year())
                }
                _ => v.clone(),
            };
            Some((f.label(lang).to_owned(), v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: Kind, required: bool) -> FieldRecord {
        FieldRecord {
            entity: "customer".into(),
            key: "k".into(),
            label_cs: "Pole".into(),
            kind: kind.code().into(),
            choices: vec!["zlatá".into(), "stříbrná".into()],
            required,
            ..FieldRecord::default()
        }
    }

    #[test]
    fn each_kind_checks_and_keeps_its_value() {
        let text = field(Kind::Text, false);
        assert_eq!(check(&text, "  karta 123 "), Ok("karta 123".into()));
        assert_eq!(check(&text, ""), Ok(String::new()));
        assert_eq!(
            check(&text, &"x".repeat(501)),
            Err(Problem::TooLong { max: 500 })
        );
        assert_eq!(check(&field(Kind::Text, true), " "), Err(Problem::Required));
        let number = field(Kind::Number, false);
        assert_eq!(check(&number, "12,5"), Ok("12.5".into()));
        assert_eq!(check(&number, "1 200"), Ok("1200".into()));
        assert_eq!(check(&number, "dvanáct"), Err(Problem::Invalid));
        assert_eq!(check(&number, "inf"), Err(Problem::Invalid));
        let date = field(Kind::Date, false);
        assert_eq!(check(&date, "2026-12-04"), Ok("2026-12-04".into()));
        assert_eq!(check(&date, "4. 12. 2026"), Ok("2026-12-04".into()));
        assert_eq!(check(&date, "31. 2. 2026"), Err(Problem::Invalid));
        let choice = field(Kind::Choice, false);
        assert_eq!(check(&choice, "zlatá"), Ok("zlatá".into()));
        assert!(matches!(
            check(&choice, "bronzová"),
            Err(Problem::NotAllowed(_))
        ));
    }

    #[test]
    fn a_record_s_values_are_checked_together() {
        let fields = vec![
            FieldRecord {
                key: "card".into(),
                ..field(Kind::Text, true)
            },
            FieldRecord {
                key: "since".into(),
                ..field(Kind::Date, false)
            },
        ];
        let mut values: BTreeMap<String, String> = [
            ("since".to_owned(), "1. 1. 2020".to_owned()),
            ("old".to_owned(), "kept".to_owned()),
        ]
        .into();
        let errors = check_all(&fields, &mut values);
        assert_eq!(
            errors,
            vec![FieldError::new("custom.card", Problem::Required)]
        );
        assert_eq!(values.get("since").map(String::as_str), Some("2020-01-01"));
        assert_eq!(
            values.get("old").map(String::as_str),
            Some("kept"),
            "a withdrawn field's value stays"
        );
        assert_eq!(
            shown(&fields, &values, crate::Lang::Cs),
            vec![("Pole".to_owned(), "1. 1. 2020".to_owned())]
        );
    }

    #[test]
    fn keys_come_from_labels() {
        assert_eq!(key_from_label("Věrnostní karta"), "vernostni_karta");
        assert_eq!(key_from_label("  3D skener / měření "), "d_skener_mereni");
        assert!(
            valid_key("vernostni_karta")
                && !valid_key("Karta")
                && !valid_key("1a")
                && !valid_key("")
        );
    }
}
