//! Commission rules in the store (issue 14, slice 1), on SQLite and PostgreSQL:
//! a rule and its next version, every refusal writing nothing (overlapping
//! validity, a negative rate, a backwards range, a stale version), two
//! overlapping rules written at once of which exactly one gets in, the history
//! kept, rules never changed; advisers' levels from a day on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::commission::rules::{Level, Rule};
use fieldcase_server::commission::store::rules::AdviserLevel;
use fieldcase_server::store::{Actor, CommissionRuleStore, SqlStore, StoreError};
use time::macros::date;
use uuid::Uuid;

fieldcase_tests::conformance!(rules_are_versioned_and_never_overlap);

fn rule(group: &str, rate_bp: i64, from: time::Date, to: Option<time::Date>) -> Rule {
    Rule {
        id: Uuid::now_v7(),
        version: 1,
        group: Some(group.into()),
        level: None,
        campaign: None,
        rate_bp,
        valid_from: from,
        valid_to: to,
    }
}

async fn rules_are_versioned_and_never_overlap(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let who = Actor::system("účetní");
    let frames = rule(
        "frame",
        1_000,
        date!(2026 - 01 - 01),
        Some(date!(2026 - 07 - 01)),
    );
    assert!(store.put_commission_rule(&who, &frames).await?.is_empty());
    // Refusals write nothing.
    let overlapping = rule("frame", 800, date!(2026 - 06 - 01), None);
    let problems = store.put_commission_rule(&who, &overlapping).await?;
    assert_eq!(
        problems
            .iter()
            .map(|p| p.field.as_str())
            .collect::<Vec<_>>(),
        ["valid_from"]
    );
    let negative = rule("lens", -5, date!(2026 - 01 - 01), None);
    assert_eq!(
        store.put_commission_rule(&who, &negative).await?[0].field,
        "rate"
    );
    let backwards = rule(
        "lens",
        500,
        date!(2026 - 03 - 01),
        Some(date!(2026 - 02 - 01)),
    );
    assert_eq!(
        store.put_commission_rule(&who, &backwards).await?[0].field,
        "valid_to"
    );
    assert_eq!(store.commission_rules(true).await?.len(), 1);
    // The next version replaces the current one; a stale version is refused.
    let mut next = frames.clone();
    next.version = 2;
    next.rate_bp = 1_100;
    next.valid_to = None;
    assert!(store.put_commission_rule(&who, &next).await?.is_empty());
    let e = store.put_commission_rule(&who, &next).await.unwrap_err();
    assert!(matches!(e, StoreError::Stale(_)), "{e:?}");
    let current = store.commission_rules(false).await?;
    assert_eq!(current.len(), 1);
    assert_eq!(
        (current[0].rule.version, current[0].rule.rate_bp),
        (2, 1_100)
    );
    assert_eq!(current[0].actor, who.label);
    assert_eq!(
        store.commission_rules(true).await?.len(),
        2,
        "the history is kept"
    );
    // Two overlapping lens rules at once: exactly one gets in.
    let (a, b) = (
        rule("lens", 500, date!(2026 - 01 - 01), None),
        rule("lens", 600, date!(2026 - 05 - 01), None),
    );
    let (s1, s2) = (store.clone(), store.clone());
    let (w1, w2) = (who.clone(), who.clone());
    let (ra, rb) = tokio::join!(
        async move { s1.put_commission_rule(&w1, &a).await },
        async move { s2.put_commission_rule(&w2, &b).await }
    );
    assert_eq!(
        u8::from(ra?.is_empty()) + u8::from(rb?.is_empty()),
        1,
        "one of two overlapping rules"
    );
    assert_eq!(store.commission_rules(false).await?.len(), 2);
    // Rules are never changed in place.
    assert!(
        store
            .execute_raw("UPDATE commission_rules SET rate_bp = 0")
            .await
            .is_err()
    );
    assert!(
        store
            .execute_raw("DELETE FROM commission_rules")
            .await
            .is_err()
    );

    // Levels from a day on; one per day.
    let network = fieldcase_tests::small_network(store.as_ref(), 2).await?;
    let (adviser, lead) = (network.advisers[0], network.advisers[1]);
    let level = |from, level, team_lead| AdviserLevel {
        adviser,
        valid_from: from,
        level,
        team_lead,
    };
    store
        .set_adviser_level(
            &who,
            &level(date!(2026 - 01 - 01), Level::Junior, Some(lead)),
        )
        .await?;
    store
        .set_adviser_level(
            &who,
            &level(date!(2026 - 09 - 01), Level::Senior, Some(lead)),
        )
        .await?;
    let e = store
        .set_adviser_level(&who, &level(date!(2026 - 09 - 01), Level::Lead, None))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Duplicate { .. }), "{e:?}");
    let levels = store.adviser_levels(adviser).await?;
    assert_eq!(
        levels.iter().map(|l| l.level).collect::<Vec<_>>(),
        [Level::Junior, Level::Senior]
    );
    assert_eq!(levels[1].team_lead, Some(lead));
    Ok(())
}
