//! Store conformance, field: advisers with their logins, deactivation, enrolment
//! codes and the devices they turn into.

use super::*;

pub(super) async fn advisers_are_created_with_their_login_and_filtered(
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

pub(super) async fn deactivating_an_adviser_revokes_devices_and_login(
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

pub(super) async fn enrolment_codes_replace_older_unused_ones(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
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

pub(super) async fn enrolment_codes_redeem_once_into_devices(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
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

pub(super) async fn an_orders_earliest_time_follows_the_devices_connections(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let s = store.create_shop(&admin(), &shop("CBU2")).await?;
    let a = adviser(&store, "P0501", "iva@example.cz", s.id).await?;
    let staff = user(&store, "issuer2@example.cz", Role::Office).await;
    let now = OffsetDateTime::now_utc().replace_nanosecond(0)?;
    let ago = |hours: i64| now - Duration::hours(hours);
    let enrol = |code: &'static str, token: &'static str, at: OffsetDateTime| {
        let (store, staff) = (store.clone(), staff.clone());
        async move {
            store
                .create_enrolment_code(
                    &Actor::user(&staff),
                    &NewEnrolmentCode {
                        code_hash: code.into(),
                        adviser: a.id,
                        expires_at: now + Duration::minutes(15),
                    },
                )
                .await?;
            let d = NewDevice {
                id: fieldcase_shared::DeviceId::new(),
                name: "Pixel".into(),
                token_hash: token.into(),
                at,
            };
            anyhow::Ok(store.redeem_enrolment_code(code, &d).await??.id)
        }
    };
    assert_eq!(store.orders_arrive_after(a.id).await?, None, "no device");
    // Enrolled three days ago: nothing it sends can be older.
    let phone = enrol("e1", "p1", ago(72)).await?;
    assert_eq!(store.orders_arrive_after(a.id).await?, Some(ago(72)));
    // Its first connection: what arrives in it was made after the enrolment; in the
    // next one, after the first.
    store.touch_device(phone, ago(48)).await?;
    assert_eq!(store.orders_arrive_after(a.id).await?, Some(ago(72)));
    store.touch_device(phone, ago(24)).await?;
    assert_eq!(store.orders_arrive_after(a.id).await?, Some(ago(48)));
    // A second device of the adviser's: the earliest of the two.
    let tablet = enrol("e2", "p2", ago(2)).await?;
    store.touch_device(tablet, ago(1)).await?;
    assert_eq!(store.orders_arrive_after(a.id).await?, Some(ago(48)));
    // A revoked device sends nothing more.
    store.revoke_device(&Actor::user(&staff), phone).await?;
    assert_eq!(store.orders_arrive_after(a.id).await?, Some(ago(2)));
    Ok(())
}
