//! Bank accounts in SQL: added (the token sealed by the caller), switched on and
//! off, listed with the poller's state, which each run records.

use async_trait::async_trait;
use fieldcase_shared::{Money, OrderId};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Allocation, BankAccount, BankMovement, BankStore, Imported, MovementFilter, PollRun};
use crate::integrations::fio::Movement;
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, now, on_db, one_row, write_tx};

type AccountRow = (
    Uuid,
    String,
    String,
    bool,
    OffsetDateTime,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    String,
    String,
    i64,
);

fn account(r: AccountRow) -> BankAccount {
    let (
        id,
        name,
        iban,
        active,
        created_at,
        last_run_at,
        next_run_at,
        last_result,
        last_error,
        last_new,
    ) = r;
    BankAccount {
        id,
        name,
        iban,
        active,
        created_at,
        last_run_at,
        next_run_at,
        last_result,
        last_error,
        last_new,
    }
}

#[async_trait]
impl BankStore for SqlStore {
    async fn add_bank_account(
        &self,
        actor: &Actor,
        id: Uuid,
        name: &str,
        iban: &str,
        sealed: &[u8],
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO bank_accounts (id, name, iban, token, active, created_at) VALUES ($1, $2, $3, $4, TRUE, $5)",
            )
            .bind(id)
            .bind(name)
            .bind(iban)
            .bind(sealed)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "bank.account_add", id.to_string(), format!("{name} {iban}"))?;
            tx.commit().await.classify()
        })
    }

    async fn set_bank_token(&self, actor: &Actor, id: Uuid, sealed: &[u8]) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let done = sqlx::query("UPDATE bank_accounts SET token = $2, last_result = '', last_error = '' WHERE id = $1")
                .bind(id)
                .bind(sealed)
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "bank account")?;
            audit_in!(&mut *tx, actor, "bank.token_set", id.to_string(), String::new())?;
            tx.commit().await.classify()
        })
    }

    async fn set_bank_account_active(
        &self,
        actor: &Actor,
        id: Uuid,
        active: bool,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = write_tx(pool).await?;
            let done = sqlx::query("UPDATE bank_accounts SET active = $2 WHERE id = $1")
                .bind(id)
                .bind(active)
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "bank account")?;
            let action = if active { "bank.account_on" } else { "bank.account_off" };
            audit_in!(&mut *tx, actor, action, id.to_string(), String::new())?;
            tx.commit().await.classify()
        })
    }

    async fn bank_accounts(&self) -> StoreResult<Vec<BankAccount>> {
        let rows: Vec<AccountRow> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, name, iban, active, created_at, last_run_at, next_run_at, last_result, last_error, CAST(last_new AS BIGINT) \
             FROM bank_accounts ORDER BY name, iban",
        )
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().map(account).collect())
    }

    async fn bank_token(&self, id: Uuid) -> StoreResult<Option<Vec<u8>>> {
        let row: Option<(Vec<u8>,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT token FROM bank_accounts WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await
        .classify())?;
        Ok(row.map(|(t,)| t))
    }

    async fn record_poll(&self, id: Uuid, run: &PollRun) -> StoreResult<()> {
        on_db!(self, pool => {
            sqlx::query(
                "UPDATE bank_accounts SET last_run_at = $2, next_run_at = $3, last_result = $4, last_error = $5, last_new = $6 WHERE id = $1",
            )
            .bind(id)
            .bind(run.at)
            .bind(run.next)
            .bind(&run.result)
            .bind(&run.error)
            .bind(run.new)
            .execute(pool)
            .await
            .classify()
            .and_then(|done| one_row(done.rows_affected(), "bank account"))
        })
    }

    async fn import_movements(
        &self,
        actor: &Actor,
        account: Uuid,
        movements: &[Movement],
    ) -> StoreResult<Imported> {
        super::import::import(self, actor, account, movements).await
    }

    async fn bank_movements(&self, filter: &MovementFilter) -> StoreResult<Vec<BankMovement>> {
        super::read::movements(self, filter).await
    }

    async fn order_payments(&self, order: OrderId) -> StoreResult<Vec<(BankMovement, Money)>> {
        super::read::order_payments(self, order).await
    }

    async fn allocations(&self) -> StoreResult<Vec<Allocation>> {
        super::read::allocations(self).await
    }

    async fn bank_movement(&self, id: Uuid) -> StoreResult<Option<BankMovement>> {
        super::read::one_movement(self, id).await
    }

    async fn settle_movement(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_open: Money,
        steps: &[super::Step],
    ) -> StoreResult<Vec<OrderId>> {
        super::settle::settle(self, actor, id, expected_open, steps).await
    }

    async fn settlements(&self, movement: Option<Uuid>) -> StoreResult<Vec<super::Settlement>> {
        super::read::settlements(self, movement).await
    }

    async fn ageing(&self, today: time::Date) -> StoreResult<[Money; 4]> {
        super::read::ageing(self, today).await
    }

    async fn orders_by_vs(&self, vs: &str) -> StoreResult<Vec<super::OrderToPay>> {
        super::read::orders_by_vs(self, vs).await
    }

    async fn orders_allocated_since(&self, at: OffsetDateTime) -> StoreResult<Vec<OrderId>> {
        let rows: Vec<(Uuid,)> = on_db!(self, pool => sqlx::query_as(
            "SELECT DISTINCT order_id FROM payment_allocations WHERE created_at > $1",
        )
        .bind(at)
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(|(id,)| OrderId::from_uuid(id))
            .collect())
    }
}
