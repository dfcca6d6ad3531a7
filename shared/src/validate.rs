//! Form-friendly validation: a [`FieldError`] names the form field and what is wrong
//! with it, in a shape both the office UI and the phone can render in Czech or English.
//!
//! The Czech validators trim what the user typed and return the normalised value, so
//! callers store exactly what was validated.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Keys used with [`Problem::NotAllowed`]; [`FieldError::message`] knows a text for each.
///
/// They are constants so the server and tests can match on them without typos.
pub mod reason;

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Problem {
    /// Nothing was entered.
    Required,
    /// Longer than `max` characters.
    TooLong {
        /// The maximum number of characters.
        max: usize,
    },
    /// Not in the expected format.
    Invalid,
    /// Outside `min..=max` (bounds already formatted for display).
    OutOfRange {
        /// Lowest allowed value, formatted.
        min: String,
        /// Highest allowed value, formatted.
        max: String,
    },
    /// Not a multiple of `step` (formatted for display).
    Step {
        /// The step, formatted.
        step: String,
    },
    /// A rule specific to the domain; the string is a key from [`reason`].
    NotAllowed(String),
}

/// A validation failure tied to a form field (dotted path such as `right.sph` or `lines[2].quantity`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field in the form.
    pub field: String,
    /// What is wrong.
    pub problem: Problem,
}

impl FieldError {
    /// A new error for `field`.
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    /// Human text for the problem (without the field name, which the form shows next to it).
    pub fn message(&self, lang: Lang) -> String {
        match &self.problem {
            Problem::Required => lang.pick("Povinný údaj", "Required").to_owned(),
            Problem::TooLong { max } => match lang {
                Lang::Cs => format!("Nejvýše {max} znaků"),
                Lang::En => format!("At most {max} characters"),
            },
            Problem::Invalid => lang.pick("Neplatný formát", "Invalid format").to_owned(),
            Problem::OutOfRange { min, max } => match lang {
                Lang::Cs => format!("Musí být v rozmezí {min} až {max}"),
                Lang::En => format!("Must be between {min} and {max}"),
            },
            Problem::Step { step } => match lang {
                Lang::Cs => format!("Musí být násobkem {step}"),
                Lang::En => format!("Must be a multiple of {step}"),
            },
            Problem::NotAllowed(key) => match explain(key) {
                Some((cs, en)) => lang.pick(cs, en).to_owned(),
                // An unknown key is still better shown than swallowed.
                None => match lang {
                    Lang::Cs => format!("Nepovolená hodnota ({key})"),
                    Lang::En => format!("Not allowed ({key})"),
                },
            },
        }
    }
}

fn explain(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        reason::NOT_A_CHOICE => (
            "Vyberte jednu z nabízených možností",
            "Pick one of the choices offered",
        ),
        reason::NO_SUCH_ORDER => (
            "Žádná objednávka nemá tento variabilní symbol",
            "No order has this variable symbol",
        ),
        reason::AMBIGUOUS_ORDER => (
            "Tento variabilní symbol má více objednávek",
            "More than one order has this variable symbol",
        ),
        reason::ORDER_CANCELLED => (
            "Objednávka je zrušená; platbu nepřijímá",
            "The order is cancelled; it takes no payment",
        ),
        reason::BEYOND_LEFT => (
            "Víc, než objednávce zbývá zaplatit",
            "More than the order still owes",
        ),
        reason::BEYOND_OPEN => (
            "Víc, než z platby zbývá rozdělit",
            "More than the payment has left to give",
        ),
        reason::BEYOND_GIVEN => (
            "Víc, než tato platba objednávce dala",
            "More than this payment gave the order",
        ),
        reason::BEYOND_PAID => (
            "Víc, než objednávka dostala zaplaceno (bez dosavadních záloh)",
            "More than the order was paid (less the deposits already taxed)",
        ),
        reason::BEYOND_INVOICE => (
            "Víc, než doklad ještě obsahuje",
            "More than the document still holds",
        ),
        reason::NOT_CORRECTABLE => (
            "Dobropis se neopravuje dalším dobropisem",
            "A credit note is not corrected by another",
        ),
        reason::UNKNOWN_VARIABLE => (
            "Šablona používá proměnnou, kterou neznáme",
            "The template uses a variable that does not exist",
        ),
        reason::NOT_IN_STOCK => (
            "Sklad prodejny tolik kusů nemá",
            "The shop's stock does not have that many",
        ),
        reason::BEYOND_RECEIPT => (
            "Víc, než z účtenky zbývá vrátit",
            "More than the receipt has left to refund",
        ),
        reason::BEYOND_DRAWER => (
            "Víc hotovosti, než je v pokladně",
            "More cash than the drawer holds",
        ),
        reason::BEYOND_TOTAL => (
            "Kartou víc, než je celá částka",
            "More by card than the whole amount",
        ),
        reason::ORDER_OR_GOODS => (
            "Platba objednávky a zboží patří na zvláštní účtenky",
            "An order's payment and goods go on separate receipts",
        ),
        reason::NOT_SOLD_HERE => (
            "Tento produkt se na pokladně neprodává",
            "This product is not sold at the till",
        ),
        reason::OVERLAPS => (
            "V některé z těch dnů platí jiné pravidlo stejného druhu",
            "Another rule of the same kind is valid on some of those days",
        ),
        reason::FOREIGN_CURRENCY => (
            "Platba je v cizí měně: vraťte ji, nebo ji odepište",
            "The payment is in another currency: send it back or write it off",
        ),
        reason::IN_FUTURE => (
            "Datum nesmí být v budoucnosti",
            "The date must not be in the future",
        ),
        reason::VALID_UNTIL_NOT_AFTER_MEASURED => (
            "Platnost musí končit až po datu měření",
            "Validity must end after the measurement date",
        ),
        reason::PLUS_CYLINDER => (
            "Cylindr se ukládá v minusové konvenci; předpis transponujte",
            "Cylinder is stored in minus-cylinder form; transpose the prescription",
        ),
        reason::AXIS_WITHOUT_CYLINDER => (
            "Osa se zadává jen u nenulového cylindru",
            "An axis is only given with a non-zero cylinder",
        ),
        reason::NEGATIVE_AMOUNT => (
            "Částka nesmí být záporná",
            "The amount must not be negative",
        ),
        reason::DISCOUNT_EXCEEDS_PRICE => (
            "Sleva je vyšší než cena",
            "The discount is larger than the price",
        ),
        reason::DEPOSIT_EXCEEDS_TOTAL => (
            "Záloha je vyšší než celková cena",
            "The deposit is larger than the order total",
        ),
        reason::LENSES_NEED_PRESCRIPTION => (
            "Brýle s čočkami vyžadují předpis",
            "Glasses with lenses need a prescription",
        ),
        reason::LENS_DESIGN_MISMATCH => (
            "Obě čočky musí mít stejný typ",
            "Both lenses must have the same design",
        ),
        reason::COUPON_NOT_APPLICABLE => (
            "Kupón na tuto objednávku neplatí; odeberte ho nebo objednávku upravte",
            "The coupon does not apply to this order; remove it or change the order",
        ),
        reason::TAKEN => (
            "Tuto hodnotu už má jiný záznam",
            "Another record already has this value",
        ),
        reason::EMAIL_TAKEN => (
            "Tento e-mail už používá jiný účet.",
            "This e-mail is already used by another account.",
        ),
        reason::PASSWORD_LENGTH => (
            "Heslo musí mít 8 až 256 znaků",
            "The password needs 8 to 256 characters",
        ),
        reason::NOT_A_STAFF_ROLE => (
            "Neznámá role (poradce se zakládá na stránce Poradci)",
            "Unknown role (advisers are created on the Advisers page)",
        ),
        _ => return None,
    })
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message(Lang::En))
    }
}

impl std::error::Error for FieldError {}

fn err(field: &str, problem: Problem) -> FieldError {
    FieldError::new(field, problem)
}

/// Trimmed, non-empty text.
pub fn required(field: &str, s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(err(field, Problem::Required));
    }
    Ok(t.to_owned())
}

/// Trimmed text of at most `max` characters (not bytes: Czech letters are two bytes
/// in UTF-8 and users count letters). Empty is allowed; combine with [`required`].
pub fn max_len(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.chars().count() > max {
        return Err(err(field, Problem::TooLong { max }));
    }
    Ok(t.to_owned())
}

/// 1..=`max` ASCII digits, kept exactly as typed (leading zeros matter to some banks'
/// matching, so they are not stripped).
fn digits(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(err(field, Problem::Required));
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(field, Problem::Invalid));
    }
    if t.len() > max {
        return Err(err(field, Problem::TooLong { max }));
    }
    Ok(t.to_owned())
}

/// Variable symbol (VS): 1–10 digits.
pub fn variable_symbol(field: &str, s: &str) -> Result<String, FieldError> {
    digits(field, s, 10)
}

/// Constant symbol (KS): 1–4 digits.
pub fn constant_symbol(field: &str, s: &str) -> Result<String, FieldError> {
    digits(field, s, 4)
}

/// Specific symbol (SS): 1–10 digits.
pub fn specific_symbol(field: &str, s: &str) -> Result<String, FieldError> {
    digits(field, s, 10)
}

/// A phone number. Czech numbers (9 digits, optionally with `+420` or `00420`) become
/// `+420 123 456 789`; other international numbers (`+` or `00`, then 8–15 digits)
/// become `+<digits>`. Spaces, dashes, dots, slashes and brackets are ignored since
/// people type numbers in all those shapes.
pub fn phone_cz(field: &str, s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(err(field, Problem::Required));
    }
    let (international, rest) = if let Some(r) = t.strip_prefix('+') {
        (true, r)
    } else if let Some(r) = t.strip_prefix("00") {
        (true, r)
    } else {
        (false, t)
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '\u{a0}' | '-' | '.' | '/' | '(' | ')' => {}
            _ => return Err(err(field, Problem::Invalid)),
        }
    }
    let national = if international {
        match digits.strip_prefix("420") {
            Some(n) => n,
            None if (8..=15).contains(&digits.len()) => return Ok(format!("+{digits}")),
            None => return Err(err(field, Problem::Invalid)),
        }
    } else {
        digits.as_str()
    };
    if national.len() != 9 {
        return Err(err(field, Problem::Invalid));
    }
    Ok(format!(
        "+420 {} {} {}",
        &national[0..3],
        &national[3..6],
        &national[6..9]
    ))
}

/// Czech postal code (PSČ): 5 digits, the first 1–7 (the ranges the post uses),
/// normalised to `123 45`.
pub fn postal_code_cz(field: &str, s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(err(field, Problem::Required));
    }
    let compact: String = t.chars().filter(|c| !matches!(c, ' ' | '\u{a0}')).collect();
    let b = compact.as_bytes();
    if b.len() != 5 || !b.iter().all(u8::is_ascii_digit) || !(b'1'..=b'7').contains(&b[0]) {
        return Err(err(field, Problem::Invalid));
    }
    Ok(format!("{} {}", &compact[0..3], &compact[3..5]))
}

/// A pragmatic e-mail check (one `@`, non-empty local part, a dotted domain without
/// empty labels, no whitespace, at most 254 characters). The domain is lower-cased;
/// the local part is kept because it may in theory be case-sensitive.
pub fn email(field: &str, s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(err(field, Problem::Required));
    }
    if t.chars().count() > 254 {
        return Err(err(field, Problem::TooLong { max: 254 }));
    }
    let invalid = || err(field, Problem::Invalid);
    if t.chars().any(char::is_whitespace) {
        return Err(invalid());
    }
    let (local, domain) = t.split_once('@').ok_or_else(invalid)?;
    if local.is_empty() || domain.contains('@') || !domain.contains('.') {
        return Err(invalid());
    }
    if domain.split('.').any(str::is_empty) {
        return Err(invalid());
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn problem<T: fmt::Debug>(r: Result<T, FieldError>) -> Problem {
        let e = r.unwrap_err();
        assert_eq!(e.field, "f");
        e.problem
    }

    #[test]
    fn messages_in_both_languages() {
        let e = FieldError::new("name", Problem::Required);
        assert_eq!(e.message(Lang::Cs), "Povinný údaj");
        assert_eq!(e.message(Lang::En), "Required");
        assert_eq!(e.to_string(), "name: Required");
        let e = FieldError::new("x", Problem::NotAllowed(reason::IN_FUTURE.into()));
        assert_eq!(e.message(Lang::Cs), "Datum nesmí být v budoucnosti");
        let e = FieldError::new("x", Problem::NotAllowed("weird".into()));
        assert_eq!(e.message(Lang::En), "Not allowed (weird)");
        let e = FieldError::new(
            "x",
            Problem::OutOfRange {
                min: "1".into(),
                max: "9".into(),
            },
        );
        assert_eq!(e.message(Lang::Cs), "Musí být v rozmezí 1 až 9");
    }

    #[test]
    fn every_reason_key_has_a_text() {
        for key in [
            reason::IN_FUTURE,
            reason::VALID_UNTIL_NOT_AFTER_MEASURED,
            reason::PLUS_CYLINDER,
            reason::AXIS_WITHOUT_CYLINDER,
            reason::NEGATIVE_AMOUNT,
            reason::DISCOUNT_EXCEEDS_PRICE,
            reason::DEPOSIT_EXCEEDS_TOTAL,
            reason::LENSES_NEED_PRESCRIPTION,
            reason::LENS_DESIGN_MISMATCH,
            reason::COUPON_NOT_APPLICABLE,
            reason::NO_SUCH_ORDER,
            reason::AMBIGUOUS_ORDER,
            reason::ORDER_CANCELLED,
            reason::BEYOND_LEFT,
            reason::BEYOND_OPEN,
            reason::BEYOND_GIVEN,
            reason::FOREIGN_CURRENCY,
            reason::BEYOND_PAID,
            reason::BEYOND_INVOICE,
            reason::NOT_CORRECTABLE,
            reason::NOT_IN_STOCK,
            reason::BEYOND_RECEIPT,
            reason::BEYOND_DRAWER,
            reason::BEYOND_TOTAL,
            reason::ORDER_OR_GOODS,
            reason::NOT_SOLD_HERE,
            reason::OVERLAPS,
        ] {
            assert!(explain(key).is_some(), "{key}");
        }
    }

    #[test]
    fn serialises_for_the_ui() {
        let e = FieldError::new("a", Problem::TooLong { max: 3 });
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"field":"a","problem":{"kind":"too_long","detail":{"max":3}}}"#
        );
        assert_eq!(serde_json::from_str::<FieldError>(&json).unwrap(), e);
        let json = serde_json::to_string(&FieldError::new("a", Problem::Required)).unwrap();
        assert_eq!(json, r#"{"field":"a","problem":{"kind":"required"}}"#);
    }

    #[test]
    fn symbols() {
        assert_eq!(variable_symbol("f", " 0012345 ").unwrap(), "0012345");
        assert_eq!(variable_symbol("f", "1234567890").unwrap(), "1234567890");
        assert_eq!(
            problem(variable_symbol("f", "12345678901")),
            Problem::TooLong { max: 10 }
        );
        assert_eq!(problem(variable_symbol("f", "12a")), Problem::Invalid);
        assert_eq!(problem(variable_symbol("f", "-12")), Problem::Invalid);
        assert_eq!(problem(variable_symbol("f", "  ")), Problem::Required);
        assert_eq!(constant_symbol("f", "0308").unwrap(), "0308");
        assert_eq!(
            problem(constant_symbol("f", "12345")),
            Problem::TooLong { max: 4 }
        );
        assert_eq!(specific_symbol("f", "9").unwrap(), "9");
        assert_eq!(problem(specific_symbol("f", "1 2")), Problem::Invalid);
    }

    #[test]
    fn phones() {
        for ok in [
            "+420 123 456 789",
            "00420123456789",
            "123456789",
            "123 456 789",
            "+420123456789",
            "123-456-789",
        ] {
            assert_eq!(phone_cz("f", ok).unwrap(), "+420 123 456 789", "{ok}");
        }
        assert_eq!(phone_cz("f", "+49 30 1234567").unwrap(), "+49301234567");
        assert_eq!(phone_cz("f", "0049301234567").unwrap(), "+49301234567");
        for bad in [
            "12345678",
            "1234567890",
            "+420 12345678",
            "+1234567",
            "+1234567890123456",
            "12345678x",
            "+",
        ] {
            assert_eq!(problem(phone_cz("f", bad)), Problem::Invalid, "{bad}");
        }
        assert_eq!(problem(phone_cz("f", "")), Problem::Required);
    }

    #[test]
    fn postal_codes() {
        assert_eq!(postal_code_cz("f", "11000").unwrap(), "110 00");
        assert_eq!(postal_code_cz("f", " 602 00 ").unwrap(), "602 00");
        assert_eq!(postal_code_cz("f", "79001").unwrap(), "790 01");
        for bad in ["01000", "81000", "1100", "110000", "1a000"] {
            assert_eq!(problem(postal_code_cz("f", bad)), Problem::Invalid, "{bad}");
        }
        assert_eq!(problem(postal_code_cz("f", " ")), Problem::Required);
    }

    #[test]
    fn emails() {
        assert_eq!(
            email("f", " Jana.Novak@Seznam.CZ ").unwrap(),
            "Jana.Novak@seznam.cz"
        );
        for bad in [
            "jana",
            "@seznam.cz",
            "jana@seznam",
            "jana@@seznam.cz",
            "ja na@seznam.cz",
            "jana@seznam..cz",
            "jana@.cz",
            "jana@cz.",
        ] {
            assert_eq!(problem(email("f", bad)), Problem::Invalid, "{bad}");
        }
        let long = format!("{}@example.cz", "a".repeat(250));
        assert_eq!(problem(email("f", &long)), Problem::TooLong { max: 254 });
        assert_eq!(problem(email("f", "")), Problem::Required);
    }

    #[test]
    fn text() {
        assert_eq!(required("f", "  Jana ").unwrap(), "Jana");
        assert_eq!(problem(required("f", " \t ")), Problem::Required);
        assert_eq!(max_len("f", "Žluťoučký", 9).unwrap(), "Žluťoučký");
        assert_eq!(
            problem(max_len("f", "Žluťoučký kůň", 9)),
            Problem::TooLong { max: 9 }
        );
        assert_eq!(max_len("f", "", 3).unwrap(), "");
    }
}
