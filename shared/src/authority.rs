//! The hub's rules for changes that arrive from devices, as plain functions: the hub
//! runs them after merging, and the convergence property test runs the same ones.

use crate::lang::Lang;
use crate::role::Role;
use crate::status::{OrderStatus, can_transition};

/// Decides whether a device may have moved an order from `accepted` to `now`.
/// `Err` carries the status to restore and the explanation in both languages.
pub fn judge_status(
    accepted: Option<&str>,
    now: &str,
) -> Result<(), (OrderStatus, String, String)> {
    let Ok(to) = now.parse::<OrderStatus>() else {
        let back = accepted
            .and_then(|a| a.parse().ok())
            .unwrap_or(OrderStatus::Intake);
        return Err((
            back,
            format!(
                "Neznámý stav objednávky „{now}“ byl vrácen na „{}“.",
                back.label(Lang::Cs)
            ),
            format!(
                "Unknown order status \"{now}\" was set back to \"{}\".",
                back.label(Lang::En)
            ),
        ));
    };
    match accepted.map(str::parse::<OrderStatus>) {
        // A new order: devices create orders in intake.
        None if to == OrderStatus::Intake => Ok(()),
        None => Err((
            OrderStatus::Intake,
            format!(
                "Nová objednávka musí začínat ve stavu „{}“; stav „{}“ nastavuje kancelář.",
                OrderStatus::Intake.label(Lang::Cs),
                to.label(Lang::Cs)
            ),
            format!(
                "A new order starts as \"{}\"; \"{}\" is set by the office.",
                OrderStatus::Intake.label(Lang::En),
                to.label(Lang::En)
            ),
        )),
        Some(Ok(from)) if from == to => Ok(()),
        Some(Ok(from)) => match can_transition(Role::Adviser, from, to) {
            Ok(()) => Ok(()),
            Err(denied) => Err((
                from,
                format!(
                    "{} Stav zůstává „{}“.",
                    denied.message(Lang::Cs),
                    from.label(Lang::Cs)
                ),
                format!(
                    "{} The status stays \"{}\".",
                    denied.message(Lang::En),
                    from.label(Lang::En)
                ),
            )),
        },
        // The projection holds something unreadable: trust the document.
        Some(Err(_)) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::judge_status;
    use crate::status::OrderStatus;

    #[test]
    fn advisers_may_only_make_their_own_moves() {
        assert!(judge_status(None, "intake").is_ok());
        assert_eq!(
            judge_status(None, "confirmed").unwrap_err().0,
            OrderStatus::Intake
        );
        assert!(judge_status(Some("intake"), "cancelled").is_ok());
        assert!(judge_status(Some("confirmed"), "confirmed").is_ok());
        let (back, cs, en) = judge_status(Some("intake"), "confirmed").unwrap_err();
        assert_eq!(back, OrderStatus::Intake);
        assert!(
            cs.contains("Stav zůstává") && en.contains("stays"),
            "{cs} / {en}"
        );
        assert_eq!(
            judge_status(Some("in_lab"), "bogus").unwrap_err().0,
            OrderStatus::InLab
        );
    }
}
