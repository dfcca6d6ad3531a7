//! The office's own customers (no adviser) in SQL, on SQLite and PostgreSQL: created
//! with an audit entry and found by search at once; edited compare-and-set field by
//! field (what someone else changed meanwhile in another field stays; the same field
//! changed meanwhile is stale, nothing written); an unknown client is NotFound and a
//! client with an adviser is not edited here. Notes, logged calls and consents are
//! appended (never changed or deleted); the current consent is the latest given,
//! and the list filters on it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::customers::store::{ConsentChannel, ContactKind, NewConsent};
use fieldcase_server::store::{
    AuditFilter, AuditStore, CustomerFilter, CustomerStore, ProjectionBatch, ProjectionStore,
    SqlStore, StoreError,
};
use fieldcase_shared::ClientId;
use fieldcase_shared::customer::Stale;
use fieldcase_shared::docs::records::ClientRecord;
use time::{Duration, OffsetDateTime};

fieldcase_tests::conformance!(
    office_customers_are_edited_compare_and_set,
    notes_calls_and_consents_are_kept_and_filtered,
    the_cli_finds_and_adds_customers,
);

async fn office_customers_are_edited_compare_and_set(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = &network.office;
    let id = ClientId::new();
    let created = ClientRecord {
        first_name: "Zdeňka".into(),
        last_name: "Nováčková".into(),
        phone: "+420 608 555 444".into(),
        city: "Brno".into(),
        ..Default::default()
    };
    store.create_customer(office, id, None, &created).await?;
    assert_eq!(store.client_owner(id).await?, Some(None));
    let found = store
        .list_customers(&CustomerFilter {
            text: "novackova 608".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);

    // Two people open the card; the first changes the e-mail, the second the town.
    let seen = store.customer_card(id).await?.unwrap().record();
    let first = ClientRecord {
        email: "zdenka@example.cz".into(),
        ..seen.clone()
    };
    assert_eq!(
        store.edit_own_customer(office, id, &seen, &first).await?,
        Ok(vec!["email"])
    );
    let second = ClientRecord {
        city: "Blansko".into(),
        ..seen.clone()
    };
    assert_eq!(
        store.edit_own_customer(office, id, &seen, &second).await?,
        Ok(vec!["city"])
    );
    let card = store.customer_card(id).await?.unwrap();
    assert_eq!(
        (card.email.as_str(), card.city.as_str()),
        ("zdenka@example.cz", "Blansko")
    );
    // A third, from the same old screen, changes the town too: stale, nothing written.
    let third = ClientRecord {
        city: "Vyškov".into(),
        note: "VIP".into(),
        ..seen.clone()
    };
    assert_eq!(
        store.edit_own_customer(office, id, &seen, &third).await?,
        Err(Stale {
            fields: vec!["city"]
        })
    );
    let after = store.customer_card(id).await?.unwrap();
    assert_eq!((after.city.as_str(), after.note.as_str()), ("Blansko", ""));
    // Search follows the edits.
    let found = store
        .list_customers(&CustomerFilter {
            text: "blansko zdenka@example".into(),
            ..Default::default()
        })
        .await?;
    assert_eq!(found.len(), 1);
    // Audited: created, and two edits naming their fields (no values).
    let audit = store
        .list_audit(&AuditFilter {
            action: "client.".into(),
            ..Default::default()
        })
        .await?;
    let mut actions: Vec<(String, String)> =
        audit.into_iter().map(|e| (e.action, e.detail)).collect();
    actions.sort();
    assert_eq!(
        actions,
        [
            ("client.create".to_owned(), String::new()),
            ("client.edit".to_owned(), "city".to_owned()),
            ("client.edit".to_owned(), "email".to_owned()),
        ]
    );

    // Unknown: NotFound. An adviser's client: refused here (their workspace holds it).
    assert!(matches!(
        store
            .edit_own_customer(office, ClientId::new(), &seen, &first)
            .await,
        Err(StoreError::NotFound(_))
    ));
    let theirs = ClientId::new();
    store
        .project(
            network.advisers[0],
            &ProjectionBatch {
                clients: vec![(theirs, created.clone())],
                ..Default::default()
            },
        )
        .await?;
    assert!(matches!(
        store
            .edit_own_customer(office, theirs, &created, &first)
            .await,
        Err(StoreError::Stale(_))
    ));
    Ok(())
}

async fn notes_calls_and_consents_are_kept_and_filtered(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = &network.office;
    let record = |last: &str| ClientRecord {
        first_name: "Jana".into(),
        last_name: last.into(),
        city: "Brno".into(),
        ..Default::default()
    };
    let (a, b, c) = (ClientId::new(), ClientId::new(), ClientId::new());
    for (id, last) in [(a, "Adamová"), (b, "Bartošová"), (c, "Cibulková")] {
        store
            .create_customer(office, id, None, &record(last))
            .await?;
    }
    store
        .add_customer_note(office, a, ContactKind::CallIn, "Ptala se na multifokály")
        .await?;
    store
        .add_customer_note(office, a, ContactKind::Note, "Preferuje odpoledne")
        .await?;
    let now = OffsetDateTime::now_utc();
    let consent = |channel, granted, days_ago: i64, place: &str| NewConsent {
        channel,
        granted,
        given_at: now - Duration::days(days_ago),
        place: place.into(),
        evidence: String::new(),
    };
    // A: gave e-mail consent, later withdrew it; B: gave it; C: nothing. A's
    // withdrawal given earlier but recorded after a grant does not undo the grant.
    store
        .add_consent(
            office,
            a,
            &consent(ConsentChannel::Email, true, 30, "Prodejna Brno"),
        )
        .await?;
    store
        .add_consent(
            office,
            a,
            &consent(ConsentChannel::Email, false, 2, "telefonát"),
        )
        .await?;
    store
        .add_consent(
            office,
            b,
            &consent(ConsentChannel::Email, true, 5, "návštěva"),
        )
        .await?;
    store
        .add_consent(
            office,
            b,
            &consent(ConsentChannel::Email, false, 10, "starý formulář"),
        )
        .await?;
    store
        .add_consent(
            office,
            b,
            &consent(ConsentChannel::Sms, true, 1, "návštěva"),
        )
        .await?;

    let card = store.customer_card(a).await?.unwrap();
    assert_eq!(
        card.notes
            .iter()
            .map(|n| n.body.as_str())
            .collect::<Vec<_>>(),
        ["Preferuje odpoledne", "Ptala se na multifokály"]
    );
    assert_eq!(card.notes[1].kind, ContactKind::CallIn);
    assert!(
        card.consent(ConsentChannel::Email)
            .is_some_and(|c| !c.granted && c.place == "telefonát")
    );
    assert!(card.consent(ConsentChannel::Sms).is_none());
    let card = store.customer_card(b).await?.unwrap();
    assert!(
        card.consent(ConsentChannel::Email)
            .is_some_and(|c| c.granted && c.place == "návštěva")
    );
    assert_eq!(card.consents.len(), 3);

    let ids = |list: Vec<fieldcase_server::store::CustomerSummary>| {
        let mut v: Vec<ClientId> = list.into_iter().map(|c| c.id).collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<ClientId>| {
        v.sort();
        v
    };
    let with = |email: Option<bool>, sms: Option<bool>, text: &str| CustomerFilter {
        criteria: fieldcase_server::customers::segment::Criteria {
            email_consent: email,
            sms_consent: sms,
            ..Default::default()
        },
        text: text.into(),
        ..Default::default()
    };
    assert_eq!(
        ids(store.list_customers(&with(Some(true), None, "")).await?),
        [b]
    );
    assert_eq!(
        ids(store.list_customers(&with(Some(false), None, "")).await?),
        sorted(vec![a, c])
    );
    assert_eq!(
        ids(store
            .list_customers(&with(Some(true), Some(true), "jana"))
            .await?),
        [b]
    );
    assert_eq!(
        ids(store
            .list_customers(&with(None, Some(false), "brno"))
            .await?),
        sorted(vec![a, c])
    );
    assert_eq!(
        store
            .count_customers(&with(Some(false), None, "jana"))
            .await?
            .n,
        2
    );
    assert_eq!(
        store.count_customers(&with(Some(true), None, "")).await?.n,
        1
    );

    // Append-only; an unknown client is NotFound.
    for sql in [
        "UPDATE customer_notes SET body = 'x'",
        "DELETE FROM customer_notes",
        "UPDATE customer_consents SET granted = TRUE",
        "DELETE FROM customer_consents",
    ] {
        assert!(store.execute_raw(sql).await.is_err(), "{sql} went through");
    }
    assert!(matches!(
        store
            .add_customer_note(office, ClientId::new(), ContactKind::Note, "x")
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .add_consent(
                office,
                ClientId::new(),
                &consent(ConsentChannel::Sms, true, 0, "x")
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
    Ok(())
}

async fn the_cli_finds_and_adds_customers(store: Arc<SqlStore>) -> anyhow::Result<()> {
    use fieldcase_server::customers::cli::{CustomerCommand, run};
    fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let add = |last: &str, phone: &str, allow: bool| CustomerCommand::Add {
        last_name: last.into(),
        first_name: "Jana".into(),
        phone: phone.into(),
        email: String::new(),
        street: String::new(),
        city: "Plzeň".into(),
        postal_code: "30100".into(),
        by: "office@example.cz".into(),
        allow_duplicates: allow,
    };
    let out = run(store.as_ref(), add("Šimková", "603123456", false)).await?;
    let id: ClientId = out.trim().parse()?;
    let found = run(
        store.as_ref(),
        CustomerCommand::Find {
            query: "simkova +420 603".into(),
            limit: 20,
        },
    )
    .await?;
    assert!(
        found.starts_with(&format!("{id}\tJana Šimková\t+420 603 123 456\t")),
        "{found}"
    );
    // The same phone: refused naming the customer; with --allow-duplicates saved.
    let refused = run(store.as_ref(), add("Nováková", "+420 603-123-456", false))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("--allow-duplicates") && refused.contains(&id.to_string()),
        "{refused}"
    );
    run(store.as_ref(), add("Nováková", "+420 603-123-456", true)).await?;
    // Bad input names the option; an unknown staff user is refused.
    let bad = run(store.as_ref(), add("", "12", true))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        bad.contains("--last-name") && bad.contains("--phone"),
        "{bad}"
    );
    let mut nobody = add("X", "", true);
    if let CustomerCommand::Add { by, .. } = &mut nobody {
        *by = "nobody@example.cz".into();
    }
    assert!(run(store.as_ref(), nobody).await.is_err());
    let all = run(
        store.as_ref(),
        CustomerCommand::Find {
            query: "jana".into(),
            limit: 20,
        },
    )
    .await?;
    assert_eq!(all.lines().count(), 2);
    Ok(())
}
