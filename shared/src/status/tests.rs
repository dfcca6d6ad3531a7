#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashSet};

use super::*;

/// The matrix written out by hand, independently of `TRANSITIONS`: any change to the
/// const must be made here too, on purpose.
const EXPECTED: &str = "
    intake           -> confirmed        : office admin
    intake           -> cancelled        : adviser office admin
    confirmed        -> lenses_ordered   : lab admin
    confirmed        -> in_lab           : lab admin
    confirmed        -> cancelled        : office admin
    lenses_ordered   -> in_lab           : lab admin
    lenses_ordered   -> cancelled        : office admin
    in_lab           -> quality_check    : lab admin
    in_lab           -> cancelled        : office admin
    quality_check    -> in_lab           : lab admin
    quality_check    -> ready_for_pickup : store admin
    quality_check    -> shipped          : office lab admin
    quality_check    -> cancelled        : office admin
    ready_for_pickup -> delivered        : adviser store admin
    ready_for_pickup -> cancelled        : office admin
    shipped          -> delivered        : office admin
    delivered        -> closed           : accounting admin
    delivered        -> complaint        : office store customer_service admin
    closed           -> complaint        : office customer_service admin
    complaint        -> in_lab           : office admin
    complaint        -> closed           : office customer_service admin
    complaint        -> cancelled        : office admin
";

fn expected() -> HashSet<(Role, OrderStatus, OrderStatus)> {
    let mut set = HashSet::new();
    for line in EXPECTED.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (edge, roles) = line.split_once(':').unwrap();
        let (from, to) = edge.split_once("->").unwrap();
        let from: OrderStatus = from.parse().unwrap();
        let to: OrderStatus = to.parse().unwrap();
        for role in roles.split_whitespace() {
            assert!(
                set.insert((role.parse().unwrap(), from, to)),
                "duplicate in {line}"
            );
        }
    }
    set
}

#[test]
fn matrix_matches_the_written_table_for_every_role_from_and_to() {
    let expected = expected();
    let mut checked = 0;
    for role in Role::ALL {
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                let want = expected.contains(&(role, from, to));
                let got = can_transition(role, from, to);
                assert_eq!(got.is_ok(), want, "{role}: {from} -> {to}: {got:?}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 7 * 11 * 11);
}

#[test]
fn table_has_no_duplicate_rows_and_admin_everywhere() {
    let mut seen = HashSet::new();
    for (from, to, roles) in TRANSITIONS {
        assert!(seen.insert((from, to)), "{from} -> {to} listed twice");
        assert_ne!(from, to);
        assert!(roles.contains(&Role::Admin), "{from} -> {to} lacks admin");
    }
}

#[test]
fn deny_reasons() {
    let d = can_transition(Role::Office, S::InLab, S::InLab).unwrap_err();
    assert_eq!(d.reason, DenyReason::SameStatus);
    let d = can_transition(Role::Admin, S::Intake, S::Delivered).unwrap_err();
    assert_eq!(d.reason, DenyReason::NoSuchTransition);
    let d = can_transition(Role::Adviser, S::Confirmed, S::Cancelled).unwrap_err();
    assert_eq!(
        d.reason,
        DenyReason::RoleNotAllowed {
            allowed: vec![Role::Office, Role::Admin]
        }
    );
    let d = can_transition(Role::Admin, S::Cancelled, S::Intake).unwrap_err();
    assert_eq!(d.reason, DenyReason::FromTerminal);
    let d = can_transition(Role::Admin, S::Closed, S::InLab).unwrap_err();
    assert_eq!(d.reason, DenyReason::FromTerminal);
}

#[test]
fn messages_explain() {
    let d = can_transition(Role::Adviser, S::Confirmed, S::Cancelled).unwrap_err();
    assert_eq!(
        d.message(Lang::Cs),
        "Poradce nesmí změnit stav z „Potvrzeno“ na „Zrušeno“; smí: Kancelář, Správce"
    );
    assert_eq!(
        d.to_string(),
        "Adviser may not change the status from “Confirmed” to “Cancelled”; allowed: Office, Admin"
    );
    let d = can_transition(Role::Admin, S::Cancelled, S::Intake).unwrap_err();
    assert_eq!(
        d.message(Lang::Cs),
        "Zakázka ve stavu „Zrušeno“ je ukončená a její stav už nelze změnit."
    );
    let d = can_transition(Role::Admin, S::Closed, S::Intake).unwrap_err();
    assert_eq!(
        d.message(Lang::En),
        "An order that is “Closed” is finished; only possible: Complaint."
    );
    let d = can_transition(Role::Lab, S::Shipped, S::Closed).unwrap_err();
    assert_eq!(
        d.message(Lang::Cs),
        "Stav nelze změnit z „Odesláno“ na „Uzavřeno“; odtud lze: Předáno."
    );
    let d = can_transition(Role::Lab, S::InLab, S::InLab).unwrap_err();
    assert_eq!(
        d.message(Lang::Cs),
        "Zakázka už je ve stavu „V laboratoři“."
    );
}

#[test]
fn allowed_targets_per_role() {
    assert_eq!(
        allowed_targets(Role::Adviser, S::Intake),
        vec![S::Cancelled]
    );
    // The adviser also hands glasses waiting at a store over to the client.
    assert_eq!(
        allowed_targets(Role::Adviser, S::ReadyForPickup),
        vec![S::Delivered]
    );
    for from in OrderStatus::ALL
        .into_iter()
        .filter(|s| ![S::Intake, S::ReadyForPickup].contains(s))
    {
        assert!(allowed_targets(Role::Adviser, from).is_empty(), "{from}");
    }
    assert_eq!(
        allowed_targets(Role::Lab, S::QualityCheck),
        vec![S::InLab, S::Shipped]
    );
    assert_eq!(
        allowed_targets(Role::Admin, S::Complaint),
        vec![S::InLab, S::Closed, S::Cancelled]
    );
    assert!(allowed_targets(Role::Admin, S::Cancelled).is_empty());
}

#[test]
fn every_status_is_reachable_from_intake() {
    let mut seen = BTreeSet::from([S::Intake]);
    let mut todo = vec![S::Intake];
    while let Some(from) = todo.pop() {
        for to in allowed_targets(Role::Admin, from) {
            if seen.insert(to) {
                todo.push(to);
            }
        }
    }
    assert_eq!(seen, OrderStatus::ALL.into_iter().collect());
}

#[test]
fn terminal_statuses_only_leave_through_the_complaint_branch() {
    let terminal: Vec<_> = OrderStatus::ALL
        .into_iter()
        .filter(|s| s.is_terminal())
        .collect();
    assert_eq!(terminal, vec![S::Closed, S::Cancelled]);
    for role in Role::ALL {
        assert!(allowed_targets(role, S::Cancelled).is_empty());
        let from_closed = allowed_targets(role, S::Closed);
        assert!(
            from_closed.is_empty() || from_closed == vec![S::Complaint],
            "{role}"
        );
    }
    // Every non-terminal status leads somewhere.
    for s in OrderStatus::ALL.into_iter().filter(|s| !s.is_terminal()) {
        assert!(
            !allowed_targets(Role::Admin, s).is_empty(),
            "{s} is a dead end"
        );
    }
}

#[test]
fn codes_labels_and_json() {
    for s in OrderStatus::ALL {
        assert_eq!(s.code().parse::<OrderStatus>(), Ok(s));
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            format!("\"{}\"", s.code())
        );
        assert!(!s.label(Lang::Cs).is_empty());
    }
    assert_eq!(S::ReadyForPickup.label(Lang::Cs), "Připraveno k vyzvednutí");
    assert_eq!(
        "sent".parse::<OrderStatus>(),
        Err(UnknownStatus("sent".into()))
    );
    let d = can_transition(Role::Store, S::Intake, S::Confirmed).unwrap_err();
    assert_eq!(
        serde_json::to_value(&d).unwrap(),
        serde_json::json!({"role": "store", "from": "intake", "to": "confirmed",
            "reason": {"kind": "role_not_allowed", "allowed": ["office", "admin"]}})
    );
}
