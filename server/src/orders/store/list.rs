//! The office's order list in SQL: every filter (status, store, adviser, channel,
//! dates, paid, full-text), a sort on one column, and keyset pagination (the next
//! page starts after the last row shown: `(sort key, id)`, so a page costs the same
//! however deep it is and rows never repeat or go missing while orders arrive).
//! Counts per status for the tabs use the same filters but the status.

use fieldcase_shared::{Money, OrderId, OrderStatus};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::orders::store::search;
use crate::orders::store::{OrderFilter, OrderSort, OrderSummary, Paid};
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, Db, SqlStore, on_db, parse};

/// Appends the filter's conditions (each `AND …`, values bound) to the query builder
/// `$q` of either database (`$sqlite`: which one), with or without its status.
macro_rules! push_conditions {
    ($q:expr, $filter:expr, $sqlite:expr, $with_status:expr) => {{
        let (q, filter) = (&mut $q, $filter);
        if let (true, Some(status)) = ($with_status, filter.status) {
            q.push(" AND o.status = ").push_bind(status.code());
        }
        if let Some(shop) = filter.shop {
            q.push(" AND o.shop_id = ").push_bind(shop.as_uuid());
        }
        if let Some(adviser) = filter.adviser {
            q.push(" AND o.adviser_id = ").push_bind(adviser.as_uuid());
        }
        if let Some(channel) = filter.channel {
            q.push(" AND o.channel = ").push_bind(channel.code());
        }
        if let Some(from) = filter.from {
            q.push(" AND o.created_at >= ").push_bind(from);
        }
        if let Some(until) = filter.until {
            q.push(" AND o.created_at < ").push_bind(until);
        }
        match filter.paid {
            Some(Paid::Paid) => {
                q.push(" AND o.deposit_haler >= o.total_haler");
            }
            Some(Paid::Unpaid) => {
                // A cancelled order owes nothing.
                q.push(" AND o.deposit_haler < o.total_haler AND o.status <> 'cancelled'");
            }
            None => {}
        }
        let terms = search::terms(&filter.text);
        if !terms.is_empty() {
            // The full-text index (orders/store/search.rs); private notes are a column
            // of their own, searched only when allowed.
            if $sqlite {
                q.push(" AND o.id IN (SELECT k.order_id FROM order_search s JOIN order_search_keys k ON k.id = s.rowid WHERE order_search MATCH ")
                    .push_bind(search::fts5_query(&terms, filter.private))
                    .push(")");
            } else {
                let column = if filter.private { "tsv_all" } else { "tsv" };
                q.push(format!(
                    " AND o.id IN (SELECT order_id FROM order_search WHERE {column} @@ to_tsquery('simple', "
                ))
                .push_bind(search::tsquery(&terms))
                .push("))");
            }
        }
    }};
}

/// The column `sort` orders by, and the direction.
fn sort_sql(sort: OrderSort) -> (&'static str, bool) {
    match sort {
        OrderSort::Newest => ("o.created_at", true),
        OrderSort::Oldest => ("o.created_at", false),
        OrderSort::TotalDesc => ("o.total_haler", true),
        OrderSort::TotalAsc => ("o.total_haler", false),
        OrderSort::NumberAsc => ("o.variable_symbol", false),
        OrderSort::NumberDesc => ("o.variable_symbol", true),
    }
}

/// Appends `AND (column, id)` past the cursor `$after`, for the sort's direction.
macro_rules! push_after {
    ($q:expr, $sort:expr, $after:expr) => {{
        let (q, sort, after) = (&mut $q, $sort, $after);
        let (column, descending) = sort_sql(sort);
        let op = if descending { "<" } else { ">" };
        q.push(format!(" AND ({column}, o.id) {op} ("));
        match sort {
            OrderSort::Newest | OrderSort::Oldest => q.push_bind(after.created_at),
            OrderSort::TotalDesc | OrderSort::TotalAsc => q.push_bind(after.total.haler()),
            OrderSort::NumberAsc | OrderSort::NumberDesc => {
                q.push_bind(after.variable_symbol.clone())
            }
        };
        q.push(", ").push_bind(after.id.as_uuid()).push(")");
    }};
}

const SELECT: &str = "SELECT o.id, o.variable_symbol, c.last_name || ' ' || c.first_name AS client_name, u.name AS adviser_name, \
     o.status, o.total_haler, o.deposit_haler, o.created_at, o.coupon_code \
     FROM orders o JOIN clients c ON c.id = o.client_id \
     LEFT JOIN advisers a ON a.id = o.adviser_id LEFT JOIN users u ON u.id = a.user_id WHERE 1 = 1";

fn summary<R: Row>(r: &R) -> StoreResult<OrderSummary>
where
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    Uuid: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    OffsetDateTime: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let status: String = r.try_get("status")?;
    Ok(OrderSummary {
        id: OrderId::from_uuid(r.try_get("id")?),
        variable_symbol: r.try_get("variable_symbol")?,
        client_name: r.try_get("client_name")?,
        adviser_name: r
            .try_get::<Option<String>, _>("adviser_name")?
            .unwrap_or_default(),
        status: parse::<OrderStatus>("orders.status", &status)?,
        total: Money::from_haler(r.try_get("total_haler")?),
        deposit: Money::from_haler(r.try_get("deposit_haler")?),
        created_at: r.try_get("created_at")?,
        coupon: r.try_get("coupon_code")?,
    })
}

/// How many orders (the first in the list's sort) a search checks one by one before
/// it asks the index for all its matches.
const SEARCH_WINDOW: i64 = 3_000;

impl SqlStore {
    /// One page of the order list (see the module doc).
    pub(crate) async fn query_orders(
        &self,
        filter: &OrderFilter,
    ) -> StoreResult<Vec<OrderSummary>> {
        let limit = if filter.limit <= 0 {
            100
        } else {
            filter.limit.min(500)
        };
        let (column, descending) = sort_sql(filter.sort);
        let dir = if descending { "DESC" } else { "ASC" };
        let sqlite = matches!(self.db(), Db::Sqlite(_));
        let terms = search::terms(&filter.text);
        if !terms.is_empty() && !sqlite {
            // PostgreSQL: a search that many orders match has its first page among
            // the newest few thousand (in the sort), each checked against its own
            // tsvector. When that window holds a whole page, it is the answer (the
            // window is the start of the sorted list); else the index's matches are
            // sorted whole. Not on SQLite: FTS5 reads a prefix term's whole doclist
            // for every row it checks (measured: 9 s for 3,000 rows).
            let plain = OrderFilter {
                text: String::new(),
                ..filter.clone()
            };
            let window: Vec<OrderSummary> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT o.id, o.variable_symbol, c.last_name || ' ' || c.first_name AS client_name, u.name AS adviser_name, \
                     o.status, o.total_haler, o.deposit_haler, o.created_at, o.coupon_code FROM (SELECT o.* FROM orders o WHERE 1 = 1",
                );
                push_conditions!(q, &plain, sqlite, true);
                if let Some(after) = &filter.after {
                    push_after!(q, filter.sort, after);
                }
                q.push(format!(" ORDER BY {column} {dir}, o.id {dir} LIMIT {SEARCH_WINDOW}) o \
                    JOIN clients c ON c.id = o.client_id LEFT JOIN advisers a ON a.id = o.adviser_id \
                    LEFT JOIN users u ON u.id = a.user_id WHERE "));
                let tsv = if filter.private { "tsv_all" } else { "tsv" };
                q.push(format!("EXISTS (SELECT 1 FROM order_search s WHERE s.order_id = o.id AND s.{tsv} @@ to_tsquery('simple', "))
                    .push_bind(search::tsquery(&terms))
                    .push("))");
                q.push(format!(" ORDER BY {column} {dir}, o.id {dir} LIMIT ")).push_bind(limit);
                let rows = q.build().fetch_all(pool).await.classify()?;
                rows.iter().map(summary).collect::<StoreResult<Vec<_>>>()?
            });
            if window.len() as i64 >= limit {
                return Ok(window);
            }
        }
        on_db!(self, pool => {
            let mut q = QueryBuilder::new(SELECT);
            push_conditions!(q, filter, sqlite, true);
            if let Some(after) = &filter.after {
                push_after!(q, filter.sort, after);
            }
            q.push(format!(" ORDER BY {column} {dir}, o.id {dir} LIMIT "))
                .push_bind(limit);
            let rows = q.build().fetch_all(pool).await.classify()?;
            rows.iter().map(summary).collect()
        })
    }

    /// How many orders each status has under the filter (its status aside).
    pub(crate) async fn count_orders_by_status(
        &self,
        filter: &OrderFilter,
    ) -> StoreResult<Vec<(OrderStatus, i64)>> {
        let sqlite = matches!(self.db(), Db::Sqlite(_));
        let rows: Vec<(String, i64)> = on_db!(self, pool => {
            let mut q = QueryBuilder::new("SELECT o.status, COUNT(*) FROM orders o WHERE 1 = 1");
            push_conditions!(q, filter, sqlite, false);
            q.push(" GROUP BY o.status");
            q.build_query_as().fetch_all(pool).await.classify()?
        });
        let mut counts = rows
            .into_iter()
            .map(|(s, n): (String, i64)| Ok((parse::<OrderStatus>("orders.status", &s)?, n)))
            .collect::<StoreResult<Vec<_>>>()?;
        counts.sort_by_key(|(s, _)| OrderStatus::ALL.iter().position(|x| x == s));
        Ok(counts)
    }
}
