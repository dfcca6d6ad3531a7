//! The store conformance suite: every case runs on SQLite and on PostgreSQL
//! (`sqlite::case` / `postgres::case`), each on a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::demo;
use fieldcase_server::store::*;
use fieldcase_shared::{Lang, Role};
use time::{Duration, OffsetDateTime};

fieldcase_tests::conformance!(
    shops_are_created_listed_and_unique_by_code,
    users_log_in_by_email_case_insensitively_and_are_unique,
    roles_and_deactivation_are_stored_and_end_sessions,
    sessions_expire_and_are_purged,
    failed_logins_count_up_and_lock,
    advisers_are_created_with_their_login_and_filtered,
    deactivating_an_adviser_revokes_devices_and_login,
    enrolment_codes_replace_older_unused_ones,
    every_change_is_audited_and_filterable,
    demo_seed_is_idempotent_and_consistent,
    meta_values_upsert,
    sync_chunks_put_get_range_delete,
    document_ids_are_recorded_once,
    enrolment_codes_redeem_once_into_devices,
    commission_ledger_and_payout_verdicts,
    coupons_are_stored_changed_and_checked,
    a_payout_line_pays_the_accepted_requests,
);

fn admin() -> Actor {
    Actor::system("test")
}

fn shop(code: &str) -> NewShop {
    NewShop {
        code: code.into(),
        name: format!("Optika {code}"),
        city: "Brno".into(),
        ..NewShop::default()
    }
}

async fn user(store: &SqlStore, email: &str, role: Role) -> User {
    let new = NewUser {
        email: email.into(),
        name: "Test Uživatel".into(),
        password_hash: "$argon2id$x".into(),
        role,
        shop: None,
        lang: Lang::Cs,
    };
    store.create_user(&admin(), &new).await.unwrap()
}

async fn adviser(
    store: &SqlStore,
    code: &str,
    email: &str,
    shop: fieldcase_shared::StoreId,
) -> StoreResult<Adviser> {
    let new = NewAdviser {
        code: code.into(),
        name: format!("Poradce {code}"),
        email: email.into(),
        phone: "+420 601 000 000".into(),
        region: "Jihomoravský kraj".into(),
        home_shop: shop,
        password_hash: "$argon2id$x".into(),
    };
    store.create_adviser(&admin(), &new).await
}

async fn shops_are_created_listed_and_unique_by_code(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let b = store.create_shop(&admin(), &shop("BRN1")).await?;
    store.create_shop(&admin(), &shop("APR1")).await?;
    let list = store.list_shops().await?;
    assert_eq!(
        list.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
        ["APR1", "BRN1"]
    );
    let dup = store
        .create_shop(&admin(), &shop("BRN1"))
        .await
        .unwrap_err();
    assert!(
        matches!(dup, StoreError::Duplicate { field: "code" }),
        "{dup:?}"
    );
    let changed = store
        .update_shop(
            &admin(),
            b.id,
            &NewShop {
                name: "Optika Brno-střed".into(),
                ..shop("BRN1")
            },
        )
        .await?;
    assert_eq!(changed.name, "Optika Brno-střed");
    store.set_shop_active(&admin(), b.id, false).await?;
    assert!(
        !store
            .list_shops()
            .await?
            .iter()
            .find(|s| s.id == b.id)
            .unwrap()
            .active
    );
    let missing = store
        .set_shop_active(&admin(), fieldcase_shared::StoreId::new(), false)
        .await
        .unwrap_err();
    assert!(matches!(missing, StoreError::NotFound(_)));
    Ok(())
}

async fn users_log_in_by_email_case_insensitively_and_are_unique(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let u = user(&store, "eva@example.cz", Role::Office).await;
    let (found, hash) = store.find_login("  EVA@example.CZ ").await?.unwrap();
    assert_eq!(found.id, u.id);
    assert_eq!(found.role, Role::Office);
    assert_eq!(hash, "$argon2id$x");
    assert!(store.find_login("nobody@example.cz").await?.is_none());
    let new = NewUser {
        email: "eva@example.cz".into(),
        name: "Jiná".into(),
        password_hash: "x".into(),
        role: Role::Lab,
        shop: None,
        lang: Lang::En,
    };
    let dup = store.create_user(&admin(), &new).await.unwrap_err();
    assert!(
        matches!(dup, StoreError::Duplicate { field: "email" }),
        "{dup:?}"
    );
    assert_eq!(store.list_users().await?.len(), 1);
    Ok(())
}

async fn roles_and_deactivation_are_stored_and_end_sessions(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let s = store.create_shop(&admin(), &shop("PHA1")).await?;
    let u = user(&store, "petr@example.cz", Role::Office).await;
    store
        .set_user_role(&admin(), u.id, Role::Store, Some(s.id))
        .await?;
    let u2 = store.get_user(u.id).await?;
    assert_eq!((u2.role, u2.shop), (Role::Store, Some(s.id)));
    let now = OffsetDateTime::now_utc();
    let session = NewSession {
        token_hash: "h1".into(),
        user: u.id,
        csrf_token: "c".into(),
        created_at: now,
        expires_at: now + Duration::hours(1),
    };
    store.create_session(&session).await?;
    assert!(store.get_session("h1", now).await?.is_some());
    store.set_user_active(&admin(), u.id, false).await?;
    assert!(
        store.get_session("h1", now).await?.is_none(),
        "deactivation must end sessions"
    );
    store.set_user_lang(u.id, Lang::En).await?;
    assert_eq!(store.get_user(u.id).await?.lang, Lang::En);
    Ok(())
}

async fn sessions_expire_and_are_purged(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let u = user(&store, "jana@example.cz", Role::Admin).await;
    let now = OffsetDateTime::now_utc();
    for (hash, ttl) in [("live", 60), ("dead", -60)] {
        let s = NewSession {
            token_hash: hash.into(),
            user: u.id,
            csrf_token: format!("csrf-{hash}"),
            created_at: now,
            expires_at: now + Duration::minutes(ttl),
        };
        store.create_session(&s).await?;
    }
    let live = store.get_session("live", now).await?.unwrap();
    assert_eq!(live.csrf_token, "csrf-live");
    assert_eq!(live.user.id, u.id);
    assert!(store.get_session("dead", now).await?.is_none());
    assert_eq!(store.purge_sessions(now).await?, 1);
    store.delete_session("live").await?;
    assert!(store.get_session("live", now).await?.is_none());
    Ok(())
}

async fn failed_logins_count_up_and_lock(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let u = user(&store, "karel@example.cz", Role::Office).await;
    assert_eq!(store.record_failed_login(u.id, None).await?, 1);
    let until = OffsetDateTime::now_utc() + Duration::minutes(15);
    assert_eq!(store.record_failed_login(u.id, Some(until)).await?, 2);
    let locked = store.get_user(u.id).await?;
    assert!(locked.locked_until.unwrap() > OffsetDateTime::now_utc());
    store.record_good_login(u.id).await?;
    let ok = store.get_user(u.id).await?;
    assert_eq!((ok.failed_logins, ok.locked_until), (0, None));
    store.record_failed_login(u.id, Some(until)).await?;
    store.set_password(&admin(), u.id, "$argon2id$new").await?;
    let reset = store.get_user(u.id).await?;
    assert_eq!(
        (reset.failed_logins, reset.locked_until),
        (0, None),
        "a password reset unlocks"
    );
    Ok(())
}

async fn advisers_are_created_with_their_login_and_filtered(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let brno = store.create_shop(&admin(), &shop("BRN1")).await?;
    let praha = store.create_shop(&admin(), &shop("PHA1")).await?;
    let a = adviser(&store, "P0001", "anna@example.cz", brno.id).await?;
    adviser(&store, "P0002", "bara@example.cz", praha.id).await?;
    assert_eq!(a.home_shop_name, "Optika BRN1");
    let (login, _) = store.find_login("anna@example.cz").await?.unwrap();
    assert_eq!((login.id, login.role), (a.user, Role::Adviser));
    let dup = adviser(&store, "P0003", "anna@example.cz", brno.id)
        .await
        .unwrap_err();
    assert!(
        matches!(dup, StoreError::Duplicate { field: "email" }),
        "{dup:?}"
    );
    let dup_code = adviser(&store, "P0001", "cyril@example.cz", brno.id)
        .await
        .unwrap_err();
    assert!(
        matches!(dup_code, StoreError::Duplicate { field: "code" }),
        "{dup_code:?}"
    );
    // The failed inserts left nothing behind (one transaction each).
    assert!(store.find_login("cyril@example.cz").await?.is_none());
    let by_text = store
        .list_advisers(&AdviserFilter {
            text: "BARA".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(by_text.len(), 1);
    let by_shop = store
        .list_advisers(&AdviserFilter {
            shop: Some(brno.id),
            ..Default::default()
        })
        .await?;
    assert_eq!(
        by_shop.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(),
        ["P0001"]
    );
    let wildcard = store
        .list_advisers(&AdviserFilter {
            text: "%".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(
        wildcard.len(),
        2,
        "LIKE wildcards typed by a user are literal, not patterns"
    );
    store
        .update_adviser(&admin(), a.id, "Vysočina", praha.id)
        .await?;
    let moved = store.get_adviser(a.id).await?;
    assert_eq!(
        (moved.region.as_str(), moved.home_shop),
        ("Vysočina", praha.id)
    );
    assert!(
        store.list_users().await?.is_empty(),
        "advisers are not staff users"
    );
    Ok(())
}

async fn deactivating_an_adviser_revokes_devices_and_login(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let s = store.create_shop(&admin(), &shop("OVA1")).await?;
    let a = adviser(&store, "P0100", "dana@example.cz", s.id).await?;
    let now = OffsetDateTime::now_utc();
    store
        .create_session(&NewSession {
            token_hash: "adv".into(),
            user: a.user,
            csrf_token: "c".into(),
            created_at: now,
            expires_at: now + Duration::hours(1),
        })
        .await?;
    store.execute_raw(&format!(
        "INSERT INTO devices (id, adviser_id, name, token_hash, created_at) VALUES ({}, {}, 'Pixel', 'tok', '2026-01-01 00:00:00Z')",
        uuid_literal(&store, fieldcase_shared::DeviceId::new().as_uuid()),
        uuid_literal(&store, a.id.as_uuid()),
    )).await?;
    store.set_adviser_active(&admin(), a.id, false).await?;
    assert!(!store.get_adviser(a.id).await?.active);
    assert!(!store.get_user(a.user).await?.active);
    assert!(store.get_session("adv", now).await?.is_none());
    let devices = store.list_devices(a.id).await?;
    assert_eq!(devices.len(), 1);
    assert!(devices[0].revoked_at.is_some());
    let hidden = store.list_advisers(&AdviserFilter::default()).await?;
    assert!(hidden.is_empty());
    let shown = store
        .list_advisers(&AdviserFilter {
            include_inactive: true,
            ..Default::default()
        })
        .await?;
    assert_eq!(shown.len(), 1);
    Ok(())
}

/// A UUID literal in each database's own syntax (only for hand-written test SQL).
fn uuid_literal(store: &SqlStore, id: uuid::Uuid) -> String {
    match store.backend() {
        Backend::Sqlite => format!("X'{}'", id.simple()),
        Backend::Postgres => format!("'{id}'::uuid"),
    }
}

async fn enrolment_codes_replace_older_unused_ones(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = store.create_shop(&admin(), &shop("PLZ1")).await?;
    let a = adviser(&store, "P0200", "ema@example.cz", s.id).await?;
    let staff = user(&store, "office@example.cz", Role::Office).await;
    let actor = Actor::user(&staff);
    let until = OffsetDateTime::now_utc() + Duration::minutes(15);
    store
        .create_enrolment_code(
            &actor,
            &NewEnrolmentCode {
                code_hash: "first".into(),
                adviser: a.id,
                expires_at: until,
            },
        )
        .await?;
    store
        .create_enrolment_code(
            &actor,
            &NewEnrolmentCode {
                code_hash: "second".into(),
                adviser: a.id,
                expires_at: until,
            },
        )
        .await?;
    let log = store
        .list_audit(&AuditFilter {
            action: "device.".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].actor, "office@example.cz");
    let system = store
        .create_enrolment_code(
            &admin(),
            &NewEnrolmentCode {
                code_hash: "third".into(),
                adviser: a.id,
                expires_at: until,
            },
        )
        .await;
    assert!(system.is_err(), "a code needs a person who issued it");
    Ok(())
}

async fn every_change_is_audited_and_filterable(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = store.create_shop(&admin(), &shop("LBC1")).await?;
    let staff = user(&store, "lada@example.cz", Role::Admin).await;
    let actor = Actor::user(&staff);
    let a = adviser(&store, "P0300", "filip@example.cz", s.id).await?;
    store.set_adviser_active(&actor, a.id, false).await?;
    store
        .audit(&actor, "user.login", &staff.id.to_string(), "")
        .await?;
    let all = store.list_audit(&AuditFilter::default()).await?;
    let actions: Vec<_> = all.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "shop.create",
        "user.create",
        "adviser.create",
        "adviser.deactivate",
        "user.login",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    assert!(all.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    let by_actor = store
        .list_audit(&AuditFilter {
            actor: "LADA@".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(
        by_actor
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["user.login", "adviser.deactivate"]
    );
    assert_eq!(by_actor[0].actor_id, Some(staff.id));
    let by_text = store
        .list_audit(&AuditFilter {
            text: "filip@".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(by_text.len(), 1);
    let limited = store
        .list_audit(&AuditFilter {
            limit: 2,
            ..Default::default()
        })
        .await?;
    assert_eq!(limited.len(), 2);
    Ok(())
}

async fn demo_seed_is_idempotent_and_consistent(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let first = demo::seed(store.as_ref(), demo::Scale::SMALL, false).await?;
    assert!(!first.already_seeded);
    assert!(first.products >= 5_000, "{first:?}");
    assert_eq!((first.clients, first.orders), (300, 600));
    let dash = store
        .dashboard(OffsetDateTime::now_utc() - Duration::days(3650))
        .await?;
    assert_eq!((dash.shops, dash.advisers, dash.clients), (9, 12, 300));
    assert_eq!(
        dash.orders_by_status.iter().map(|(_, n)| n).sum::<i64>(),
        600
    );
    assert!(
        dash.orders_by_status.len() >= 6,
        "orders spread over states: {:?}",
        dash.orders_by_status
    );
    assert!(dash.recent_turnover.haler() > 0);
    let second = demo::seed(store.as_ref(), demo::Scale::SMALL, false).await?;
    assert!(second.already_seeded);
    let again = store
        .dashboard(OffsetDateTime::now_utc() - Duration::days(3650))
        .await?;
    assert_eq!(again, dash, "a second run adds nothing");
    let (admin_login, _) = store.find_login(demo::DEMO_STAFF[0].0).await?.unwrap();
    assert_eq!(admin_login.role, Role::Admin);
    let recent = store.recent_orders(5).await?;
    assert_eq!(recent.len(), 5);
    assert!(
        recent
            .windows(2)
            .all(|w| w[0].created_at >= w[1].created_at)
    );
    Ok(())
}

async fn meta_values_upsert(store: Arc<SqlStore>) -> anyhow::Result<()> {
    assert_eq!(store.get_meta("k").await?, None);
    store.set_meta("k", "1").await?;
    store.set_meta("k", "2").await?;
    assert_eq!(store.get_meta("k").await?.as_deref(), Some("2"));
    Ok(())
}

async fn sync_chunks_put_get_range_delete(store: Arc<SqlStore>) -> anyhow::Result<()> {
    store.chunk_put("doc1/incremental/aa", b"one").await?;
    store.chunk_put("doc1/snapshot/bb", b"two").await?;
    store.chunk_put("doc10/incremental/cc", b"not doc1").await?;
    store.chunk_put("doc1", b"exact").await?;
    store.chunk_put("doc1/incremental/aa", b"replaced").await?;
    assert_eq!(
        store.chunk_get("doc1/incremental/aa").await?.as_deref(),
        Some(&b"replaced"[..])
    );
    assert_eq!(store.chunk_get("nope").await?, None);
    let keys: Vec<String> = store
        .chunk_range("doc1")
        .await?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        keys,
        ["doc1", "doc1/incremental/aa", "doc1/snapshot/bb"],
        "a prefix covers only its own subtree"
    );
    let keys: Vec<String> = store
        .chunk_range("doc1/incremental")
        .await?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, ["doc1/incremental/aa"]);
    store.chunk_delete("doc1/incremental/aa").await?;
    store.chunk_delete("doc1/incremental/aa").await?;
    assert_eq!(store.chunk_get("doc1/incremental/aa").await?, None);
    let big = vec![7u8; 3 * 1024 * 1024];
    store.chunk_put("doc2/snapshot/big", &big).await?;
    assert_eq!(
        store.chunk_get("doc2/snapshot/big").await?.map(|d| d.len()),
        Some(big.len())
    );
    Ok(())
}

async fn document_ids_are_recorded_once(store: Arc<SqlStore>) -> anyhow::Result<()> {
    assert_eq!(store.catalog_doc().await?, None);
    store.set_catalog_doc("cat1").await?;
    assert!(
        store.set_catalog_doc("cat2").await.is_err(),
        "there is one catalog"
    );
    assert_eq!(store.catalog_doc().await?.as_deref(), Some("cat1"));
    let s = store.create_shop(&admin(), &shop("HKR1")).await?;
    let a = adviser(&store, "P0400", "gita@example.cz", s.id).await?;
    assert_eq!(store.workspace_doc(a.id).await?, None);
    store.set_workspace_doc(a.id, "ws1").await?;
    assert!(
        matches!(
            store.set_workspace_doc(a.id, "ws2").await,
            Err(StoreError::Duplicate { .. })
        ),
        "one workspace per adviser"
    );
    assert_eq!(
        store.workspace_docs().await?,
        vec![(a.id, "ws1".to_owned())]
    );
    Ok(())
}

async fn enrolment_codes_redeem_once_into_devices(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = store.create_shop(&admin(), &shop("CBU1")).await?;
    let a = adviser(&store, "P0500", "hana@example.cz", s.id).await?;
    let staff = user(&store, "issuer@example.cz", Role::Office).await;
    let now = OffsetDateTime::now_utc();
    let code = |hash: &str, minutes: i64| NewEnrolmentCode {
        code_hash: hash.into(),
        adviser: a.id,
        expires_at: now + Duration::minutes(minutes),
    };
    let device = |token: &str| NewDevice {
        id: fieldcase_shared::DeviceId::new(),
        name: "Pixel".into(),
        token_hash: token.into(),
        at: OffsetDateTime::now_utc(),
    };
    store
        .create_enrolment_code(&Actor::user(&staff), &code("c1", 15))
        .await?;
    let d = store
        .redeem_enrolment_code("c1", &device("t1"))
        .await?
        .expect("a fresh code redeems");
    assert_eq!(d.adviser, a.id);
    assert_eq!(
        store.redeem_enrolment_code("c1", &device("t2")).await?,
        Err(EnrolRefused::Used)
    );
    assert_eq!(
        store.redeem_enrolment_code("zz", &device("t3")).await?,
        Err(EnrolRefused::Unknown)
    );
    assert_eq!(store.device_by_token("t1").await?.map(|x| x.id), Some(d.id));
    assert_eq!(
        store.device_by_token("t2").await?,
        None,
        "a refused redemption stores no device"
    );

    // Two racing redemptions of one code: exactly one wins.
    store
        .create_enrolment_code(&Actor::user(&staff), &code("c2", 15))
        .await?;
    let (r1, r2) = (device("r1"), device("r2"));
    let (x, y) = tokio::join!(
        store.redeem_enrolment_code("c2", &r1),
        store.redeem_enrolment_code("c2", &r2)
    );
    assert_eq!([x?.is_ok(), y?.is_ok()].iter().filter(|ok| **ok).count(), 1);

    // A newer code replaces an unused older one; an old one expires.
    store
        .create_enrolment_code(&Actor::user(&staff), &code("c3", 15))
        .await?;
    store
        .create_enrolment_code(&Actor::user(&staff), &code("c4", 15))
        .await?;
    assert_eq!(
        store.redeem_enrolment_code("c3", &device("t4")).await?,
        Err(EnrolRefused::Expired)
    );
    assert!(
        store
            .redeem_enrolment_code("c4", &device("t5"))
            .await?
            .is_ok()
    );

    store.revoke_device(&Actor::user(&staff), d.id).await?;
    assert_eq!(
        store.device_by_token("t1").await?,
        None,
        "a revoked token stops working"
    );
    store
        .create_enrolment_code(&Actor::user(&staff), &code("c5", 15))
        .await?;
    store.set_adviser_active(&admin(), a.id, false).await?;
    assert_eq!(
        store.redeem_enrolment_code("c5", &device("t6")).await?,
        Err(EnrolRefused::AdviserInactive)
    );
    assert_eq!(
        store.device_by_token("t5").await?,
        None,
        "deactivation revokes every device"
    );
    Ok(())
}

async fn commission_ledger_and_payout_verdicts(store: Arc<SqlStore>) -> anyhow::Result<()> {
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
async fn a_payout_line_pays_the_accepted_requests(store: Arc<SqlStore>) -> anyhow::Result<()> {
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

async fn coupons_are_stored_changed_and_checked(store: Arc<SqlStore>) -> anyhow::Result<()> {
    use fieldcase_shared::docs::catalog::CouponRecord;
    let jaro = CouponRecord {
        percent_bp: 1_000,
        valid_until: "2026-12-31".into(),
        active: true,
        ..Default::default()
    };
    let fixed = CouponRecord {
        amount: 50_000,
        active: true,
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
    // Withdrawing changes it in place.
    let withdrawn = CouponRecord {
        active: false,
        ..jaro.clone()
    };
    store.put_coupon(&admin(), "JARO10", &withdrawn).await?;
    assert_eq!(store.coupons().await?[0].1, withdrawn);
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
    assert_eq!(audit.len(), 3, "every coupon change is audited");
    Ok(())
}
