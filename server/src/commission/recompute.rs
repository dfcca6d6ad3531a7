//! Re-computation (issue 14, slice 5), without IO: what the rules give an order
//! now — the same rules as the accrual (each rule's version written by the time
//! the order was taken, advisers' levels as they stand) — against what its ledger
//! holds per adviser and rule (accruals, reversals and earlier adjustments), and
//! the differences as adjustment lines with their reason. History is never
//! rewritten; an unchanged history gives nothing.

use fieldcase_shared::{AdviserId, Money};
use uuid::Uuid;

use super::accrual::{Booked, Explanation, OrderFacts, decide};
use super::store::rules::{AdviserLevel, StoredRule};

/// An adjustment to book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub adviser: AdviserId,
    pub rule: Uuid,
    /// What the ledger held for the order and rule.
    pub booked: Money,
    /// What the rules give now.
    pub due: Money,
    /// `due − booked`.
    pub amount: Money,
    /// The rules' explanation of what is due (none when nothing is due).
    pub explanation: Option<Explanation>,
}

/// The adjustments `order` needs given its ledger lines `booked`.
pub fn recompute(
    order: &OrderFacts,
    booked: &[Booked],
    versions: &[StoredRule],
    levels: &[AdviserLevel],
) -> Vec<Adjustment> {
    // What is due: what the accrual would book on an empty ledger, when the order earns.
    let due: Vec<(AdviserId, Uuid, Money, Explanation)> = if order.standing.loss().is_none() {
        decide(order, &[], versions, levels)
            .into_iter()
            .map(|p| (p.adviser, p.rule, p.amount, p.explanation))
            .collect()
    } else {
        Vec::new()
    };
    let mut keys: Vec<(AdviserId, Uuid)> = due.iter().map(|d| (d.0, d.1)).collect();
    for b in booked.iter().filter(|b| b.kind != "payout") {
        if let Some(rule) = b.rule
            && !keys.contains(&(b.adviser, rule))
        {
            keys.push((b.adviser, rule));
        }
    }
    keys.into_iter()
        .filter_map(|(adviser, rule)| {
            let held: Money = booked
                .iter()
                .filter(|b| b.adviser == adviser && b.rule == Some(rule) && b.kind != "payout")
                .map(|b| b.amount)
                .sum();
            let found = due.iter().find(|d| d.0 == adviser && d.1 == rule);
            let owed = found.map_or(Money::ZERO, |d| d.2);
            let amount = owed - held;
            (!amount.is_zero()).then(|| Adjustment {
                adviser,
                rule,
                booked: held,
                due: owed,
                amount,
                explanation: found.map(|d| d.3.clone()),
            })
        })
        .collect()
}

/// "Why this adjustment", Czech and English.
pub fn reason(a: &Adjustment, vs: &str) -> (String, String) {
    let cs = format!(
        "Přepočet zakázky VS {vs}: zaúčtováno {}, podle pravidel {} — rozdíl {}.",
        a.booked.format(fieldcase_shared::Lang::Cs),
        a.due.format(fieldcase_shared::Lang::Cs),
        a.amount.format(fieldcase_shared::Lang::Cs)
    );
    let en = format!(
        "Recomputed order VS {vs}: booked {}, the rules give {} — difference {}.",
        a.booked.format(fieldcase_shared::Lang::En),
        a.due.format(fieldcase_shared::Lang::En),
        a.amount.format(fieldcase_shared::Lang::En)
    );
    (cs, en)
}
