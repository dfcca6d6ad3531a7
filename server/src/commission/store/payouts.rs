//! Payouts in SQL (migration 0037): advisers' payout accounts, requests made in
//! the office, approvals (four eyes over the limit); the batches are in
//! `payout_batches.rs`. Each step is one writing transaction that checks what it
//! changes (a request still waiting, not in a batch), so two people clicking at
//! once cannot approve twice.

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, Money, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::commission::payout::{PayoutRefusal, approvals_needed};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, now, on_db, write_tx};

/// Where an adviser's commission is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutAccount {
    pub adviser: AdviserId,
    pub account: String,
    pub bank_code: String,
    pub self_employed: bool,
    pub ico: String,
    pub dic: String,
    /// The self-employed adviser's address (their self-billing invoices name it).
    pub street: String,
    pub city: String,
    pub postal_code: String,
    /// A VAT payer: their self-billing invoices carry 21 % VAT in the payout.
    pub vat_payer: bool,
}

/// A request as the office sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutRow {
    pub id: Uuid,
    pub adviser: AdviserId,
    pub adviser_code: String,
    pub adviser_name: String,
    pub amount: Money,
    pub requested_at: OffsetDateTime,
    pub note: String,
    /// `accepted` (waiting), `rejected`, `paid`.
    pub status: String,
    pub reason: String,
    /// Who approved it, in order.
    pub approvers: Vec<String>,
    /// Approvals it needs.
    pub needed: usize,
    /// The batch it is in.
    pub batch: Option<String>,
    /// Asked in the office by (none: on the phone).
    pub requested_by: Option<String>,
}

/// A step refused, or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum PayoutError {
    #[error(transparent)]
    Refused(#[from] PayoutRefusal),
    #[error(transparent)]
    Store(#[from] crate::store::error::StoreError),
}

impl From<sqlx::Error> for PayoutError {
    fn from(e: sqlx::Error) -> Self {
        PayoutError::Store(crate::store::sql::classify(e))
    }
}

/// Payouts.
#[async_trait]
pub trait PayoutStore: Send + Sync {
    /// Sets an adviser's payout account (audited; checked by the caller).
    async fn set_payout_account(&self, actor: &Actor, account: &PayoutAccount) -> StoreResult<()>;
    /// Every adviser's payout account.
    async fn payout_accounts(&self) -> StoreResult<Vec<PayoutAccount>>;
    /// A request the office makes for `adviser`, accepted at once when the
    /// balance allows (as the hub judges the phone's).
    async fn request_payout_in_office(
        &self,
        actor: &Actor,
        adviser: AdviserId,
        amount: Money,
        note: &str,
    ) -> Result<Uuid, PayoutError>;
    /// The requests, newest first (`open`: only those waiting).
    async fn payout_rows(&self, open: bool, limit: Money) -> StoreResult<Vec<PayoutRow>>;
    /// Approves a waiting request; how many approvals it has and needs.
    async fn approve_payout(
        &self,
        actor: &Actor,
        request: Uuid,
        limit: Money,
    ) -> Result<(usize, usize), PayoutError>;
    /// Rejects a waiting request with the reason; its adviser.
    async fn reject_payout(
        &self,
        actor: &Actor,
        request: Uuid,
        reason: &str,
    ) -> Result<AdviserId, PayoutError>;
}

type RowTuple = (
    Uuid,
    Uuid,
    String,
    String,
    i64,
    OffsetDateTime,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

#[derive(sqlx::FromRow)]
struct AccountRow {
    adviser_id: Uuid,
    account: String,
    bank_code: String,
    self_employed: bool,
    ico: String,
    dic: String,
    street: String,
    city: String,
    postal_code: String,
    vat_payer: bool,
}

/// The ledger balance less what accepted requests reserve (SQL, `$1` the adviser).
const AVAILABLE: &str = "SELECT CAST(COALESCE((SELECT SUM(amount) FROM commission_entries WHERE adviser_id = $1), 0) AS BIGINT) \
     - CAST(COALESCE((SELECT SUM(amount) FROM payout_requests WHERE adviser_id = $1 AND status = 'accepted'), 0) AS BIGINT)";

#[async_trait]
impl PayoutStore for SqlStore {
    async fn set_payout_account(&self, actor: &Actor, a: &PayoutAccount) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO adviser_payout_accounts (adviser_id, account, bank_code, self_employed, ico, dic, actor, updated_at, \
                 street, city, postal_code, vat_payer) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (adviser_id) DO UPDATE SET account = excluded.account, \
                 bank_code = excluded.bank_code, self_employed = excluded.self_employed, ico = excluded.ico, dic = excluded.dic, \
                 actor = excluded.actor, updated_at = excluded.updated_at, street = excluded.street, city = excluded.city, \
                 postal_code = excluded.postal_code, vat_payer = excluded.vat_payer",
            )
            .bind(a.adviser.as_uuid())
            .bind(&a.account)
            .bind(&a.bank_code)
            .bind(a.self_employed)
            .bind(&a.ico)
            .bind(&a.dic)
            .bind(&actor.label)
            .bind(now())
            .bind(&a.street)
            .bind(&a.city)
            .bind(&a.postal_code)
            .bind(a.vat_payer)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "payout.account", a.adviser.to_string(), format!("{}/{}", a.account, a.bank_code))?;
            tx.commit().await.classify()?;
        });
        Ok(())
    }

    async fn payout_accounts(&self) -> StoreResult<Vec<PayoutAccount>> {
        let rows: Vec<AccountRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT adviser_id, account, bank_code, self_employed, ico, dic, street, city, postal_code, vat_payer FROM adviser_payout_accounts",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|r| PayoutAccount {
                adviser: AdviserId::from_uuid(r.adviser_id),
                account: r.account,
                bank_code: r.bank_code,
                self_employed: r.self_employed,
                ico: r.ico,
                dic: r.dic,
                street: r.street,
                city: r.city,
                postal_code: r.postal_code,
                vat_payer: r.vat_payer,
            })
            .collect())
    }

    async fn request_payout_in_office(
        &self,
        actor: &Actor,
        adviser: AdviserId,
        amount: Money,
        note: &str,
    ) -> Result<Uuid, PayoutError> {
        if amount.haler() <= 0 {
            return Err(PayoutRefusal::NotPositive.into());
        }
        let id = Uuid::now_v7();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let available: i64 = sqlx::query_scalar(AVAILABLE).bind(adviser.as_uuid()).fetch_one(&mut *tx).await?;
            if amount.haler() > available {
                return Err(PayoutRefusal::OverBalance(Money::from_haler(available.max(0))).into());
            }
            sqlx::query(
                "INSERT INTO payout_requests (id, adviser_id, amount, requested_at, note, status, reason, requested_by) \
                 VALUES ($1, $2, $3, $4, $5, 'accepted', '', $6)",
            )
            .bind(id)
            .bind(adviser.as_uuid())
            .bind(amount.haler())
            .bind(now())
            .bind(note)
            .bind(actor.user.map(|u| u.as_uuid()))
            .execute(&mut *tx)
            .await?;
            audit_in!(&mut *tx, actor, "payout.request", adviser.to_string(), format!("{id} {}", amount.to_decimal_string()))?;
            tx.commit().await?;
        });
        Ok(id)
    }

    async fn payout_rows(&self, open: bool, limit: Money) -> StoreResult<Vec<PayoutRow>> {
        let filter = if open {
            " WHERE r.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM payout_batch_items i WHERE i.request_id = r.id)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT r.id, r.adviser_id, a.code, u.name, r.amount, r.requested_at, r.note, r.status, r.reason, \
             (SELECT b.number FROM payout_batch_items i JOIN payout_batches b ON b.id = i.batch_id WHERE i.request_id = r.id), \
             (SELECT q.name FROM users q WHERE q.id = r.requested_by) \
             FROM payout_requests r JOIN advisers a ON a.id = r.adviser_id JOIN users u ON u.id = a.user_id{filter} \
             ORDER BY r.requested_at DESC, r.id LIMIT 500"
        );
        let (rows, approvals): (Vec<RowTuple>, Vec<(Uuid, String)>) = on_db!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(pool).await.classify()?;
            let approvals = sqlx::query_as("SELECT request_id, actor FROM payout_approvals ORDER BY at, user_id")
                .fetch_all(pool)
                .await
                .classify()?;
            (rows, approvals)
        });
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    adviser,
                    code,
                    name,
                    amount,
                    requested_at,
                    note,
                    status,
                    reason,
                    batch,
                    by,
                )| {
                    let amount = Money::from_haler(amount);
                    PayoutRow {
                        id,
                        adviser: AdviserId::from_uuid(adviser),
                        adviser_code: code,
                        adviser_name: name,
                        amount,
                        requested_at,
                        note,
                        status,
                        reason,
                        approvers: approvals
                            .iter()
                            .filter(|(r, _)| *r == id)
                            .map(|(_, a)| a.clone())
                            .collect(),
                        needed: approvals_needed(amount, limit),
                        batch,
                        requested_by: by,
                    }
                },
            )
            .collect())
    }

    async fn approve_payout(
        &self,
        actor: &Actor,
        request: Uuid,
        limit: Money,
    ) -> Result<(usize, usize), PayoutError> {
        let Some(user) = actor.user.map(|u: UserId| u.as_uuid()) else {
            return Err(PayoutRefusal::Forbidden.into());
        };
        let done = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let row: Option<(String, i64, Option<Uuid>, Uuid, i64)> = sqlx::query_as(
                "SELECT r.status, r.amount, r.requested_by, a.user_id, \
                 (SELECT COUNT(*) FROM payout_batch_items i WHERE i.request_id = r.id) \
                 FROM payout_requests r JOIN advisers a ON a.id = r.adviser_id WHERE r.id = $1",
            )
            .bind(request)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((status, amount, by, adviser_user, batched)) = row else {
                return Err(PayoutRefusal::NotFound.into());
            };
            if status != "accepted" || batched > 0 {
                return Err(PayoutRefusal::NotOpen.into());
            }
            if by == Some(user) || adviser_user == user {
                return Err(PayoutRefusal::OwnRequest.into());
            }
            let mine: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payout_approvals WHERE request_id = $1 AND user_id = $2")
                .bind(request)
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
            if mine > 0 {
                return Err(PayoutRefusal::Twice.into());
            }
            sqlx::query("INSERT INTO payout_approvals (request_id, user_id, actor, at) VALUES ($1, $2, $3, $4)")
                .bind(request)
                .bind(user)
                .bind(&actor.label)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payout_approvals WHERE request_id = $1")
                .bind(request)
                .fetch_one(&mut *tx)
                .await?;
            audit_in!(&mut *tx, actor, "payout.approve", request.to_string(), format!("{count}"))?;
            tx.commit().await?;
            (usize::try_from(count).unwrap_or(0), approvals_needed(Money::from_haler(amount), limit))
        });
        Ok(done)
    }

    async fn reject_payout(
        &self,
        actor: &Actor,
        request: Uuid,
        reason: &str,
    ) -> Result<AdviserId, PayoutError> {
        let adviser = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let adviser: Option<Uuid> = sqlx::query_scalar(
                "UPDATE payout_requests SET status = 'rejected', reason = $2 WHERE id = $1 AND status = 'accepted' \
                 AND NOT EXISTS (SELECT 1 FROM payout_batch_items i WHERE i.request_id = payout_requests.id) RETURNING adviser_id",
            )
            .bind(request)
            .bind(reason)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(adviser) = adviser else {
                let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payout_requests WHERE id = $1")
                    .bind(request)
                    .fetch_one(&mut *tx)
                    .await?;
                return Err(if known > 0 { PayoutRefusal::NotOpen } else { PayoutRefusal::NotFound }.into());
            };
            audit_in!(&mut *tx, actor, "payout.reject", request.to_string(), reason.to_owned())?;
            tx.commit().await?;
            AdviserId::from_uuid(adviser)
        });
        Ok(adviser)
    }
}
