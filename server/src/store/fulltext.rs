//! The SQL side of full-text search, no domain's: the FTS5 and `tsquery` forms of
//! a query's terms (`fieldcase_shared::search::terms`), the 1–4-character prefix
//! lexemes PostgreSQL indexes (as SQLite's FTS5 `prefix` option does), and the
//! creation-ordered keys SQLite's FTS rowids take, so a search walks its index in a
//! list's order. Orders (`orders/store/search.rs`) and customers
//! (`customers/store/search.rs`) index with them.

use std::collections::HashMap;

use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, on_db};

/// The SQLite FTS5 query for `terms`: every term as a quoted prefix (AND), in
/// `column` only when given (else a term may match any column).
pub fn fts5_query(terms: &[String], column: Option<&str>) -> String {
    let column = column.map(|c| format!("{c} : ")).unwrap_or_default();
    terms
        .iter()
        .map(|t| format!("{column}\"{t}\"*"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prefixes up to this many characters are lexemes of their own in PostgreSQL, as
/// SQLite's FTS5 keeps prefix indexes for 1–4 characters (migration 0016).
const PREFIX_LEXEME: usize = 4;

/// The PostgreSQL `tsquery` (its input syntax, cast, not `to_tsquery`) for `terms`,
/// all required: a short term is its prefix lexeme (`'~nov'`, one exact GIN entry),
/// a longer one a prefix match (`'novak':*`). Terms are letters and digits only, so
/// the quoting is safe.
pub fn tsquery(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| {
            if t.len() <= PREFIX_LEXEME {
                format!("'~{t}'")
            } else {
                format!("'{t}':*")
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The prefix lexemes of `words` (a folded body): each word's first 1–4
/// characters marked `~`, each once, space-separated (lexemes of PostgreSQL's tsvector).
pub fn prefixes(words: &str) -> String {
    let mut seen = std::collections::BTreeSet::new();
    for word in words.split(' ').filter(|w| !w.is_empty()) {
        for n in 1..=word.len().min(PREFIX_LEXEME) {
            if let Some(p) = word.get(..n) {
                seen.insert(p);
            }
        }
    }
    seen.into_iter()
        .map(|p| format!("~{p}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a row created at `at` sits in SQLite's search index: its FTS rowid is
/// this or one of the next 1,023 (rows made in the same microsecond), so rowid
/// order is creation order and a search walks the index in the list's order
/// (beyond 1,024 rows in one microsecond, the rest go after the last key).
pub fn sort_key(at: OffsetDateTime) -> i64 {
    // Microseconds since 1970, kept where × 1024 fits an i64 (years 1970–2255).
    let micros = (at.unix_timestamp_nanos() / 1_000).clamp(0, 8_000_000_000_000_000);
    micros as i64 * 1024
}

/// A SQLite search index: a keys table (`id INTEGER PRIMARY KEY` = the FTS rowid,
/// and the indexed row's id in `row`) beside an FTS5 table of `columns`.
pub struct Fts5 {
    /// The keys table.
    pub keys: &'static str,
    /// Its column naming the indexed row.
    pub row: &'static str,
    /// The FTS5 table.
    pub fts: &'static str,
    /// The FTS5 table's columns, in the order a body's texts are given.
    pub columns: &'static [&'static str],
}

impl Fts5 {
    /// Writes the bodies (row id, creation time, one text per column) in the open
    /// transaction: a new row's key is the next free slot at its creation time
    /// (after the last key when the moment's 1,024 slots are full); an indexed
    /// row's old body is replaced. Returns each row's key.
    pub async fn write(
        &self,
        tx: &mut sqlx::SqliteConnection,
        bodies: &[(Uuid, OffsetDateTime, Vec<String>)],
    ) -> StoreResult<HashMap<Uuid, i64>> {
        let Fts5 {
            keys,
            row,
            fts,
            columns,
        } = self;
        if bodies.is_empty() {
            return Ok(HashMap::new());
        }
        for (id, created_at, _) in bodies {
            // The names are the index's constants, never input.
            // A moment's 1,024 slots all taken (rows stamped with one time, e.g.
            // records synced with the same creation time): the row goes after the
            // last key, still unique; a list pages by key, so it stays consistent.
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {keys} (id, {row}) \
                 SELECT CASE WHEN m IS NULL THEN ?1 WHEN m < ?1 + 1023 THEN m + 1 \
                 ELSE (SELECT MAX(id) + 1 FROM {keys}) END, ?2 \
                 FROM (SELECT MAX(id) AS m FROM {keys} WHERE id BETWEEN ?1 AND ?1 + 1023) \
                 WHERE NOT EXISTS (SELECT 1 FROM {keys} WHERE {row} = ?2)"
            )))
            .bind(sort_key(*created_at))
            .bind(*id)
            .execute(&mut *tx)
            .await
            .classify()?;
        }
        let mut q = QueryBuilder::new(format!("SELECT {row}, id FROM {keys} WHERE {row} IN ("));
        let mut list = q.separated(", ");
        for (id, _, _) in bodies {
            list.push_bind(*id);
        }
        q.push(")");
        let found: HashMap<Uuid, i64> = q
            .build_query_as::<(Uuid, i64)>()
            .fetch_all(&mut *tx)
            .await
            .classify()?
            .into_iter()
            .collect();
        let rows: Vec<(i64, &Vec<String>)> = bodies
            .iter()
            .filter_map(|(id, _, texts)| found.get(id).map(|k| (*k, texts)))
            .collect();
        let mut q = QueryBuilder::new(format!("DELETE FROM {fts} WHERE rowid IN ("));
        let mut list = q.separated(", ");
        for (key, _) in &rows {
            list.push_bind(*key);
        }
        q.push(")");
        q.build().execute(&mut *tx).await.classify()?;
        let mut q = QueryBuilder::new(format!(
            "INSERT INTO {fts} (rowid, {}) ",
            columns.join(", ")
        ));
        q.push_values(&rows, |mut b, (key, texts)| {
            b.push_bind(*key);
            for i in 0..columns.len() {
                b.push_bind(texts.get(i).cloned().unwrap_or_default());
            }
        });
        q.build().execute(&mut *tx).await.classify()?;
        Ok(found)
    }
}

/// Indexes, with `index_batch`, every row of `rows` that has no row in its search
/// table (`index`: SQLite's, PostgreSQL's; `column` names the row there), in id
/// order 2,000 at a time: after a migration that added the index, or a bulk insert
/// cut short. Returns how many. The names are the index's constants, never input.
pub(crate) async fn index_unindexed<'a>(
    store: &'a SqlStore,
    rows: &'static str,
    index: (&'static str, &'static str),
    column: &'static str,
    mut index_batch: impl FnMut(Vec<Uuid>) -> futures::future::BoxFuture<'a, StoreResult<()>> + Send,
) -> StoreResult<u64> {
    let table = match store.db() {
        crate::store::sql::Db::Sqlite(_) => index.0,
        crate::store::sql::Db::Postgres(_) => index.1,
    };
    let sql = format!(
        "SELECT r.id FROM {rows} r WHERE r.id > $1 \
         AND NOT EXISTS (SELECT 1 FROM {table} i WHERE i.{column} = r.id) ORDER BY r.id LIMIT 2000"
    );
    let mut total = 0;
    // Walked by id, so each batch starts where the last one ended.
    let mut after = Uuid::nil();
    loop {
        let ids: Vec<Uuid> = on_db!(store, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
            .bind(after)
            .fetch_all(pool)
            .await
            .classify()?);
        let Some(last) = ids.last() else {
            return Ok(total);
        };
        after = *last;
        total += ids.len() as u64;
        index_batch(ids).await?;
    }
}

/// Pushes a PostgreSQL `tsvector` of `words` (a folded body) with its prefix
/// lexemes, as one value of a `push_values` row.
pub fn push_tsvector(
    b: &mut sqlx::query_builder::Separated<'_, sqlx::Postgres, &'static str>,
    words: &str,
) {
    b.push("to_tsvector('simple', ")
        .push_bind_unseparated(words.to_owned())
        .push_unseparated(") || array_to_tsvector(string_to_array(")
        .push_bind_unseparated(prefixes(words))
        .push_unseparated(", ' '))");
}

#[cfg(test)]
mod tests {
    use fieldcase_shared::search::terms;

    use super::*;

    #[test]
    fn queries_in_both_dialects() {
        assert_eq!(fts5_query(&terms("jan nov"), None), "\"jan\"* \"nov\"*");
        assert_eq!(fts5_query(&terms("jan"), Some("body")), "body : \"jan\"*");
        assert_eq!(tsquery(&terms("jana novak")), "'~jana' & 'novak':*");
        assert_eq!(
            prefixes("novak 603 ab novy"),
            "~6 ~60 ~603 ~a ~ab ~n ~no ~nov ~nova ~novy"
        );
        assert_eq!(prefixes(""), "");
    }
}
