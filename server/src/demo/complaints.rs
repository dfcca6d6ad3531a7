//! The demo's complaints: four delivered orders complained about 3, 21 and 25
//! days ago (the list shows the warning and the alarm) and one settled by a
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
            limit: 4,
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
    for (i, (order, (days, via, reason))) in orders.iter().zip(cases).enumerate() {
        let Some(card) = store.order_card(order.id, Role::Store).await? else {
            continue;
        };
        let Some(line) = card.lines.first() else {
            continue;
        };
        let id = Uuid::now_v7();
        let new = NewComplaint {
            id,
            order: order.id,
            via,
            opened_by: if via == Via::Customer {
                "zákazník".into()
            } else {
                actor.label.clone()
            },
            reason: reason.into(),
            items: vec![(line.id.as_uuid(), line.text.clone())],
            at: now - Duration::days(days),
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
                )
                .await?;
        }
    }
    Ok(())
}
