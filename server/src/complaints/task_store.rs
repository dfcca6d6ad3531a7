//! Complaints' tasks in SQL (migration 0044, `complaint_tasks`): who a task is
//! for, the tasks of a complaint or the open ones of a team, done once (audited).

use async_trait::async_trait;
use fieldcase_shared::{Lang, Role};
use time::OffsetDateTime;
use uuid::Uuid;

use super::rules::DECIDERS;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, on_db, write_tx};

/// Who a task is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Team {
    Lab,
    Accounting,
}

impl Team {
    pub const ALL: [Team; 2] = [Team::Lab, Team::Accounting];

    pub fn code(self) -> &'static str {
        match self {
            Team::Lab => "lab",
            Team::Accounting => "accounting",
        }
    }

    pub fn parse(code: &str) -> Option<Team> {
        Team::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Team::Lab => l.pick("laboratoř", "the lab"),
            Team::Accounting => l.pick("účtárna", "accounting"),
        }
    }

    /// The team a role works in.
    pub fn of(role: Role) -> Option<Team> {
        match role {
            Role::Lab => Some(Team::Lab),
            Role::Accounting => Some(Team::Accounting),
            _ => None,
        }
    }

    /// Whether `role` may mark this team's tasks done (the team, or the staff
    /// who decide complaints).
    pub fn may_finish(self, role: Role) -> bool {
        Team::of(role) == Some(self) || DECIDERS.contains(&role)
    }
}

/// A task.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Task {
    pub id: Uuid,
    pub complaint_id: Uuid,
    /// The complaint's number.
    pub number: String,
    pub team: String,
    pub body: String,
    pub created_by: String,
    pub created_at: OffsetDateTime,
    pub done_by: Option<String>,
    pub done_at: Option<OffsetDateTime>,
}

impl Task {
    pub fn team(&self) -> Team {
        Team::parse(&self.team).unwrap_or(Team::Lab)
    }
}

/// Complaints' tasks in SQL.
#[async_trait]
pub trait ComplaintTaskStore: Send + Sync {
    /// Adds a task to complaint `complaint` (audited).
    async fn add_complaint_task(
        &self,
        actor: &Actor,
        complaint: Uuid,
        team: Team,
        body: &str,
    ) -> StoreResult<Uuid>;
    /// A complaint's tasks, or the open ones (of a team), oldest first.
    async fn complaint_tasks(
        &self,
        complaint: Option<Uuid>,
        open_of: Option<Option<Team>>,
        limit: i64,
    ) -> StoreResult<Vec<Task>>;
    /// One task.
    async fn complaint_task(&self, id: Uuid) -> StoreResult<Option<Task>>;
    /// Marks a task done; false when it was done already.
    async fn finish_complaint_task(&self, actor: &Actor, id: Uuid) -> StoreResult<bool>;
}

const COLUMNS: &str = "t.id, t.complaint_id, c.number, t.team, t.body, t.created_by, t.created_at, t.done_by, t.done_at \
     FROM complaint_tasks t JOIN complaints c ON c.id = t.complaint_id";

#[async_trait]
impl ComplaintTaskStore for SqlStore {
    async fn add_complaint_task(
        &self,
        actor: &Actor,
        complaint: Uuid,
        team: Team,
        body: &str,
    ) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO complaint_tasks (id, complaint_id, team, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(complaint)
            .bind(team.code())
            .bind(body)
            .bind(&actor.label)
            .bind(OffsetDateTime::now_utc())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "complaint.task", complaint.to_string(), format!("{}: {body}", team.code()))?;
            tx.commit().await.classify()?;
        });
        Ok(id)
    }

    async fn complaint_tasks(
        &self,
        complaint: Option<Uuid>,
        open_of: Option<Option<Team>>,
        limit: i64,
    ) -> StoreResult<Vec<Task>> {
        let sql = format!(
            "SELECT {COLUMNS} WHERE ($1 IS NULL OR t.complaint_id = $1) AND ($2 = FALSE OR t.done_at IS NULL) \
             AND ($3 = '' OR t.team = $3) ORDER BY t.created_at, t.id LIMIT $4"
        );
        let team = open_of.flatten().map_or("", Team::code);
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(complaint)
            .bind(open_of.is_some())
            .bind(team)
            .bind(limit)
            .fetch_all(pool)
            .await
            .classify())?,
        )
    }

    async fn complaint_task(&self, id: Uuid) -> StoreResult<Option<Task>> {
        let sql = format!("SELECT {COLUMNS} WHERE t.id = $1");
        Ok(
            on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await.classify())?,
        )
    }

    async fn finish_complaint_task(&self, actor: &Actor, id: Uuid) -> StoreResult<bool> {
        let done = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let n = sqlx::query("UPDATE complaint_tasks SET done_by = $1, done_at = $2 WHERE id = $3 AND done_at IS NULL")
                .bind(&actor.label)
                .bind(OffsetDateTime::now_utc())
                .bind(id)
                .execute(&mut *tx)
                .await
                .classify()?
                .rows_affected();
            if n > 0 {
                audit_in!(&mut *tx, actor, "complaint.task_done", id.to_string(), String::new())?;
            }
            tx.commit().await.classify()?;
            n > 0
        });
        Ok(done)
    }
}
