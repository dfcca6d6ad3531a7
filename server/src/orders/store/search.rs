//! Full-text search over orders: what is indexed (one folded body per order) and
//! the index's upkeep. SQLite: FTS5 (`order_search`, rowids from
//! `order_search_keys` in creation order, prefix indexes for 1–4 characters);
//! PostgreSQL: a `tsvector` with a GIN index, the order's creation time, and 1–4-
//! character prefixes as lexemes of their own. Both get the same folded text and the
//! same prefix terms (`store/fulltext.rs`, `fieldcase_shared::search`), so they
//! find the same orders.

use std::collections::HashMap;

use fieldcase_shared::OrderId;
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::error::StoreResult;
use crate::store::fulltext::{Fts5, index_unindexed, push_tsvector};
pub use crate::store::fulltext::{sort_key, tsquery};
use crate::store::sql::{Classify, Db, LOOKUP_CHUNK, SqlStore};
pub use fieldcase_shared::search::{highlight, terms, words};

/// The SQLite FTS5 query for `terms`, in the public column only unless `private`
/// (then a term may match either column).
pub fn fts5_query(terms: &[String], private: bool) -> String {
    crate::store::fulltext::fts5_query(terms, (!private).then_some("body"))
}

/// The orders' SQLite index (migration 0016).
const ORDER_FTS: Fts5 = Fts5 {
    keys: "order_search_keys",
    row: "order_id",
    fts: "order_search",
    columns: &["body", "private"],
};

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
    let phone = fieldcase_shared::search::phone_words(o.phone);
    let mut parts = vec![
        o.variable_symbol,
        o.client_first,
        o.client_last,
        phone.as_str(),
        o.email,
        o.note,
        o.coupon,
    ];
    parts.extend(o.lines.iter().copied());
    parts.extend(o.notes.iter().copied());
    words(&parts.join(" "))
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
    /// Custom fields' values (SQL's JSON object); searched with the lines.
    custom: String,
    /// The client was erased when this was read.
    erased: bool,
}
/// What indexing reads: orders, their line texts, their notes (order, kind, body).
type Read = (
    Vec<OrderRow>,
    Vec<(Uuid, String)>,
    Vec<(Uuid, String, String)>,
);
/// An order's search bodies: id, public words, private-note words, creation time,
/// and whether its client was erased when they were read.
type Body = (Uuid, String, String, OffsetDateTime, bool);

/// The orders among `bodies` whose client is erased now (read in the writing
/// transaction: a body read before an erasure and written after it would put the
/// erased name back into the index, so it is dropped; the erasure indexes them).
macro_rules! erased_now {
    ($conn:expr, $bodies:expr) => {{
        let mut q = QueryBuilder::new(
            "SELECT o.id FROM orders o JOIN clients c ON c.id = o.client_id WHERE c.erased_at IS NOT NULL AND o.id IN (",
        );
        let mut list = q.separated(", ");
        for b in $bodies {
            list.push_bind(b.0);
        }
        q.push(")");
        let ids: Vec<Uuid> = q.build_query_scalar().fetch_all($conn).await.classify()?;
        ids.into_iter().collect::<std::collections::HashSet<Uuid>>()
    }};
}

impl SqlStore {
    /// Rewrites the search bodies of `orders` (unknown ids are skipped).
    pub(crate) async fn index_orders(&self, orders: &[OrderId]) -> StoreResult<()> {
        for chunk in orders.chunks(LOOKUP_CHUNK) {
            let ids: Vec<Uuid> = chunk.iter().map(|o| o.as_uuid()).collect();
            let (rows, lines, notes): Read = crate::store::sql::on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT o.id, o.variable_symbol, o.note, o.coupon_code, c.first_name, c.last_name, c.phone, c.email, o.created_at, o.custom, \
                     c.erased_at IS NOT NULL AS erased FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.id IN (",
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
            let custom: HashMap<Uuid, Vec<String>> = rows
                .iter()
                .map(|o| {
                    let values = crate::customers::store::fields::values_from_json(&o.custom);
                    (o.id, values.into_values().collect())
                })
                .collect();
            let bodies: Vec<Body> = rows
                .iter()
                .map(|o| {
                    let mut lines = texts.get(&o.id).cloned().unwrap_or_default();
                    lines.extend(custom.get(&o.id).into_iter().flatten().map(String::as_str));
                    let indexed = Indexed {
                        variable_symbol: &o.variable_symbol,
                        client_first: &o.first_name,
                        client_last: &o.last_name,
                        phone: &o.phone,
                        email: &o.email,
                        note: &o.note,
                        coupon: &o.coupon_code,
                        lines,
                        notes: public.get(&o.id).cloned().unwrap_or_default(),
                    };
                    let private =
                        words(&private.get(&o.id).map(|n| n.join(" ")).unwrap_or_default());
                    (o.id, body(&indexed), private, o.created_at, o.erased)
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
                let erased = erased_now!(&mut *tx, bodies);
                let bodies: Vec<(Uuid, OffsetDateTime, Vec<String>)> = bodies
                    .iter()
                    .filter(|b| b.4 || !erased.contains(&b.0))
                    .map(|(id, body, private, at, _)| {
                        (*id, *at, vec![body.clone(), private.clone()])
                    })
                    .collect();
                ORDER_FTS.write(&mut tx, &bodies).await?;
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await.classify()?;
                let erased = erased_now!(&mut *tx, bodies);
                let bodies: Vec<&Body> = bodies
                    .iter()
                    .filter(|b| b.4 || !erased.contains(&b.0))
                    .collect();
                if bodies.is_empty() {
                    return Ok(());
                }
                let mut q = QueryBuilder::new(
                    "INSERT INTO order_search (order_id, created_at, tsv, private_tsv) ",
                );
                q.push_values(bodies, |mut b, (id, body, private, created_at, _)| {
                    b.push_bind(*id).push_bind(*created_at);
                    push_tsvector(&mut b, body);
                    push_tsvector(&mut b, private);
                });
                q.push(
                    " ON CONFLICT (order_id) DO UPDATE SET created_at = excluded.created_at, \
                         tsv = excluded.tsv, private_tsv = excluded.private_tsv",
                );
                q.build().execute(&mut *tx).await.classify()?;
                tx.commit().await.classify()?;
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
        index_unindexed(
            self,
            "orders",
            ("order_search_keys", "order_search"),
            "order_id",
            |ids| {
                Box::pin(async move {
                    let ids: Vec<OrderId> = ids.into_iter().map(OrderId::from_uuid).collect();
                    self.index_orders(&ids).await
                })
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
