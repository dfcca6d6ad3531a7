//! `outbox-bench DATABASE_URL`: issue 15's target — 10,000 notifications
//! dispatched in under 60 s against the fakes with 2 % transient failures, each
//! delivered exactly once — on SQLite and PostgreSQL. Seeds a fresh database (a
//! new SQLite file or a new PostgreSQL database is the caller's): one adviser
//! with a phone registered for push, 3,334 orders of as many customers (each with
//! an e-mail and a mobile number), triggers of "ready for pickup" on e-mail, SMS
//! and push with their templates; moves every order to "ready for pickup" in one
//! statement (the database trigger writes 3,334 events); then plans them
//! (`plan_once`: 10,002 messages) and sends them (`send_once` rounds until the
//! outbox is empty) through the production clients to a real SMTP server on
//! loopback (aiosmtpd, `FIELDCASE_TEST_PYTHON`), the fake SMS gateway and the
//! fake FCM, each failing every 50th request as "try again later". The back-off
//! is the outbox's (a failed message waits a minute): the rounds run on a clock
//! that moves a minute on when a round finds nothing due, so the time measured is
//! the hub's work, not the policy's wait. Then checks that each recipient got
//! exactly one message per channel. Prints the timings; the numbers go to
//! bench/RESULTS.md.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use fieldcase_server::care::dispatch::{Channels, plan_once, send_once};
use fieldcase_server::care::rules::{Channel, ORDER_STATUS};
use fieldcase_server::config::Config;
use fieldcase_server::integrations::fcm::Fcm;
use fieldcase_server::integrations::sms::SmsGateway;
use fieldcase_server::integrations::smtp::Mailer;
use fieldcase_server::store::{
    CareStore, ClientRow, HubStore, OrderRow, OrderStore, ProjectionStore, SqlStore,
};
use fieldcase_shared::{ClientId, Money, OrderId, OrderStatus};
use fieldcase_tests::fake_fcm::FakeFcm;
use fieldcase_tests::fake_sms::{FakeSms, TOKEN};
use fieldcase_tests::smtp_sink::SmtpSink;
use time::{Duration, OffsetDateTime};

const ORDERS: usize = 3_334;
/// Every 50th request fails: 2 %.
const FAIL_EVERY: usize = 50;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: outbox-bench DATABASE_URL (a fresh database)"))?;
    let store = Arc::new(SqlStore::connect(&url).await?);
    store.migrate().await?;
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let (office, adviser) = (network.office, network.advisers[0]);

    let pickup =
        |channel, subject, body| (ORDER_STATUS, "ready_for_pickup", channel, subject, body);
    fieldcase_tests::notify_on(
        store.as_ref(),
        &office,
        &[
            pickup(
                Channel::Email,
                "Zakázka {order_vs}: {status}",
                "Dobrý den, {customer_name},\n\nvaše brýle (zakázka {order_vs}) jsou ve stavu: {status}.\nZbývá zaplatit {left_to_pay}.\n\n{shop_name}",
            ),
            pickup(Channel::Sms, "", "Bryle {order_vs}: {status}. {shop_name}"),
            pickup(Channel::Push, "Zakázka {order_vs}: {status}", "{customer_name}: {status}"),
        ],
    )
    .await?;

    // The adviser's phone.
    let now = OffsetDateTime::now_utc();
    fieldcase_tests::enrol_phone(store.as_ref(), &office, adviser, "bench phone", "fcm-bench")
        .await?;

    // The customers and their orders, on their way to the store.
    let t = Instant::now();
    let clients: Vec<ClientRow> = (0..ORDERS)
        .map(|i| {
            let n = 601_000_000 + i;
            ClientRow {
                id: ClientId::new(),
                adviser: Some(adviser),
                first_name: "Zákazník".into(),
                last_name: format!("Č. {i}"),
                phone: format!(
                    "{} {:03} {:03}",
                    n / 1_000_000,
                    n / 1_000 % 1_000,
                    n % 1_000
                ),
                email: format!("zakaznik{i}@example.cz"),
                street: String::new(),
                city: String::new(),
                postal_code: String::new(),
                created_at: now,
            }
        })
        .collect();
    let orders: Vec<OrderRow> = clients
        .iter()
        .enumerate()
        .map(|(i, c)| OrderRow {
            id: OrderId::new(),
            variable_symbol: format!("77{i:08}"),
            client: c.id,
            adviser: Some(adviser),
            shop: None,
            prescription: None,
            status: OrderStatus::QualityCheck,
            total: Money::from_czk(4_500),
            deposit: Money::from_czk(1_000),
            created_at: now,
            updated_at: now,
        })
        .collect();
    for (c, o) in clients.chunks(500).zip(orders.chunks(500)) {
        store.insert_clients(c, &[]).await?;
        store.insert_orders(o, &[]).await?;
    }
    store
        .execute_raw("UPDATE orders SET status = 'ready_for_pickup' WHERE status = 'quality_check'")
        .await?;
    store.execute_raw("ANALYZE").await?;
    println!(
        "seeded {ORDERS} orders moved to ready for pickup in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let planned = plan_once(store.as_ref(), &Config::default()).await?;
    println!(
        "planned {planned} messages in {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let sink = SmtpSink::start_failing(0, FAIL_EVERY)?;
    let sms = FakeSms::start().await;
    sms.fail_every(FAIL_EVERY);
    let fcm = FakeFcm::start().await;
    fcm.fail_every(FAIL_EVERY);
    let dir = tempfile::tempdir()?;
    let channels = Channels {
        mail: Some(Mailer::new(&sink.url(), "Optika <zakaznici@example.cz>")?),
        sms: Some(SmsGateway::new(&sms.url, TOKEN)?),
        push: Some(Arc::new(Fcm::from_file(
            &fcm.url,
            &fcm.service_account(dir.path()),
        )?)),
        ..Default::default()
    };
    // Tomorrow at 10:00 in Prague: inside the SMS hours.
    let prague = fieldcase_shared::calendar::prague_offset(now);
    let mut clock = (now + Duration::days(1))
        .to_offset(prague)
        .date()
        .with_hms(10, 0, 0)?
        .assume_offset(prague)
        .to_offset(time::UtcOffset::UTC);
    let t = Instant::now();
    let (mut sent, mut retried, mut failed, mut rounds) = (0, 0, 0, 0);
    loop {
        let round = send_once(store.as_ref(), &channels, clock).await?;
        rounds += 1;
        sent += round.sent;
        retried += round.retried;
        failed += round.failed;
        if round.sent + round.retried + round.failed == 0 {
            let waiting = store
                .messages(None, 20_000)
                .await?
                .iter()
                .filter(|m| m.state == "pending" || m.state == "sending")
                .count();
            if waiting == 0 {
                break;
            }
            clock += Duration::minutes(1);
        }
    }
    let took = t.elapsed();
    println!(
        "sent {sent} ({retried} tries failed transiently and were retried, {failed} failed for good) in {rounds} rounds, {:.1} s: {:.0} messages/s (target: 10,000 in < 60 s)",
        took.as_secs_f64(),
        sent as f64 / took.as_secs_f64()
    );

    // Exactly once: one e-mail per address, one SMS per number, one push per order.
    let mails = sink.messages()?;
    let to: HashSet<String> = mails
        .iter()
        .filter_map(|m| {
            let text = String::from_utf8_lossy(m);
            text.lines()
                .find_map(|l| l.strip_prefix("To: ").map(str::to_owned))
        })
        .collect();
    let numbers: HashSet<String> = sms.sent().into_iter().map(|(n, _)| n).collect();
    let pushes: HashSet<String> = fcm.pushed().into_iter().map(|p| p.title).collect();
    println!(
        "delivered: {} e-mails to {} addresses, {} SMS to {} numbers, {} pushes for {} orders",
        mails.len(),
        to.len(),
        sms.sent().len(),
        numbers.len(),
        fcm.pushed().len(),
        pushes.len()
    );
    let once = [
        mails.len(),
        to.len(),
        sms.sent().len(),
        numbers.len(),
        fcm.pushed().len(),
        pushes.len(),
    ]
    .iter()
    .all(|n| *n == ORDERS);
    anyhow::ensure!(
        once && failed == 0 && sent == planned,
        "not every message was delivered exactly once"
    );
    println!("each delivered exactly once");
    Ok(())
}
