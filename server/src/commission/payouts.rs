//! Payouts: the one path of the Payouts page, the API and the CLI. Checks who
//! (accounting and administrators), what was entered (an amount, an account that
//! passes the bank's test), runs the store's step and tells the phones
//! (`publish_commission`: paid or rejected requests, payout lines). Sending a
//! batch uploads its file to FIO from the company's bank account (its sealed
//! token) and records the bank's word on each payment.

use fieldcase_shared::{AdviserId, FieldError, Lang, Money, Role};
use time::Date;
use uuid::Uuid;

use super::payout::{PAYOUT_APPROVERS, PayoutRefusal, account_of_iban};
use super::store::payout_batches::Batch;
use super::store::payouts::PayoutError;
use crate::state::AppState;
use crate::store::Actor;

/// Why a payout step did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PayoutFailure {
    #[error(transparent)]
    Refused(PayoutRefusal),
    #[error("invalid")]
    Invalid(Vec<FieldError>),
    #[error("the bank: {0}")]
    Bank(String),
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<PayoutError> for PayoutFailure {
    fn from(e: PayoutError) -> Self {
        match e {
            PayoutError::Refused(r) => PayoutFailure::Refused(r),
            PayoutError::Store(e) => PayoutFailure::Internal(e.into()),
        }
    }
}

impl From<crate::store::StoreError> for PayoutFailure {
    fn from(e: crate::store::StoreError) -> Self {
        PayoutFailure::Internal(e.into())
    }
}

impl PayoutFailure {
    /// What to tell the user, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            PayoutFailure::Refused(r) => r.text(l),
            PayoutFailure::Invalid(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message(l)))
                .collect::<Vec<_>>()
                .join("; "),
            PayoutFailure::Bank(e) => match l {
                Lang::Cs => format!("Banka dávku nepřijala: {e}"),
                Lang::En => format!("The bank did not take the batch: {e}"),
            },
            PayoutFailure::Internal(_) => l
                .pick("Nepodařilo se; zkuste to znovu.", "That failed; try again.")
                .into(),
        }
    }
}

fn allowed(role: Role) -> Result<(), PayoutFailure> {
    if PAYOUT_APPROVERS.contains(&role) {
        Ok(())
    } else {
        Err(PayoutFailure::Refused(PayoutRefusal::Forbidden))
    }
}

async fn tell(state: &AppState, advisers: &[AdviserId]) {
    for adviser in advisers {
        if let Err(err) = state.sync.publish_commission(*adviser).await {
            tracing::warn!(%err, %adviser, "publishing a payout to the phone; it follows on the next connection");
        }
    }
}

/// The four-eyes limit.
pub fn limit(state: &AppState) -> Money {
    Money::from_czk(state.config.payout_four_eyes_czk)
}

pub use super::payout::AccountInput;

/// Sets an adviser's payout account.
pub async fn set_account(
    state: &AppState,
    actor: &Actor,
    role: Role,
    adviser: AdviserId,
    input: &AccountInput,
) -> Result<(), PayoutFailure> {
    allowed(role)?;
    let account =
        super::payout::check_account_input(adviser, input).map_err(PayoutFailure::Invalid)?;
    state.store.set_payout_account(actor, &account).await?;
    Ok(())
}

/// A request made in the office for `adviser`.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    role: Role,
    adviser: AdviserId,
    amount: Money,
    note: &str,
) -> Result<Uuid, PayoutFailure> {
    allowed(role)?;
    Ok(state
        .store
        .request_payout_in_office(actor, adviser, amount, note.trim())
        .await?)
}

/// Approves a request; (approvals, needed).
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    role: Role,
    request: Uuid,
) -> Result<(usize, usize), PayoutFailure> {
    allowed(role)?;
    Ok(state
        .store
        .approve_payout(actor, request, limit(state))
        .await?)
}

/// Rejects a request with the reason; the phone is told.
pub async fn reject(
    state: &AppState,
    actor: &Actor,
    role: Role,
    request: Uuid,
    reason: &str,
) -> Result<(), PayoutFailure> {
    allowed(role)?;
    if reason.trim().is_empty() {
        return Err(PayoutFailure::Invalid(vec![FieldError::new(
            "reason",
            fieldcase_shared::Problem::Required,
        )]));
    }
    let adviser = state
        .store
        .reject_payout(actor, request, reason.trim())
        .await?;
    tell(state, &[adviser]).await;
    Ok(())
}

/// A batch of the approved requests, paid from bank account `account` (its IBAN
/// gives the number) on `date`.
pub async fn batch(
    state: &AppState,
    actor: &Actor,
    role: Role,
    account: Uuid,
    date: Date,
) -> Result<Batch, PayoutFailure> {
    allowed(role)?;
    let iban = state
        .store
        .bank_accounts()
        .await?
        .into_iter()
        .find(|a| a.id == account)
        .map(|a| a.iban)
        .ok_or(PayoutFailure::Refused(PayoutRefusal::NoBatch))?;
    let (from, _) = account_of_iban(&iban).ok_or_else(|| {
        PayoutFailure::Invalid(vec![FieldError::new(
            "account",
            fieldcase_shared::Problem::Invalid,
        )])
    })?;
    Ok(state
        .store
        .create_payout_batch(actor, &from, date, limit(state))
        .await?)
}

/// Uploads batch `batch` to FIO from bank account `account` and records the
/// bank's answer; the phones of refused payments are told.
pub async fn send(
    state: &AppState,
    actor: &Actor,
    role: Role,
    batch: Uuid,
    account: Uuid,
) -> Result<crate::integrations::fio_import::ImportResult, PayoutFailure> {
    allowed(role)?;
    let (_, file) = state
        .store
        .payout_batch_file(batch)
        .await?
        .ok_or(PayoutFailure::Refused(PayoutRefusal::NoBatch))?;
    let token = crate::money::bank::token(state.store.as_ref(), &state.bank, account)
        .await
        .map_err(|e| PayoutFailure::Bank(e.to_string()))?;
    let result = state
        .bank
        .client
        .import(&token, file)
        .await
        .map_err(|e| PayoutFailure::Bank(e.to_string()))?;
    let refused = state
        .store
        .record_batch_result(actor, batch, &result)
        .await?;
    tell(state, &refused).await;
    Ok(result)
}

/// The company as a self-billing invoice's customer (its name alone until its
/// IČO is set).
pub fn company(config: &crate::config::Config) -> crate::money::invoice::Party {
    config
        .supplier()
        .unwrap_or_else(|| crate::money::invoice::Party {
            name: config.payee_name.clone(),
            ..Default::default()
        })
}

/// Marks a batch paid: payout lines, requests paid, self-billing invoices of
/// the self-employed, the phones told.
pub async fn paid(
    state: &AppState,
    actor: &Actor,
    role: Role,
    batch: Uuid,
) -> Result<usize, PayoutFailure> {
    allowed(role)?;
    let advisers = state
        .store
        .mark_batch_paid(actor, batch, &company(&state.config))
        .await?;
    tell(state, &advisers).await;
    Ok(advisers.len())
}
