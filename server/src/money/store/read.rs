//! Reading the bank back: movements with their decisions (the status page, the
//! API), the payments of one order (its card), and the allocations.

use fieldcase_shared::{Money, OrderId};
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{Allocation, BankMovement, MovementFilter, OrderToPay, Settlement};
use crate::money::matching::{Decision, Reason};
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, on_db};

const COLUMNS: &str = "m.id, m.account_id, m.fio_id, m.booked_on, m.amount_haler, m.currency, m.counter_account, m.counter_name, m.vs, m.message, \
     m.decision, m.reason, m.order_id, o.variable_symbol, m.difference_haler, m.open_haler, m.imported_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    account_id: Uuid,
    fio_id: i64,
    booked_on: Option<Date>,
    amount_haler: i64,
    currency: String,
    counter_account: String,
    counter_name: String,
    vs: String,
    message: String,
    decision: String,
    reason: String,
    order_id: Option<Uuid>,
    variable_symbol: Option<String>,
    difference_haler: i64,
    open_haler: i64,
    imported_at: OffsetDateTime,
}

fn movement(r: Row) -> StoreResult<BankMovement> {
    Ok(BankMovement {
        id: r.id,
        account: r.account_id,
        fio_id: r.fio_id,
        booked_on: r.booked_on,
        amount: Money::from_haler(r.amount_haler),
        currency: r.currency,
        counter_account: r.counter_account,
        counter_name: r.counter_name,
        vs: r.vs,
        message: r.message,
        decision: Decision::from_code(&r.decision)
            .ok_or_else(|| StoreError::Corrupt(format!("bank decision {:?}", r.decision)))?,
        reason: Reason::from_code(&r.reason)
            .ok_or_else(|| StoreError::Corrupt(format!("bank reason {:?}", r.reason)))?,
        order: r.order_id.map(OrderId::from_uuid),
        order_vs: r.variable_symbol,
        difference: Money::from_haler(r.difference_haler),
        open: Money::from_haler(r.open_haler),
        imported_at: r.imported_at,
    })
}

pub(super) async fn movements(
    store: &SqlStore,
    filter: &MovementFilter,
) -> StoreResult<Vec<BankMovement>> {
    let limit = if filter.limit == 0 {
        200
    } else {
        filter.limit.min(1000)
    };
    let rows: Vec<Row> = on_db!(store, pool => {
        let mut q = QueryBuilder::new(format!(
            "SELECT {COLUMNS} FROM bank_movements m LEFT JOIN orders o ON o.id = m.order_id WHERE 1 = 1"
        ));
        if let Some(d) = filter.decision {
            q.push(" AND m.decision = ").push_bind(d.code());
        }
        if filter.open_only {
            q.push(" AND m.open_haler > 0");
        }
        if let Some(a) = filter.account {
            q.push(" AND m.account_id = ").push_bind(a);
        }
        q.push(" ORDER BY m.booked_on DESC, m.fio_id DESC LIMIT ")
            .push_bind(i64::from(limit));
        q.build_query_as().fetch_all(pool).await.classify()
    })?;
    rows.into_iter().map(movement).collect()
}

pub(super) async fn order_payments(
    store: &SqlStore,
    order: OrderId,
) -> StoreResult<Vec<(BankMovement, Money)>> {
    let sql = format!(
        "SELECT {COLUMNS}, CAST(COALESCE((SELECT SUM(a.amount_haler) FROM payment_allocations a WHERE a.movement_id = m.id AND a.order_id = $1), 0) AS BIGINT) AS given \
         FROM bank_movements m LEFT JOIN orders o ON o.id = m.order_id \
         WHERE m.order_id = $1 OR m.id IN (SELECT movement_id FROM payment_allocations WHERE order_id = $1) \
         ORDER BY m.booked_on, m.fio_id"
    );
    #[derive(sqlx::FromRow)]
    struct WithGiven {
        #[sqlx(flatten)]
        row: Row,
        given: i64,
    }
    let rows: Vec<WithGiven> = on_db!(store, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(order.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
    rows.into_iter()
        .map(|r| Ok((movement(r.row)?, Money::from_haler(r.given))))
        .collect()
}

pub(super) async fn allocations(store: &SqlStore) -> StoreResult<Vec<Allocation>> {
    let rows: Vec<(Uuid, Uuid, Uuid, i64, String, String, OffsetDateTime)> = on_db!(store, pool => sqlx::query_as(
        "SELECT id, movement_id, order_id, amount_haler, kind, note, created_at FROM payment_allocations ORDER BY created_at, id",
    )
    .fetch_all(pool)
    .await
    .classify())?;
    Ok(rows
        .into_iter()
        .map(
            |(id, movement, order, amount, kind, note, created_at)| Allocation {
                id,
                movement,
                order: OrderId::from_uuid(order),
                amount: Money::from_haler(amount),
                kind,
                note,
                created_at,
            },
        )
        .collect())
}

pub(super) async fn one_movement(store: &SqlStore, id: Uuid) -> StoreResult<Option<BankMovement>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM bank_movements m LEFT JOIN orders o ON o.id = m.order_id WHERE m.id = $1"
    );
    let row: Option<Row> = on_db!(store, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(id)
        .fetch_optional(pool)
        .await
        .classify())?;
    row.map(movement).transpose()
}

pub(super) async fn settlements(
    store: &SqlStore,
    of: Option<Uuid>,
) -> StoreResult<Vec<Settlement>> {
    type SettlementRow = (
        Uuid,
        Uuid,
        String,
        i64,
        String,
        String,
        Option<Uuid>,
        String,
        OffsetDateTime,
    );
    let rows: Vec<SettlementRow> = on_db!(store, pool => sqlx::query_as(
        "SELECT id, movement_id, kind, amount_haler, reason, counter_account, order_id, actor, created_at \
         FROM movement_settlements WHERE $1 IS NULL OR movement_id = $1 ORDER BY created_at DESC, id DESC LIMIT 500",
    )
    .bind(of)
    .fetch_all(pool)
    .await
    .classify())?;
    Ok(rows
        .into_iter()
        .map(
            |(id, movement, kind, amount, reason, counter_account, order, actor, created_at)| {
                Settlement {
                    id,
                    movement,
                    kind,
                    amount: Money::from_haler(amount),
                    reason,
                    counter_account,
                    order: order.map(OrderId::from_uuid),
                    actor,
                    created_at,
                }
            },
        )
        .collect())
}

pub(super) async fn ageing(store: &SqlStore, today: Date) -> StoreResult<[Money; 4]> {
    let cut = |days: i64| today - time::Duration::days(days);
    // A movement without a day counts as booked when it was imported.
    let row: (i64, i64, i64, i64) = on_db!(store, pool => sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN day >= $1 THEN open_haler END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN day < $1 AND day >= $2 THEN open_haler END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN day < $2 AND day >= $3 THEN open_haler END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN day < $3 THEN open_haler END), 0) AS BIGINT) \
         FROM (SELECT COALESCE(booked_on, $4) AS day, open_haler FROM bank_movements WHERE open_haler > 0 AND currency = 'CZK') AS open_money",
    )
    .bind(cut(14))
    .bind(cut(30))
    .bind(cut(60))
    .bind(today)
    .fetch_one(pool)
    .await
    .classify())?;
    Ok([row.0, row.1, row.2, row.3].map(Money::from_haler))
}

pub(super) async fn orders_by_vs(store: &SqlStore, vs: &str) -> StoreResult<Vec<OrderToPay>> {
    let key = crate::money::matching::vs_key(vs);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    type ToPayRow = (Uuid, String, String, String, i64, i64, i64);
    let sql = format!(
        "SELECT o.id, o.variable_symbol, c.last_name || ' ' || c.first_name, o.status, o.total_haler, o.deposit_haler, {} \
         FROM orders o JOIN clients c ON c.id = o.client_id WHERE ltrim(o.variable_symbol, '0') = $1 ORDER BY o.created_at",
        super::SETTLED
    );
    let rows: Vec<ToPayRow> = on_db!(store, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
    .bind(key)
    .fetch_all(pool)
    .await
    .classify())?;
    rows.into_iter()
        .map(|(id, vs, client_name, status, total, deposit, settled)| {
            Ok(OrderToPay {
                id: OrderId::from_uuid(id),
                variable_symbol: vs,
                client_name,
                status: crate::store::sql::parse("orders.status", &status)?,
                payment: fieldcase_shared::order::payment::Payment {
                    total: Money::from_haler(total),
                    deposit: Money::from_haler(deposit),
                    settled: Money::from_haler(settled),
                },
            })
        })
        .collect()
}
