//! Payout batches in SQL (migration 0037): a batch of the approved requests as
//! FIO payment orders (its file kept as made), the bank's word on each payment,
//! and marking a batch paid (payout ledger lines, requests paid, self-billing
//! invoices of the self-employed; migration 0038) — each one
//! writing transaction that checks what it changes (a request not in another
//! batch, a batch not yet paid), so two people clicking at once cannot pay twice.

use async_trait::async_trait;
use fieldcase_shared::docs::commission::CommissionKind;
use fieldcase_shared::statement::Month;
use fieldcase_shared::{AdviserId, Money};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::payouts::PayoutError;
use crate::commission::payout::{PayoutRefusal, approvals_needed};
use crate::integrations::fio_import::{ImportResult, PaymentOrder, orders_xml};
use crate::money::invoice::Party;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, write_tx};

/// A batch and its payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: Uuid,
    pub number: String,
    pub created_at: OffsetDateTime,
    pub created_by: String,
    pub total: Money,
    pub sent_at: Option<OffsetDateTime>,
    pub bank_status: String,
    pub bank_instruction: String,
    pub bank_message: String,
    pub paid_at: Option<OffsetDateTime>,
    pub items: Vec<BatchItem>,
}

/// One payment of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchItem {
    pub position: i64,
    pub request: Uuid,
    pub adviser: AdviserId,
    pub amount: Money,
    pub account: String,
    pub bank_code: String,
    /// `''` (not sent), `ok`, `refused`.
    pub result: String,
    pub message: String,
}

/// Payout batches.
#[async_trait]
pub trait PayoutBatchStore: Send + Sync {
    /// A batch of every approved request not in one yet whose adviser has an
    /// account, paid from `account_from` on `date`.
    async fn create_payout_batch(
        &self,
        actor: &Actor,
        account_from: &str,
        date: Date,
        limit: Money,
    ) -> Result<Batch, PayoutError>;
    /// The batches, newest first.
    async fn payout_batches(&self) -> StoreResult<Vec<Batch>>;
    /// A batch's file as sent.
    async fn payout_batch_file(&self, batch: Uuid) -> StoreResult<Option<(String, Vec<u8>)>>;
    /// Records the bank's answer to an upload: each payment accepted or refused
    /// (a refused one's request is rejected with the bank's words); the
    /// advisers whose requests changed.
    async fn record_batch_result(
        &self,
        actor: &Actor,
        batch: Uuid,
        result: &ImportResult,
    ) -> Result<Vec<AdviserId>, PayoutError>;
    /// Marks a batch paid: a payout line per payment not refused, its request
    /// paid, and a self-billing invoice from `company` for each self-employed
    /// adviser's payment; the advisers paid.
    async fn mark_batch_paid(
        &self,
        actor: &Actor,
        batch: Uuid,
        company: &Party,
    ) -> Result<Vec<AdviserId>, PayoutError>;
}

type BatchTuple = (
    Uuid,
    String,
    OffsetDateTime,
    String,
    i64,
    Option<OffsetDateTime>,
    String,
    String,
    String,
    Option<OffsetDateTime>,
);

/// A self-employed adviser's billing details as their invoice copies them.
#[derive(sqlx::FromRow)]
struct BillingRow {
    name: String,
    account: String,
    bank_code: String,
    ico: String,
    dic: String,
    street: String,
    city: String,
    postal_code: String,
    vat_payer: bool,
}

/// A self-billing invoice's number: `SF2026` and five digits of the year's sequence.
pub fn self_billing_number(year: i64, sequence: i64) -> String {
    format!("SF{year}{sequence:05}")
}

type ItemTuple = (Uuid, i64, Uuid, Uuid, i64, String, String, String, String);

#[async_trait]
impl PayoutBatchStore for SqlStore {
    async fn create_payout_batch(
        &self,
        actor: &Actor,
        account_from: &str,
        date: Date,
        limit: Money,
    ) -> Result<Batch, PayoutError> {
        let id = Uuid::now_v7();
        let at = now();
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let waiting: Vec<(Uuid, Uuid, i64, i64, String, String, String)> = sqlx::query_as(
                "SELECT r.id, r.adviser_id, r.amount, (SELECT COUNT(*) FROM payout_approvals p WHERE p.request_id = r.id), \
                 pa.account, pa.bank_code, a.code \
                 FROM payout_requests r JOIN advisers a ON a.id = r.adviser_id JOIN adviser_payout_accounts pa ON pa.adviser_id = r.adviser_id \
                 WHERE r.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM payout_batch_items i WHERE i.request_id = r.id) \
                 ORDER BY a.code, r.requested_at, r.id",
            )
            .fetch_all(&mut *tx)
            .await?;
            let ready: Vec<_> = waiting
                .into_iter()
                .filter(|(_, _, amount, approvals, ..)| {
                    usize::try_from(*approvals).unwrap_or(0) >= approvals_needed(Money::from_haler(*amount), limit)
                })
                .collect();
            if ready.is_empty() {
                return Err(PayoutRefusal::NothingToPay.into());
            }
            let year = date.year();
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payout_batches WHERE number LIKE $1")
                .bind(format!("V{year}-%"))
                .fetch_one(&mut *tx)
                .await?;
            let number = format!("V{year}-{:04}", count + 1);
            let orders: Vec<PaymentOrder> = ready
                .iter()
                .map(|(_, _, amount, _, account, bank, code)| PaymentOrder {
                    account_from: account_from.to_owned(),
                    amount: Money::from_haler(*amount),
                    account_to: account.clone(),
                    bank_code: bank.clone(),
                    vs: format!("{year}{:06}", count + 1),
                    ks: "0558".into(),
                    date,
                    message: format!("Provize {code}, výplata {number}"),
                    comment: format!("fieldcase {number} {code}"),
                })
                .collect();
            let file = orders_xml(&orders);
            let total: i64 = ready.iter().map(|r| r.2).sum();
            sqlx::query(
                "INSERT INTO payout_batches (id, number, created_at, created_by, file, total_haler) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(&number)
            .bind(at)
            .bind(&actor.label)
            .bind(&file)
            .bind(total)
            .execute(&mut *tx)
            .await?;
            for (i, (request, adviser, amount, _, account, bank, _)) in ready.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO payout_batch_items (batch_id, position, request_id, adviser_id, amount, account, bank_code) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(i64::try_from(i + 1).unwrap_or(0))
                .bind(*request)
                .bind(*adviser)
                .bind(*amount)
                .bind(account)
                .bind(bank)
                .execute(&mut *tx)
                .await?;
            }
            audit_in!(&mut *tx, actor, "payout.batch", number.clone(), format!("{} payments, {}", ready.len(), Money::from_haler(total).to_decimal_string()))?;
            tx.commit().await?;
        });
        self.payout_batches()
            .await?
            .into_iter()
            .find(|b| b.id == id)
            .ok_or_else(|| PayoutRefusal::NoBatch.into())
    }

    async fn payout_batches(&self) -> StoreResult<Vec<Batch>> {
        let (batches, items): (Vec<BatchTuple>, Vec<ItemTuple>) = on_db!(self, pool => {
            let b = sqlx::query_as(
                "SELECT id, number, created_at, created_by, total_haler, sent_at, bank_status, bank_instruction, bank_message, paid_at \
                 FROM payout_batches ORDER BY created_at DESC, id DESC LIMIT 100",
            )
            .fetch_all(pool)
            .await
            .classify()?;
            let i = sqlx::query_as(
                "SELECT batch_id, position, request_id, adviser_id, amount, account, bank_code, result, message \
                 FROM payout_batch_items ORDER BY batch_id, position",
            )
            .fetch_all(pool)
            .await
            .classify()?;
            (b, i)
        });
        Ok(batches
            .into_iter()
            .map(
                |(
                    id,
                    number,
                    created_at,
                    created_by,
                    total,
                    sent_at,
                    bank_status,
                    bank_instruction,
                    bank_message,
                    paid_at,
                )| Batch {
                    id,
                    number,
                    created_at,
                    created_by,
                    total: Money::from_haler(total),
                    sent_at,
                    bank_status,
                    bank_instruction,
                    bank_message,
                    paid_at,
                    items: items
                        .iter()
                        .filter(|i| i.0 == id)
                        .map(
                            |(
                                _,
                                position,
                                request,
                                adviser,
                                amount,
                                account,
                                bank_code,
                                result,
                                message,
                            )| BatchItem {
                                position: *position,
                                request: *request,
                                adviser: AdviserId::from_uuid(*adviser),
                                amount: Money::from_haler(*amount),
                                account: account.clone(),
                                bank_code: bank_code.clone(),
                                result: result.clone(),
                                message: message.clone(),
                            },
                        )
                        .collect(),
                },
            )
            .collect())
    }

    async fn payout_batch_file(&self, batch: Uuid) -> StoreResult<Option<(String, Vec<u8>)>> {
        Ok(
            on_db!(self, pool => sqlx::query_as("SELECT number, file FROM payout_batches WHERE id = $1")
            .bind(batch)
            .fetch_optional(pool)
            .await
            .classify())?,
        )
    }

    async fn record_batch_result(
        &self,
        actor: &Actor,
        batch: Uuid,
        result: &ImportResult,
    ) -> Result<Vec<AdviserId>, PayoutError> {
        let advisers = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let paid: Option<Option<OffsetDateTime>> = sqlx::query_scalar("SELECT paid_at FROM payout_batches WHERE id = $1")
                .bind(batch)
                .fetch_optional(&mut *tx)
                .await?;
            match paid {
                None => return Err(PayoutRefusal::NoBatch.into()),
                Some(Some(_)) => return Err(PayoutRefusal::AlreadyPaid.into()),
                Some(None) => {}
            }
            let message = result.items.iter().filter(|i| !i.accepted()).map(|i| format!("{}: {}", i.id, i.message)).collect::<Vec<_>>().join("; ");
            sqlx::query("UPDATE payout_batches SET sent_at = $2, bank_status = $3, bank_instruction = $4, bank_message = $5 WHERE id = $1")
                .bind(batch)
                .bind(now())
                .bind(&result.status)
                .bind(&result.instruction)
                .bind(&message)
                .execute(&mut *tx)
                .await?;
            let mut advisers = Vec::new();
            for item in &result.items {
                let position = i64::try_from(item.id).unwrap_or(0);
                let (state, text) = if item.accepted() { ("ok", item.message.clone()) } else { ("refused", item.message.clone()) };
                let request: Option<(Uuid, Uuid)> = sqlx::query_as(
                    "UPDATE payout_batch_items SET result = $3, message = $4 WHERE batch_id = $1 AND position = $2 RETURNING request_id, adviser_id",
                )
                .bind(batch)
                .bind(position)
                .bind(state)
                .bind(&text)
                .fetch_optional(&mut *tx)
                .await?;
                if let (Some((request, adviser)), false) = (request, item.accepted()) {
                    sqlx::query("UPDATE payout_requests SET status = 'rejected', reason = $2 WHERE id = $1 AND status = 'accepted'")
                        .bind(request)
                        .bind(format!("Banka platbu odmítla: {}", item.message))
                        .execute(&mut *tx)
                        .await?;
                    advisers.push(AdviserId::from_uuid(adviser));
                }
            }
            audit_in!(&mut *tx, actor, "payout.sent", batch.to_string(), format!("{} {} {}", result.status, result.instruction, message))?;
            tx.commit().await?;
            advisers
        });
        Ok(advisers)
    }

    async fn mark_batch_paid(
        &self,
        actor: &Actor,
        batch: Uuid,
        company: &Party,
    ) -> Result<Vec<AdviserId>, PayoutError> {
        let at = now();
        let year = i64::from(Month::of(at).year);
        let customer = serde_json::to_string(company)
            .map_err(|e| PayoutError::Store(StoreError::Corrupt(e.to_string())))?;
        let advisers = on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let number: Option<String> = sqlx::query_scalar(
                "UPDATE payout_batches SET paid_at = $2, paid_by = $3 WHERE id = $1 AND paid_at IS NULL RETURNING number",
            )
            .bind(batch)
            .bind(at)
            .bind(&actor.label)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(number) = number else {
                let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payout_batches WHERE id = $1")
                    .bind(batch)
                    .fetch_one(&mut *tx)
                    .await?;
                return Err(if known > 0 { PayoutRefusal::AlreadyPaid } else { PayoutRefusal::NoBatch }.into());
            };
            let items: Vec<(Uuid, Uuid, i64)> = sqlx::query_as(
                "SELECT request_id, adviser_id, amount FROM payout_batch_items WHERE batch_id = $1 AND result <> 'refused' ORDER BY position",
            )
            .bind(batch)
            .fetch_all(&mut *tx)
            .await?;
            let mut advisers = Vec::new();
            for (request, adviser, amount) in items {
                sqlx::query(
                    "INSERT INTO commission_entries (id, adviser_id, kind, order_id, amount, at, note) VALUES ($1, $2, $3, NULL, $4, $5, $6)",
                )
                .bind(Uuid::now_v7())
                .bind(adviser)
                .bind(CommissionKind::Payout.code())
                .bind(-amount)
                .bind(at)
                .bind(format!("Výplata {number}"))
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE payout_requests SET status = 'paid' WHERE id = $1 AND status = 'accepted'")
                    .bind(request)
                    .execute(&mut *tx)
                    .await?;
                // A self-employed adviser's self-billing invoice, numbered in this
                // transaction (no gaps, one per payout).
                let billing: Option<BillingRow> = sqlx::query_as(
                    "SELECT u.name, p.account, p.bank_code, p.ico, p.dic, p.street, p.city, p.postal_code, p.vat_payer \
                     FROM adviser_payout_accounts p JOIN advisers a ON a.id = p.adviser_id JOIN users u ON u.id = a.user_id \
                     WHERE p.adviser_id = $1 AND p.self_employed",
                )
                .bind(adviser)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(b) = billing {
                    let (sequence,): (i64,) = sqlx::query_as(
                        "INSERT INTO invoice_series (year, kind, last) VALUES ($1, 'self_billing', 1) \
                         ON CONFLICT (year, kind) DO UPDATE SET last = invoice_series.last + 1 RETURNING CAST(last AS BIGINT)",
                    )
                    .bind(year)
                    .fetch_one(&mut *tx)
                    .await?;
                    let supplier = Party {
                        name: b.name,
                        street: b.street,
                        city: b.city,
                        postal_code: b.postal_code,
                        ico: b.ico,
                        dic: b.dic,
                        iban: format!("{}/{}", b.account, b.bank_code),
                    };
                    let supplier = serde_json::to_string(&supplier).map_err(|e| PayoutError::Store(StoreError::Corrupt(e.to_string())))?;
                    sqlx::query(
                        "INSERT INTO self_billing_invoices (id, number, batch_id, request_id, adviser_id, issued_at, total_haler, vat_bp, supplier, customer) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(Uuid::now_v7())
                    .bind(self_billing_number(year, sequence))
                    .bind(batch)
                    .bind(request)
                    .bind(adviser)
                    .bind(at)
                    .bind(amount)
                    .bind(if b.vat_payer { 2_100i64 } else { 0 })
                    .bind(&supplier)
                    .bind(&customer)
                    .execute(&mut *tx)
                    .await?;
                }
                advisers.push(AdviserId::from_uuid(adviser));
            }
            audit_in!(&mut *tx, actor, "payout.paid", number, format!("{} payments", advisers.len()))?;
            tx.commit().await?;
            advisers
        });
        Ok(advisers)
    }
}
