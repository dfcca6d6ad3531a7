//! Booking a download (issue 13, point 2) in one transaction, a batch of rows per
//! statement: the movements the hub has not seen (by FIO's id, per account) are
//! decided by `money/matching.rs` against the orders their VS finds (looked up by
//! the VS without leading zeros, an indexed expression), then inserted with their
//! decision, their allocations inserted, and the orders' settled sums raised. A
//! statement that pays one order twice sees the first payment when deciding the
//! second. Imports run one at a time (SQLite's write lock; an advisory lock on
//! PostgreSQL), so two overlapping downloads never book a movement twice.

use std::collections::{HashMap, HashSet};

use fieldcase_shared::{Money, OrderId, OrderStatus};
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::{Imported, SETTLED};
use crate::integrations::fio::Movement;
use crate::money::matching::{Candidate, Decision, Verdict, decide, vs_key};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::StoreResult;
use crate::store::sql::{Backend, Classify, LOOKUP_CHUNK, SqlStore, now, on_db, parse, write_tx};

/// Rows per statement: a movement has 19 columns, an allocation 7, a settled sum 2;
/// bigger statements than the shared `BATCH` (fewer round trips; measured with
/// bank-bench), still under SQLite's 32,766 bound parameters.
const MOVEMENT_ROWS: usize = 1_500;
const PAIR_ROWS: usize = 8_000;

/// The key of the advisory lock that serialises bank imports on PostgreSQL.
pub(crate) const BANK_LOCK: i64 = 0x6669_656c_6462_616e;

type OrderLookup = (Uuid, String, String, i64, i64, i64);

pub(super) async fn import(
    store: &SqlStore,
    actor: &Actor,
    account: Uuid,
    movements: &[Movement],
) -> StoreResult<Imported> {
    let mut out = Imported::default();
    // One statement may list a movement twice; the first counts.
    let mut unique = HashSet::new();
    let movements: Vec<&Movement> = movements.iter().filter(|m| unique.insert(m.id)).collect();
    let count = movements.len();
    let at = now();
    on_db!(store, pool => {
        let mut tx = write_tx(pool).await?;
        if store.backend_kind() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(BANK_LOCK).execute(&mut *tx).await.classify()?;
        }
        // Which are new: FIO's ids grow, so one range read finds those booked
        // already (a few others in the range are read and passed over).
        let mut known: HashSet<i64> = HashSet::new();
        if let (Some(low), Some(high)) = (movements.iter().map(|m| m.id).min(), movements.iter().map(|m| m.id).max()) {
            let rows: Vec<(i64,)> = sqlx::query_as(
                "SELECT fio_id FROM bank_movements WHERE account_id = $1 AND fio_id BETWEEN $2 AND $3",
            )
            .bind(account)
            .bind(low)
            .bind(high)
            .fetch_all(&mut *tx)
            .await
            .classify()?;
            known.extend(rows.into_iter().map(|(id,)| id));
        }
        let fresh: Vec<&Movement> = movements.into_iter().filter(|m| !known.contains(&m.id)).collect();
        // The orders their symbols find.
        let keys: Vec<String> = fresh
            .iter()
            .map(|m| vs_key(&m.vs))
            .filter(|k| !k.is_empty())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut orders: HashMap<String, Vec<Candidate>> = HashMap::new();
        for chunk in keys.chunks(LOOKUP_CHUNK) {
            let mut q = QueryBuilder::new(
                format!("SELECT o.id, ltrim(o.variable_symbol, '0'), o.status, o.total_haler, o.deposit_haler, {SETTLED} FROM orders o WHERE ltrim(o.variable_symbol, '0') IN ("),
            );
            let mut list = q.separated(", ");
            for k in chunk {
                list.push_bind(k.clone());
            }
            q.push(")");
            let rows: Vec<OrderLookup> = q.build_query_as().fetch_all(&mut *tx).await.classify()?;
            for (id, key, status, total, deposit, settled) in rows {
                orders.entry(key).or_default().push(Candidate {
                    order: OrderId::from_uuid(id),
                    status: parse::<OrderStatus>("order status", &status)?,
                    left: Money::from_haler(total - deposit - settled),
                });
            }
        }
        // Decided in order, each payment seeing the ones before it.
        let mut booked: Vec<(Uuid, &Movement, Verdict)> = Vec::with_capacity(fresh.len());
        let mut settled: HashMap<OrderId, i64> = HashMap::new();
        for m in fresh {
            let key = vs_key(&m.vs);
            let candidates = orders.get(&key).map(Vec::as_slice).unwrap_or_default();
            let verdict = decide(m.amount, &m.currency, &m.vs, candidates);
            if let (Some(order), false) = (verdict.order, verdict.allocate.is_zero()) {
                *settled.entry(order).or_default() += verdict.allocate.haler();
                if let Some(c) = orders.get_mut(&key).and_then(|l| l.iter_mut().find(|c| c.order == order)) {
                    c.left -= verdict.allocate;
                }
            }
            match verdict.decision {
                Decision::Matched => out.matched += 1,
                Decision::Partial => out.partial += 1,
                Decision::Over => out.over += 1,
                Decision::Receivable => out.receivable += 1,
                Decision::Ignored => out.ignored += 1,
            }
            booked.push((Uuid::now_v7(), m, verdict));
        }
        for chunk in booked.chunks(MOVEMENT_ROWS) {
            let mut q = QueryBuilder::new(
                "INSERT INTO bank_movements (id, account_id, fio_id, booked_on, amount_haler, currency, counter_account, counter_name, vs, ks, ss, message, kind, decision, reason, order_id, difference_haler, open_haler, imported_at) ",
            );
            q.push_values(chunk, |mut b, (id, m, v)| {
                let counter = if m.bank_code.is_empty() { m.counter_account.clone() } else { format!("{}/{}", m.counter_account, m.bank_code) };
                b.push_bind(*id)
                    .push_bind(account)
                    .push_bind(m.id)
                    .push_bind(m.date)
                    .push_bind(m.amount.haler())
                    .push_bind(m.currency.clone())
                    .push_bind(counter)
                    .push_bind(m.counter_name.clone())
                    .push_bind(m.vs.clone())
                    .push_bind(m.ks.clone())
                    .push_bind(m.ss.clone())
                    .push_bind(m.message.clone())
                    .push_bind(m.kind.clone())
                    .push_bind(v.decision.code())
                    .push_bind(v.reason.code())
                    .push_bind(v.order.map(|o| o.as_uuid()))
                    .push_bind(v.difference.haler())
                    .push_bind(v.open.haler())
                    .push_bind(at);
            });
            q.build().execute(&mut *tx).await.classify()?;
        }
        let allocations: Vec<(Uuid, OrderId, Money)> = booked
            .iter()
            .filter_map(|(id, _, v)| v.order.filter(|_| !v.allocate.is_zero()).map(|o| (*id, o, v.allocate)))
            .collect();
        for chunk in allocations.chunks(PAIR_ROWS / 2) {
            let mut q = QueryBuilder::new(
                "INSERT INTO payment_allocations (id, movement_id, order_id, amount_haler, kind, note, created_at) ",
            );
            q.push_values(chunk, |mut b, (movement, order, amount)| {
                b.push_bind(Uuid::now_v7())
                    .push_bind(*movement)
                    .push_bind(order.as_uuid())
                    .push_bind(amount.haler())
                    .push_bind("match")
                    .push_bind("")
                    .push_bind(at);
            });
            q.build().execute(&mut *tx).await.classify()?;
        }
        let raised: Vec<(OrderId, i64)> = settled.into_iter().collect();
        for chunk in raised.chunks(PAIR_ROWS) {
            let mut q = QueryBuilder::new("INSERT INTO order_settled (order_id, settled_haler) ");
            q.push_values(chunk, |mut b, (order, amount)| {
                b.push_bind(order.as_uuid()).push_bind(*amount);
            });
            q.push(" ON CONFLICT (order_id) DO UPDATE SET settled_haler = order_settled.settled_haler + excluded.settled_haler");
            q.build().execute(&mut *tx).await.classify()?;
            out.orders.extend(chunk.iter().map(|(o, _)| *o));
        }
        out.new = booked.len();
        out.seen = count - out.new;
        if out.new > 0 {
            audit_in!(
                &mut *tx,
                actor,
                "bank.import",
                account.to_string(),
                format!(
                    "{} new: {} matched, {} partial, {} over, {} receivable, {} ignored",
                    out.new, out.matched, out.partial, out.over, out.receivable, out.ignored
                )
            )?;
        }
        tx.commit().await.classify()?;
    });
    Ok(out)
}
