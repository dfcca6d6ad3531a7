//! The audit log: every mutating store call writes its entry with [`audit_in!`]
//! inside its own transaction; the office reads the log filtered.

use async_trait::async_trait;
use fieldcase_shared::{AuditId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, on_db};

/// An audit log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Id.
    pub id: AuditId,
    /// When.
    pub at: OffsetDateTime,
    /// Acting user, if a person.
    pub actor_id: Option<UserId>,
    /// Actor as shown.
    pub actor: String,
    /// What happened, e.g. `adviser.create`.
    pub action: String,
    /// What it happened to.
    pub subject: String,
    /// Details.
    pub detail: String,
}

/// How to narrow the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Substring of the actor.
    pub actor: String,
    /// Action prefix, e.g. `adviser.`.
    pub action: String,
    /// Substring of subject or detail.
    pub text: String,
    /// Only entries at or after.
    pub since: Option<OffsetDateTime>,
    /// At most this many (capped at 1,000).
    pub limit: i64,
}

/// Inserts an audit entry with `$conn` (a pool or the caller's transaction);
/// evaluates to `StoreResult<()>`.
macro_rules! audit_in {
    ($conn:expr, $actor:expr, $action:expr, $subject:expr, $detail:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_id, actor, action, subject, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(fieldcase_shared::AuditId::new().as_uuid())
        .bind($crate::store::sql::now())
        .bind($actor.user.map(|u| u.as_uuid()))
        .bind(&$actor.label)
        .bind($action)
        .bind($subject)
        .bind($detail)
        .execute($conn)
        .await
        .map(|_| ())
        .map_err($crate::store::sql::classify)
    };
}
pub(crate) use audit_in;

#[derive(sqlx::FromRow)]
struct AuditRec {
    id: Uuid,
    at: OffsetDateTime,
    actor_id: Option<Uuid>,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

/// The audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends an audit entry on its own (most are written by the mutating calls).
    async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> StoreResult<()>;
    /// Audit entries, newest first.
    async fn list_audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn audit(
        &self,
        actor: &Actor,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => audit_in!(pool, actor, action, subject, detail))?;
        Ok(())
    }

    async fn list_audit(&self, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let like = |s: &str| {
            format!(
                "%{}%",
                s.trim().to_lowercase().replace(['%', '_', '\\'], "")
            )
        };
        let rows: Vec<AuditRec> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, at, actor_id, actor, action, subject, detail FROM audit_log \
             WHERE LOWER(actor) LIKE $1 AND action LIKE $2 AND (LOWER(subject) LIKE $3 OR LOWER(detail) LIKE $3) \
             AND ($4 IS NULL OR at >= $4) ORDER BY at DESC LIMIT $5",
        )
        .bind(like(&f.actor))
        .bind(format!("{}%", f.action.trim().replace(['%', '_', '\\'], "")))
        .bind(like(&f.text))
        .bind(f.since)
        .bind(if f.limit <= 0 { 200 } else { f.limit.min(1000) })
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                id: AuditId::from_uuid(r.id),
                at: r.at,
                actor_id: r.actor_id.map(UserId::from_uuid),
                actor: r.actor,
                action: r.action,
                subject: r.subject,
                detail: r.detail,
            })
            .collect())
    }
}
