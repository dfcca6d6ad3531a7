//! The office's customer list in SQL: full-text search, adviser and store filters, a
//! sort by name or creation time, and keyset pagination (the next page starts after
//! the last row shown, so a page costs the same however deep it is). Pages are
//! walked on the search tables of migration 0018 (`k`: SQLite's keys, whose rowid is
//! creation order and which hold the sort name; PostgreSQL's `customer_search`), so
//! neither sort needs to sort the whole base. A search lists the newest matches
//! first: SQLite walks the FTS rowids down, PostgreSQL checks the newest rows one by
//! one before it asks the GIN index for every match.

use fieldcase_shared::ClientId;
use fieldcase_shared::search::terms;
use sqlx::{QueryBuilder, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::customers::store::segments::{SegmentStore, push_facts};
use crate::customers::store::{
    CustomerCount, CustomerFilter, CustomerSort, CustomerSummary, SEARCH_COUNT_CAP,
};
use crate::store::error::StoreResult;
use crate::store::fulltext::{fts5_query, tsquery};
use crate::store::sql::{Classify, Db, SqlStore, on_db};

/// Appends the filter's conditions (each `AND …`, values bound) on `clients c` and
/// `advisers a`.
macro_rules! push_conditions {
    ($q:expr, $filter:expr) => {{
        let (q, filter) = (&mut $q, $filter);
        // A merged customer is kept only to resolve what names it.
        q.push(" AND c.merged_into IS NULL");
        if let Some(adviser) = filter.criteria.adviser {
            q.push(" AND c.adviser_id = ").push_bind(adviser.as_uuid());
        }
        if let Some(shop) = filter.criteria.shop {
            q.push(" AND a.home_shop_id = ").push_bind(shop.as_uuid());
        }
        // The rest on the client's segment facts (`segments.rs`).
        if filter.criteria.needs_facts() {
            q.push(" AND EXISTS (SELECT 1 FROM customer_stats s WHERE s.client_id = c.id");
            push_facts!(*q, &filter.criteria);
            q.push(")");
        }
    }};
}

/// PostgreSQL's keyset condition in time order past the cursor `$after`, on the
/// search table `k`.
macro_rules! push_time_after {
    ($q:expr, $after:expr, $op:expr) => {{
        $q.push(format!(" AND (k.created_at, k.client_id) {} (", $op))
            .push_bind($after.created_at)
            .push(", ")
            .push_bind($after.id.as_uuid())
            .push(")");
    }};
}

/// What a row of the list shows (read by [`summary`]), of the page `p` (`id`,
/// `sort_name`) with `clients c` and [`JOINS`].
const COLUMNS: &str = "c.id, c.first_name, c.last_name, c.phone, c.email, c.street, c.city, c.postal_code, \
     u.name AS adviser_name, s.name AS shop_name, \
     (SELECT COUNT(*) FROM orders o WHERE o.client_id = c.id) AS orders, \
     (SELECT MAX(o.created_at) FROM orders o WHERE o.client_id = c.id) AS last_order, \
     c.created_at, p.sort_name";
/// The adviser (and their user, their home store) of `clients c`.
const JOINS: &str = "LEFT JOIN advisers a ON a.id = c.adviser_id \
     LEFT JOIN users u ON u.id = a.user_id LEFT JOIN shops s ON s.id = a.home_shop_id";

fn summary<R: Row>(r: &R) -> StoreResult<CustomerSummary>
where
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    Uuid: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    OffsetDateTime: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<OffsetDateTime>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(CustomerSummary {
        id: ClientId::from_uuid(r.try_get("id")?),
        first_name: r.try_get("first_name")?,
        last_name: r.try_get("last_name")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        street: r.try_get("street")?,
        city: r.try_get("city")?,
        postal_code: r.try_get("postal_code")?,
        adviser_name: r
            .try_get::<Option<String>, _>("adviser_name")?
            .unwrap_or_default(),
        shop_name: r
            .try_get::<Option<String>, _>("shop_name")?
            .unwrap_or_default(),
        orders: r.try_get("orders")?,
        last_order: r.try_get("last_order")?,
        created_at: r.try_get("created_at")?,
        sort_name: r.try_get("sort_name")?,
    })
}

/// How many of the newest search rows PostgreSQL checks one by one (a quarter of
/// them first) before it asks the GIN index for every match.
const SEARCH_WINDOW: i64 = 20_000;
/// Up to this many matches, a PostgreSQL search sorts all of them (cheaper than
/// checking a window of rows whose tsvectors are read one by one).
const GIN_SORT_MAX: i64 = 2_000;

/// The key a sort walks (`k` is the search table, `f` SQLite's FTS table) and
/// whether downwards.
fn sort_key(sort: CustomerSort, sqlite: bool, search: bool) -> (&'static str, bool) {
    let time = match (sqlite, search) {
        (true, true) => "f.rowid",
        (true, false) => "k.id",
        (false, _) => "k.created_at",
    };
    match sort {
        CustomerSort::NameAsc => ("k.sort_name", false),
        CustomerSort::NameDesc => ("k.sort_name", true),
        CustomerSort::Newest => (time, true),
        CustomerSort::Oldest => (time, false),
    }
}

impl SqlStore {
    /// One page of the customer list (see the module doc).
    pub(crate) async fn query_customers(
        &self,
        filter: &CustomerFilter,
    ) -> StoreResult<Vec<CustomerSummary>> {
        let limit = if filter.limit <= 0 {
            100
        } else {
            filter.limit.min(500)
        };
        let terms = terms(&filter.text);
        let sort = CustomerSort::effective(filter);
        let sqlite = matches!(self.db(), Db::Sqlite(_));
        let (key, descending) = sort_key(sort, sqlite, !terms.is_empty());
        let (dir, op) = if descending {
            ("DESC", "<")
        } else {
            ("ASC", ">")
        };
        // PostgreSQL: a search few customers match is sorted whole from the GIN
        // index; one that many match (more than GIN_SORT_MAX) finds its page among
        // the newest rows, checked one by one (5,000, then 20,000), before that.
        let mut windows: Vec<Option<i64>> = vec![None];
        if let (Db::Postgres(pool), false) = (self.db(), terms.is_empty()) {
            let some: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM (SELECT 1 FROM customer_search WHERE tsv @@ CAST($1 AS tsquery) LIMIT $2) m",
            )
            .bind(tsquery(&terms))
            .bind(GIN_SORT_MAX + 1)
            .fetch_one(pool)
            .await
            .classify()?;
            if some > GIN_SORT_MAX {
                windows = vec![Some(SEARCH_WINDOW / 4), Some(SEARCH_WINDOW), None];
            }
        }
        for window in windows {
            let page: Vec<CustomerSummary> = on_db!(self, pool => {
                // The page's ids in order (`p`), then what the rows show.
                let mut q = QueryBuilder::new(format!(
                    "SELECT {COLUMNS} FROM (SELECT c.id, k.sort_name, {key} AS ord FROM "
                ));
                match (sqlite, terms.is_empty(), window) {
                    (true, false, _) => {
                        q.push("customer_search f CROSS JOIN customer_search_keys k ON k.id = f.rowid CROSS JOIN clients c ON c.id = k.client_id \
                                LEFT JOIN advisers a ON a.id = c.adviser_id WHERE customer_search MATCH ")
                            .push_bind(fts5_query(&terms, None));
                    }
                    (true, true, _) => {
                        q.push("customer_search_keys k CROSS JOIN clients c ON c.id = k.client_id \
                                LEFT JOIN advisers a ON a.id = c.adviser_id WHERE TRUE");
                    }
                    (false, true, _) => {
                        q.push("customer_search k JOIN clients c ON c.id = k.client_id \
                                LEFT JOIN advisers a ON a.id = c.adviser_id WHERE TRUE");
                    }
                    (false, false, Some(window)) => {
                        // The newest rows of the search table, each checked.
                        q.push("(SELECT * FROM customer_search k WHERE TRUE");
                        if let Some(after) = &filter.after {
                            push_time_after!(q, after, op);
                        }
                        q.push(format!(
                            " ORDER BY created_at {dir}, client_id {dir} LIMIT {window}) k \
                             JOIN clients c ON c.id = k.client_id LEFT JOIN advisers a ON a.id = c.adviser_id \
                             WHERE k.tsv @@ CAST("
                        ))
                        .push_bind(tsquery(&terms))
                        .push(" AS tsquery)");
                    }
                    (false, false, None) => {
                        // Every match from the GIN index (a rare word), then sorted.
                        q.push("(WITH m AS MATERIALIZED (SELECT client_id, created_at, sort_name FROM customer_search \
                                WHERE tsv @@ CAST(")
                            .push_bind(tsquery(&terms))
                            .push(" AS tsquery)) SELECT * FROM m) k JOIN clients c ON c.id = k.client_id \
                                   LEFT JOIN advisers a ON a.id = c.adviser_id WHERE TRUE");
                    }
                }
                push_conditions!(q, filter);
                if let Some(after) = &filter.after {
                    match (sort, sqlite) {
                        (CustomerSort::NameAsc | CustomerSort::NameDesc, _) => {
                            q.push(format!(" AND (k.sort_name, k.client_id) {op} ("))
                                .push_bind(after.sort_name.clone())
                                .push(", ")
                                .push_bind(after.id.as_uuid())
                                .push(")");
                        }
                        (_, true) => {
                            q.push(format!(
                                " AND {key} {op} (SELECT id FROM customer_search_keys WHERE client_id = "
                            ))
                            .push_bind(after.id.as_uuid())
                            .push(")");
                        }
                        (_, false) => push_time_after!(q, after, op),
                    }
                }
                // SQLite's rowids are unique; another key would make it sort every match.
                let unique = sqlite && matches!(sort, CustomerSort::Newest | CustomerSort::Oldest);
                let tie = if unique { String::new() } else { format!(", k.client_id {dir}") };
                q.push(format!(" ORDER BY {key} {dir}{tie} LIMIT "))
                    .push_bind(limit);
                q.push(format!(
                    ") p JOIN clients c ON c.id = p.id {JOINS} ORDER BY p.ord {dir}, p.id {dir}"
                ));
                let rows = q.build().fetch_all(pool).await.classify()?;
                rows.iter().map(summary).collect::<StoreResult<Vec<_>>>()?
            });
            if window.is_none() || page.len() as i64 >= limit {
                return Ok(page);
            }
        }
        Ok(Vec::new())
    }

    /// The customers `ids` as the list shows them (unknown ids left out).
    pub(crate) async fn customers_by_ids(
        &self,
        ids: &[ClientId],
    ) -> StoreResult<Vec<CustomerSummary>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(crate::store::sql::LOOKUP_CHUNK) {
            let page: Vec<CustomerSummary> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(format!(
                    "SELECT {COLUMNS} FROM (SELECT id, '' AS sort_name FROM clients WHERE id IN ("
                ));
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(id.as_uuid());
                }
                q.push(format!(")) p JOIN clients c ON c.id = p.id {JOINS}"));
                let rows = q.build().fetch_all(pool).await.classify()?;
                rows.iter().map(summary).collect::<StoreResult<Vec<_>>>()?
            });
            out.extend(page);
        }
        Ok(out)
    }

    /// How many customers match the filter; a search counts at most
    /// [`SEARCH_COUNT_CAP`].
    pub(crate) async fn count_matching_customers(
        &self,
        filter: &CustomerFilter,
    ) -> StoreResult<CustomerCount> {
        let terms = terms(&filter.text);
        let cap = SEARCH_COUNT_CAP + 1;
        let sqlite = matches!(self.db(), Db::Sqlite(_));
        let filtered = !filter.criteria.is_empty();
        if terms.is_empty() && filter.criteria.needs_facts() {
            // A segment: counted on its facts.
            let n = self.count_segment(&filter.criteria).await?;
            return Ok(CustomerCount { n, more: false });
        }
        if terms.is_empty() && !filtered {
            // Everyone but the merged: two index-only counts (checking each row's
            // `merged_into` reads the whole table: 20 ms instead of 5 at 200,000).
            let n: i64 = on_db!(self, pool => sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM clients) - (SELECT COUNT(*) FROM clients WHERE merged_into IS NOT NULL)",
            )
            .fetch_one(pool)
            .await
            .classify()?);
            return Ok(CustomerCount { n, more: false });
        }
        let n: i64 = on_db!(self, pool => {
            let mut q = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM ");
            match (sqlite, terms.is_empty()) {
                (_, true) => {
                    // The adviser's row only when the store filter needs it (a join
                    // over the whole base costs more than the count).
                    q.push("clients c");
                    if filter.criteria.shop.is_some() {
                        q.push(" LEFT JOIN advisers a ON a.id = c.adviser_id");
                    }
                    q.push(" WHERE TRUE");
                }
                (true, false) => {
                    q.push("customer_search f CROSS JOIN customer_search_keys k ON k.id = f.rowid CROSS JOIN clients c ON c.id = k.client_id \
                            LEFT JOIN advisers a ON a.id = c.adviser_id WHERE customer_search MATCH ")
                        .push_bind(fts5_query(&terms, None));
                }
                (false, false) => {
                    // The client's rows only for a filter: joined for every match,
                    // the planner hashes the whole base (measured, bench/RESULTS.md).
                    q.push("customer_search k");
                    if filtered {
                        q.push(" JOIN clients c ON c.id = k.client_id LEFT JOIN advisers a ON a.id = c.adviser_id");
                    }
                    q.push(" WHERE k.tsv @@ CAST(")
                        .push_bind(tsquery(&terms))
                        .push(" AS tsquery)");
                }
            }
            // Without `clients c` (a PostgreSQL search unfiltered) there is nothing
            // to add: a merged customer's search body is empty.
            if sqlite || terms.is_empty() || filtered {
                push_conditions!(q, filter);
            }
            if !terms.is_empty() {
                q.push(format!(" LIMIT {cap}"));
            }
            q.push(") n");
            q.build_query_scalar().fetch_one(pool).await.classify()?
        });
        let more = !terms.is_empty() && n > SEARCH_COUNT_CAP;
        Ok(CustomerCount {
            n: if more { SEARCH_COUNT_CAP } else { n },
            more,
        })
    }
}
