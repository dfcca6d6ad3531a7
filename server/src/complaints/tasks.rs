//! Complaints' tasks for the lab and accounting: a decision hands its work on (a
//! remake or a repair to the lab, a refund — the money back and the credit note —
//! to accounting) and the deciding staff forward a complaint by hand with a
//! note; the team marks its task done, once. The rules and the service (the
//! SQL is `task_store.rs`), which the card's task box, the
//! Complaints page's list of open tasks and the API share. What a decision does
//! to the order itself is [`order_move`].

use fieldcase_shared::{OrderStatus, Role};
use uuid::Uuid;

use super::ComplaintError;
use super::rules::{self, DECIDERS, Decision};
pub use super::task_store::{ComplaintTaskStore, Task, Team};
use crate::store::error::StoreError;
use crate::store::{Actor, Store};

/// The task a decision hands on (Czech, as the staff read it), if any.
pub fn decision_task(d: Decision) -> Option<(Team, &'static str)> {
    match d {
        Decision::Remake => Some((Team::Lab, "Vyrobit brýle znovu (reklamace uznána).")),
        Decision::Repair => Some((Team::Lab, "Opravit brýle (reklamace uznána).")),
        Decision::Refund => Some((
            Team::Accounting,
            "Vrátit zákazníkovi peníze a vystavit opravný daňový doklad.",
        )),
        Decision::Reject => None,
    }
}

/// Where an order goes when its complaints changed: to `complaint` while one is
/// open (from delivered or closed); once none is, by the last decision — a
/// remake back to the lab, a refund cancelled, a repair or a rejection settled
/// (closed); `None`: it stays.
pub fn order_move(now: OrderStatus, open: usize, last: Option<Decision>) -> Option<OrderStatus> {
    if open > 0 {
        return matches!(now, OrderStatus::Delivered | OrderStatus::Closed)
            .then_some(OrderStatus::Complaint);
    }
    if now != OrderStatus::Complaint {
        return None;
    }
    Some(match last? {
        Decision::Remake => OrderStatus::InLab,
        Decision::Refund => OrderStatus::Cancelled,
        Decision::Repair | Decision::Reject => OrderStatus::Closed,
    })
}

/// The deciding staff forward complaint `id` to `team` with a note.
pub async fn forward(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
    team: &str,
    body: &str,
) -> Result<Uuid, ComplaintError> {
    if !DECIDERS.contains(&role) {
        return Err(ComplaintError::Forbidden);
    }
    let team = Team::parse(team).ok_or_else(|| {
        ComplaintError::Invalid(vec![fieldcase_shared::FieldError::new(
            "team",
            fieldcase_shared::Problem::Invalid,
        )])
    })?;
    let body = rules::check_text("task", body).map_err(|e| ComplaintError::Invalid(vec![e]))?;
    if store.complaint_order(id).await?.is_none() {
        return Err(ComplaintError::NotFound);
    }
    Ok(store.add_complaint_task(actor, id, team, &body).await?)
}

/// The team (or the deciding staff) mark task `id` done.
pub async fn finish(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
) -> Result<(), ComplaintError> {
    let task = store
        .complaint_task(id)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    if !task.team().may_finish(role) {
        return Err(ComplaintError::Forbidden);
    }
    if store.finish_complaint_task(actor, id).await? {
        Ok(())
    } else {
        Err(ComplaintError::Store(StoreError::Stale(
            "the task was done already",
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_move_the_order_once_no_complaint_is_open() {
        use OrderStatus as S;
        assert_eq!(order_move(S::Delivered, 1, None), Some(S::Complaint));
        assert_eq!(order_move(S::Closed, 2, None), Some(S::Complaint));
        assert_eq!(
            order_move(S::Complaint, 1, Some(Decision::Remake)),
            None,
            "another is open"
        );
        assert_eq!(
            order_move(S::Complaint, 0, Some(Decision::Remake)),
            Some(S::InLab)
        );
        assert_eq!(
            order_move(S::Complaint, 0, Some(Decision::Refund)),
            Some(S::Cancelled)
        );
        assert_eq!(
            order_move(S::Complaint, 0, Some(Decision::Reject)),
            Some(S::Closed)
        );
        assert_eq!(order_move(S::InLab, 0, Some(Decision::Remake)), None);
        assert!(Team::Lab.may_finish(Role::Lab) && !Team::Lab.may_finish(Role::Accounting));
        assert!(Team::Accounting.may_finish(Role::Office));
        assert_eq!(
            decision_task(Decision::Refund).map(|t| t.0),
            Some(Team::Accounting)
        );
    }
}
