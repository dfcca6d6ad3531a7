//! Campaigns over the JSON API, the unsubscribe page and the command line: a
//! role that may not is refused, bad drafts say which field (nothing saved), a
//! draft changes until it is launched, a launch and a stop happen once (409
//! after), the unsubscribe page asks on GET and unsubscribes on POST (an unknown
//! link is a 404), and the operator scripts a campaign and reads its report.

use std::sync::Arc;

use fieldcase_server::campaigns::cli::{CampaignCommand, run};
use fieldcase_server::customers::segment::Criteria;
use fieldcase_server::store::{
    Actor, CampaignStore, CareStore, CustomerStore, SegmentStore, SqlStore, Store,
};
use fieldcase_shared::Role;
use serde_json::json;

use super::consent;

pub async fn campaigns_over_the_api_and_the_command_line(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    use fieldcase_server::api::keys::Scope;
    use fieldcase_tests::api::{Api, staff_keys};
    use reqwest::StatusCode;

    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = network.office.clone();
    let mut clients = Vec::new();
    for (i, name) in ["Alena", "Bohdan", "Cecílie"].iter().enumerate() {
        let c = fieldcase_tests::customer_with_email(
            store.as_ref(),
            network.advisers[0],
            (name, "Kampaňová"),
            &format!("k{i}@example.cz"),
        )
        .await?;
        store.add_consent(&office, c, &consent(true)).await?;
        clients.push(c);
    }
    let segment = store
        .create_segment(&office, "Všichni", &Criteria::default())
        .await?;
    let dyn_store: Arc<dyn Store> = store.clone();
    let hub = fieldcase_tests::TestHub::start(dyn_store.clone()).await?;
    let api = Api::new(&hub.url);
    let keys = staff_keys(
        dyn_store.as_ref(),
        &[Scope::CustomersRead, Scope::CustomersWrite],
    )
    .await;
    let (desk, lab) = (&keys[&Role::Office].0, &keys[&Role::Lab].0);
    let body = |name: &str, text: &str| {
        json!({
            "name": name, "segment": segment.to_string(), "channel": "email",
            "subject": "Pro {first_name}", "body": text,
            "per_hour": 600, "holdout_pct": 0, "effect_days": 14
        })
    };

    let (s, _) = api
        .call(lab, "POST", "/api/v1/campaigns", Some(body("Zima", "Ahoj")))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for (bad, field) in [
        (body("Zima", "Ahoj {jmeno}"), "body"),
        (body("", "Ahoj"), "name"),
        (
            json!({"name": "Zima", "segment": segment.to_string(), "channel": "push", "body": "x", "per_hour": 1, "holdout_pct": 0, "effect_days": 1}),
            "channel",
        ),
        (
            json!({"name": "Zima", "segment": uuid::Uuid::now_v7().to_string(), "channel": "email", "subject": "S", "body": "x", "per_hour": 1, "holdout_pct": 0, "effect_days": 1}),
            "segment",
        ),
        (
            json!({"name": "Zima", "segment": segment.to_string(), "channel": "email", "subject": "S", "body": "x", "per_hour": 1, "holdout_pct": 60, "effect_days": 1}),
            "holdout_pct",
        ),
    ] {
        let (s, v) = api.call(desk, "POST", "/api/v1/campaigns", Some(bad)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["fields"][0]["field"], field, "{v}");
    }
    assert!(store.campaigns(10).await?.is_empty());

    let (s, v) = api
        .call(
            desk,
            "POST",
            "/api/v1/campaigns",
            Some(body("Zima", "Ahoj {first_name}")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/campaigns/{id}");
    let (s, _) = api
        .call(desk, "PUT", &path, Some(body("Zimní", "Ahoj {first_name}")))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, v) = api.call(desk, "GET", &path, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (
            v["campaign"]["name"].as_str(),
            v["campaign"]["status"].as_str()
        ),
        (Some("Zimní"), Some("draft"))
    );
    assert!(v["sent_group"].is_null());
    let (s, v) = api.call(desk, "GET", "/api/v1/campaigns", None).await;
    assert_eq!((s, v.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));

    let launch = format!("{path}/launch");
    let (s, v) = api.call(desk, "POST", &launch, None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["sent"].as_u64(), v["held_out"].as_u64()),
        (Some(3), Some(0))
    );
    let (s, _) = api.call(desk, "POST", &launch, None).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = api
        .call(desk, "PUT", &path, Some(body("Jaro", "Ahoj")))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The unsubscribe page: GET asks, POST unsubscribes, an unknown link is 404.
    let token = store.customer_messages(clients[0], 5).await?[0]
        .unsubscribe
        .clone()
        .unwrap();
    let http = reqwest::Client::new();
    let page = http.get(format!("{}/u/{token}", hub.url)).send().await?;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await?;
    assert!(
        html.contains("unsubscribe-confirm") && html.contains("k0…@example.cz"),
        "{html}"
    );
    assert!(
        !store.link_owner(&token).await?.unwrap().unsubscribed,
        "GET changes nothing"
    );
    let done = http
        .post(format!("{}/u/{token}", hub.url))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await?;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await?.contains("unsubscribe-done"));
    assert!(store.link_owner(&token).await?.unwrap().unsubscribed);
    let unknown = http
        .get(format!("{}/u/{}", hub.url, "x".repeat(43)))
        .send()
        .await?;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let (_, v) = api.call(desk, "GET", &path, None).await;
    assert_eq!(
        (v["unsubscribed"].as_i64(), v["skipped"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["sent_group"]["members"], 3);

    let stop = format!("{path}/stop");
    let (s, _) = api.call(desk, "POST", &stop, None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = api.call(desk, "POST", &stop, None).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = api
        .call(
            desk,
            "GET",
            &format!("/api/v1/campaigns/{}", uuid::Uuid::now_v7()),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api.call(desk, "GET", "/api/v1/campaigns/nope", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // The command line.
    let config = fieldcase_server::config::Config::default();
    let as_ =
        |role: Role| async move |_: &str| Ok::<_, anyhow::Error>((Actor::system("cli"), role));
    let create = |by: &str| CampaignCommand::Create {
        name: "Jaro".into(),
        segment: "Všichni".into(),
        channel: "email".into(),
        lang: "en".into(),
        subject: "Spring".into(),
        body: "Hello {first_name}".into(),
        per_hour: 100,
        holdout: 50,
        days: 7,
        by: by.into(),
    };
    let e = run(dyn_store.as_ref(), &config, create("x"), as_(Role::Lab))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("office and customer service"), "{e}");
    let out = run(dyn_store.as_ref(), &config, create("x"), as_(Role::Office)).await?;
    let cli_id: uuid::Uuid = out.trim().parse()?;
    let out = run(
        dyn_store.as_ref(),
        &config,
        CampaignCommand::Launch {
            id: cli_id,
            by: "x".into(),
        },
        as_(Role::Office),
    )
    .await?;
    assert_eq!(out, "launched: 1 to send, 1 held out\n", "two consent now");
    let out = run(
        dyn_store.as_ref(),
        &config,
        CampaignCommand::Report { id: cli_id },
        as_(Role::Office),
    )
    .await?;
    assert!(out.contains("1 waiting, 0 sent"), "{out}");
    assert!(out.contains("sent            1 customers"), "{out}");
    let list = run(
        dyn_store.as_ref(),
        &config,
        CampaignCommand::List { limit: 10 },
        as_(Role::Office),
    )
    .await?;
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(
        list.starts_with(&format!("{cli_id}\tlaunched\temail\tJaro\tVšichni")),
        "{list}"
    );
    Ok(())
}
