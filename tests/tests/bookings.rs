//! Eye-exam bookings (issue 15, slice 4), on SQLite and PostgreSQL, through the
//! service the public pages, the office and the API use: the slots of a day
//! (opening hours ∩ shifts, the mobile room by its shift, none on a closed day);
//! refusals that keep nothing (a time past or within the hour, outside the hours,
//! off the half hour, no way to reach the customer, the mobile room without an
//! address, a role that may not); 50 simultaneous requests for one slot → exactly
//! one booking; approve, propose another time and the customer's confirm, cancel
//! (the slot free again), the day-before reminder once, the exam's result; the
//! events the customer is told by, and the approval's e-mail through a real SMTP
//! server with the `.ics` at the booked time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::bookings::rules::{Contact, Hours, Refusal, Shift, prague, prague_today};
use fieldcase_server::bookings::store::BookingFilter;
use fieldcase_server::bookings::{
    BookingError, CustomerStep, ExamResult, approve, by_customer, cancel, free_slots, propose,
    record, remind_due, request,
};
use fieldcase_server::care::dispatch::{Channels, plan_once, send_once};
use fieldcase_server::care::edit::{set_event_template, set_event_trigger};
use fieldcase_server::care::rules::{BOOKING_APPROVED, BOOKING_REQUESTED, Channel};
use fieldcase_server::config::Config;
use fieldcase_server::integrations::smtp::Mailer;
use fieldcase_server::store::{
    Actor, BookingStore, CareStore, NetworkStore, NewShop, NewUser, SqlStore, Store,
};
use fieldcase_shared::{Diopters, EyeRx, Lang, Role};
use mail_parser::MimeHeaders;
use time::{Duration, OffsetDateTime, Time};
use uuid::Uuid;

#[path = "bookings/api.rs"]
mod api;
use api::bookings_over_the_api_and_the_command_line;

fieldcase_tests::conformance!(
    bookings_are_asked_for_approved_and_told,
    bookings_over_the_api_and_the_command_line
);

fn hm(h: u8, m: u8) -> Time {
    Time::from_hms(h, m, 0).unwrap()
}

fn contact(name: &str) -> Contact {
    Contact {
        name: name.into(),
        email: "jana@example.cz".into(),
        ..Contact::default()
    }
}

async fn bookings_are_asked_for_approved_and_told(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let dyn_store: &dyn Store = store.as_ref();
    let network = fieldcase_tests::small_network(dyn_store, 1).await?;
    let shop = store.list_shops().await?[0].id.as_uuid();
    let staff = Actor::system("prodejna");
    let client = fieldcase_tests::customer_with_email(
        dyn_store,
        network.advisers[0],
        ("Jana", "Nováková"),
        "jana@example.cz",
    )
    .await?;
    store.close_open_events().await?;

    let now = OffsetDateTime::now_utc();
    let day = prague_today(now) + Duration::days(2);
    let hours: Vec<Hours> = (1..=7)
        .map(|weekday| Hours {
            weekday,
            opens: hm(9, 0),
            closes: hm(17, 0),
        })
        .collect();
    store.set_hours(&staff, shop, &hours).await?;
    let shift = |day, from, to, mobile| Shift {
        id: Uuid::now_v7(),
        shop,
        optometrist: if mobile { "Bc. Dvořák" } else { "Mgr. Nová" }.into(),
        day,
        starts: from,
        ends: to,
        mobile,
    };
    let desk = shift(day, hm(8, 0), hm(12, 0), false);
    let van = shift(day, hm(18, 0), hm(19, 0), true);
    store.add_shift(&staff, &desk).await?;
    store.add_shift(&staff, &van).await?;

    // The day's slots: 9:00–11:30 at the store (not 8:00: it opens at 9), the
    // mobile room 18:00 and 18:30 (after the store closes: its shift alone).
    let slots = free_slots(dyn_store, shop, day, now).await?;
    let starts: Vec<_> = slots.iter().map(|s| s.starts_at).collect();
    assert_eq!(slots.len(), 8, "{starts:?}");
    assert_eq!(starts[0], prague(day, hm(9, 0)));
    assert_eq!(starts[5], prague(day, hm(11, 30)));
    assert!(slots[6].mobile && slots[6].starts_at == prague(day, hm(18, 0)));

    // Refusals keep nothing.
    let nine = (desk.id, prague(day, hm(9, 0)));
    let refused = |r: Result<(Uuid, String), BookingError>| r.expect_err("refused");
    let slot_refusal = |e: BookingError| match e {
        BookingError::Slot(r) => r,
        other => panic!("{other:?}"),
    };
    let e = refused(
        request(
            dyn_store,
            shop,
            (desk.id, now - Duration::hours(1)),
            &contact("A"),
            now,
        )
        .await,
    );
    assert_eq!(slot_refusal(e), Refusal::Past);
    let e = refused(
        request(
            dyn_store,
            shop,
            (desk.id, now + Duration::minutes(30)),
            &contact("A"),
            now,
        )
        .await,
    );
    assert_eq!(slot_refusal(e), Refusal::Past);
    for outside in [
        prague(day, hm(8, 0)),
        prague(day, hm(9, 10)),
        prague(day, hm(12, 0)),
    ] {
        let e = refused(request(dyn_store, shop, (desk.id, outside), &contact("A"), now).await);
        assert_eq!(slot_refusal(e), Refusal::OutsideHours, "{outside}");
    }
    let nobody = Contact {
        name: "Jana".into(),
        ..Contact::default()
    };
    let e = refused(request(dyn_store, shop, nine, &nobody, now).await);
    assert!(e.text(Lang::Cs).contains("e-mail nebo telefon"), "{e:?}");
    let e = refused(
        request(
            dyn_store,
            shop,
            (van.id, prague(day, hm(18, 0))),
            &contact("A"),
            now,
        )
        .await,
    );
    assert!(
        matches!(&e, BookingError::Form(f) if f[0].field == "address"),
        "{e:?}"
    );
    // A closed day has no slots, whatever its shifts.
    let holiday = day + Duration::days(1);
    let closed = shift(holiday, hm(9, 0), hm(12, 0), false);
    store.add_shift(&staff, &closed).await?;
    assert_eq!(free_slots(dyn_store, shop, holiday, now).await?.len(), 6);
    store.close_day(&staff, shop, holiday, "Svátek").await?;
    assert!(free_slots(dyn_store, shop, holiday, now).await?.is_empty());
    let e = refused(
        request(
            dyn_store,
            shop,
            (closed.id, prague(holiday, hm(9, 0))),
            &contact("A"),
            now,
        )
        .await,
    );
    assert_eq!(slot_refusal(e), Refusal::OutsideHours);
    assert!(
        store
            .bookings(BookingFilter::default(), 10)
            .await?
            .is_empty()
    );
    assert!(store.open_events(10).await?.is_empty());

    // 50 customers ask for 9:00 at once: exactly one gets it.
    let mut tasks = Vec::new();
    for i in 0..50 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            request(
                store.as_ref(),
                shop,
                nine,
                &contact(&format!("Zákazník {i}")),
                now,
            )
            .await
        }));
    }
    let mut won = Vec::new();
    for t in tasks {
        match t.await? {
            Ok(b) => won.push(b),
            Err(BookingError::Slot(Refusal::Taken)) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(won.len(), 1, "exactly one wins");
    let (first, token) = won.pop().unwrap();
    let b = store.booking(first).await?.unwrap();
    assert_eq!((b.status.as_str(), b.starts_at), ("pending", nine.1));
    assert_eq!(b.client_id, Some(client.as_uuid()), "linked by e-mail");
    assert_eq!(store.booking_by_token(&token).await?.unwrap().id, first);
    assert_eq!(
        store.bookings(BookingFilter::default(), 100).await?.len(),
        1
    );
    assert!(
        !free_slots(dyn_store, shop, day, now)
            .await?
            .iter()
            .any(|s| s.starts_at == nine.1)
    );

    // Another store's staff may not handle it.
    let other = store
        .create_shop(
            &staff,
            &NewShop {
                code: "OVA1".into(),
                name: "Ostrava".into(),
                ..Default::default()
            },
        )
        .await?;
    let elsewhere = store
        .create_user(
            &staff,
            &NewUser {
                email: "ostrava@example.cz".into(),
                name: "Ostrava".into(),
                password_hash: "x".into(),
                role: Role::Store,
                shop: Some(other.id),
                lang: Lang::Cs,
            },
        )
        .await?;
    let e = approve(dyn_store, &Actor::user(&elsewhere), Role::Store, first, now)
        .await
        .unwrap_err();
    assert!(matches!(e, BookingError::OtherStore), "{e:?}");

    // Approve: a role that may not, then the store; once.
    let e = approve(dyn_store, &staff, Role::Lab, first, now)
        .await
        .unwrap_err();
    assert!(matches!(e, BookingError::Role));
    approve(dyn_store, &staff, Role::Store, first, now)
        .await
        .unwrap();
    let e = approve(dyn_store, &staff, Role::Store, first, now)
        .await
        .unwrap_err();
    assert!(matches!(e, BookingError::State(_)), "{e:?}");

    // Another asks for 9:30; the store proposes 10:00, the customer takes it.
    let half = (desk.id, prague(day, hm(9, 30)));
    let (second, _) = request(dyn_store, shop, half, &contact("Petr"), now)
        .await
        .unwrap();
    let e = propose(dyn_store, &staff, Role::Store, second, nine, now)
        .await
        .unwrap_err();
    assert!(matches!(e, BookingError::Slot(Refusal::Taken)), "{e:?}");
    let ten = (desk.id, prague(day, hm(10, 0)));
    propose(dyn_store, &staff, Role::Store, second, ten, now)
        .await
        .unwrap();
    let b = store.booking(second).await?.unwrap();
    assert_eq!((b.status.as_str(), b.starts_at), ("proposed", ten.1));
    assert!(
        free_slots(dyn_store, shop, day, now)
            .await?
            .iter()
            .any(|s| s.starts_at == half.1),
        "9:30 free again"
    );
    by_customer(dyn_store, &b, CustomerStep::Confirm, now)
        .await
        .unwrap();
    assert_eq!(store.booking(second).await?.unwrap().status, "approved");

    // A third cancels on the booking's page: the slot is free again.
    let eleven = (desk.id, prague(day, hm(11, 0)));
    let (third, _) = request(dyn_store, shop, eleven, &contact("Eva"), now)
        .await
        .unwrap();
    let b = store.booking(third).await?.unwrap();
    by_customer(dyn_store, &b, CustomerStep::Cancel, now)
        .await
        .unwrap();
    let e = cancel(dyn_store, &staff, Role::Store, third)
        .await
        .unwrap_err();
    assert!(matches!(e, BookingError::State(_)));
    assert!(
        free_slots(dyn_store, shop, day, now)
            .await?
            .iter()
            .any(|s| s.starts_at == eleven.1)
    );

    // The day before, each approved exam is reminded once.
    let day_before = prague(day - Duration::days(1), hm(12, 0));
    assert_eq!(remind_due(dyn_store, day_before).await?, 2);
    assert_eq!(remind_due(dyn_store, day_before).await?, 0);

    // The events the customer hears of, with the booking's facts.
    let events = store.open_events(50).await?;
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "booking_requested",
            "booking_approved",
            "booking_requested",
            "booking_proposed",
            "booking_approved",
            "booking_requested",
            "booking_cancelled",
            "booking_reminded",
            "booking_reminded",
        ]
    );
    let approved = &events[1];
    assert_eq!(approved.booking, Some(first));
    assert_eq!(approved.facts.email, "jana@example.cz");
    assert!(
        approved.facts.customer_name.starts_with("Zákazník "),
        "{:?}",
        approved.facts
    );
    assert_eq!(
        approved.facts.booking_time,
        format!(
            "{}. {}. {} 09:00",
            day.day(),
            u8::from(day.month()),
            day.year()
        )
    );
    assert_eq!(approved.booking_token.as_deref(), Some(token.as_str()));
    assert_eq!(approved.facts.shop_name, "Brno");

    // The approval's e-mail carries the .ics at the booked time.
    let admin = Actor::system("admin");
    set_event_template(
        dyn_store,
        &admin,
        Role::Admin,
        BOOKING_APPROVED,
        Channel::Email,
        Lang::Cs,
        "Potvrzeno: {booking_time}",
        "Dobrý den, {customer_name}, vyšetření {booking_time} ({booking_place}). Změna: {booking_link}",
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.text(Lang::En)))?;
    set_event_trigger(
        dyn_store,
        &admin,
        Role::Admin,
        BOOKING_APPROVED,
        "",
        Channel::Email,
        true,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.text(Lang::En)))?;
    let config = Config {
        public_url: "https://hub.example.cz".into(),
        ..Config::default()
    };
    assert_eq!(plan_once(dyn_store, &config).await?, 2, "the two approvals");
    let sink = fieldcase_tests::smtp_sink::SmtpSink::start(0)?;
    let channels = Channels {
        mail: Some(Mailer::new(&sink.url(), "Optika <zakaznici@example.cz>")?),
        config: Arc::new(config.clone()),
        ..Default::default()
    };
    let round = send_once(dyn_store, &channels, OffsetDateTime::now_utc()).await?;
    assert_eq!((round.sent, round.failed), (2, 0));
    let mails = sink.messages()?;
    let parsed: Vec<_> = mails
        .iter()
        .map(|m| mail_parser::MessageParser::default().parse(m).unwrap())
        .collect();
    let mail = parsed
        .iter()
        .find(|m| m.body_text(0).is_some_and(|t| t.contains(&token)))
        .expect("the first booking's mail, with its link");
    assert!(
        mail.subject().unwrap().starts_with("Potvrzeno: "),
        "{:?}",
        mail.subject()
    );
    let ics = mail
        .attachments()
        .find(|a| a.attachment_name() == Some("vysetreni-zraku.ics"))
        .expect("the .ics attached");
    let ics = String::from_utf8(ics.contents().to_vec())?;
    let utc = nine.1;
    let stamp = format!(
        "DTSTART:{:04}{:02}{:02}T{:02}{:02}00Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute()
    );
    assert!(ics.contains(&stamp), "{ics}");
    assert!(ics.contains(&format!("/b/{token}")), "{ics}");
    // The customer card's history: the e-mails sent to the linked customer.
    let history = store.customer_messages(client, 10).await?;
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(
        history
            .iter()
            .all(|m| m.recipient == "jana@example.cz" && m.state == "sent")
    );

    // A booking asked for on the English page is told in English where there is
    // an English template, else in Czech.
    for (lang, subject) in [
        (Lang::Cs, "Žádost přijata: {booking_time}"),
        (Lang::En, "Request received: {booking_time}"),
    ] {
        set_event_template(
            dyn_store,
            &admin,
            Role::Admin,
            BOOKING_REQUESTED,
            Channel::Email,
            lang,
            subject,
            "{customer_name}: {booking_place}, {booking_link}",
        )
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.text(Lang::En)))?;
    }
    set_event_trigger(
        dyn_store,
        &admin,
        Role::Admin,
        BOOKING_REQUESTED,
        "",
        Channel::Email,
        true,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", e.text(Lang::En)))?;
    let english = Contact {
        email: "john@example.com".into(),
        lang: Lang::En,
        ..contact("John Smith")
    };
    let (johns, _) = request(dyn_store, shop, eleven, &english, now)
        .await
        .unwrap();
    approve(dyn_store, &staff, Role::Store, johns, now)
        .await
        .unwrap();
    let half_past = (desk.id, prague(day, hm(11, 30)));
    request(
        dyn_store,
        shop,
        half_past,
        &Contact {
            email: "eva@example.cz".into(),
            ..contact("Eva")
        },
        now,
    )
    .await
    .unwrap();
    assert_eq!(plan_once(dyn_store, &config).await?, 3);
    let round = send_once(dyn_store, &channels, OffsetDateTime::now_utc()).await?;
    assert_eq!((round.sent, round.failed), (3, 0));
    let subjects = |to: &str| -> Vec<String> {
        sink.messages()
            .unwrap()
            .iter()
            .map(|m| mail_parser::MessageParser::default().parse(m).unwrap())
            .filter(|m| m.to().and_then(|t| t.first()).and_then(|a| a.address()) == Some(to))
            .filter_map(|m| m.subject().map(str::to_owned))
            .collect()
    };
    let mut johns_mails = subjects("john@example.com");
    johns_mails.sort();
    assert_eq!(johns_mails.len(), 2, "{johns_mails:?}");
    assert!(
        johns_mails[0].starts_with("Potvrzeno: "),
        "no English template: Czech {johns_mails:?}"
    );
    assert!(
        johns_mails[1].starts_with("Request received: "),
        "{johns_mails:?}"
    );
    assert!(subjects("eva@example.cz")[0].starts_with("Žádost přijata: "));

    // The exam's result: checked, recorded once, the booking done.
    let bad = ExamResult {
        right: EyeRx {
            sph: Diopters::from_hundredths(3_000),
            ..EyeRx::default()
        },
        ..ExamResult::default()
    };
    let e = record(dyn_store, &staff, Role::Store, first, &bad)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, BookingError::Form(f) if f[0].field.starts_with("right")),
        "{e:?}"
    );
    let good = ExamResult {
        right: EyeRx {
            sph: Diopters::from_hundredths(-125),
            ..EyeRx::default()
        },
        measured_by: "Mgr. Nová".into(),
        ..ExamResult::default()
    };
    let e = record(dyn_store, &staff, Role::Lab, first, &good)
        .await
        .unwrap_err();
    assert!(matches!(e, BookingError::Role));
    record(dyn_store, &staff, Role::Store, first, &good)
        .await
        .unwrap();
    let b = store.booking(first).await?.unwrap();
    assert_eq!(b.status, "done");
    let kept: ExamResult = serde_json::from_str(&b.result)?;
    assert_eq!(kept, good);
    let theirs = BookingFilter {
        client: Some(client),
        ..BookingFilter::default()
    };
    assert_eq!(
        store.bookings(theirs, 10).await?.len(),
        3,
        "the customer card's exams"
    );
    Ok(())
}
