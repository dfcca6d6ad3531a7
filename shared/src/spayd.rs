//! QR payment ("QR Platba", SPAYD 1.0): the text a Czech banking app reads from a
//! QR code to fill in a payment. The variable symbol then matches the bank's (FIO)
//! statement line to the order.

use crate::money::Money;

/// A payment request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spayd {
    /// The payee's IBAN (`CZ65 0800 …`, spaces allowed).
    pub iban: String,
    /// Amount; must be positive.
    pub amount: Money,
    /// Variable symbol (1–10 digits).
    pub variable_symbol: String,
    /// Recipient name (optional; ≤ 35 characters are written).
    pub recipient: String,
    /// Message for the payee (≤ 60 characters are written).
    pub message: String,
}

/// Why a payment request cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpaydError {
    /// The IBAN's check digits or shape are wrong.
    #[error("{0:?} is not a valid IBAN")]
    Iban(String),
    /// Nothing (or less than nothing) to pay.
    #[error("the amount to pay must be positive")]
    Amount,
    /// The variable symbol is not 1–10 digits.
    #[error("{0:?} is not a variable symbol (1–10 digits)")]
    VariableSymbol(String),
}

/// `CZ65 0800 0000 1920 0014 5399` → `CZ6508000000192000145399` if its check digits
/// hold (ISO 13616 mod 97).
pub fn normalise_iban(iban: &str) -> Option<String> {
    let compact: String = iban
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let shaped = (15..=34).contains(&compact.len())
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && compact[..2].chars().all(|c| c.is_ascii_uppercase())
        && compact[2..4].chars().all(|c| c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let rearranged = compact[4..].chars().chain(compact[..4].chars());
    let mut rest: u32 = 0;
    for c in rearranged {
        let value = c.to_digit(36)?;
        let (shift, value) = if value >= 10 {
            (100, value)
        } else {
            (10, value)
        };
        rest = (rest * shift + value) % 97;
    }
    (rest == 1).then_some(compact)
}

/// A value as SPAYD wants it: no `*` (written `%2A`), upper case (cheaper in a QR
/// code), at most `max` characters.
fn value(text: &str, max: usize) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect::<String>()
        .to_uppercase()
        .replace('*', "%2A")
}

impl Spayd {
    /// The SPAYD text, e.g.
    /// `SPD*1.0*ACC:CZ6508000000192000145399*AM:1299.00*CC:CZK*X-VS:2024000123*MSG:…`.
    pub fn text(&self) -> Result<String, SpaydError> {
        let iban = normalise_iban(&self.iban).ok_or_else(|| SpaydError::Iban(self.iban.clone()))?;
        if self.amount <= Money::ZERO {
            return Err(SpaydError::Amount);
        }
        let vs = &self.variable_symbol;
        if vs.is_empty() || vs.len() > 10 || !vs.chars().all(|c| c.is_ascii_digit()) {
            return Err(SpaydError::VariableSymbol(vs.clone()));
        }
        let mut out = format!(
            "SPD*1.0*ACC:{iban}*AM:{}*CC:CZK*X-VS:{vs}",
            self.amount.to_decimal_string()
        );
        if !self.recipient.trim().is_empty() {
            out.push_str(&format!("*RN:{}", value(self.recipient.trim(), 35)));
        }
        if !self.message.trim().is_empty() {
            out.push_str(&format!("*MSG:{}", value(self.message.trim(), 60)));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Spayd {
        Spayd {
            iban: "CZ65 0800 0000 1920 0014 5399".into(),
            amount: Money::from_haler(129_900),
            variable_symbol: "2024000123".into(),
            recipient: String::new(),
            message: "Objednavka 123".into(),
        }
    }

    #[test]
    fn writes_the_documented_example() {
        assert_eq!(
            request().text().unwrap(),
            "SPD*1.0*ACC:CZ6508000000192000145399*AM:1299.00*CC:CZK*X-VS:2024000123*MSG:OBJEDNAVKA 123"
        );
    }

    #[test]
    fn stars_are_escaped_and_long_texts_cut() {
        let r = Spayd {
            recipient: "Optika *Fieldcase* s.r.o.".into(),
            message: "x".repeat(80),
            ..request()
        };
        let text = r.text().unwrap();
        assert!(text.contains("*RN:OPTIKA %2AFIELDCASE%2A S.R.O."), "{text}");
        assert!(
            text.ends_with(&format!("*MSG:{}", "X".repeat(60))),
            "{text}"
        );
    }

    #[test]
    fn bad_iban_amount_and_symbol_are_refused() {
        let bad_check = Spayd {
            iban: "CZ6608000000192000145399".into(),
            ..request()
        };
        assert!(matches!(bad_check.text(), Err(SpaydError::Iban(_))));
        let nothing = Spayd {
            amount: Money::ZERO,
            ..request()
        };
        assert_eq!(nothing.text(), Err(SpaydError::Amount));
        let letters = Spayd {
            variable_symbol: "12a".into(),
            ..request()
        };
        assert!(matches!(letters.text(), Err(SpaydError::VariableSymbol(_))));
        assert_eq!(
            normalise_iban("DE89 3704 0044 0532 0130 00").as_deref(),
            Some("DE89370400440532013000")
        );
        assert_eq!(normalise_iban("CZ65"), None);
    }
}
