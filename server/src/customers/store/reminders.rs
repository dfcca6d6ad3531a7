//! Reminders in SQL (migration 0027): the office's rules, the reminders they made
//! (one per rule, customer and basis), the ones still to be written into the
//! advisers' workspaces, and what the phones sent back (snoozed, done).

use std::collections::HashMap;

use async_trait::async_trait;
use fieldcase_shared::reminder::{self, Rule};
use fieldcase_shared::{AdviserId, ClientId};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, now, on_db, one_row, write_tx};

/// The most reminders one run makes (the next run goes on).
pub const RUN_LIMIT: i64 = 5_000;

/// A rule as the office set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSettings {
    pub rule: Rule,
    /// Eye exam: months after the last prescription.
    pub months: u32,
    /// Contact lenses: days of supply per unit sold.
    pub days_per_unit: u32,
    /// Made this many days before it is due.
    pub lead_days: u32,
    pub active: bool,
}

/// A reminder to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReminder {
    pub rule: Rule,
    pub client: ClientId,
    pub adviser: AdviserId,
    /// What it follows: the last prescription's day, the order's variable symbol.
    pub basis: String,
    pub due_on: Date,
    /// The task's text.
    pub title: String,
}

/// A reminder as the office lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub id: Uuid,
    pub rule: Rule,
    pub client: ClientId,
    pub client_name: String,
    pub adviser: AdviserId,
    pub adviser_code: String,
    pub due_on: Date,
    pub title: String,
    /// As the adviser has it now (later than due: snoozed).
    pub planned_for: String,
    pub done_at: Option<OffsetDateTime>,
    /// When it reached the adviser's workspace.
    pub pushed_at: Option<OffsetDateTime>,
}

/// Which reminders to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReminderState {
    /// Not done.
    #[default]
    Open,
    Done,
    All,
}

/// Reminders: rules, the ones due, their tasks' state.
#[async_trait]
pub trait ReminderStore: Send + Sync {
    /// The rules, in [`Rule::ALL`] order.
    async fn reminder_rules(&self) -> StoreResult<Vec<RuleSettings>>;
    /// Changes a rule (audited).
    async fn set_reminder_rule(&self, actor: &Actor, rule: &RuleSettings) -> StoreResult<()>;
    /// What the active rules make due by `today` (with their lead) that was not
    /// made before, at most [`RUN_LIMIT`]; merged customers and customers without
    /// an adviser are left out.
    async fn due_reminders(&self, today: Date) -> StoreResult<Vec<NewReminder>>;
    /// Saves new reminders (one that exists already is left alone); how many.
    async fn insert_reminders(&self, new: &[NewReminder]) -> StoreResult<u64>;
    /// Reminders not yet written into their adviser's workspace.
    async fn unpushed_reminders(&self, limit: i64) -> StoreResult<Vec<Reminder>>;
    /// Notes that these reminders are in their advisers' workspaces.
    async fn mark_pushed(&self, ids: &[Uuid]) -> StoreResult<()>;
    /// Reminders in `state`, the soonest planned first, at most `limit`.
    async fn list_reminders(&self, state: ReminderState, limit: i64) -> StoreResult<Vec<Reminder>>;
    /// Every reminder of one customer, oldest due first.
    async fn reminders_of(&self, client: ClientId) -> StoreResult<Vec<Reminder>>;
    /// What a phone sent back about `adviser`'s reminder tasks: (id, planned for,
    /// done at).
    async fn update_reminders(
        &self,
        adviser: AdviserId,
        tasks: &[(Uuid, String, Option<OffsetDateTime>)],
    ) -> StoreResult<()>;
}

type ReminderRow = (
    Uuid,
    String,
    Uuid,
    String,
    String,
    Uuid,
    String,
    Date,
    String,
    String,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
);

const REMINDER_SELECT: &str = "SELECT r.id, r.rule, r.client_id, c.first_name, c.last_name, r.adviser_id, a.code, r.due_on, r.title, \
     r.planned_for, r.done_at, r.pushed_at FROM reminders r JOIN clients c ON c.id = r.client_id \
     JOIN advisers a ON a.id = r.adviser_id";

fn reminder(r: ReminderRow) -> Option<Reminder> {
    let (
        id,
        rule,
        client,
        first,
        last,
        adviser,
        code,
        due_on,
        title,
        planned_for,
        done_at,
        pushed_at,
    ) = r;
    Some(Reminder {
        id,
        rule: Rule::parse(&rule)?,
        client: ClientId::from_uuid(client),
        client_name: format!("{first} {last}").trim().to_owned(),
        adviser: AdviserId::from_uuid(adviser),
        adviser_code: code,
        due_on,
        title,
        planned_for,
        done_at,
        pushed_at,
    })
}

/// `1. 12. 2024`.
fn czech_date(d: Date) -> String {
    format!("{}. {}. {}", d.day(), u8::from(d.month()), d.year())
}

#[async_trait]
impl ReminderStore for SqlStore {
    async fn reminder_rules(&self) -> StoreResult<Vec<RuleSettings>> {
        let rows: Vec<(String, i32, i32, i32, bool)> = on_db!(self, pool => sqlx::query_as(
            "SELECT rule, months, days_per_unit, lead_days, active FROM reminder_rules",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        let mut out: Vec<RuleSettings> = rows
            .into_iter()
            .filter_map(|(rule, months, days, lead, active)| {
                Some(RuleSettings {
                    rule: Rule::parse(&rule)?,
                    months: u32::try_from(months).ok()?,
                    days_per_unit: u32::try_from(days).ok()?,
                    lead_days: u32::try_from(lead).ok()?,
                    active,
                })
            })
            .collect();
        out.sort_by_key(|r| Rule::ALL.iter().position(|x| *x == r.rule));
        Ok(out)
    }

    async fn set_reminder_rule(&self, actor: &Actor, rule: &RuleSettings) -> StoreResult<()> {
        let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let done = sqlx::query(
                "UPDATE reminder_rules SET months = $2, days_per_unit = $3, lead_days = $4, active = $5 WHERE rule = $1",
            )
            .bind(rule.rule.code())
            .bind(int(rule.months))
            .bind(int(rule.days_per_unit))
            .bind(int(rule.lead_days))
            .bind(rule.active)
            .execute(&mut *tx)
            .await
            .classify()?;
            one_row(done.rows_affected(), "reminder rule")?;
            audit_in!(&mut *tx, actor, "reminder.rule", rule.rule.code().to_owned(), format!("{} months, {} days per unit, {} days ahead, active {}", rule.months, rule.days_per_unit, rule.lead_days, rule.active))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn due_reminders(&self, today: Date) -> StoreResult<Vec<NewReminder>> {
        let mut out = Vec::new();
        for r in self
            .reminder_rules()
            .await?
            .into_iter()
            .filter(|r| r.active)
        {
            let horizon = today + Duration::days(i64::from(r.lead_days));
            let left = RUN_LIMIT - i64::try_from(out.len()).unwrap_or(RUN_LIMIT);
            if left <= 0 {
                break;
            }
            match r.rule {
                Rule::EyeExam => {
                    // The last prescription at least `months` before the horizon.
                    let cutoff = crate::customers::segment::months_before(horizon, r.months);
                    let rows: Vec<(Uuid, Uuid, Date, String, String)> = on_db!(self, pool => sqlx::query_as(
                        "SELECT s.client_id, s.adviser_id, s.last_prescription_on, c.first_name, c.last_name \
                         FROM customer_stats s JOIN clients c ON c.id = s.client_id \
                         WHERE s.merged = FALSE AND s.adviser_id IS NOT NULL AND s.last_prescription_on <= $1 \
                         AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.rule = 'eye_exam' AND r.client_id = s.client_id \
                         AND r.basis = CAST(s.last_prescription_on AS TEXT)) \
                         ORDER BY s.last_prescription_on LIMIT $2",
                    )
                    .bind(cutoff)
                    .bind(left)
                    .fetch_all(pool)
                    .await
                    .classify())?;
                    out.extend(
                        rows.into_iter()
                            .map(|(client, adviser, last, first, surname)| {
                                let name = format!("{first} {surname}").trim().to_owned();
                                let due = reminder::months_after(last, r.months);
                                let task = reminder::task(
                                    Rule::EyeExam,
                                    &client.to_string(),
                                    &name,
                                    due,
                                    &czech_date(last),
                                );
                                NewReminder {
                                    rule: Rule::EyeExam,
                                    client: ClientId::from_uuid(client),
                                    adviser: AdviserId::from_uuid(adviser),
                                    basis: last.to_string(),
                                    due_on: due,
                                    title: task.title,
                                }
                            }),
                    );
                }
                Rule::ContactLenses => {
                    // Orders of contact lenses in the last two years not cancelled;
                    // the supply's end is checked here.
                    let since = (today - Duration::days(730)).midnight().assume_utc();
                    let rows: Vec<(String, Uuid, Uuid, OffsetDateTime, i64, String, String)> = on_db!(self, pool => sqlx::query_as(
                        "SELECT o.variable_symbol, o.client_id, o.adviser_id, o.created_at, CAST(SUM(l.quantity) AS BIGINT), c.first_name, c.last_name \
                         FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id \
                         JOIN clients c ON c.id = o.client_id \
                         WHERE p.kind = 'contact_lens' AND o.status <> 'cancelled' AND o.adviser_id IS NOT NULL \
                         AND c.merged_into IS NULL AND o.created_at >= $1 \
                         AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.rule = 'contact_lenses' AND r.client_id = o.client_id \
                         AND r.basis = o.variable_symbol) \
                         GROUP BY o.id, o.variable_symbol, o.client_id, o.adviser_id, o.created_at, c.first_name, c.last_name",
                    )
                    .bind(since)
                    .fetch_all(pool)
                    .await
                    .classify())?;
                    let mut found: Vec<NewReminder> = rows
                        .into_iter()
                        .filter_map(|(vs, client, adviser, at, units, first, surname)| {
                            let units = u32::try_from(units).ok()?;
                            let due = reminder::supply_ends(at.date(), units, r.days_per_unit);
                            (due <= horizon).then(|| {
                                let name = format!("{first} {surname}").trim().to_owned();
                                let task = reminder::task(
                                    Rule::ContactLenses,
                                    &client.to_string(),
                                    &name,
                                    due,
                                    &vs,
                                );
                                NewReminder {
                                    rule: Rule::ContactLenses,
                                    client: ClientId::from_uuid(client),
                                    adviser: AdviserId::from_uuid(adviser),
                                    basis: vs,
                                    due_on: due,
                                    title: task.title,
                                }
                            })
                        })
                        .collect();
                    found.sort_by_key(|n| n.due_on);
                    found.truncate(usize::try_from(left).unwrap_or(0));
                    out.extend(found);
                }
            }
        }
        Ok(out)
    }

    async fn insert_reminders(&self, new: &[NewReminder]) -> StoreResult<u64> {
        let mut inserted = 0;
        let at = now();
        for chunk in new.chunks(500) {
            on_db!(self, pool => {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO reminders (id, rule, client_id, adviser_id, basis, due_on, title, planned_for, created_at) ",
                );
                q.push_values(chunk, |mut row, n| {
                    row.push_bind(Uuid::now_v7())
                        .push_bind(n.rule.code())
                        .push_bind(n.client.as_uuid())
                        .push_bind(n.adviser.as_uuid())
                        .push_bind(n.basis.clone())
                        .push_bind(n.due_on)
                        .push_bind(n.title.clone())
                        .push_bind(n.due_on.to_string())
                        .push_bind(at);
                });
                q.push(" ON CONFLICT (rule, client_id, basis) DO NOTHING");
                inserted += q.build().execute(pool).await.classify()?.rows_affected();
            });
        }
        Ok(inserted)
    }

    async fn unpushed_reminders(&self, limit: i64) -> StoreResult<Vec<Reminder>> {
        let rows: Vec<ReminderRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REMINDER_SELECT} WHERE r.pushed_at IS NULL ORDER BY r.adviser_id, r.due_on LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().filter_map(reminder).collect())
    }

    async fn mark_pushed(&self, ids: &[Uuid]) -> StoreResult<()> {
        let at = now();
        for chunk in ids.chunks(500) {
            on_db!(self, pool => {
                let mut q = sqlx::QueryBuilder::new("UPDATE reminders SET pushed_at = ");
                q.push_bind(at).push(" WHERE id IN (");
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                q.push(")");
                q.build().execute(pool).await.classify()?;
            });
        }
        Ok(())
    }

    async fn list_reminders(&self, state: ReminderState, limit: i64) -> StoreResult<Vec<Reminder>> {
        let filter = match state {
            ReminderState::Open => "WHERE r.done_at IS NULL",
            ReminderState::Done => "WHERE r.done_at IS NOT NULL",
            ReminderState::All => "",
        };
        let rows: Vec<ReminderRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REMINDER_SELECT} {filter} ORDER BY r.planned_for, r.id LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().filter_map(reminder).collect())
    }

    async fn reminders_of(&self, client: ClientId) -> StoreResult<Vec<Reminder>> {
        let rows: Vec<ReminderRow> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{REMINDER_SELECT} WHERE r.client_id = $1 ORDER BY r.due_on, r.id"
        )))
        .bind(client.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().filter_map(reminder).collect())
    }

    async fn update_reminders(
        &self,
        adviser: AdviserId,
        tasks: &[(Uuid, String, Option<OffsetDateTime>)],
    ) -> StoreResult<()> {
        if tasks.is_empty() {
            return Ok(());
        }
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            for (id, planned_for, done_at) in tasks {
                sqlx::query("UPDATE reminders SET planned_for = $3, done_at = $4 WHERE id = $1 AND adviser_id = $2")
                    .bind(*id)
                    .bind(adviser.as_uuid())
                    .bind(planned_for)
                    .bind(*done_at)
                    .execute(&mut *tx)
                    .await
                    .classify()?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

/// Reminders by adviser (for writing them into workspaces).
pub fn by_adviser(list: Vec<Reminder>) -> HashMap<AdviserId, Vec<Reminder>> {
    let mut out: HashMap<AdviserId, Vec<Reminder>> = HashMap::new();
    for r in list {
        out.entry(r.adviser).or_default().push(r);
    }
    out
}
