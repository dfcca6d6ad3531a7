//! The demo's complaints: four delivered orders complained about 3, 21 and 25
//! days ago (each handed over before that) (the list shows the warning and the alarm) and one settled by a
//! repair, so the Complaints page has its countdowns to show.

use fieldcase_shared::{OrderStatus, Role};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::complaints::rules::Decision;
use crate::complaints::rules::Via;
use crate::complaints::store::NewComplaint;
use crate::orders::store::OrderFilter;
use crate::store::{Actor, Store};

/// Seeds the complaints.
pub async fn seed(store: &dyn Store, actor: &Actor) -> anyhow::Result<()> {
    let orders = store
        .list_orders(&OrderFilter {
            status: Some(OrderStatus::Delivered),
            limit: 200,
            ..OrderFilter::default()
        })
        .await?;
    let now = OffsetDateTime::now_utc();
    let cases = [
        (
            25,
            Via::Care,
            "Po měsíci se odlupuje antireflexní vrstva na obou čočkách.",
        ),
        (
            21,
            Via::Store,
            "Povolený šroubek v pantu, obroučka padá z nosu.",
        ),
        (3, Via::Customer, "Levým okem vidím rozmazaně i na blízko."),
        (12, Via::Office, "Prasklý stranice u kloubu."),
    ];
    let mut used = Vec::new();
    for (i, (days, via, reason)) in cases.into_iter().enumerate() {
        // An order handed over before the complaint came in.
        let opened = now - Duration::days(days);
        let mut found = None;
        for order in orders.iter().filter(|o| !used.contains(&o.id)) {
            let Some(card) = store.order_card(order.id, Role::Store).await? else {
                continue;
            };
            let delivered = card
                .status_steps()
                .iter()
                .rev()
                .find(|(_, s)| *s == OrderStatus::Delivered)
                .map(|(at, _)| *at)
                .or(Some(card.created_at));
            if delivered.is_some_and(|at| at < opened) && !card.lines.is_empty() {
                found = Some((order.id, card));
                break;
            }
        }
        let Some((order_id, card)) = found else {
            continue;
        };
        used.push(order_id);
        let Some(line) = card.lines.first() else {
            continue;
        };
        let id = Uuid::now_v7();
        let new = NewComplaint {
            id,
            order: order_id,
            via,
            opened_by: if via == Via::Customer {
                "zákazník".into()
            } else {
                actor.label.clone()
            },
            reason: reason.into(),
            items: vec![(line.id.as_uuid(), line.text.clone())],
            at: opened,
        };
        store.open_complaint(actor, &new, &[]).await?;
        if i == 3 {
            store
                .decide_complaint(
                    actor,
                    id,
                    Decision::Repair,
                    "Stranice vyměněna v dílně prodejny.",
                    now - Duration::days(days - 2),
                    None,
                )
                .await?;
        }
    }
    Ok(())
}
