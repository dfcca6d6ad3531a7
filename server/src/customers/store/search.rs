//! Full-text search over customers: one folded body per client (name, phone however
//! written, e-mail, street, town, postal code) and the index's upkeep. SQLite: FTS5
//! (`customer_search`, rowids from `customer_search_keys` in creation order, which
//! also holds the name the list sorts by); PostgreSQL: `customer_search` with a
//! `tsvector`, the creation time and the sort name (migration 0018). The query side
//! is the orders' (`fieldcase_shared::search`, `store/fulltext.rs`).

use fieldcase_shared::ClientId;
use fieldcase_shared::docs::catalog::fold;
use fieldcase_shared::search::{phone_words, words};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::error::StoreResult;
use crate::store::fulltext::{Fts5, index_unindexed, push_tsvector};
use crate::store::sql::{Classify, Db, LOOKUP_CHUNK, SqlStore, on_db};

/// The customers' SQLite index (migration 0018).
const CUSTOMER_FTS: Fts5 = Fts5 {
    keys: "customer_search_keys",
    row: "client_id",
    fts: "customer_search",
    columns: &["body"],
};

/// A client as indexing reads it.
#[derive(Debug, sqlx::FromRow)]
pub struct Indexed {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    pub created_at: OffsetDateTime,
    /// Merged into another customer: found by nothing.
    pub merged_into: Option<Uuid>,
    /// Their adviser (for the segment facts).
    pub adviser_id: Option<Uuid>,
    /// Custom fields' values (SQL's JSON object); searched too.
    #[sqlx(default)]
    pub custom: String,
}

/// The folded body a client is found by: the words of the name, e-mail (its parts),
/// street and town; the phone's digits (`phone_words`: with and without the country
/// code); the postal code as written and with its digits joined ("301 00" is found
/// by "301", "30100" and "301 00"); the custom fields' values. The adviser's note is
/// not searched. A merged customer's body is empty.
pub fn body(c: &Indexed) -> String {
    if c.merged_into.is_some() {
        return String::new();
    }
    let postal: String = c.postal_code.chars().filter(char::is_ascii_digit).collect();
    let custom: Vec<String> = super::fields::values_from_json(&c.custom)
        .into_values()
        .collect();
    words(
        &[
            c.first_name.as_str(),
            &c.last_name,
            &phone_words(&c.phone),
            &c.email,
            &c.street,
            &c.city,
            &c.postal_code,
            &postal,
            &custom.join(" "),
        ]
        .join(" "),
    )
}

/// The name the list sorts by: "last first", folded (no diacritics, lower case), so
/// "Čermák" sorts with "Cermak" and both databases compare the same bytes.
pub fn sort_name(first: &str, last: &str) -> String {
    fold(&format!("{last} {first}")).trim().to_owned()
}

impl SqlStore {
    /// Rewrites the search bodies of `clients` (unknown ids are skipped).
    pub(crate) async fn index_customers(&self, clients: &[ClientId]) -> StoreResult<()> {
        for chunk in clients.chunks(LOOKUP_CHUNK) {
            let rows: Vec<Indexed> = on_db!(self, pool => {
                let mut q = QueryBuilder::new(
                    "SELECT id, first_name, last_name, phone, email, street, city, postal_code, created_at, merged_into, adviser_id, custom \
                     FROM clients WHERE id IN (",
                );
                let mut list = q.separated(", ");
                for id in chunk {
                    list.push_bind(id.as_uuid());
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            self.write_customer_bodies(&rows).await?;
            // The segment facts follow the same changes, from the same rows.
            self.write_customer_stats(&rows).await?;
        }
        Ok(())
    }

    /// Writes the bodies and sort names of one chunk.
    async fn write_customer_bodies(&self, rows: &[Indexed]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        match self.db() {
            Db::Sqlite(pool) => {
                let mut tx = crate::store::sql::write_tx(pool).await?;
                let bodies: Vec<(Uuid, OffsetDateTime, Vec<String>)> = rows
                    .iter()
                    .map(|c| (c.id, c.created_at, vec![body(c)]))
                    .collect();
                CUSTOMER_FTS.write(&mut tx, &bodies).await?;
                for c in rows {
                    sqlx::query(
                        "UPDATE customer_search_keys SET sort_name = ?1 WHERE client_id = ?2",
                    )
                    .bind(sort_name(&c.first_name, &c.last_name))
                    .bind(c.id)
                    .execute(&mut *tx)
                    .await
                    .classify()?;
                }
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut q = QueryBuilder::new(
                    "INSERT INTO customer_search (client_id, created_at, sort_name, tsv) ",
                );
                q.push_values(rows, |mut b, c| {
                    b.push_bind(c.id)
                        .push_bind(c.created_at)
                        .push_bind(sort_name(&c.first_name, &c.last_name));
                    push_tsvector(&mut b, &body(c));
                });
                q.push(
                    " ON CONFLICT (client_id) DO UPDATE SET created_at = excluded.created_at, \
                     sort_name = excluded.sort_name, tsv = excluded.tsv",
                );
                q.build().execute(pool).await.classify()?;
            }
        }
        Ok(())
    }

    /// Indexes every client that has no search body yet (after the migration that
    /// added customer search, and after bulk inserts); returns how many.
    pub(crate) async fn index_unindexed_customers(&self) -> StoreResult<u64> {
        index_unindexed(
            self,
            "clients",
            ("customer_search_keys", "customer_search"),
            "client_id",
            |ids| {
                Box::pin(async move {
                    let ids: Vec<ClientId> = ids.into_iter().map(ClientId::from_uuid).collect();
                    self.index_customers(&ids).await
                })
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use fieldcase_shared::search::terms;

    use super::*;

    /// Every term of `query` begins a word of `body`.
    fn finds(body: &str, query: &str) -> bool {
        terms(query)
            .iter()
            .all(|t| body.split(' ').any(|w| w.starts_with(t.as_str())))
    }

    #[test]
    fn a_customer_is_found_however_the_query_is_written() {
        let c = Indexed {
            first_name: "Jana".into(),
            last_name: "Šimková".into(),
            phone: "603 123 456".into(),
            email: "jana.simkova@example.cz".into(),
            street: "Náměstí Republiky 12".into(),
            city: "Plzeň".into(),
            postal_code: "301 00".into(),
            id: Uuid::nil(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            merged_into: None,
            adviser_id: None,
            custom: r#"{"karta":"Zlatá 4411"}"#.into(),
        };
        let b = body(&c);
        for q in [
            "šimková",
            "SIMKOVA",
            "simk jana",
            "603123456",
            "603 123 456",
            "+420603123456",
            "00420 603-123-456",
            "(603) 123 456",
            "zlata 4411",
            "jana.simkova@example.cz",
            "jana.sim",
            "plzen",
            "namesti republiky",
            "30100",
            "301 00",
            "301",
        ] {
            assert!(finds(&b, q), "{q:?} does not find {b:?}");
        }
        for q in ["novak", "604", "plzen 2"] {
            assert!(!finds(&b, q), "{q:?} finds {b:?}");
        }
        assert_eq!(sort_name("Jana", "Šimková"), "simkova jana");
        assert_eq!(sort_name("", "Čermák"), "cermak");
    }
}
