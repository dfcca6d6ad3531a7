//! Store conformance, money: the commission ledger, payout verdicts and coupons.

use super::*;

pub(super) async fn commission_ledger_and_payout_verdicts(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    use fieldcase_shared::docs::commission::{CommissionEntryRecord, PayoutRequestRecord};
    let s = store.create_shop(&admin(), &shop("PAY1")).await?;
    let a = adviser(&store, "P0600", "iva@example.cz", s.id).await?;
    let entry = |kind: &str, amount: i64, at: &str| CommissionEntryRecord {
        kind: kind.into(),
        amount,
        at: at.into(),
        note: format!("{kind} {amount}"),
        ..Default::default()
    };
    let (first, second) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    store
        .add_commission_entry(
            &admin(),
            a.id,
            second,
            &entry("reversal", -30_000, "2026-11-21T10:00:00Z"),
        )
        .await?;
    store
        .add_commission_entry(
            &admin(),
            a.id,
            first,
            &entry("accrual", 250_000, "2026-11-20T10:00:00Z"),
        )
        .await?;
    assert!(
        store
            .add_commission_entry(
                &admin(),
                a.id,
                uuid::Uuid::now_v7(),
                &entry("bonus", 1, "2026-11-22T10:00:00Z")
            )
            .await
            .is_err(),
        "only known kinds"
    );
    let ledger = store.commission_entries(a.id).await?;
    assert_eq!(
        ledger
            .iter()
            .map(|(id, e)| (*id, e.amount, e.at.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (first, 250_000, "2026-11-20T10:00:00Z"),
            (second, -30_000, "2026-11-21T10:00:00Z")
        ],
        "oldest first, times read back as RFC 3339"
    );
    assert_eq!(store.payout_available(a.id).await?, 220_000);

    let request = |amount: i64, status: &str| PayoutRequestRecord {
        amount,
        requested_at: "2026-11-22T08:00:00Z".into(),
        note: "výplata".into(),
        status: status.into(),
        reason: String::new(),
    };
    let (accepted, rejected) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let batch = ProjectionBatch {
        payout_requests: vec![
            (accepted, request(100_000, "accepted")),
            (rejected, request(900_000, "rejected")),
        ],
        ..Default::default()
    };
    store.project(a.id, &batch).await?;
    assert_eq!(
        store.payout_available(a.id).await?,
        120_000,
        "accepted reserves, rejected does not"
    );
    assert_eq!(
        store.payout_request(a.id, accepted).await?,
        Some(request(100_000, "accepted"))
    );
    assert_eq!(
        store.payout_request(a.id, uuid::Uuid::now_v7()).await?,
        None
    );
    // Projecting again with a device's changed amount keeps the judged amount.
    let again = ProjectionBatch {
        payout_requests: vec![(accepted, request(1, "paid"))],
        ..Default::default()
    };
    store.project(a.id, &again).await?;
    assert_eq!(
        store
            .payout_request(a.id, accepted)
            .await?
            .map(|r| (r.amount, r.status)),
        Some((100_000, "paid".to_owned()))
    );
    assert_eq!(
        store.payout_available(a.id).await?,
        220_000,
        "a paid request is no longer reserved"
    );
    Ok(())
}

/// The audit found a paid payout counted twice: the ledger's payout line took the
/// money and the still-accepted request kept reserving it.
pub(super) async fn a_payout_line_pays_the_accepted_requests(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    use fieldcase_shared::docs::commission::{CommissionEntryRecord, PayoutRequestRecord};
    let s = store.create_shop(&admin(), &shop("PAY2")).await?;
    let a = adviser(&store, "P0601", "ema@example.cz", s.id).await?;
    let line = |kind: &str, amount: i64| CommissionEntryRecord {
        kind: kind.into(),
        amount,
        at: "2026-11-20T10:00:00Z".into(),
        ..Default::default()
    };
    store
        .add_commission_entry(
            &admin(),
            a.id,
            uuid::Uuid::now_v7(),
            &line("accrual", 250_000),
        )
        .await?;
    let request = |amount: i64, at: &str| PayoutRequestRecord {
        amount,
        requested_at: at.into(),
        status: "accepted".into(),
        ..Default::default()
    };
    let (older, newer) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let batch = ProjectionBatch {
        payout_requests: vec![
            (newer, request(80_000, "2026-11-22T10:00:00Z")),
            (older, request(100_000, "2026-11-21T10:00:00Z")),
        ],
        ..Default::default()
    };
    store.project(a.id, &batch).await?;
    assert_eq!(store.payout_available(a.id).await?, 70_000);
    let status = |id| {
        let store = store.clone();
        async move {
            store
                .payout_request(a.id, id)
                .await
                .map(|r| r.map(|r| r.status))
        }
    };
    // The office pays the older request out.
    store
        .add_commission_entry(
            &admin(),
            a.id,
            uuid::Uuid::now_v7(),
            &line("payout", -100_000),
        )
        .await?;
    assert_eq!(status(older).await?.as_deref(), Some("paid"));
    assert_eq!(status(newer).await?.as_deref(), Some("accepted"));
    assert_eq!(
        store.payout_available(a.id).await?,
        70_000,
        "paying out an accepted request does not lower what is available again"
    );
    store
        .add_commission_entry(
            &admin(),
            a.id,
            uuid::Uuid::now_v7(),
            &line("payout", -80_000),
        )
        .await?;
    assert_eq!(status(newer).await?.as_deref(), Some("paid"));
    assert_eq!(store.payout_available(a.id).await?, 70_000);
    let audit = store
        .list_audit(&AuditFilter {
            action: "payout.paid".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(audit.len(), 2);
    Ok(())
}

pub(super) async fn coupons_are_stored_changed_and_checked(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    use fieldcase_shared::docs::catalog::CouponRecord;
    let jaro = CouponRecord {
        percent_bp: 1_000,
        valid_until: "2026-12-31".into(),
        active: true,
        ..Default::default()
    };
    // An amount for one customer, from a minimum order, with a message.
    let fixed = CouponRecord {
        amount: 50_000,
        active: true,
        min_order: 200_000,
        client: fieldcase_shared::ClientId::new().to_string(),
        message: "Děkujeme za věrnost".into(),
        ..Default::default()
    };
    store.put_coupon(&admin(), "JARO10", &jaro).await?;
    store.put_coupon(&admin(), "SLEVA500", &fixed).await?;
    assert_eq!(
        store.coupons().await?,
        vec![
            ("JARO10".to_owned(), jaro.clone()),
            ("SLEVA500".to_owned(), fixed.clone())
        ]
    );
    assert_eq!(
        store.coupons_by_code(&["SLEVA500".into()]).await?["SLEVA500"],
        fixed,
        "the terms are what the hub judges orders by"
    );
    // Withdrawing changes it in place.
    let withdrawn = CouponRecord {
        active: false,
        ..jaro.clone()
    };
    let before = OffsetDateTime::now_utc() - time::Duration::seconds(1);
    store.put_coupon(&admin(), "JARO10", &withdrawn).await?;
    let stored = store.coupons().await?[0].1.clone();
    let at = OffsetDateTime::parse(
        &stored.withdrawn_at,
        &time::format_description::well_known::Rfc3339,
    )?;
    assert!(at >= before, "when it was withdrawn is recorded: {at}");
    assert_eq!(
        stored,
        CouponRecord {
            withdrawn_at: stored.withdrawn_at.clone(),
            ..withdrawn.clone()
        }
    );
    // Withdrawn again (another change): still withdrawn since then.
    store.put_coupon(&admin(), "JARO10", &withdrawn).await?;
    assert_eq!(
        store.coupons().await?[0].1.withdrawn_at,
        stored.withdrawn_at
    );
    // Restored: it applies, with no withdrawal.
    store.put_coupon(&admin(), "JARO10", &jaro).await?;
    assert_eq!(store.coupons().await?[0].1, jaro);
    store.put_coupon(&admin(), "JARO10", &withdrawn).await?;
    // A coupon is a percentage or an amount, never both or neither; nothing else changes.
    let both = CouponRecord {
        percent_bp: 500,
        amount: 100,
        active: true,
        ..Default::default()
    };
    assert!(store.put_coupon(&admin(), "BOTH", &both).await.is_err());
    assert!(
        store
            .put_coupon(&admin(), "NONE", &CouponRecord::default())
            .await
            .is_err()
    );
    assert_eq!(store.coupons().await?.len(), 2);
    let audit = store
        .list_audit(&AuditFilter {
            action: "coupon.".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(audit.len(), 6, "every coupon change is audited");
    Ok(())
}

pub(super) async fn a_coupons_uses_never_pass_its_limit(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    use fieldcase_shared::authority::CouponClaim;
    use fieldcase_shared::docs::catalog::CouponRecord;
    use fieldcase_shared::{AdviserId, OrderId};
    let three = CouponRecord {
        percent_bp: 1_000,
        active: true,
        max_uses: 3,
        ..Default::default()
    };
    store.put_coupon(&admin(), "TRI", &three).await?;
    store
        .put_coupon(
            &admin(),
            "VSEM",
            &CouponRecord {
                max_uses: 0,
                ..three.clone()
            },
        )
        .await?;
    let claim = |order: OrderId, coupon: &str| CouponClaim {
        order,
        client: None,
        coupon: coupon.into(),
    };
    // Twelve phones sync at once, each with an order using the coupon of three uses.
    let orders: Vec<OrderId> = (0..12).map(|_| OrderId::new()).collect();
    let tasks: Vec<_> = orders
        .iter()
        .map(|&order| {
            let store = store.clone();
            let claims = vec![claim(order, "TRI")];
            tokio::spawn(async move { store.claim_coupons(AdviserId::new(), &claims).await })
        })
        .collect();
    let mut refused = Vec::new();
    for t in tasks {
        refused.extend(t.await??);
    }
    assert_eq!(refused.len(), 9, "three orders get the coupon, nine do not");
    assert!(
        refused.iter().all(|(_, limit)| *limit == 3),
        "the limit is told"
    );
    assert_eq!(store.coupon_use_counts().await?["TRI"], 3);
    let kept: Vec<OrderId> = orders
        .iter()
        .filter(|o| !refused.iter().any(|(r, _)| r == *o))
        .copied()
        .collect();
    // An order that holds a use keeps it when it arrives again.
    let again = store
        .claim_coupons(AdviserId::new(), &[claim(kept[0], "TRI")])
        .await?;
    assert!(again.is_empty());
    assert_eq!(store.coupon_use_counts().await?["TRI"], 3);
    // One that drops the coupon gives its use back; a new order takes it, the next
    // one in the same batch does not.
    let (late, later) = (OrderId::new(), OrderId::new());
    let out = store
        .claim_coupons(
            AdviserId::new(),
            &[claim(kept[1], ""), claim(late, "TRI"), claim(later, "TRI")],
        )
        .await?;
    assert_eq!(out.into_keys().collect::<Vec<_>>(), vec![later]);
    assert_eq!(store.coupon_use_counts().await?["TRI"], 3);
    // A coupon without a limit takes every order.
    let many: Vec<CouponClaim> = (0..20).map(|_| claim(OrderId::new(), "VSEM")).collect();
    assert!(
        store
            .claim_coupons(AdviserId::new(), &many)
            .await?
            .is_empty()
    );
    assert_eq!(store.coupon_use_counts().await?["VSEM"], 20);
    assert_eq!(
        store.coupons_by_code(&["TRI".into()]).await?["TRI"].max_uses,
        3
    );
    Ok(())
}
