//! Bookings over the JSON API and the command line: the operator scripts a
//! store's hours and shifts (bad input refused, nothing set), the API lists a
//! day's slots and the bookings, approves once, refuses what the rules refuse.

use std::sync::Arc;

use fieldcase_server::bookings::request;
use fieldcase_server::bookings::rules::prague_today;
use fieldcase_server::store::{Actor, BookingStore, NetworkStore, SqlStore, Store};
use fieldcase_shared::Role;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::contact;

pub async fn bookings_over_the_api_and_the_command_line(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    use fieldcase_server::api::keys::Scope;
    use fieldcase_server::bookings::cli::{BookingCommand, run};
    use fieldcase_tests::api::{Api, staff_keys};
    use reqwest::StatusCode;
    use serde_json::json;

    fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let dyn_store: Arc<dyn Store> = store.clone();
    let as_ =
        |role: Role| async move |_: &str| Ok::<_, anyhow::Error>((Actor::system("cli"), role));
    let day = prague_today(OffsetDateTime::now_utc()) + Duration::days(3);

    // The operator scripts the schedule; bad input says why and changes nothing.
    let hours = |hours: &[&str]| BookingCommand::Hours {
        store: "BRN1".into(),
        hours: hours.iter().map(|h| (*h).to_owned()).collect(),
        by: "x".into(),
    };
    for bad in [
        &["8=09:00-17:00"][..],
        &["1=17:00-09:00"],
        &["1=9-17"],
        &["1=09:00-12:00", "1=13:00-17:00"],
    ] {
        assert!(
            run(dyn_store.as_ref(), hours(bad), as_(Role::Store))
                .await
                .is_err(),
            "{bad:?}"
        );
    }
    let e = run(
        dyn_store.as_ref(),
        hours(&["1=09:00-17:00"]),
        as_(Role::Lab),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("does not handle bookings"), "{e}");
    let shop = store.list_shops().await?[0].id.as_uuid();
    assert!(store.hours(shop).await?.is_empty());
    let week: Vec<String> = (1..=7).map(|d| format!("{d}=09:00-17:00")).collect();
    let week: Vec<&str> = week.iter().map(String::as_str).collect();
    run(dyn_store.as_ref(), hours(&week), as_(Role::Store)).await?;
    assert_eq!(store.hours(shop).await?.len(), 7);
    let shift = BookingCommand::Shift {
        store: "BRN1".into(),
        day: day.to_string(),
        time: "09:00-10:00".into(),
        optometrist: "Mgr. Nová".into(),
        mobile: false,
        by: "x".into(),
    };
    run(dyn_store.as_ref(), shift, as_(Role::Store)).await?;
    let slots = BookingCommand::Slots {
        store: "BRN1".into(),
        day: day.to_string(),
    };
    let out = run(dyn_store.as_ref(), slots, as_(Role::Store)).await?;
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("09:00\tMgr. Nová\tstore\t"), "{out}");
    let unknown = BookingCommand::Slots {
        store: "XXX".into(),
        day: day.to_string(),
    };
    assert!(
        run(dyn_store.as_ref(), unknown, as_(Role::Store))
            .await
            .is_err()
    );

    // The API: a store's slots, a customer's request, the store approves once.
    let hub = fieldcase_tests::TestHub::start(dyn_store.clone()).await?;
    let api = Api::new(&hub.url);
    let keys = staff_keys(
        store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    let (desk, lab) = (&keys[&Role::Store].0, &keys[&Role::Lab].0);
    let path = format!("/api/v1/bookings/slots?store=BRN1&day={day}");
    let (got, slots) = api.call(desk, "GET", &path, None).await;
    assert_eq!(got, StatusCode::OK, "{slots}");
    assert_eq!(slots.as_array().map(Vec::len), Some(2));
    let (got, _) = api.call(lab, "GET", &path, None).await;
    assert_eq!(
        got,
        StatusCode::FORBIDDEN,
        "the lab does not handle bookings"
    );
    let (got, _) = api
        .call(
            desk,
            "GET",
            "/api/v1/bookings/slots?store=BRN1&day=zitra",
            None,
        )
        .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    let (got, _) = api
        .call(
            desk,
            "GET",
            &format!("/api/v1/bookings/slots?store=XXX&day={day}"),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::NOT_FOUND);
    let key =
        fieldcase_server::bookings::rules::parse_key(slots[0]["slot"].as_str().unwrap()).unwrap();
    let (first, _) = request(
        dyn_store.as_ref(),
        shop,
        key,
        &contact("Jana"),
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    let (got, list) = api
        .call(
            desk,
            "GET",
            "/api/v1/bookings?store=BRN1&pending=true",
            None,
        )
        .await;
    assert_eq!(got, StatusCode::OK);
    assert_eq!(list[0]["id"], first.to_string());
    assert_eq!(list[0]["status"], "pending");
    assert_eq!(list[0]["store"], "BRN1");
    let other = slots[1]["slot"].as_str().unwrap();
    let (got, _) = api
        .call(
            desk,
            "POST",
            &format!("/api/v1/bookings/{first}/propose"),
            Some(json!({"slot": "zitra"})),
        )
        .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    let (got, _) = api
        .call(
            lab,
            "POST",
            &format!("/api/v1/bookings/{first}/approve"),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::FORBIDDEN);
    let approve = BookingCommand::Approve {
        id: first,
        by: "x".into(),
    };
    let out = run(dyn_store.as_ref(), approve, as_(Role::Store)).await?;
    assert!(out.contains("approved"), "{out}");
    let (got, _) = api
        .call(
            desk,
            "POST",
            &format!("/api/v1/bookings/{first}/approve"),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::CONFLICT, "approved once");
    let (got, _) = api
        .call(
            desk,
            "POST",
            &format!("/api/v1/bookings/{first}/propose"),
            Some(json!({"slot": other})),
        )
        .await;
    assert_eq!(
        got,
        StatusCode::CONFLICT,
        "an approved booking is not moved by the store"
    );
    let (got, _) = api
        .call(
            desk,
            "POST",
            &format!("/api/v1/bookings/{first}/cancel"),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::NO_CONTENT);
    let (got, _) = api
        .call(
            desk,
            "POST",
            &format!("/api/v1/bookings/{}/cancel", Uuid::now_v7()),
            None,
        )
        .await;
    assert_eq!(got, StatusCode::NOT_FOUND);
    let list = BookingCommand::List {
        store: Some("BRN1".into()),
        pending: false,
        limit: 10,
    };
    let out = run(dyn_store.as_ref(), list, as_(Role::Store)).await?;
    assert!(out.contains("\tJana\tcancelled\t"), "{out}");
    Ok(())
}
