//! Full-text search over orders: what is indexed (one folded body per order), how a
//! typed query becomes search terms, and the index's upkeep. SQLite: FTS5
//! (`order_search`, rowids from `order_search_keys` in creation order, prefix indexes
//! for 1–4 characters); PostgreSQL: a `tsvector` with a GIN index, the order's
//! creation time, and 1–4-character prefixes as lexemes of their own. Both get the
//! same folded text and the same prefix terms, so they find the same orders.

use std::collections::HashMap;

use fieldcase_shared::OrderId;
use fieldcase_shared::docs::catalog::fold;
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::error::StoreResult;
use crate::store::sql::{Classify, Db, LOOKUP_CHUNK, SqlStore};

/// At most this many terms of a query are used.
const MAX_TERMS: usize = 8;
/// Longest term kept (characters).
const MAX_TERM: usize = 40;

/// The search terms of what someone typed: folded (no diacritics, lower case), split
/// on anything but letters and digits (FTS operators and quotes are just separators),
/// digit groups written apart joined ("603 123 456" → "603123456", so a phone number
/// finds however it was written; the international call prefix `00` is dropped, as
/// `+` is: "00420 603…" → "420603…"). Empty: no text filter.
pub fn terms(query: &str) -> Vec<String> {
    let folded = fold(query);
    let mut out: Vec<String> = Vec::new();
    let mut last_was_digits = false;
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let digits = word.bytes().all(|b| b.is_ascii_digit());
        match out.last_mut() {
            Some(prev) if digits && last_was_digits => prev.push_str(word),
            _ => out.push(word.to_owned()),
        }
        last_was_digits = digits;
    }
    out.into_iter()
        .map(|t| match t.strip_prefix("00") {
            Some(rest) if rest.len() >= 9 && rest.bytes().all(|b| b.is_ascii_digit()) => {
                rest.to_owned()
            }
            _ => t,
        })
        .map(|t| t.chars().take(MAX_TERM).collect::<String>())
        .take(MAX_TERMS)
        .collect()
}

/// The SQLite FTS5 query for `terms`: every term as a quoted prefix (AND), in the
/// public column only unless `private` (then a term may match either column).
pub fn fts5_query(terms: &[String], private: bool) -> String {
    let column = if private { "" } else { "body : " };
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

/// What an order is found by.
#[derive(Debug, Default)]
pub struct Indexed<'a> {
    pub variable_symbol: &'a str,
    pub client_first: &'a str,
    pub client_last: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub note: &'a str,
    pub coupon: &'a str,
    pub lines: Vec<&'a str>,
    /// Notes for the customer and for the lab.
    pub notes: Vec<&'a str>,
}

/// The folded body indexed for an order. A phone is indexed as all its digits and
/// as its last nine (the Czech national number), so "+420 603…" and "603…" both
/// find it; everything else as its letters-and-digits words (an e-mail as its parts).
pub fn body(o: &Indexed<'_>) -> String {
    let digits: String = o.phone.chars().filter(char::is_ascii_digit).collect();
    let national = if digits.len() > 9 {
        &digits[digits.len() - 9..]
    } else {
        ""
    };
    let mut parts = vec![
        o.variable_symbol,
        o.client_first,
        o.client_last,
        digits.as_str(),
        national,
        o.email,
        o.note,
        o.coupon,
    ];
    parts.extend(o.lines.iter().copied());
    parts.extend(o.notes.iter().copied());
    words(&parts.join(" "))
}

/// `text` folded into plain words only, so both engines split alike (PostgreSQL's
/// parser would keep an e-mail or a host name as one token): also the private
/// column's body (private notes).
pub fn words(text: &str) -> String {
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` cut into pieces, each marked when it is a word that one of `terms`
/// begins (compared folded): what the Orders list highlights.
pub fn highlight(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut push = |piece: &str, hit: bool| match out.last_mut() {
        Some((prev, h)) if *h == hit => prev.push_str(piece),
        _ => out.push((piece.to_owned(), hit)),
    };
    let mut word = String::new();
    let flush = |word: &mut String, push: &mut dyn FnMut(&str, bool)| {
        if !word.is_empty() {
            let folded = fold(word);
            let hit = terms.iter().any(|t| folded.starts_with(t.as_str()));
            push(word, hit);
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut push);
            push(&c.to_string(), false);
        }
    }
    flush(&mut word, &mut push);
    out
}

/// An order as indexing reads it.
#[derive(sqlx::FromRow)]
struct OrderRow {
    id: Uuid,
    variable_symbol: String,
    note: String,
    coupon_code: String,
    first_name: String,
    last_name: String,
    phone: String,
    email: String,
    created_at: OffsetDateTime,
}
/// What indexing reads: orders, their line texts, their notes (order, kind, body).
type Read = (
    Vec<OrderRow>,
    Vec<(Uuid, String)>,
    Vec<(Uuid, String, String)>,
);
/// An order's search bodies: id, public words, private-note words, creation time.
type Body = (Uuid, String, String, OffsetDateTime);

/// Where an order created at `at` sits in SQLite's search index: its FTS rowid is
/// this or one of the next 1,023 (orders made in the same microsecond), so rowid
/// order is creation order and a search walks the index in the list's order.
pub fn sort_key(at: OffsetDateTime) -> i64 {
    // Microseconds since 1970, kept where × 1024 fits an i64 (years 1970–2255).
    let micros = (at.unix_timestamp_nanos() / 1_000).clamp(0, 8_000_000_000_000_000);
    micros as i64 * 1024
}

impl SqlStore {
    /// Rewrites the search bodies of `orders` (unknown ids are skipped).
    pub(crate) async fn index_orders(&self, orders: &[OrderId]) -> StoreResult<()> {
        for chunk in orders.chunks(LOOKUP_CHUNK) {
            let ids: Vec<Uuid> = chunk.iter().map(|o| o.as_uuid()).collect();
            let (rows, lines, notes): Read = crate::store::sql::on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT o.id, o.variable_symbol, o.note, o.coupon_code, c.first_name, c.last_name, c.phone, c.email, o.created_at \
                     FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.id IN (",
                );
                let mut list = q.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                q.push(")");
                let rows = q.build_query_as().fetch_all(pool).await.classify()?;
                let mut q = QueryBuilder::new("SELECT order_id, text FROM order_lines WHERE order_id IN (");
                let mut list = q.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                q.push(") ORDER BY position");
                let lines = q.build_query_as().fetch_all(pool).await.classify()?;
                let mut q = QueryBuilder::new("SELECT order_id, kind, body FROM order_notes WHERE order_id IN (");
                let mut list = q.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                q.push(")");
                let notes = q.build_query_as().fetch_all(pool).await.classify()?;
                (rows, lines, notes)
            });
            let mut texts: HashMap<Uuid, Vec<&str>> = HashMap::new();
            for (order, text) in &lines {
                texts.entry(*order).or_default().push(text);
            }
            let mut public: HashMap<Uuid, Vec<&str>> = HashMap::new();
            let mut private: HashMap<Uuid, Vec<&str>> = HashMap::new();
            for (order, kind, body) in &notes {
                let to = if kind == "private" {
                    &mut private
                } else {
                    &mut public
                };
                to.entry(*order).or_default().push(body);
            }
            let bodies: Vec<Body> = rows
                .iter()
                .map(|o| {
                    let indexed = Indexed {
                        variable_symbol: &o.variable_symbol,
                        client_first: &o.first_name,
                        client_last: &o.last_name,
                        phone: &o.phone,
                        email: &o.email,
                        note: &o.note,
                        coupon: &o.coupon_code,
                        lines: texts.get(&o.id).cloned().unwrap_or_default(),
                        notes: public.get(&o.id).cloned().unwrap_or_default(),
                    };
                    let private =
                        words(&private.get(&o.id).map(|n| n.join(" ")).unwrap_or_default());
                    (o.id, body(&indexed), private, o.created_at)
                })
                .collect();
            self.write_bodies(&bodies).await?;
        }
        Ok(())
    }

    /// Writes the bodies of one chunk (a few statements per chunk, not per order:
    /// seeding indexes 50,000 orders).
    async fn write_bodies(&self, bodies: &[Body]) -> StoreResult<()> {
        if bodies.is_empty() {
            return Ok(());
        }
        match self.db() {
            Db::Sqlite(pool) => {
                let mut tx = crate::store::sql::write_tx(pool).await?;
                // A new order's key: the first free slot at its creation time.
                for (id, _, _, created_at) in bodies {
                    sqlx::query(
                        "INSERT INTO order_search_keys (id, order_id) \
                         SELECT COALESCE((SELECT MAX(id) + 1 FROM order_search_keys WHERE id BETWEEN ?1 AND ?1 + 1023), ?1), ?2 \
                         WHERE NOT EXISTS (SELECT 1 FROM order_search_keys WHERE order_id = ?2)",
                    )
                    .bind(sort_key(*created_at))
                    .bind(*id)
                    .execute(&mut *tx)
                    .await
                    .classify()?;
                }
                let mut q = QueryBuilder::new(
                    "SELECT order_id, id FROM order_search_keys WHERE order_id IN (",
                );
                let mut list = q.separated(", ");
                for (id, _, _, _) in bodies {
                    list.push_bind(*id);
                }
                q.push(")");
                let keys: HashMap<Uuid, i64> = q
                    .build_query_as::<(Uuid, i64)>()
                    .fetch_all(&mut *tx)
                    .await
                    .classify()?
                    .into_iter()
                    .collect();
                let rows: Vec<(i64, &String, &String)> = bodies
                    .iter()
                    .filter_map(|(id, body, private, _)| keys.get(id).map(|k| (*k, body, private)))
                    .collect();
                let mut q = QueryBuilder::new("DELETE FROM order_search WHERE rowid IN (");
                let mut list = q.separated(", ");
                for (key, _, _) in &rows {
                    list.push_bind(*key);
                }
                q.push(")");
                q.build().execute(&mut *tx).await.classify()?;
                let mut q = QueryBuilder::new("INSERT INTO order_search (rowid, body, private) ");
                q.push_values(&rows, |mut b, (key, body, private)| {
                    b.push_bind(*key)
                        .push_bind((*body).clone())
                        .push_bind((*private).clone());
                });
                q.build().execute(&mut *tx).await.classify()?;
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut q = QueryBuilder::new(
                    "INSERT INTO order_search (order_id, created_at, tsv, private_tsv) ",
                );
                q.push_values(bodies, |mut b, (id, body, private, created_at)| {
                    b.push_bind(*id).push_bind(*created_at);
                    for (words, prefixes) in [(body, prefixes(body)), (private, prefixes(private))]
                    {
                        b.push("to_tsvector('simple', ")
                            .push_bind_unseparated(words.clone())
                            .push_unseparated(") || array_to_tsvector(string_to_array(")
                            .push_bind_unseparated(prefixes)
                            .push_unseparated(", ' '))");
                    }
                });
                q.push(
                    " ON CONFLICT (order_id) DO UPDATE SET created_at = excluded.created_at, \
                         tsv = excluded.tsv, private_tsv = excluded.private_tsv",
                );
                q.build().execute(pool).await.classify()?;
            }
        }
        Ok(())
    }

    /// The orders of `clients` (their search bodies hold the client's name).
    pub(crate) async fn orders_of_clients(
        &self,
        clients: &[fieldcase_shared::ClientId],
    ) -> StoreResult<Vec<OrderId>> {
        let mut out = Vec::new();
        for chunk in clients.chunks(LOOKUP_CHUNK) {
            let ids: Vec<Uuid> = crate::store::sql::on_db!(self, pool => {
                let mut q = QueryBuilder::new("SELECT id FROM orders WHERE client_id IN (");
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(id.as_uuid());
                }
                q.push(")");
                q.build_query_scalar().fetch_all(pool).await.classify()?
            });
            out.extend(ids.into_iter().map(OrderId::from_uuid));
        }
        Ok(out)
    }

    /// Indexes every order that has no search body yet (after the migration that
    /// added search, and after bulk inserts); returns how many.
    pub(crate) async fn index_unindexed_orders(&self) -> StoreResult<u64> {
        let mut total = 0;
        // Walked by id, so each batch starts where the last one ended.
        let mut after = Uuid::nil();
        loop {
            let ids: Vec<Uuid> = match self.db() {
                Db::Sqlite(pool) => sqlx::query_scalar(
                    "SELECT o.id FROM orders o WHERE o.id > ?1 \
                     AND NOT EXISTS (SELECT 1 FROM order_search_keys k WHERE k.order_id = o.id) ORDER BY o.id LIMIT 2000",
                )
                .bind(after)
                .fetch_all(pool)
                .await
                .classify()?,
                Db::Postgres(pool) => sqlx::query_scalar(
                    "SELECT o.id FROM orders o WHERE o.id > $1 \
                     AND NOT EXISTS (SELECT 1 FROM order_search s WHERE s.order_id = o.id) ORDER BY o.id LIMIT 2000",
                )
                .bind(after)
                .fetch_all(pool)
                .await
                .classify()?,
            };
            if let Some(last) = ids.last() {
                after = *last;
            }
            if ids.is_empty() {
                return Ok(total);
            }
            total += ids.len() as u64;
            let ids: Vec<OrderId> = ids.into_iter().map(OrderId::from_uuid).collect();
            self.index_orders(&ids).await?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_split_and_join_digit_groups() {
        assert_eq!(terms("Šimková"), vec!["simkova"]);
        assert_eq!(terms("603 123 456"), vec!["603123456"]);
        assert_eq!(terms("+420 603 123 456"), vec!["420603123456"]);
        assert_eq!(terms("00420 603 123456"), vec!["420603123456"]);
        // Short numbers keep their zeros (an order number, a postal code).
        assert_eq!(terms("0012"), vec!["0012"]);
        assert_eq!(terms("novák \"jana"), vec!["novak", "jana"]);
        assert_eq!(
            terms("a OR b* NEAR(c) -d"),
            vec!["a", "or", "b", "near", "c", "d"]
        );
        assert!(terms("  ** \"\" ").is_empty());
        assert_eq!(terms(&"x".repeat(10_000)).len(), 1);
        assert_eq!(terms(&"x".repeat(10_000))[0].len(), MAX_TERM);
        assert_eq!(terms(&"a ".repeat(100)).len(), MAX_TERMS);
        assert_eq!(fts5_query(&terms("jan nov"), true), "\"jan\"* \"nov\"*");
        assert_eq!(fts5_query(&terms("jan"), false), "body : \"jan\"*");
        assert_eq!(tsquery(&terms("jana novak")), "'~jana' & 'novak':*");
        assert_eq!(
            prefixes("novak 603 ab novy"),
            "~6 ~60 ~603 ~a ~ab ~n ~no ~nov ~nova ~novy"
        );
        assert_eq!(prefixes(""), "");
    }

    #[test]
    fn matched_words_are_marked() {
        let t = terms("simk 2026");
        assert_eq!(
            highlight("Šimková Jana", &t),
            vec![("Šimková".into(), true), (" Jana".into(), false)]
        );
        assert_eq!(
            highlight("2026000251", &t),
            vec![("2026000251".into(), true)]
        );
        assert_eq!(highlight("Novák", &t), vec![("Novák".into(), false)]);
        assert!(highlight("", &t).is_empty());
    }

    #[test]
    fn a_phone_is_found_however_written() {
        let b = body(&Indexed {
            variable_symbol: "9000100001",
            client_first: "Jana",
            client_last: "Šimková",
            phone: "+420 603 123 456",
            email: "jana.simkova@example.cz",
            ..Indexed::default()
        });
        for q in [
            "603 123 456",
            "+420603123456",
            "603123",
            "šimk",
            "SIMKOVA",
            "jana.simkova",
            "9000100",
        ] {
            for t in terms(q) {
                assert!(
                    b.split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| w.starts_with(&t)),
                    "{q:?} → {t:?} not in {b:?}"
                );
            }
        }
    }
}
