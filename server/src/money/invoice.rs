//! Tax documents as Czech VAT law wants them (issue 13, point 4), with no I/O:
//! their kinds and number series, the parties as printed, the lines of a final
//! invoice (the order's lines, its order-wide discount and the deposits already
//! taxed, each split by VAT rate), of a deposit document (a payment received
//! before the supply, split over the order's rates) and of a credit note (part of
//! a document taken back, split the same way), and the VAT breakdown per rate
//! (`vat_from_gross` on each rate's sum, §37). Amounts are gross haléře.

use fieldcase_shared::vat::{VatRate, vat_from_gross};
use fieldcase_shared::{Lang, Money};
use serde::{Deserialize, Serialize};

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The invoice for the supply (faktura – daňový doklad).
    Invoice,
    /// A payment received before the supply (daňový doklad k přijaté platbě).
    Deposit,
    /// A correction (opravný daňový doklad, dobropis).
    CreditNote,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 3] = [Kind::Invoice, Kind::Deposit, Kind::CreditNote];

    /// The code stored in SQL.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Invoice => "invoice",
            Kind::Deposit => "deposit",
            Kind::CreditNote => "credit_note",
        }
    }

    /// From [`Kind::code`].
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The series' prefix in the number (`FV2026000001`).
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Invoice => "FV",
            Kind::Deposit => "ZD",
            Kind::CreditNote => "DN",
        }
    }

    /// The document's title.
    pub fn title(self, l: Lang) -> &'static str {
        match self {
            Kind::Invoice => l.pick("Faktura – daňový doklad", "Invoice – tax document"),
            Kind::Deposit => l.pick(
                "Daňový doklad k přijaté platbě",
                "Tax document for a payment received",
            ),
            Kind::CreditNote => l.pick(
                "Opravný daňový doklad (dobropis)",
                "Credit note – corrective tax document",
            ),
        }
    }

    /// A short label for lists.
    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Kind::Invoice => l.pick("faktura", "invoice"),
            Kind::Deposit => l.pick("zálohový doklad", "deposit document"),
            Kind::CreditNote => l.pick("dobropis", "credit note"),
        }
    }
}

/// A document's number: the series' prefix, the year and six digits.
pub fn number(kind: Kind, year: i32, sequence: i64) -> String {
    format!("{}{year}{sequence:06}", kind.prefix())
}

/// A party as the document prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub postal_code: String,
    /// IČO (company id).
    #[serde(default)]
    pub ico: String,
    /// DIČ (VAT id).
    #[serde(default)]
    pub dic: String,
    /// The account to pay to (the supplier's).
    #[serde(default)]
    pub iban: String,
}

impl Party {
    /// The address on one line.
    pub fn address(&self) -> String {
        let town = format!("{} {}", self.postal_code, self.city)
            .trim()
            .to_owned();
        [self.street.as_str(), town.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A line of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub quantity: i64,
    /// Gross price of one.
    pub unit_price: Money,
    /// VAT in basis points.
    pub vat_bp: i64,
    /// Gross of the line (after its discount).
    pub total: Money,
}

impl Line {
    /// A line of one item of `total`.
    pub fn single(text: String, vat_bp: i64, total: Money) -> Line {
        Line {
            text,
            quantity: 1,
            unit_price: total,
            vat_bp,
            total,
        }
    }
}

/// The rate of `vat_bp` (an unknown one reads as 0 %).
pub fn rate(vat_bp: i64) -> VatRate {
    u8::try_from(vat_bp / 100)
        .ok()
        .and_then(VatRate::from_percent)
        .unwrap_or(VatRate::ZERO)
}

/// Gross per rate, highest rate first (rates whose sum is zero left out).
pub fn gross_by_rate(lines: &[Line]) -> Vec<(i64, Money)> {
    let mut rates: Vec<i64> = lines.iter().map(|l| l.vat_bp).collect();
    rates.sort_unstable_by(|a, b| b.cmp(a));
    rates.dedup();
    rates
        .into_iter()
        .map(|bp| {
            (
                bp,
                lines
                    .iter()
                    .filter(|l| l.vat_bp == bp)
                    .map(|l| l.total)
                    .sum(),
            )
        })
        .filter(|(_, gross): &(i64, Money)| !gross.is_zero())
        .collect()
}

/// One rate's line of the VAT breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatLine {
    pub vat_bp: i64,
    pub base: Money,
    pub vat: Money,
    pub gross: Money,
}

/// Base, VAT and gross per rate, highest rate first.
pub fn breakdown(lines: &[Line]) -> Vec<VatLine> {
    gross_by_rate(lines)
        .into_iter()
        .map(|(vat_bp, gross)| {
            let (base, vat) = vat_from_gross(gross, rate(vat_bp));
            VatLine {
                vat_bp,
                base,
                vat,
                gross,
            }
        })
        .collect()
}

/// `amount` split over the rates in proportion to `weights` (gross per rate), to
/// the haléř, the remainders going to the largest fractions so the parts add up
/// to `amount` exactly. No weights: all at 0 %.
pub fn split(amount: Money, weights: &[(i64, Money)]) -> Vec<(i64, Money)> {
    let total: i128 = weights.iter().map(|(_, w)| i128::from(w.haler())).sum();
    if total == 0 {
        return vec![(0, amount)];
    }
    let a = i128::from(amount.haler());
    let mut parts: Vec<(i64, i128, i128)> = weights
        .iter()
        .map(|(bp, w)| {
            let exact = a * i128::from(w.haler());
            (*bp, exact.div_euclid(total), exact.rem_euclid(total))
        })
        .collect();
    let mut left = a - parts.iter().map(|p| p.1).sum::<i128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|x, y| parts[*y].2.cmp(&parts[*x].2));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|(bp, v, _)| (bp, Money::from_haler(i64::try_from(v).unwrap_or(0))))
        .filter(|(_, v)| !v.is_zero())
        .collect()
}

/// A rate's label in a line's text (`21 %`).
pub fn pct(vat_bp: i64, l: Lang) -> String {
    rate(vat_bp).label(l)
}

/// The lines of the final invoice: the order's `lines`, the order-wide discount
/// that brings them to `order_total` (split by rate), and each deposit document
/// already issued (`number`, its gross per rate) deducted.
pub fn final_lines(
    lines: &[Line],
    order_total: Money,
    deposits: &[(String, Vec<(i64, Money)>)],
) -> Vec<Line> {
    let mut out: Vec<Line> = lines.to_vec();
    let sum: Money = lines.iter().map(|l| l.total).sum();
    let discount = sum - order_total;
    if discount.haler() > 0 {
        for (bp, part) in split(discount, &gross_by_rate(lines)) {
            out.push(Line::single(
                format!("Sleva na objednávku ({})", pct(bp, Lang::Cs)),
                bp,
                -part,
            ));
        }
    }
    for (number, parts) in deposits {
        for (bp, part) in parts {
            out.push(Line::single(
                format!("Odpočet zálohy {number} ({})", pct(*bp, Lang::Cs)),
                *bp,
                -*part,
            ));
        }
    }
    out
}

/// The lines of a deposit document for `amount` received towards an order whose
/// gross per rate is `order_rates`.
pub fn deposit_lines(amount: Money, vs: &str, order_rates: &[(i64, Money)]) -> Vec<Line> {
    split(amount, order_rates)
        .into_iter()
        .map(|(bp, part)| {
            Line::single(
                format!("Záloha na objednávku {vs} ({})", pct(bp, Lang::Cs)),
                bp,
                part,
            )
        })
        .collect()
}

/// The lines of a credit note taking `amount` back from document `number` whose
/// gross per rate is `rates`.
pub fn credit_lines(
    amount: Money,
    number: &str,
    reason: &str,
    rates: &[(i64, Money)],
) -> Vec<Line> {
    split(amount, rates)
        .into_iter()
        .map(|(bp, part)| {
            Line::single(
                format!("Oprava dokladu {number}: {reason} ({})", pct(bp, Lang::Cs)),
                bp,
                -part,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn czk(n: i64) -> Money {
        Money::from_czk(n)
    }

    #[test]
    fn a_split_adds_up_exactly() {
        let w = [(2100, czk(5040)), (1200, czk(5340))];
        for amount in [1, 2, 3, 99, 1000, 10380, 123_457] {
            let parts = split(Money::from_haler(amount), &w);
            assert_eq!(
                parts.iter().map(|(_, v)| v.haler()).sum::<i64>(),
                amount,
                "{amount}"
            );
        }
        assert_eq!(split(czk(10), &[]), vec![(0, czk(10))]);
    }

    #[test]
    fn the_final_invoice_takes_the_discount_and_deducts_deposits() {
        let lines = vec![
            Line {
                text: "Obruba".into(),
                quantity: 1,
                unit_price: czk(5040),
                vat_bp: 2100,
                total: czk(5040),
            },
            Line {
                text: "Čočky".into(),
                quantity: 2,
                unit_price: czk(2670),
                vat_bp: 1200,
                total: czk(5340),
            },
        ];
        let deposit = (
            "ZD2026000001".to_owned(),
            split(czk(3000), &gross_by_rate(&lines)),
        );
        let out = final_lines(&lines, czk(9380), &[deposit]);
        let total: Money = out.iter().map(|l| l.total).sum();
        assert_eq!(total, czk(9380 - 3000));
        let vat = breakdown(&out);
        assert_eq!(vat.iter().map(|v| v.gross).sum::<Money>(), total);
        for v in &vat {
            assert_eq!(v.base + v.vat, v.gross);
        }
        assert!(
            out.iter()
                .any(|l| l.text.starts_with("Odpočet zálohy ZD2026000001"))
        );
        assert_eq!(number(Kind::CreditNote, 2026, 7), "DN2026000007");
    }
}
