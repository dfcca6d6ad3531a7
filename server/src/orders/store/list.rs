//! The office's order list in SQL: every filter (status, store, adviser, channel,
//! dates, paid, full-text), a sort on one column, and keyset pagination (the next
//! page starts after the last row shown: `(sort key, id)`, so a page costs the same
//! however deep it is and rows never repeat or go missing while orders arrive).
//! Counts per status for the tabs use the same filters but the status.

use fieldcase_shared::{Money, OrderId, OrderStatus};
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::money::store::SETTLED;
use crate::orders::store::search;
use crate::orders::store::{
    OrderFilter, OrderSort, OrderSummary, Paid, SEARCH_COUNT_CAP, StatusCounts,
};
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
                q.push(format!(" AND o.deposit_haler + {SETTLED} >= o.total_haler"));
            }
            Some(Paid::Unpaid) => {
                // A cancelled order owes nothing.
                q.push(format!(" AND o.deposit_haler + {SETTLED} < o.total_haler AND o.status <> 'cancelled'"));
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
                let column = if filter.private { "(tsv || private_tsv)" } else { "tsv" };
                q.push(format!(
                    " AND o.id IN (SELECT order_id FROM order_search WHERE {column} @@ CAST("
                ))
                .push_bind(search::tsquery(&terms))
                .push(" AS tsquery))");
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

/// What a row of the list shows (read by [`summary`]), of `orders o` with [`JOINS`].
const COLUMNS: &str = "o.id, o.variable_symbol, c.last_name || ' ' || c.first_name AS client_name, u.name AS adviser_name, \
     o.status, o.total_haler, o.deposit_haler, \
     COALESCE((SELECT os.settled_haler FROM order_settled os WHERE os.order_id = o.id), 0) AS settled_haler, o.created_at, o.coupon_code";
/// The client and the adviser's name of `orders o`.
const JOINS: &str = "JOIN clients c ON c.id = o.client_id \
     LEFT JOIN advisers a ON a.id = o.adviser_id LEFT JOIN users u ON u.id = a.user_id";

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
        settled: Money::from_haler(r.try_get("settled_haler")?),
        created_at: r.try_get("created_at")?,
        coupon: r.try_get("coupon_code")?,
    })
}

/// How many orders (the first in the list's sort, filtered on the orders table) a
/// PostgreSQL search checks one by one before it asks the index for all its matches.
const SEARCH_WINDOW: i64 = 3_000;
/// The same for a search in time order without such filters, which checks the search
/// rows alone (a quarter of them first; bench/RESULTS.md).
const SEARCH_TIME_WINDOW: i64 = 20_000;

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
        let by_time = matches!(filter.sort, OrderSort::Newest | OrderSort::Oldest);
        // Conditions only the orders table can answer (the dates are in the index).
        let on_orders = filter.status.is_some()
            || filter.shop.is_some()
            || filter.adviser.is_some()
            || filter.channel.is_some()
            || filter.paid.is_some();
        if !terms.is_empty() && by_time && (sqlite || !on_orders) {
            return self.search_by_time(filter, &terms, limit).await;
        }
        if !terms.is_empty() && !sqlite {
            // PostgreSQL, another sort or a filter on the orders: a search that many
            // orders match has its first page among the first few thousand (in the
            // sort), each checked against its own tsvector. When that window holds a
            // whole page, it is the answer (the window is the start of the sorted
            // list); else the index's matches are sorted whole.
            let plain = OrderFilter {
                text: String::new(),
                ..filter.clone()
            };
            let window: Vec<OrderSummary> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(format!(
                    "SELECT {COLUMNS} FROM (SELECT o.* FROM orders o WHERE 1 = 1"
                ));
                push_conditions!(q, &plain, sqlite, true);
                if let Some(after) = &filter.after {
                    push_after!(q, filter.sort, after);
                }
                q.push(format!(
                    " ORDER BY {column} {dir}, o.id {dir} LIMIT {SEARCH_WINDOW}) o {JOINS} WHERE "
                ));
                let tsv = if filter.private { "(s.tsv || s.private_tsv)" } else { "s.tsv" };
                q.push(format!("EXISTS (SELECT 1 FROM order_search s WHERE s.order_id = o.id AND {tsv} @@ CAST("))
                    .push_bind(search::tsquery(&terms))
                    .push(" AS tsquery))");
                q.push(format!(" ORDER BY {column} {dir}, o.id {dir} LIMIT ")).push_bind(limit);
                let rows = q.build().fetch_all(pool).await.classify()?;
                rows.iter().map(summary).collect::<StoreResult<Vec<_>>>()?
            });
            if window.len() as i64 >= limit {
                return Ok(window);
            }
        }
        on_db!(self, pool => {
            let mut q = QueryBuilder::new(format!("SELECT {COLUMNS} FROM orders o {JOINS} WHERE 1 = 1"));
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

    /// A text search sorted by creation time, newest or oldest first: the search
    /// index is walked in that order and stops after one page. SQLite: FTS5 rowids
    /// are creation order (`search::sort_key`). PostgreSQL: the newest (oldest) search
    /// rows are checked one by one; when fewer than a page of them match, the GIN
    /// index's matches are sorted whole (a search that few orders match).
    async fn search_by_time(
        &self,
        filter: &OrderFilter,
        terms: &[String],
        limit: i64,
    ) -> StoreResult<Vec<OrderSummary>> {
        let (dir, op) = time_order(filter.sort);
        let pool = match self.db() {
            Db::Sqlite(pool) => {
                // The dates are a rowid range here, not conditions on the orders.
                let plain = OrderFilter {
                    text: String::new(),
                    from: None,
                    until: None,
                    ..filter.clone()
                };
                // CROSS JOIN keeps the index the outer loop, so its rowid order is
                // the page's and the walk stops at the LIMIT.
                let mut q = QueryBuilder::new(format!(
                    "SELECT {COLUMNS} FROM order_search s CROSS JOIN order_search_keys k ON k.id = s.rowid \
                     CROSS JOIN orders o ON o.id = k.order_id {JOINS} WHERE order_search MATCH "
                ));
                q.push_bind(search::fts5_query(terms, filter.private));
                push_conditions!(q, &plain, true, true);
                if let Some(from) = filter.from {
                    q.push(" AND s.rowid >= ").push_bind(search::sort_key(from));
                }
                if let Some(until) = filter.until {
                    q.push(" AND s.rowid < ").push_bind(search::sort_key(until));
                }
                if let Some(after) = &filter.after {
                    q.push(format!(
                        " AND s.rowid {op} (SELECT id FROM order_search_keys WHERE order_id = "
                    ))
                    .push_bind(after.id.as_uuid())
                    .push(")");
                }
                q.push(format!(" ORDER BY s.rowid {dir} LIMIT "))
                    .push_bind(limit);
                let rows = q.build().fetch_all(pool).await.classify()?;
                return rows.iter().map(summary).collect();
            }
            Db::Postgres(pool) => pool,
        };
        // PostgreSQL: the first rows tell how dense the matches are: a page, or not
        // even a quarter of one (fewer than a page in the whole window expected), or
        // on to the whole window; else every match.
        let first = pg_time_page(pool, filter, terms, limit, Some(SEARCH_TIME_WINDOW / 4)).await?;
        let found = first.len() as i64;
        if found >= limit {
            return Ok(first);
        }
        if found * 4 >= limit {
            let window = pg_time_page(pool, filter, terms, limit, Some(SEARCH_TIME_WINDOW)).await?;
            if window.len() as i64 >= limit {
                return Ok(window);
            }
        }
        pg_time_page(pool, filter, terms, limit, None).await
    }

    /// How many orders each status has under the filter (its status aside).
    pub(crate) async fn count_orders_by_status(
        &self,
        filter: &OrderFilter,
    ) -> StoreResult<StatusCounts> {
        let sqlite = matches!(self.db(), Db::Sqlite(_));
        let terms = search::terms(&filter.text);
        let rows: Vec<(String, i64)> = if terms.is_empty() {
            on_db!(self, pool => {
                let mut q = QueryBuilder::new("SELECT o.status, COUNT(*) FROM orders o WHERE 1 = 1");
                push_conditions!(q, filter, sqlite, false);
                q.push(" GROUP BY o.status");
                q.build_query_as().fetch_all(pool).await.classify()?
            })
        } else {
            // At most one more than the cap, so `more` is known (see StatusCounts).
            let cap = SEARCH_COUNT_CAP + 1;
            match self.db() {
                Db::Sqlite(pool) => {
                    let plain = OrderFilter {
                        text: String::new(),
                        ..filter.clone()
                    };
                    let mut q = QueryBuilder::new(
                        "SELECT status, COUNT(*) FROM (SELECT o.status FROM order_search s \
                         CROSS JOIN order_search_keys k ON k.id = s.rowid CROSS JOIN orders o ON o.id = k.order_id \
                         WHERE order_search MATCH ",
                    );
                    q.push_bind(search::fts5_query(&terms, filter.private));
                    push_conditions!(q, &plain, true, false);
                    q.push(format!(" LIMIT {cap}) GROUP BY status"));
                    q.build_query_as().fetch_all(pool).await.classify()?
                }
                Db::Postgres(pool) => {
                    let mut q = QueryBuilder::new(
                        "SELECT status, COUNT(*) FROM (SELECT o.status FROM orders o WHERE 1 = 1",
                    );
                    push_conditions!(q, filter, false, false);
                    q.push(format!(" LIMIT {cap}) m GROUP BY status"));
                    q.build_query_as().fetch_all(pool).await.classify()?
                }
            }
        };
        let mut counts = rows
            .into_iter()
            .map(|(s, n): (String, i64)| Ok((parse::<OrderStatus>("orders.status", &s)?, n)))
            .collect::<StoreResult<Vec<_>>>()?;
        counts.sort_by_key(|(s, _)| OrderStatus::ALL.iter().position(|x| x == s));
        let counted: i64 = counts.iter().map(|(_, n)| n).sum();
        let more = !terms.is_empty() && counted > SEARCH_COUNT_CAP;
        if more {
            // The extra one only told that there were more.
            if let Some((_, n)) = counts.iter_mut().rev().find(|(_, n)| *n > 0) {
                *n -= 1;
            }
        }
        Ok(StatusCounts {
            by_status: counts,
            more,
        })
    }
}

/// The direction of a time sort and the keyset comparison past its cursor.
fn time_order(sort: OrderSort) -> (&'static str, &'static str) {
    if sort == OrderSort::Newest {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    }
}

/// One page of a PostgreSQL search in time order: the first `window` search rows of
/// the sort checked one by one, or (`None`) every match through the GIN index, sorted.
/// The `MATERIALIZED` CTE keeps the planner from walking the time index for a rare
/// word instead.
async fn pg_time_page(
    pool: &sqlx::PgPool,
    filter: &OrderFilter,
    terms: &[String],
    limit: i64,
    window: Option<i64>,
) -> StoreResult<Vec<OrderSummary>> {
    let (dir, op) = time_order(filter.sort);
    let tsv = if filter.private {
        "(tsv || private_tsv)"
    } else {
        "tsv"
    };
    let mut q = QueryBuilder::new(format!("SELECT {COLUMNS} FROM ("));
    q.push(match window {
        Some(_) => format!(
            "SELECT order_id, created_at FROM (SELECT order_id, created_at, {tsv} AS tsv FROM order_search WHERE TRUE"
        ),
        None => "WITH m AS MATERIALIZED (SELECT order_id, created_at FROM order_search WHERE TRUE"
            .to_owned(),
    });
    if let Some(from) = filter.from {
        q.push(" AND created_at >= ").push_bind(from);
    }
    if let Some(until) = filter.until {
        q.push(" AND created_at < ").push_bind(until);
    }
    if let Some(after) = &filter.after {
        q.push(format!(" AND (created_at, order_id) {op} ("))
            .push_bind(after.created_at)
            .push(", ")
            .push_bind(after.id.as_uuid())
            .push(")");
    }
    q.push(match window {
        Some(window) => format!(
            " ORDER BY created_at {dir}, order_id {dir} LIMIT {window}) w WHERE w.tsv @@ CAST("
        ),
        None => format!(" AND {tsv} @@ CAST("),
    });
    q.push_bind(search::tsquery(terms));
    q.push(match window {
        Some(_) => " AS tsquery)",
        None => " AS tsquery)) SELECT order_id, created_at FROM m WHERE TRUE",
    });
    q.push(format!(" ORDER BY created_at {dir}, order_id {dir} LIMIT "))
        .push_bind(limit);
    q.push(format!(
        ") s JOIN orders o ON o.id = s.order_id {JOINS} ORDER BY o.created_at {dir}, o.id {dir}"
    ));
    let rows = q.build().fetch_all(pool).await.classify()?;
    rows.iter().map(summary).collect()
}
