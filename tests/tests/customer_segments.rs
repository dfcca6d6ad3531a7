//! Segments on SQLite and PostgreSQL: each criterion (last order, spend, town without
//! diacritics, region by postal code, prescription age, consent, adviser, store,
//! open complaint) counts and lists the customers it should; the facts follow an
//! order's status, a new order and a consent at once (triggers in the same
//! transaction); an export lists only the consenting customers with that contact and
//! is audited; saved segments are unique by name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::sync::Arc;

use fieldcase_server::customers::segment::{Channel, Criteria};
use fieldcase_server::customers::store::{ConsentChannel, NewConsent};
use fieldcase_server::store::{
    Actor, AuditFilter, AuditStore, ClientRow, CustomerFilter, CustomerStore, NetworkStore,
    OrderRow, OrderStore, PrescriptionRow, ProjectionStore, SegmentStore, SqlStore, StoreError,
};
use fieldcase_shared::{AdviserId, ClientId, Money, OrderId, OrderStatus, PrescriptionId};
use time::{Duration, OffsetDateTime};

fieldcase_tests::conformance!(
    each_criterion_takes_whom_it_says,
    facts_follow_orders_and_consents_and_exports_honour_consent,
    the_cli_lists_and_exports_segments,
);

struct Base {
    /// Brno, 602 00: ordered 24 months ago (3,000 CZK), e-mail consent.
    ada: ClientId,
    /// BRNO (capitals), 612 00, the second adviser: ordered 2 months ago (10,000 CZK)
    /// and a cancelled order (50,000); prescription 30 months old; e-mail consent
    /// given and then withdrawn.
    bara: ClientId,
    /// Praha, 110 00: never ordered; prescription 3 months old; SMS consent.
    cyril: ClientId,
    /// Ostrava, 702 00: an order in complaint a month ago (2,000 CZK).
    dana: ClientId,
    advisers: Vec<AdviserId>,
    office: Actor,
    /// Bara's recent order.
    recent: OrderId,
}

fn client(id: ClientId, adviser: AdviserId, name: &str, city: &str, postal: &str) -> ClientRow {
    ClientRow {
        id,
        adviser: Some(adviser),
        first_name: name.into(),
        last_name: "Segmentová".into(),
        phone: format!("+420 602 000 {:03}", name.len()),
        email: format!("{}@example.cz", name.to_lowercase()),
        street: String::new(),
        city: city.into(),
        postal_code: postal.into(),
        created_at: OffsetDateTime::now_utc(),
    }
}

fn order(
    client: ClientId,
    adviser: AdviserId,
    czk: i64,
    status: OrderStatus,
    days_ago: i64,
) -> OrderRow {
    let at = OffsetDateTime::now_utc() - Duration::days(days_ago);
    OrderRow {
        id: OrderId::new(),
        variable_symbol: format!("{}", OrderId::new().as_uuid().as_u128() % 10_000_000_000),
        client,
        adviser: Some(adviser),
        shop: None,
        prescription: None,
        status,
        total: Money::from_haler(czk * 100),
        deposit: Money::from_haler(0),
        created_at: at,
        updated_at: at,
    }
}

fn rx(client: ClientId, months_ago: i64) -> PrescriptionRow {
    let on = OffsetDateTime::now_utc().date() - Duration::days(months_ago * 31);
    PrescriptionRow {
        id: PrescriptionId::new(),
        client,
        measured_by: "test".into(),
        measured_on: on,
        valid_until: on + Duration::days(730),
        data: serde_json::json!({}),
    }
}

fn consent(channel: ConsentChannel, granted: bool, days_ago: i64) -> NewConsent {
    NewConsent {
        channel,
        granted,
        given_at: OffsetDateTime::now_utc() - Duration::days(days_ago),
        place: "Prodejna Brno".into(),
        evidence: String::new(),
    }
}

async fn base(store: &SqlStore) -> anyhow::Result<Base> {
    let network = fieldcase_tests::small_network(store, 2).await?;
    let (a0, a1) = (network.advisers[0], network.advisers[1]);
    let (ada, bara, cyril, dana) = (
        ClientId::new(),
        ClientId::new(),
        ClientId::new(),
        ClientId::new(),
    );
    store
        .insert_clients(
            &[
                client(ada, a0, "Ada", "Brno", "602 00"),
                client(bara, a1, "Bára", "BRNO", "61200"),
                client(cyril, a0, "Cyril", "Praha", "110 00"),
                client(dana, a0, "Dana", "Ostrava", "702 00"),
            ],
            &[rx(bara, 30), rx(cyril, 3)],
        )
        .await?;
    let recent = order(bara, a1, 10_000, OrderStatus::Intake, 61);
    let recent_id = recent.id;
    store
        .insert_orders(
            &[
                order(ada, a0, 3_000, OrderStatus::Delivered, 24 * 31),
                recent,
                order(bara, a1, 50_000, OrderStatus::Cancelled, 20),
                order(dana, a0, 2_000, OrderStatus::Complaint, 31),
            ],
            &[],
        )
        .await?;
    let office = network.office.clone();
    store
        .add_consent(&office, ada, &consent(ConsentChannel::Email, true, 100))
        .await?;
    store
        .add_consent(&office, bara, &consent(ConsentChannel::Email, true, 100))
        .await?;
    store
        .add_consent(&office, bara, &consent(ConsentChannel::Email, false, 10))
        .await?;
    store
        .add_consent(&office, cyril, &consent(ConsentChannel::Sms, true, 5))
        .await?;
    Ok(Base {
        ada,
        bara,
        cyril,
        dana,
        advisers: network.advisers,
        office,
        recent: recent_id,
    })
}

/// The segment's customers counted, listed through the customer list, and counted
/// through it, all three the same.
async fn who(store: &SqlStore, criteria: Criteria) -> anyhow::Result<BTreeSet<ClientId>> {
    let mut c = criteria;
    c.check()
        .map_err(|t| anyhow::anyhow!(t.text(fieldcase_shared::Lang::En)))?;
    let filter = CustomerFilter {
        criteria: c.clone(),
        limit: 500,
        ..Default::default()
    };
    let listed: BTreeSet<ClientId> = store
        .list_customers(&filter)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(
        store.count_segment(&c).await?,
        listed.len() as i64,
        "count of {c:?}"
    );
    assert_eq!(
        store.count_customers(&filter).await?.n,
        listed.len() as i64,
        "list count of {c:?}"
    );
    Ok(listed)
}

fn set(ids: &[ClientId]) -> BTreeSet<ClientId> {
    ids.iter().copied().collect()
}

async fn each_criterion_takes_whom_it_says(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let b = base(&store).await?;
    let (ada, bara, cyril, dana) = (b.ada, b.bara, b.cyril, b.dana);
    let c = Criteria::default;
    assert_eq!(who(&store, c()).await?, set(&[ada, bara, cyril, dana]));
    let town = |t: &str| Criteria {
        town: t.into(),
        ..c()
    };
    assert_eq!(
        who(&store, town("brno")).await?,
        set(&[ada, bara]),
        "town without case"
    );
    assert_eq!(
        who(&store, town("Práha")).await?,
        set(&[cyril]),
        "town without diacritics"
    );
    let region = |p: &[&str]| Criteria {
        postal_prefixes: p.iter().map(|s| s.to_string()).collect(),
        ..c()
    };
    assert_eq!(who(&store, region(&["60", "7"])).await?, set(&[ada, dana]));
    assert_eq!(
        who(&store, region(&["612 0"])).await?,
        set(&[bara]),
        "the prefix's space is ignored"
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                no_order_months: Some(18),
                ..c()
            }
        )
        .await?,
        set(&[ada, cyril]),
        "no order in 18 months: the old order and never (the cancelled one does not count)"
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                ordered_within_months: Some(6),
                ..c()
            }
        )
        .await?,
        set(&[bara, dana])
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                min_spend: Some(2_500),
                ..c()
            }
        )
        .await?,
        set(&[ada, bara])
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                min_spend: Some(2_000),
                max_spend: Some(3_000),
                ..c()
            }
        )
        .await?,
        set(&[ada, dana]),
        "both bounds included; the cancelled 50,000 is not spend"
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                prescription_older_months: Some(24),
                ..c()
            }
        )
        .await?,
        set(&[bara])
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                open_complaint: Some(true),
                ..c()
            }
        )
        .await?,
        set(&[dana])
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                open_complaint: Some(false),
                ..c()
            }
        )
        .await?,
        set(&[ada, bara, cyril])
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                email_consent: Some(true),
                ..c()
            }
        )
        .await?,
        set(&[ada]),
        "withdrawn is no"
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                sms_consent: Some(true),
                ..c()
            }
        )
        .await?,
        set(&[cyril])
    );
    assert_eq!(
        who(
            &store,
            Criteria {
                adviser: Some(b.advisers[1]),
                ..c()
            }
        )
        .await?,
        set(&[bara])
    );
    let shop = store.list_shops().await?[0].id;
    assert_eq!(
        who(
            &store,
            Criteria {
                shop: Some(shop),
                no_order_months: Some(18),
                email_consent: Some(true),
                ..c()
            }
        )
        .await?,
        set(&[ada]),
        "no order in 18 months, consented to e-mail"
    );
    // Criteria combine with a text search in the list.
    let filter = CustomerFilter {
        text: "segmentova".into(),
        criteria: Criteria {
            town: "brno".into(),
            ..c()
        },
        ..Default::default()
    };
    let found: BTreeSet<ClientId> = store
        .list_customers(&filter)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(found, set(&[ada, bara]));
    assert_eq!(store.count_customers(&filter).await?.n, 2);
    Ok(())
}

async fn facts_follow_orders_and_consents_and_exports_honour_consent(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let b = base(&store).await?;
    let within = Criteria {
        ordered_within_months: Some(6),
        ..Default::default()
    };
    assert_eq!(who(&store, within.clone()).await?, set(&[b.bara, b.dana]));
    // Bára's order is cancelled: she has not ordered within 6 months any more.
    store
        .set_order_status(
            &b.office,
            b.recent,
            OrderStatus::Intake,
            OrderStatus::Cancelled,
        )
        .await?;
    assert_eq!(who(&store, within.clone()).await?, set(&[b.dana]));
    // Cyril orders now.
    store
        .insert_orders(
            &[order(b.cyril, b.advisers[0], 1_500, OrderStatus::Intake, 0)],
            &[],
        )
        .await?;
    assert_eq!(who(&store, within).await?, set(&[b.dana, b.cyril]));
    // Dana consents to e-mail.
    store
        .add_consent(&b.office, b.dana, &consent(ConsentChannel::Email, true, 0))
        .await?;
    let emailable = Criteria {
        email_consent: Some(true),
        ..Default::default()
    };
    assert_eq!(who(&store, emailable.clone()).await?, set(&[b.ada, b.dana]));
    // A withdrawal recorded now but given before her consent does not undo it.
    store
        .add_consent(
            &b.office,
            b.dana,
            &consent(ConsentChannel::Email, false, 50),
        )
        .await?;
    assert_eq!(who(&store, emailable).await?, set(&[b.ada, b.dana]));

    // Saved segments: unique by name, changed, deleted.
    let everyone = store
        .create_segment(&b.office, "Všichni", &Criteria::default())
        .await?;
    assert!(matches!(
        store
            .create_segment(&b.office, "Všichni", &Criteria::default())
            .await,
        Err(StoreError::Duplicate { field: "name" })
    ));
    let brno = Criteria {
        town: "Brno".into(),
        ..Default::default()
    };
    let other = store.create_segment(&b.office, "Brno", &brno).await?;
    assert_eq!(
        store
            .segments()
            .await?
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Brno", "Všichni"]
    );
    assert_eq!(store.segment(other).await?.unwrap().criteria, brno);

    // The export of everyone's e-mails lists only those consenting now.
    let seg = store.segment(everyone).await?.unwrap();
    let emails = store
        .segment_contacts(&b.office, &seg, Channel::Email)
        .await?;
    assert_eq!(
        emails
            .iter()
            .map(|c| c.contact.as_str())
            .collect::<Vec<_>>(),
        ["ada@example.cz", "dana@example.cz"]
    );
    let phones = store
        .segment_contacts(&b.office, &seg, Channel::Sms)
        .await?;
    assert_eq!(
        phones
            .iter()
            .map(|c| c.first_name.as_str())
            .collect::<Vec<_>>(),
        ["Cyril"]
    );
    let audit = store
        .list_audit(&AuditFilter {
            action: "segment.export".into(),
            limit: 100,
            ..Default::default()
        })
        .await?;
    assert_eq!(audit.len(), 2, "each export is audited");

    store
        .update_segment(
            &b.office,
            other,
            "Brno a okolí",
            &Criteria {
                postal_prefixes: vec!["6".into()],
                ..Default::default()
            },
        )
        .await?;
    assert_eq!(store.segment(other).await?.unwrap().name, "Brno a okolí");
    store.delete_segment(&b.office, other).await?;
    assert!(store.segment(other).await?.is_none());
    assert!(matches!(
        store.delete_segment(&b.office, other).await,
        Err(StoreError::NotFound(_))
    ));
    Ok(())
}

async fn the_cli_lists_and_exports_segments(store: Arc<SqlStore>) -> anyhow::Result<()> {
    use fieldcase_server::customers::cli::{CustomerCommand, run};
    let b = base(&store).await?;
    let brno = Criteria {
        town: "Brno".into(),
        ..Default::default()
    };
    let id = store.create_segment(&b.office, "Brno", &brno).await?;
    let listed = run(store.as_ref(), CustomerCommand::Segments).await?;
    assert_eq!(listed, format!("{id}\t2\tBrno\ttown Brno\n"));
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("brno.csv");
    let export = |segment: &str, channel: &str, by: &str| CustomerCommand::Export {
        segment: segment.into(),
        channel: channel.into(),
        format: "csv".into(),
        out: out.clone(),
        by: by.into(),
    };
    let said = run(store.as_ref(), export("Brno", "email", "office@example.cz")).await?;
    assert!(said.starts_with("1 contacts written to "), "{said}");
    assert_eq!(
        std::fs::read_to_string(&out)?,
        "\u{feff}first_name;last_name;email;town\nAda;Segmentová;ada@example.cz;Brno\n"
    );
    // Refused: an unknown segment, channel or user.
    for (segment, channel, by) in [
        ("Praha", "email", "office@example.cz"),
        ("Brno", "fax", "office@example.cz"),
        ("Brno", "email", "nobody@example.cz"),
    ] {
        assert!(
            run(store.as_ref(), export(segment, channel, by))
                .await
                .is_err(),
            "{segment} {channel} {by}"
        );
    }
    Ok(())
}
