//! Campaigns (issue 15, slice 5) on SQLite and PostgreSQL, sent through the
//! outbox to a real SMTP server on loopback (aiosmtpd): a draft with an unknown
//! variable or from a role that may not is refused (nothing saved); the launch
//! reaches only the segment's consenting customers, one per address, holds out
//! its share, and queues the messages at the rate (one a second here); each
//! e-mail carries its own unsubscribe link (in the text and the
//! `List-Unsubscribe` header); the link withdraws the consent (once) and the
//! customer's waiting message is not sent, nor one whose consent the office
//! withdrew meanwhile; a stop skips what waits; the effect counts the groups'
//! orders (not cancelled) within the days only.

use std::sync::Arc;

use fieldcase_server::campaigns::rules::{Draft, Problem, Status};
use fieldcase_server::campaigns::store::STOPPED;
use fieldcase_server::campaigns::{CampaignError, create, launch, report, stop};
use fieldcase_server::care::dispatch::{Channels, send_once};
use fieldcase_server::care::rules::Channel;
use fieldcase_server::config::Config;
use fieldcase_server::customers::segment::{self, Criteria};
use fieldcase_server::customers::store::{ConsentChannel, NewConsent};
use fieldcase_server::integrations::smtp::Mailer;
use fieldcase_server::store::{
    CampaignStore, CareStore, ClientRow, CustomerStore, ErasureStore, OrderRow, OrderStore,
    ProjectionStore, SegmentStore, SqlStore,
};
use fieldcase_shared::{ClientId, Lang, Money, OrderId, OrderStatus, Role};
use fieldcase_tests::smtp_sink::SmtpSink;
use time::{Duration, OffsetDateTime};

#[path = "campaigns_api.rs"]
mod api;
use api::campaigns_over_the_api_and_the_command_line;

fieldcase_tests::conformance!(
    a_campaign_reaches_the_consenting_and_measures_its_effect,
    campaigns_over_the_api_and_the_command_line,
);

const URL: &str = "https://optika.example.cz";

fn consent(granted: bool) -> NewConsent {
    NewConsent {
        channel: ConsentChannel::Email,
        granted,
        given_at: OffsetDateTime::now_utc() - Duration::hours(1),
        place: "Prodejna Brno".into(),
        evidence: String::new(),
    }
}

/// A draft to every customer of the segment, `per_hour`, 20 % held out, 30 days.
pub fn draft(segment: uuid::Uuid, per_hour: u32) -> Draft {
    Draft {
        name: "Zimní kolekce".into(),
        segment,
        channel: Channel::Email,
        lang: Lang::Cs,
        subject: "{first_name}, nová kolekce".into(),
        body: "Dobrý den, {first_name} {last_name},\n\nmáme pro vás novou kolekci obrub.".into(),
        per_hour,
        holdout_pct: 20,
        effect_days: 30,
    }
}

fn order(client: ClientId, czk: i64, status: OrderStatus, at: OffsetDateTime) -> OrderRow {
    OrderRow {
        id: OrderId::new(),
        variable_symbol: format!("{}", OrderId::new().as_uuid().as_u128() % 10_000_000_000),
        client,
        adviser: None,
        shop: None,
        prescription: None,
        status,
        total: Money::from_czk(czk),
        deposit: Money::ZERO,
        created_at: at,
        updated_at: at,
    }
}

async fn a_campaign_reaches_the_consenting_and_measures_its_effect(
    store: Arc<SqlStore>,
) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = network.office.clone();
    // 40 customers: the first 30 consent to e-mail; the 30th shares the first's
    // address (in capitals): 29 addresses reachable.
    let ids: Vec<ClientId> = (0..40).map(|_| ClientId::new()).collect();
    let rows: Vec<ClientRow> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| ClientRow {
            id: *id,
            adviser: Some(network.advisers[0]),
            first_name: format!("Jméno{i}"),
            last_name: "Kampaňová".into(),
            phone: String::new(),
            email: if i == 29 {
                "C0@EXAMPLE.CZ".into()
            } else {
                format!("c{i}@example.cz")
            },
            street: String::new(),
            city: "Brno".into(),
            postal_code: "602 00".into(),
            created_at: OffsetDateTime::now_utc(),
        })
        .collect();
    store.insert_clients(&rows, &[]).await?;
    for id in &ids[..30] {
        store.add_consent(&office, *id, &consent(true)).await?;
    }
    let everyone = store
        .create_segment(&office, "Všichni", &Criteria::default())
        .await?;

    // Refused drafts save nothing.
    let mut bad = draft(everyone, 3600);
    bad.body = "Dobrý den {jmeno}".into();
    let e = create(store.as_ref(), &office, Role::Office, bad)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, CampaignError::Draft(Problem::Unknown(v)) if v == &["jmeno".to_owned()]),
        "{e:?}"
    );
    let e = create(store.as_ref(), &office, Role::Lab, draft(everyone, 3600))
        .await
        .unwrap_err();
    assert!(matches!(e, CampaignError::Role), "{e:?}");
    assert!(store.campaigns(10).await?.is_empty());

    // The launch: 29 addresses, 6 held out (20 %), 23 queued a second apart.
    let id = create(store.as_ref(), &office, Role::Office, draft(everyone, 3600)).await?;
    let t0 = OffsetDateTime::now_utc();
    assert_eq!(
        launch(store.as_ref(), &office, Role::Office, id, URL, t0).await?,
        (23, 6)
    );
    let again = launch(store.as_ref(), &office, Role::Office, id, URL, t0).await;
    assert!(
        matches!(again, Err(CampaignError::State(Some(Status::Launched)))),
        "{again:?}"
    );
    let members = store.campaign_members(id).await?;
    assert_eq!(members.len(), 29);
    assert_eq!(members.iter().filter(|(_, held, _)| *held).count(), 6);
    for (client, _, _) in &members {
        assert!(ids[..30].contains(client), "only the consenting");
    }
    let addresses: std::collections::HashSet<String> =
        members.iter().map(|(_, _, a)| a.to_lowercase()).collect();
    assert_eq!(addresses.len(), 29, "one per address");
    let mut messages = Vec::new();
    for (client, held, _) in &members {
        let mine = store.customer_messages(*client, 10).await?;
        assert_eq!(mine.len(), usize::from(!held), "{mine:?}");
        messages.extend(mine);
    }
    messages.sort_by_key(|m| m.next_at);
    for pair in messages.windows(2) {
        assert_eq!(pair[1].next_at - pair[0].next_at, Duration::seconds(1));
    }
    // (PostgreSQL keeps microseconds.)
    let first_at = messages[0].next_at - t0;
    assert!(first_at > -Duration::milliseconds(1) && first_at < Duration::seconds(1));
    assert!(messages.iter().all(|m| m.unsubscribe.is_some()));

    // Before anything goes: one customer unsubscribes by the link (the last
    // queued), the office records another's withdrawal (the second to last).
    let last = &messages[22];
    let token = last.unsubscribe.clone().unwrap();
    let owner = store.link_owner(&token).await?.unwrap();
    assert_eq!((owner.channel, owner.unsubscribed), (Channel::Email, false));
    assert!(store.unsubscribe(&token).await?);
    assert!(!store.unsubscribe(&token).await?, "once");
    assert!(store.link_owner(&token).await?.unwrap().unsubscribed);
    let withdrawn = members
        .iter()
        .find(|(_, _, a)| *a == messages[21].recipient)
        .unwrap()
        .0;
    store
        .add_consent(&office, withdrawn, &consent(false))
        .await?;
    let audience = store
        .segment_audience(&Criteria::default(), segment::Channel::Email)
        .await?;
    assert_eq!(audience.len(), 28, "both left the consenting");

    // Ten seconds in: the first eleven go; then the rest, but not those two.
    let sink = SmtpSink::start(0)?;
    let channels = Channels {
        mail: Some(Mailer::new(&sink.url(), "Optika <zakaznici@example.cz>")?),
        config: Arc::new(Config {
            public_url: URL.into(),
            ..Config::default()
        }),
        ..Default::default()
    };
    let first = send_once(
        store.as_ref(),
        &channels,
        t0 + Duration::milliseconds(10_500),
    )
    .await?;
    assert_eq!((first.sent, first.skipped), (11, 0));
    let rest = send_once(store.as_ref(), &channels, t0 + Duration::minutes(1)).await?;
    assert_eq!((rest.sent, rest.skipped, rest.failed), (10, 1, 0));
    let mails = sink.messages()?;
    assert_eq!(mails.len(), 21);
    let parsed = mail_parser::MessageParser::default()
        .parse(&mails[0])
        .unwrap();
    let text = parsed.body_text(0).unwrap().into_owned();
    let to = parsed
        .to()
        .and_then(|t| t.first())
        .and_then(|a| a.address())
        .unwrap()
        .to_owned();
    let mine = messages.iter().find(|m| m.recipient == to).unwrap();
    let link = format!("{URL}/u/{}", mine.unsubscribe.clone().unwrap());
    assert!(text.starts_with("Dobrý den, Jméno"), "{text}");
    assert!(text.trim_end().ends_with(&link), "{text}");
    let header = parsed
        .header_raw("List-Unsubscribe")
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(header, format!("<{link}>"));
    assert_eq!(
        parsed.header_raw("List-Unsubscribe-Post").map(str::trim),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(parsed.subject().unwrap().ends_with(", nová kolekce"));
    let r = report(store.as_ref(), id, t0).await?;
    assert_eq!(
        (r.progress.sent, r.progress.skipped, r.progress.waiting),
        (21, 2, 0)
    );
    assert_eq!((r.progress.held_out, r.progress.unsubscribed), (6, 1));

    // The effect: orders within the 30 days, not cancelled, by group.
    let sent: Vec<ClientId> = members.iter().filter(|m| !m.1).map(|m| m.0).collect();
    let held: Vec<ClientId> = members.iter().filter(|m| m.1).map(|m| m.0).collect();
    let day = |n: i64| t0 + Duration::days(n);
    store
        .insert_orders(
            &[
                order(sent[0], 1_000, OrderStatus::Intake, day(1)),
                order(sent[0], 2_000, OrderStatus::Delivered, day(5)),
                order(sent[1], 500, OrderStatus::Intake, day(29)),
                order(sent[2], 9_000, OrderStatus::Cancelled, day(2)),
                order(sent[3], 7_000, OrderStatus::Intake, day(31)),
                order(sent[4], 7_000, OrderStatus::Intake, day(-1)),
                order(held[0], 800, OrderStatus::Intake, day(3)),
            ],
            &[],
        )
        .await?;
    let r = report(store.as_ref(), id, day(10)).await?;
    let e = r.effect.unwrap();
    assert!(!r.complete);
    assert_eq!(
        (
            e.sent.members,
            e.sent.buyers,
            e.sent.orders,
            e.sent.turnover
        ),
        (23, 2, 3, 350_000)
    );
    assert_eq!(
        (
            e.held_out.members,
            e.held_out.buyers,
            e.held_out.orders,
            e.held_out.turnover
        ),
        (6, 1, 1, 80_000)
    );
    assert_eq!(e.uplift(), Some(350_000 - 80_000 * 23 / 6));
    assert!(report(store.as_ref(), id, day(31)).await?.complete);

    // A second campaign at one an hour, stopped: what waits is not sent.
    let slow = create(
        store.as_ref(),
        &office,
        Role::CustomerService,
        draft(everyone, 1),
    )
    .await?;
    let (queued, _) = launch(store.as_ref(), &office, Role::Office, slow, URL, t0).await?;
    assert_eq!(queued, 22, "28 consenting, 6 held out");
    assert_eq!(
        send_once(store.as_ref(), &channels, t0 + Duration::minutes(1))
            .await?
            .sent,
        1
    );
    stop(store.as_ref(), &office, Role::Office, slow).await?;
    let e = stop(store.as_ref(), &office, Role::Office, slow)
        .await
        .unwrap_err();
    assert!(
        matches!(e, CampaignError::State(Some(Status::Stopped))),
        "{e:?}"
    );
    let r = report(store.as_ref(), slow, t0).await?;
    assert_eq!(
        (r.progress.sent, r.progress.skipped, r.progress.waiting),
        (1, 21, 0)
    );
    let skipped = store.messages(None, 100).await?;
    assert!(skipped.iter().any(|m| m.reason == STOPPED));
    assert_eq!(
        send_once(store.as_ref(), &channels, t0 + Duration::days(2))
            .await?
            .sent,
        0
    );
    assert_eq!(sink.messages()?.len(), 22);

    // Erasing a recipient (GDPR) keeps that they were drawn, not their address.
    let scope = store.erasure_scope(sent[0]).await?.unwrap();
    store.erase_customers(&office, &scope, "žádost").await?;
    let members = store.campaign_members(id).await?;
    assert_eq!(members.len(), 29);
    assert!(
        members
            .iter()
            .any(|(c, _, a)| *c == sent[0] && a.is_empty())
    );
    assert_eq!(
        report(store.as_ref(), id, day(10))
            .await?
            .effect
            .unwrap()
            .sent
            .members,
        23
    );
    Ok(())
}
