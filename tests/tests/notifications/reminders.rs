//! The last two events of the notifications: an office reminder reaching the
//! adviser's workspace tells the customer (e-mail, `{reason}` the reminder's
//! text) once, however often it is marked; a record the hub's authority rejects
//! pushes the adviser once (a second pass over the same bad record writes no new
//! inbox entry, so no new push).

use std::sync::Arc;

use fieldcase_server::care::dispatch::plan_once;
use fieldcase_server::care::rules::{Channel, RECORD_REJECTED, REMINDER_DUE};
use fieldcase_server::config::Config;
use fieldcase_server::customers::store::reminders::NewReminder;
use fieldcase_server::store::{CareStore, ReminderStore, SqlStore};
use fieldcase_shared::authority::{self, Correction, Fix, Rejection, Report};
use fieldcase_shared::reminder::Rule;
use time::OffsetDateTime;

pub async fn reminders_and_rejections_are_told(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let network = fieldcase_tests::small_network(store.as_ref(), 1).await?;
    let office = network.office.clone();
    let adviser = network.advisers[0];
    let jana = fieldcase_tests::customer_with_email(
        store.as_ref(),
        adviser,
        ("Jana", "Připomínková"),
        "jana.pripominka@example.cz",
    )
    .await?;
    fieldcase_tests::notify_on(
        store.as_ref(),
        &office,
        &[
            (
                REMINDER_DUE,
                "",
                Channel::Email,
                "Je čas: {reason}",
                "Dobrý den, {customer_name}, {reason}. Ozve se vám {adviser_name}.",
            ),
            (
                RECORD_REJECTED,
                "",
                Channel::Push,
                "Záznam zamítnut",
                "{reason}",
            ),
        ],
    )
    .await?;

    // A reminder made and pushed into the workspace: one e-mail, once.
    let today = OffsetDateTime::now_utc().date();
    store
        .insert_reminders(&[NewReminder {
            rule: Rule::EyeExam,
            client: jana,
            adviser,
            basis: "2024-12-01".into(),
            due_on: today,
            title: "kontrola zraku po dvou letech".into(),
        }])
        .await?;
    let made = store.unpushed_reminders(10).await?;
    assert_eq!(made.len(), 1);
    assert_eq!(
        plan_once(store.as_ref(), &Config::default()).await?,
        0,
        "not yet pushed"
    );
    store.mark_pushed(&[made[0].id]).await?;
    store.mark_pushed(&[made[0].id]).await?;
    assert_eq!(plan_once(store.as_ref(), &Config::default()).await?, 1);
    let mine = store.customer_messages(jana, 10).await?;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0].subject, "Je čas: kontrola zraku po dvou letech");
    assert!(
        mine[0].body.contains("Jana Připomínková"),
        "{}",
        mine[0].body
    );

    // A rejection new to the inbox: an adviser's event (pushed where they have
    // a phone; here none, so the push is skipped with why).
    let rejection = Correction {
        fix: Fix::Nothing,
        report: Some(Report::Rejected(Rejection::UnreadableRecord {
            map: "orders".into(),
            id: "o-1".into(),
            why: "bad json".into(),
        })),
    };
    let mut doc = automerge::Automerge::new();
    let fresh = authority::apply(
        &mut doc,
        std::slice::from_ref(&rejection),
        "2026-12-06T10:00:00Z",
    )?;
    assert_eq!(fresh, vec![0]);
    let again = authority::apply(
        &mut doc,
        std::slice::from_ref(&rejection),
        "2026-12-06T10:05:00Z",
    )?;
    assert!(again.is_empty(), "the same problem is not new");
    store
        .add_adviser_event(
            RECORD_REJECTED,
            adviser,
            "Záznam (orders) kancelář nepřevzala.",
        )
        .await?;
    assert_eq!(plan_once(store.as_ref(), &Config::default()).await?, 1);
    let pushes: Vec<_> = store
        .messages(None, 20)
        .await?
        .into_iter()
        .filter(|m| m.kind == RECORD_REJECTED)
        .collect();
    assert_eq!(pushes.len(), 1);
    assert_eq!(
        (pushes[0].channel.as_str(), pushes[0].state.as_str()),
        ("push", "skipped")
    );
    Ok(())
}
