//! Commission rules and advisers' levels in SQL (migration 0035). A rule's new
//! version is checked against the other rules' current versions in its writing
//! transaction (one writer at a time: SQLite's write lock, an advisory lock on
//! PostgreSQL), so two overlapping rules cannot both get in.

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, FieldError, Money};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::commission::rules::{Campaign, Level, Rule, check};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Backend, Classify, SqlStore, now, on_db, write_tx};

/// The advisory lock that serialises rule changes on PostgreSQL.
const RULES_LOCK: i64 = 0x6669_656c_6463_6f6d;

/// A rule version as kept: the rule, who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRule {
    pub rule: Rule,
    pub actor: String,
    pub created_at: OffsetDateTime,
}

/// An adviser's level from a day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviserLevel {
    pub adviser: AdviserId,
    pub valid_from: Date,
    pub level: Level,
    pub team_lead: Option<AdviserId>,
}

/// Commission rules and levels.
#[async_trait]
pub trait CommissionRuleStore: Send + Sync {
    /// Writes `rule` as its id's next version (audited) unless it breaks the
    /// rules (`commission::rules::check` against the others' current versions):
    /// the problems that kept it out (none: written). `Stale` when its version is
    /// not the next one.
    async fn put_commission_rule(&self, actor: &Actor, rule: &Rule)
    -> StoreResult<Vec<FieldError>>;
    /// The rules' current versions (with `history`: every version), by id and version.
    async fn commission_rules(&self, history: bool) -> StoreResult<Vec<StoredRule>>;
    /// Sets an adviser's level (and team lead) from `from` on (audited);
    /// `Duplicate` when one starts that day already.
    async fn set_adviser_level(&self, actor: &Actor, level: &AdviserLevel) -> StoreResult<()>;
    /// An adviser's levels, oldest first.
    async fn adviser_levels(&self, adviser: AdviserId) -> StoreResult<Vec<AdviserLevel>>;
    /// Every adviser's levels, by adviser, oldest first.
    async fn all_adviser_levels(&self) -> StoreResult<Vec<AdviserLevel>>;
}

pub(super) type RuleRow = (
    Uuid,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    Date,
    Option<Date>,
    String,
    OffsetDateTime,
);

pub(super) const RULES: &str = "SELECT id, version, product_group, level, campaign, campaign_sku, bonus_haler, rate_bp, valid_from, valid_to, actor, created_at \
     FROM commission_rules r";

const CURRENT: &str =
    " WHERE r.version = (SELECT MAX(v.version) FROM commission_rules v WHERE v.id = r.id)";

pub(super) fn stored(r: RuleRow) -> StoreResult<StoredRule> {
    let level = match r.3.as_deref() {
        None => None,
        Some(code) => Some(
            Level::from_code(code)
                .ok_or_else(|| StoreError::Corrupt(format!("commission rule level {code:?}")))?,
        ),
    };
    Ok(StoredRule {
        rule: Rule {
            id: r.0,
            version: i32::try_from(r.1).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            group: r.2,
            level,
            campaign: r.4.map(|name| Campaign {
                name,
                sku: r.5,
                bonus: Money::from_haler(r.6),
            }),
            rate_bp: r.7,
            valid_from: r.8,
            valid_to: r.9,
        },
        actor: r.10,
        created_at: r.11,
    })
}

#[async_trait]
impl CommissionRuleStore for SqlStore {
    async fn put_commission_rule(
        &self,
        actor: &Actor,
        rule: &Rule,
    ) -> StoreResult<Vec<FieldError>> {
        let problems = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            if self.backend_kind() == Backend::Postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(RULES_LOCK).execute(&mut *tx).await.classify()?;
            }
            let rows: Vec<RuleRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{RULES}{CURRENT}")))
                .fetch_all(&mut *tx)
                .await
                .classify()?;
            let current = rows.into_iter().map(|r| stored(r).map(|s| s.rule)).collect::<StoreResult<Vec<_>>>()?;
            let latest = current.iter().find(|r| r.id == rule.id).map_or(0, |r| r.version);
            if rule.version != latest + 1 {
                return Err(StoreError::Stale("commission rule"));
            }
            if let Err(problems) = check(rule, &current) {
                problems
            } else {
                let campaign = rule.campaign.as_ref();
                sqlx::query(
                    "INSERT INTO commission_rules (id, version, product_group, level, campaign, campaign_sku, bonus_haler, rate_bp, valid_from, valid_to, actor, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(rule.id)
                .bind(i64::from(rule.version))
                .bind(rule.group.as_deref())
                .bind(rule.level.map(Level::code))
                .bind(campaign.map(|c| c.name.clone()))
                .bind(campaign.and_then(|c| c.sku.clone()))
                .bind(campaign.map_or(0, |c| c.bonus.haler()))
                .bind(rule.rate_bp)
                .bind(rule.valid_from)
                .bind(rule.valid_to)
                .bind(&actor.label)
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
                audit_in!(&mut *tx, actor, "commission.rule", rule.id.to_string(),
                    format!("v{}: {} bp, {} – {}", rule.version, rule.rate_bp, rule.valid_from,
                        rule.valid_to.map(|d| d.to_string()).unwrap_or_default()))?;
                tx.commit().await.classify()?;
                Vec::new()
            }
        });
        Ok(problems)
    }

    async fn commission_rules(&self, history: bool) -> StoreResult<Vec<StoredRule>> {
        let sql = format!(
            "{RULES}{} ORDER BY r.id, r.version",
            if history { "" } else { CURRENT }
        );
        let rows: Vec<RuleRow> = on_db!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(pool).await.classify()?
        });
        rows.into_iter().map(stored).collect()
    }

    async fn set_adviser_level(&self, actor: &Actor, level: &AdviserLevel) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO adviser_levels (adviser_id, valid_from, level, team_lead, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(level.adviser.as_uuid())
            .bind(level.valid_from)
            .bind(level.level.code())
            .bind(level.team_lead.map(|l| l.as_uuid()))
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "commission.level", level.adviser.to_string(),
                format!("{} from {}", level.level.code(), level.valid_from))?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn adviser_levels(&self, adviser: AdviserId) -> StoreResult<Vec<AdviserLevel>> {
        let rows: Vec<LevelRow> = on_db!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{LEVELS} WHERE adviser_id = $1 ORDER BY valid_from")))
                .bind(adviser.as_uuid())
                .fetch_all(pool)
                .await
                .classify()?
        });
        rows.into_iter().map(level).collect()
    }

    async fn all_adviser_levels(&self) -> StoreResult<Vec<AdviserLevel>> {
        let rows: Vec<LevelRow> = on_db!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{LEVELS} ORDER BY adviser_id, valid_from")))
                .fetch_all(pool)
                .await
                .classify()?
        });
        rows.into_iter().map(level).collect()
    }
}

/// Advisers' levels (SQL), with their row.
pub(super) const LEVELS: &str =
    "SELECT adviser_id, valid_from, level, team_lead FROM adviser_levels";

pub(super) type LevelRow = (Uuid, Date, String, Option<Uuid>);

pub(super) fn level((adviser, valid_from, level, lead): LevelRow) -> StoreResult<AdviserLevel> {
    Ok(AdviserLevel {
        adviser: AdviserId::from_uuid(adviser),
        valid_from,
        level: Level::from_code(&level)
            .ok_or_else(|| StoreError::Corrupt(format!("adviser level {level:?}")))?,
        team_lead: lead.map(AdviserId::from_uuid),
    })
}
