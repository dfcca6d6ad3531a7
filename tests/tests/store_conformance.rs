//! The store conformance suite: every case runs on SQLite and on PostgreSQL
//! (`sqlite::case` / `postgres::case`), each on a fresh database. Shops, users,
//! sessions, the audit log, the demo seed and the hub's own tables are here; the
//! field's and the money's cases are modules of this binary
//! (`store_conformance/field.rs`, `store_conformance/money.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::demo;
use fieldcase_server::store::*;
use fieldcase_shared::{Lang, Role};
use time::{Duration, OffsetDateTime};

#[path = "store_conformance/field.rs"]
mod field;
#[path = "store_conformance/money.rs"]
mod money;

// The modules' cases, for `conformance!`.
use field::*;
use money::*;

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
    an_orders_earliest_time_follows_the_devices_connections,
    commission_ledger_and_payout_verdicts,
    coupons_are_stored_changed_and_checked,
    a_coupons_uses_never_pass_its_limit,
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
