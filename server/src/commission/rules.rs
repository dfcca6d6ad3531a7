//! Commission rules and what they give (issue 14, slice 1: the rules without IO;
//! the store, the pages and the accrual come next — docs/plans/
//! issue-14-commissions.md). A rule pays a rate (basis points of the base: the
//! lines' price without VAT) for a product group and an adviser level, valid from
//! a day until before another; a campaign rule adds its rate and a bonus per
//! piece on top, for a product (SKU) or a group, within its dates. A rule is
//! changed by a new version; an order is paid by the versions valid on the day it
//! was taken. Every amount carries its explanation: the order's lines, the base,
//! the rule and its version, the rate and the bonus.

use fieldcase_shared::vat::vat_from_gross;
use fieldcase_shared::{FieldError, Lang, Money, Problem};
use time::Date;
use uuid::Uuid;

use crate::money::invoice::rate;

/// An adviser's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Junior,
    Senior,
    /// A team lead (their override on their team's orders is a rule of this level).
    Lead,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Junior, Level::Senior, Level::Lead];

    pub fn code(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Senior => "senior",
            Level::Lead => "lead",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Level::Junior => l.pick("začínající", "junior"),
            Level::Senior => l.pick("zkušený", "senior"),
            Level::Lead => l.pick("vedoucí týmu", "team lead"),
        }
    }
}

/// A campaign: its name and, optionally, the one product (SKU) it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub name: String,
    pub sku: Option<String>,
    /// Paid per piece on top of the rate.
    pub bonus: Money,
}

/// One version of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: Uuid,
    pub version: i32,
    /// The product kind it is for (`frame`, `lens`, `coating`, `contact_lens`,
    /// `accessory`, `service`); none: every kind.
    pub group: Option<String>,
    /// None: every level.
    pub level: Option<Level>,
    pub campaign: Option<Campaign>,
    /// Basis points of the base (1 000 = 10 %).
    pub rate_bp: i64,
    pub valid_from: Date,
    /// The first day it no longer applies (none: open).
    pub valid_to: Option<Date>,
}

impl Rule {
    /// Whether it is valid on `day`.
    pub fn valid_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day < to)
    }

    /// How specific it is: group and level > group > level > neither.
    fn specificity(&self) -> u8 {
        u8::from(self.group.is_some()) * 2 + u8::from(self.level.is_some())
    }

    /// Whether it is for `line` of an adviser of `level`.
    fn covers(&self, line: &OrderLine, level: Level) -> bool {
        self.group.as_ref().is_none_or(|g| *g == line.group)
            && self.level.is_none_or(|l| l == level)
            && self
                .campaign
                .as_ref()
                .and_then(|c| c.sku.as_ref())
                .is_none_or(|sku| *sku == line.sku)
    }

    /// Whether it and `other` are the same rule's key (group, level, campaign):
    /// two of them must not be valid on one day.
    fn same_key(&self, other: &Rule) -> bool {
        let campaign = |r: &Rule| r.campaign.as_ref().map(|c| (c.name.clone(), c.sku.clone()));
        self.group == other.group && self.level == other.level && campaign(self) == campaign(other)
    }

    /// Whether its validity and `other`'s share a day.
    fn overlaps(&self, other: &Rule) -> bool {
        let before = |end: Option<Date>, start: Date| end.is_some_and(|e| e <= start);
        !before(self.valid_to, other.valid_from) && !before(other.valid_to, self.valid_from)
    }
}

/// A line of an order as commission sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    /// Its position on the order.
    pub position: i64,
    pub text: String,
    /// The product kind.
    pub group: String,
    pub sku: String,
    pub quantity: i64,
    /// Gross after its discount.
    pub gross: Money,
    pub vat_bp: i64,
}

impl OrderLine {
    /// Its price without VAT.
    pub fn net(&self) -> Money {
        vat_from_gross(self.gross, rate(self.vat_bp)).0
    }
}

/// What one rule gives on an order, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accrual {
    pub rule: Uuid,
    pub version: i32,
    /// The order's lines it was paid on (positions).
    pub lines: Vec<i64>,
    /// Their price without VAT.
    pub base: Money,
    pub rate_bp: i64,
    /// Pieces × the campaign's bonus.
    pub bonus: Money,
    pub amount: Money,
    /// The campaign's name, if it is one.
    pub campaign: Option<String>,
}

impl Accrual {
    /// "Why this amount", in `l`.
    pub fn explain(&self, l: Lang) -> String {
        let pct = format!("{},{:02} %", self.rate_bp / 100, self.rate_bp % 100);
        let mut text = match l {
            Lang::Cs => format!(
                "{} ze základu {} (řádky {}; pravidlo v{})",
                pct,
                self.base.format(l),
                join(&self.lines),
                self.version
            ),
            Lang::En => format!(
                "{} of {} (lines {}; rule v{})",
                pct.replace(',', "."),
                self.base.format(l),
                join(&self.lines),
                self.version
            ),
        };
        if let Some(c) = &self.campaign {
            text = format!("{}: {text}", c);
        }
        if !self.bonus.is_zero() {
            text += &format!(" + {} {}", l.pick("bonus", "bonus"), self.bonus.format(l));
        }
        format!("{text} = {}", self.amount.format(l))
    }
}

fn join(positions: &[i64]) -> String {
    positions
        .iter()
        .map(|p| (p + 1).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `base` × `rate_bp`, to the haléř (half away from zero).
fn share(base: Money, rate_bp: i64) -> Money {
    let exact = i128::from(base.haler()) * i128::from(rate_bp);
    let rounded = (exact + exact.signum() * 5_000) / 10_000;
    Money::from_haler(i64::try_from(rounded).unwrap_or(0))
}

/// What `rules` give on an order of `lines` taken on `taken_on` by an adviser of
/// `level`: for each line the most specific ordinary rule valid that day, and
/// every campaign valid that day that covers it; one accrual per rule.
pub fn accrue(lines: &[OrderLine], rules: &[Rule], level: Level, taken_on: Date) -> Vec<Accrual> {
    let valid: Vec<&Rule> = rules.iter().filter(|r| r.valid_on(taken_on)).collect();
    let mut out: Vec<Accrual> = Vec::new();
    let mut give = |rule: &Rule, line: &OrderLine| {
        let bonus = rule
            .campaign
            .as_ref()
            .map(|c| Money::from_haler(c.bonus.haler() * line.quantity))
            .unwrap_or(Money::ZERO);
        let at = match out
            .iter()
            .position(|a| a.rule == rule.id && a.version == rule.version)
        {
            Some(i) => i,
            None => {
                out.push(Accrual {
                    rule: rule.id,
                    version: rule.version,
                    lines: Vec::new(),
                    base: Money::ZERO,
                    rate_bp: rule.rate_bp,
                    bonus: Money::ZERO,
                    amount: Money::ZERO,
                    campaign: rule.campaign.as_ref().map(|c| c.name.clone()),
                });
                out.len() - 1
            }
        };
        let a = &mut out[at];
        a.lines.push(line.position);
        a.base += line.net();
        a.bonus += bonus;
    };
    for line in lines {
        let ordinary = valid
            .iter()
            .filter(|r| r.campaign.is_none() && r.covers(line, level))
            .max_by_key(|r| r.specificity());
        if let Some(rule) = ordinary {
            give(rule, line);
        }
        for rule in valid
            .iter()
            .filter(|r| r.campaign.is_some() && r.covers(line, level))
        {
            give(rule, line);
        }
    }
    for a in &mut out {
        a.amount = share(a.base, a.rate_bp) + a.bonus;
    }
    out.retain(|a| !a.amount.is_zero());
    out
}

/// Whether `rule` may join `existing` (other versions of it are replaced by it,
/// so they do not count): a rate of 0–100 %, a bonus not below zero, an end after
/// the start, and no other rule of the same group, level and campaign valid on a
/// day it is. Every problem at once, per field.
pub fn check(rule: &Rule, existing: &[Rule]) -> Result<(), Vec<FieldError>> {
    let mut problems = Vec::new();
    if !(0..=10_000).contains(&rule.rate_bp) {
        problems.push(FieldError::new(
            "rate",
            Problem::OutOfRange {
                min: "0 %".into(),
                max: "100 %".into(),
            },
        ));
    }
    if rule
        .campaign
        .as_ref()
        .is_some_and(|c| c.bonus.is_negative())
    {
        problems.push(FieldError::new(
            "bonus",
            Problem::NotAllowed(fieldcase_shared::validate::reason::NEGATIVE_AMOUNT.into()),
        ));
    }
    if rule.valid_to.is_some_and(|to| to <= rule.valid_from) {
        problems.push(FieldError::new("valid_to", Problem::Invalid));
    }
    if existing
        .iter()
        .any(|r| r.id != rule.id && r.same_key(rule) && r.overlaps(rule))
    {
        problems.push(FieldError::new(
            "valid_from",
            Problem::NotAllowed(fieldcase_shared::validate::reason::OVERLAPS.into()),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn rule(
        group: Option<&str>,
        level: Option<Level>,
        rate_bp: i64,
        from: Date,
        to: Option<Date>,
    ) -> Rule {
        Rule {
            id: Uuid::now_v7(),
            version: 1,
            group: group.map(str::to_owned),
            level,
            campaign: None,
            rate_bp,
            valid_from: from,
            valid_to: to,
        }
    }

    fn line(
        position: i64,
        group: &str,
        sku: &str,
        quantity: i64,
        gross: i64,
        vat_bp: i64,
    ) -> OrderLine {
        OrderLine {
            position,
            text: format!("{group} {sku}"),
            group: group.into(),
            sku: sku.into(),
            quantity,
            gross: Money::from_czk(gross),
            vat_bp,
        }
    }

    #[test]
    fn the_most_specific_rule_valid_that_day_pays_each_line() {
        let any = rule(None, None, 500, date!(2026 - 01 - 01), None);
        let frames = rule(Some("frame"), None, 1_000, date!(2026 - 01 - 01), None);
        let senior_frames = rule(
            Some("frame"),
            Some(Level::Senior),
            1_200,
            date!(2026 - 01 - 01),
            Some(date!(2026 - 12 - 01)),
        );
        let rules = vec![any.clone(), frames.clone(), senior_frames.clone()];
        // A frame 1 210 Kč at 21 % (1 000 net), lenses 2 × 1 120 Kč at 12 % (2 000 net).
        let lines = vec![
            line(0, "frame", "RB1", 1, 1_210, 2100),
            line(1, "lens", "L1", 2, 2_240, 1200),
        ];
        let got = accrue(&lines, &rules, Level::Senior, date!(2026 - 11 - 30));
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].rule, got[0].base, got[0].amount),
            (
                senior_frames.id,
                Money::from_czk(1_000),
                Money::from_czk(120)
            )
        );
        assert_eq!(
            (got[1].rule, got[1].base, got[1].amount),
            (any.id, Money::from_czk(2_000), Money::from_czk(100))
        );
        // After the senior rule ends, frames go back to 10 %; a junior never had it.
        let got = accrue(&lines, &rules, Level::Senior, date!(2026 - 12 - 01));
        assert_eq!(
            (got[0].rule, got[0].amount),
            (frames.id, Money::from_czk(100))
        );
        let got = accrue(&lines, &rules, Level::Junior, date!(2026 - 11 - 30));
        assert_eq!(got[0].rule, frames.id);
        assert_eq!(
            got[0].explain(Lang::Cs),
            format!("10,00 % ze základu 1 000,00 Kč (řádky 1; pravidlo v1) = 100,00 Kč")
        );
    }

    #[test]
    fn a_campaign_adds_its_rate_and_bonus_within_its_dates() {
        let base = rule(None, None, 500, date!(2026 - 01 - 01), None);
        let mut campaign = rule(
            None,
            None,
            200,
            date!(2026 - 11 - 01),
            Some(date!(2026 - 12 - 01)),
        );
        campaign.campaign = Some(Campaign {
            name: "Podzim".into(),
            sku: Some("RB1".into()),
            bonus: Money::from_czk(50),
        });
        let rules = vec![base, campaign.clone()];
        let lines = vec![
            line(0, "frame", "RB1", 2, 2_420, 2100),
            line(1, "frame", "OTHER", 1, 1_210, 2100),
        ];
        let got = accrue(&lines, &rules, Level::Junior, date!(2026 - 11 - 15));
        let c = got
            .iter()
            .find(|a| a.rule == campaign.id)
            .unwrap_or_else(|| panic!("the campaign"));
        assert_eq!(
            (c.lines.clone(), c.base, c.bonus),
            (vec![0], Money::from_czk(2_000), Money::from_czk(100))
        );
        assert_eq!(c.amount, Money::from_czk(40 + 100));
        assert!(
            c.explain(Lang::En).starts_with("Podzim: 2.00% of")
                || c.explain(Lang::En).starts_with("Podzim: 2.00 % of")
        );
        assert!(
            accrue(&lines, &rules, Level::Junior, date!(2026 - 12 - 01))
                .iter()
                .all(|a| a.rule != campaign.id)
        );
    }

    #[test]
    fn overlapping_validity_a_negative_rate_and_a_backwards_range_are_refused() {
        let existing = vec![rule(
            Some("frame"),
            None,
            1_000,
            date!(2026 - 01 - 01),
            Some(date!(2026 - 07 - 01)),
        )];
        let fields = |r: &Rule| {
            check(r, &existing)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(&rule(Some("frame"), None, 800, date!(2026 - 06 - 01), None)),
            ["valid_from"]
        );
        assert!(
            fields(&rule(Some("frame"), None, 800, date!(2026 - 07 - 01), None)).is_empty(),
            "it may start when the other ends"
        );
        assert!(
            fields(&rule(Some("lens"), None, 800, date!(2026 - 06 - 01), None)).is_empty(),
            "another group"
        );
        assert_eq!(
            fields(&rule(Some("lens"), None, -1, date!(2026 - 06 - 01), None)),
            ["rate"]
        );
        assert_eq!(
            fields(&rule(
                Some("frame"),
                None,
                20_000,
                date!(2026 - 03 - 01),
                Some(date!(2026 - 02 - 01))
            )),
            ["rate", "valid_to", "valid_from"]
        );
        // A new version of the same rule replaces it: no overlap with itself.
        let mut next = existing[0].clone();
        next.version = 2;
        next.rate_bp = 1_100;
        assert!(check(&next, &existing).is_ok());
    }

    #[test]
    fn shares_round_to_the_haler_half_away_from_zero() {
        assert_eq!(
            share(Money::from_haler(1_005), 5_000),
            Money::from_haler(503)
        );
        assert_eq!(
            share(Money::from_haler(-1_005), 5_000),
            Money::from_haler(-503)
        );
        assert_eq!(share(Money::from_haler(333), 1_000), Money::from_haler(33));
    }
}
