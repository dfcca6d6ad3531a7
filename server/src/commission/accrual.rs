//! When an order earns commission and what the ledger books for it (issue 14,
//! slice 2), without IO. An order earns once it is delivered (or closed, or under
//! a complaint) and paid in full with no credit note; it then gets one accrual
//! line per rule that applied — for its adviser by the rules of their level, and
//! for their team lead by the rules of level `lead` (the override) — each with its
//! explanation. An order that stops earning (cancelled, money returned, credited,
//! moved back) gets a reversal for each accrual still standing; one that earns
//! again starts a new cycle. Nothing booked is changed: `decide` only adds.

use fieldcase_shared::{AdviserId, Lang, Money, OrderId, OrderStatus};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::rules::{Accrual, Level, OrderLine, Rule, accrue};
use super::store::rules::{AdviserLevel, StoredRule};

/// Where an order stands for commission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub status: OrderStatus,
    pub total: Money,
    /// Deposit and everything settled to it (bank, till; refunds lower it).
    pub paid: Money,
    /// A credit note was issued for it.
    pub credited: bool,
}

/// Why an order no longer earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    Cancelled,
    /// Paid less than its total (money went back).
    Refunded,
    Credited,
    /// Its status went back before delivery.
    Status,
}

impl Loss {
    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Loss::Cancelled => l.pick("zakázka zrušena", "order cancelled"),
            Loss::Refunded => l.pick("peníze vráceny", "money returned"),
            Loss::Credited => l.pick("vystaven opravný doklad", "credit note issued"),
            Loss::Status => l.pick("stav vrácen před předáním", "status moved back"),
        }
    }
}

impl Standing {
    /// Why it does not earn (none: it earns).
    pub fn loss(&self) -> Option<Loss> {
        if self.status == OrderStatus::Cancelled {
            Some(Loss::Cancelled)
        } else if self.credited {
            Some(Loss::Credited)
        } else if !matches!(
            self.status,
            OrderStatus::Delivered | OrderStatus::Closed | OrderStatus::Complaint
        ) {
            Some(Loss::Status)
        } else if self.paid < self.total {
            Some(Loss::Refunded)
        } else {
            None
        }
    }
}

/// An order as the accrual sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFacts {
    pub id: OrderId,
    pub vs: String,
    pub adviser: Option<AdviserId>,
    pub taken_at: OffsetDateTime,
    pub standing: Standing,
    pub lines: Vec<OrderLine>,
}

/// A line the ledger holds for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booked {
    pub id: Uuid,
    pub adviser: AdviserId,
    /// `accrual`, `reversal`, `payout`, `adjustment`.
    pub kind: String,
    /// The rule that gave it (none: typed in by hand).
    pub rule: Option<Uuid>,
    pub cycle: i64,
    pub amount: Money,
    pub reverses: Option<Uuid>,
    /// Its explanation (JSON; empty for lines typed in by hand).
    pub explanation: String,
}

/// Why an amount, as kept on its line (JSON) and shown on the phone and in the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub order: Uuid,
    pub vs: String,
    /// The day the order was taken (`YYYY-MM-DD`): its rules are those valid that
    /// day, each in the version written by then.
    pub taken_on: String,
    /// The earning adviser's level then.
    pub level: String,
    /// The lines paid on: position, text, price without VAT (after the order's discount).
    pub lines: Vec<(i64, String, Money)>,
    pub base: Money,
    pub rule: Uuid,
    pub version: i32,
    pub rate_bp: i64,
    pub bonus: Money,
    pub amount: Money,
    pub campaign: Option<String>,
    /// A team lead's override: the team member whose order it was.
    pub override_for: Option<Uuid>,
    /// A reversal: why.
    pub reversal: Option<Loss>,
    /// A re-computation's adjustment: what was booked and what the rules give.
    #[serde(default)]
    pub recomputed: Option<(Money, Money)>,
}

impl Explanation {
    /// "Why this amount", in `l`.
    pub fn text(&self, l: Lang) -> String {
        let accrual = Accrual {
            rule: self.rule,
            version: self.version,
            lines: self.lines.iter().map(|(p, _, _)| *p).collect(),
            base: self.base,
            rate_bp: self.rate_bp,
            bonus: self.bonus,
            amount: self.amount,
            campaign: self.campaign.clone(),
        };
        let level = Level::from_code(&self.level).map_or(self.level.as_str(), |lv| lv.label(l));
        let mut text = format!(
            "{} {}, {} {}: {}",
            l.pick("Zakázka VS", "Order VS"),
            self.vs,
            l.pick("úroveň", "level"),
            level,
            accrual.explain(l)
        );
        if self.override_for.is_some() {
            text = format!("{} {text}", l.pick("Za tým:", "Team override:"));
        }
        if let Some((booked, due)) = self.recomputed {
            text = match l {
                Lang::Cs => format!(
                    "Přepočet (zaúčtováno {}, podle pravidel {}): {text}",
                    booked.format(l),
                    due.format(l)
                ),
                Lang::En => format!(
                    "Recomputed (booked {}, the rules give {}): {text}",
                    booked.format(l),
                    due.format(l)
                ),
            };
        }
        if let Some(loss) = self.reversal {
            text = format!(
                "{} ({}): {text}",
                l.pick("Storno", "Reversal"),
                loss.label(l)
            );
        }
        text
    }
}

/// A line to book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub adviser: AdviserId,
    /// `accrual` or `reversal`.
    pub kind: &'static str,
    pub rule: Uuid,
    pub version: i32,
    pub cycle: i64,
    pub amount: Money,
    pub reverses: Option<Uuid>,
    pub explanation: Explanation,
}

/// The rules an order taken at `at` is paid by: for each rule, its latest version
/// written by then — a change applies to orders taken after it — or, for a rule
/// first written after the order, its first version (a new rule applies by its
/// dates).
pub fn rules_as_of(versions: &[StoredRule], at: OffsetDateTime) -> Vec<Rule> {
    let mut out: Vec<(Rule, bool)> = Vec::new();
    for s in versions {
        let by_then = s.created_at <= at;
        match out.iter_mut().find(|(r, _)| r.id == s.rule.id) {
            Some((r, known)) => {
                if by_then && (!*known || r.version < s.rule.version) {
                    *r = s.rule.clone();
                    *known = true;
                } else if !*known && s.rule.version < r.version {
                    *r = s.rule.clone();
                }
            }
            None => out.push((s.rule.clone(), by_then)),
        }
    }
    out.into_iter().map(|(r, _)| r).collect()
}

/// An adviser's level and team lead on `day` (from their levels, oldest first);
/// junior with no lead when none was set by then.
pub fn level_on(levels: &[AdviserLevel], day: Date) -> (Level, Option<AdviserId>) {
    levels
        .iter()
        .rev()
        .find(|l| l.valid_from <= day)
        .map_or((Level::Junior, None), |l| (l.level, l.team_lead))
}

/// The order's lines with its order-wide discount spread over them in proportion
/// (to the haléř, the remainder to the largest lines), so they add up to `total`.
pub fn discounted(lines: &[OrderLine], total: Money) -> Vec<OrderLine> {
    let sum: i64 = lines.iter().map(|l| l.gross.haler()).sum();
    let discount = sum - total.haler();
    if discount <= 0 || sum <= 0 {
        return lines.to_vec();
    }
    let mut out = lines.to_vec();
    let mut given = 0i64;
    let mut parts: Vec<(usize, i64, i128)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let exact = i128::from(l.gross.haler()) * i128::from(discount);
            let part = i64::try_from(exact / i128::from(sum)).unwrap_or(0);
            given += part;
            (i, part, exact % i128::from(sum))
        })
        .collect();
    parts.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut left = discount - given;
    for (i, part, _) in parts {
        let extra = i64::from(left > 0);
        left -= extra;
        out[i].gross = Money::from_haler(out[i].gross.haler() - part - extra);
    }
    out
}

/// What to book for `order` given what its ledger holds (`booked`), the rule
/// versions and the levels of its adviser (`levels`) on the day it was taken:
/// accruals when it earns and nothing stands, reversals of what stands when it
/// does not. Empty when the ledger already says what the order's standing says.
pub fn decide(
    order: &OrderFacts,
    booked: &[Booked],
    versions: &[StoredRule],
    levels: &[AdviserLevel],
) -> Vec<Posting> {
    // What stands: accruals and re-computations' adjustments not reversed.
    let standing: Vec<&Booked> = booked
        .iter()
        .filter(|b| (b.kind == "accrual" || b.kind == "adjustment") && b.rule.is_some())
        .filter(|b| !booked.iter().any(|r| r.reverses == Some(b.id)))
        .collect();
    match order.standing.loss() {
        Some(loss) => standing
            .into_iter()
            .map(|b| {
                let mut explanation = serde_json::from_str::<Explanation>(&b.explanation)
                    .unwrap_or_else(|_| unexplained(order, b));
                explanation.reversal = Some(loss);
                explanation.amount = -b.amount;
                Posting {
                    adviser: b.adviser,
                    kind: "reversal",
                    rule: explanation.rule,
                    version: explanation.version,
                    cycle: b.cycle,
                    amount: -b.amount,
                    reverses: Some(b.id),
                    explanation,
                }
            })
            .collect(),
        None if !standing.is_empty() => Vec::new(),
        None => {
            let Some(adviser) = order.adviser else {
                return Vec::new();
            };
            let cycle = booked
                .iter()
                .filter(|b| b.kind == "accrual" && b.rule.is_some())
                .map(|b| b.cycle + 1)
                .max()
                .unwrap_or(0);
            let day = order.taken_at.date();
            let rules = rules_as_of(versions, order.taken_at);
            let lines = discounted(&order.lines, order.standing.total);
            let own = levels.iter().filter(|l| l.adviser == adviser);
            let own: Vec<AdviserLevel> = own.cloned().collect();
            let (level, lead) = level_on(&own, day);
            let mut out: Vec<Posting> = accrue(&lines, &rules, level, day)
                .into_iter()
                .map(|a| posting(order, &lines, adviser, level, None, cycle, a))
                .collect();
            if let Some(lead) = lead.filter(|l| *l != adviser) {
                let lead_rules: Vec<Rule> = rules
                    .iter()
                    .filter(|r| r.level == Some(Level::Lead))
                    .cloned()
                    .collect();
                out.extend(
                    accrue(&lines, &lead_rules, Level::Lead, day)
                        .into_iter()
                        .map(|a| {
                            posting(order, &lines, lead, Level::Lead, Some(adviser), cycle, a)
                        }),
                );
            }
            out
        }
    }
}

fn posting(
    order: &OrderFacts,
    lines: &[OrderLine],
    adviser: AdviserId,
    level: Level,
    override_for: Option<AdviserId>,
    cycle: i64,
    a: Accrual,
) -> Posting {
    let explanation = Explanation {
        order: order.id.as_uuid(),
        vs: order.vs.clone(),
        taken_on: order.taken_at.date().to_string(),
        level: level.code().into(),
        lines: lines
            .iter()
            .filter(|l| a.lines.contains(&l.position))
            .map(|l| (l.position, l.text.clone(), l.net()))
            .collect(),
        base: a.base,
        rule: a.rule,
        version: a.version,
        rate_bp: a.rate_bp,
        bonus: a.bonus,
        amount: a.amount,
        campaign: a.campaign.clone(),
        override_for: override_for.map(|o| o.as_uuid()),
        reversal: None,
        recomputed: None,
    };
    Posting {
        adviser,
        kind: "accrual",
        rule: a.rule,
        version: a.version,
        cycle,
        amount: a.amount,
        reverses: None,
        explanation,
    }
}

/// The explanation of an accrual whose own could not be read (kept readable).
fn unexplained(order: &OrderFacts, b: &Booked) -> Explanation {
    Explanation {
        order: order.id.as_uuid(),
        vs: order.vs.clone(),
        taken_on: order.taken_at.date().to_string(),
        level: String::new(),
        lines: Vec::new(),
        base: Money::ZERO,
        rule: b.rule.unwrap_or_default(),
        version: 0,
        rate_bp: 0,
        bonus: Money::ZERO,
        amount: b.amount,
        campaign: None,
        override_for: None,
        reversal: None,
        recomputed: None,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    fn line(position: i64, group: &str, gross: i64, vat_bp: i64) -> OrderLine {
        OrderLine {
            position,
            text: format!("{group} {position}"),
            group: group.into(),
            sku: format!("S{position}"),
            quantity: 1,
            gross: Money::from_haler(gross),
            vat_bp,
        }
    }

    fn versions(rules: &[Rule], written: OffsetDateTime) -> Vec<StoredRule> {
        rules
            .iter()
            .map(|r| StoredRule {
                rule: r.clone(),
                actor: "test".into(),
                created_at: written,
            })
            .collect()
    }

    fn order(status: OrderStatus, paid: i64) -> OrderFacts {
        OrderFacts {
            id: OrderId::new(),
            vs: "9000100001".into(),
            adviser: Some(AdviserId::new()),
            taken_at: datetime!(2026-11-30 10:00 UTC),
            standing: Standing {
                status,
                total: Money::from_haler(12_100),
                paid: Money::from_haler(paid),
                credited: false,
            },
            lines: vec![line(0, "frame", 12_100, 2100)],
        }
    }

    fn booked_from(postings: &[Posting]) -> Vec<Booked> {
        postings
            .iter()
            .map(|p| Booked {
                id: Uuid::now_v7(),
                adviser: p.adviser,
                kind: p.kind.into(),
                rule: Some(p.rule),
                cycle: p.cycle,
                amount: p.amount,
                reverses: p.reverses,
                explanation: serde_json::to_string(&p.explanation).unwrap_or_default(),
            })
            .collect()
    }

    #[test]
    fn an_order_earns_delivered_and_paid_in_full_without_a_credit_note() {
        let s = |status, paid, credited| Standing {
            status,
            total: Money::from_haler(100),
            paid: Money::from_haler(paid),
            credited,
        };
        assert_eq!(s(OrderStatus::Delivered, 100, false).loss(), None);
        assert_eq!(s(OrderStatus::Closed, 120, false).loss(), None);
        assert_eq!(s(OrderStatus::Complaint, 100, false).loss(), None);
        assert_eq!(
            s(OrderStatus::Delivered, 99, false).loss(),
            Some(Loss::Refunded)
        );
        assert_eq!(
            s(OrderStatus::Shipped, 100, false).loss(),
            Some(Loss::Status)
        );
        assert_eq!(
            s(OrderStatus::Cancelled, 100, false).loss(),
            Some(Loss::Cancelled)
        );
        assert_eq!(
            s(OrderStatus::Delivered, 100, true).loss(),
            Some(Loss::Credited)
        );
    }

    #[test]
    fn the_order_discount_is_spread_to_the_haler() {
        let lines = vec![
            line(0, "frame", 605_000, 2100),
            line(1, "lens", 448_000, 1200),
        ];
        let got = discounted(&lines, Money::from_haler(1_000_000));
        assert_eq!(
            got.iter().map(|l| l.gross.haler()).collect::<Vec<_>>(),
            [574_549, 425_451]
        );
        assert_eq!(discounted(&lines, Money::from_haler(2_000_000)), lines);
    }

    #[test]
    fn accrued_once_reversed_once_and_a_new_cycle_when_it_earns_again() {
        let rule = Rule {
            id: Uuid::now_v7(),
            version: 1,
            group: None,
            level: None,
            campaign: None,
            rate_bp: 1_000,
            valid_from: date!(2026 - 01 - 01),
            valid_to: None,
        };
        let v = versions(&[rule], datetime!(2026-11-01 00:00 UTC));
        let paid = order(OrderStatus::Delivered, 12_100);
        let first = decide(&paid, &[], &v, &[]);
        assert_eq!(first.len(), 1);
        assert_eq!(
            (first[0].amount, first[0].cycle),
            (Money::from_haler(1_000), 0)
        );
        let mut held = booked_from(&first);
        assert!(decide(&paid, &held, &v, &[]).is_empty(), "booked already");
        let mut cancelled = paid.clone();
        cancelled.standing.status = OrderStatus::Cancelled;
        let back = decide(&cancelled, &held, &v, &[]);
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].reverses, Some(held[0].id));
        assert_eq!(back[0].amount, Money::from_haler(-1_000));
        assert!(
            back[0]
                .explanation
                .text(Lang::En)
                .starts_with("Reversal (order cancelled): Order VS 9000100001")
        );
        held.extend(booked_from(&back));
        assert!(
            decide(&cancelled, &held, &v, &[]).is_empty(),
            "reversed already"
        );
        let again = decide(&paid, &held, &v, &[]);
        assert_eq!(again[0].cycle, 1);
        // A rule's change pays only orders taken after it; a new rule pays by its dates.
        let mut changed = v[0].clone();
        changed.rule.version = 2;
        changed.rule.rate_bp = 9_000;
        changed.created_at = datetime!(2026-12-01 00:00 UTC);
        let mut later = v.clone();
        later.push(changed.clone());
        assert_eq!(decide(&paid, &[], &later, &[])[0].version, 1);
        let mut taken_later = paid.clone();
        taken_later.taken_at = datetime!(2026-12-02 00:00 UTC);
        assert_eq!(decide(&taken_later, &[], &later, &[])[0].version, 2);
        let new_rule = versions(&[v[0].rule.clone()], datetime!(2026-12-01 00:00 UTC));
        assert_eq!(decide(&paid, &[], &new_rule, &[]).len(), 1);
    }
}
