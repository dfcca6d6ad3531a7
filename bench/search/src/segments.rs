//! Segments at this size (issue 12's target: a segment's count < 200 ms at 200,000
//! customers): the count of each kind of criterion as the Segments page asks for it
//! while a filter is typed, and one export of e-mails.

use std::time::Instant;

use fieldcase_server::customers::segment::{Channel, Criteria};
use fieldcase_server::store::{
    Actor, AdviserFilter, FieldStore, NetworkStore, SegmentStore, SqlStore,
};

use crate::{ROUNDS, report};

pub async fn segments(store: &SqlStore) -> anyhow::Result<()> {
    let shop = store.list_shops().await?.first().map(|s| s.id);
    let adviser = store
        .list_advisers(&AdviserFilter::default())
        .await?
        .first()
        .map(|a| a.id);
    let c = Criteria::default;
    let cases: Vec<(&str, Criteria)> = vec![
        ("everyone", c()),
        (
            "no order in 18 months, e-mail consent",
            Criteria {
                no_order_months: Some(18),
                email_consent: Some(true),
                ..c()
            },
        ),
        (
            "town Brno",
            Criteria {
                town: "brno".into(),
                ..c()
            },
        ),
        (
            "postal 60/61/62, spend >= 5,000",
            Criteria {
                postal_prefixes: vec!["60".into(), "61".into(), "62".into()],
                min_spend: Some(5_000),
                ..c()
            },
        ),
        (
            "ordered within 6 months, one store",
            Criteria {
                ordered_within_months: Some(6),
                shop,
                ..c()
            },
        ),
        (
            "prescription older than 24 months, SMS consent",
            Criteria {
                prescription_older_months: Some(24),
                sms_consent: Some(true),
                ..c()
            },
        ),
        (
            "open complaint",
            Criteria {
                open_complaint: Some(true),
                ..c()
            },
        ),
        (
            "one adviser, e-mail consent",
            Criteria {
                adviser,
                email_consent: Some(true),
                ..c()
            },
        ),
    ];
    let mut all = Vec::new();
    for (name, criteria) in &cases {
        let mut ms = Vec::new();
        let mut n = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            n = store.count_segment(criteria).await?;
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        println!("segment {name:?}: {n} customers");
        all.extend(ms.iter().copied());
        report(&format!("  segment count {name:?}"), ms);
    }
    report("segment count, every kind", all);
    let actor = Actor::system("bench");
    let id = store
        .create_segment(&actor, "bench: no order in 18 months", &cases[1].1)
        .await?;
    let segment = store
        .segment(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("segment"))?;
    let mut ms = Vec::new();
    let mut rows = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let contacts = store
            .segment_contacts(&actor, &segment, Channel::Email)
            .await?;
        let file = fieldcase_server::customers::segment::write(
            Channel::Email,
            fieldcase_server::customers::segment::Format::Csv,
            &contacts,
            &[],
        )?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        rows = contacts.len();
        anyhow::ensure!(!file.is_empty());
    }
    report(&format!("segment export, {rows} e-mails as CSV"), ms);
    store.delete_segment(&actor, id).await?;
    Ok(())
}
