//! A customer's communication history and marketing consent (migration 0019, both
//! tables append-only): notes and logged calls by staff, and each consent to e-mail
//! or SMS marketing given or withdrawn, with when and where the customer did it and
//! who recorded it. The current consent of a channel is its latest row by
//! (given_at, id); the segment facts follow it (migration 0022).

use fieldcase_shared::ClientId;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, parse};

/// An enum stored as a code: its values with their codes and Czech / English names,
/// `ALL` in form order, `code`, `label` and `FromStr` (an unknown code is an error).
macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal, $cs:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every value, in the order forms offer them.
            pub const ALL: &[$name] = &[$($name::$variant),*];

            /// Stored code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            /// Name for people.
            pub fn label(self, lang: fieldcase_shared::Lang) -> &'static str {
                match self {
                    $($name::$variant => lang.pick($cs, $en),)*
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == s)
                    .ok_or_else(|| format!("unknown {} {s:?}", stringify!($name)))
            }
        }
    };
}

coded_enum! {
    /// What a history note records.
    ContactKind {
        /// A note.
        Note = "note", "Poznámka", "Note";
        /// The customer called.
        CallIn = "call_in", "Příchozí hovor", "Incoming call";
        /// Staff called the customer.
        CallOut = "call_out", "Odchozí hovor", "Outgoing call";
    }
}

coded_enum! {
    /// A marketing channel a customer consents to.
    ConsentChannel {
        /// E-mail.
        Email = "email", "E-mail", "E-mail";
        /// SMS.
        Sms = "sms", "SMS", "SMS";
    }
}

/// A note or logged call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerNote {
    pub kind: ContactKind,
    pub body: String,
    /// Who wrote it (name).
    pub author: String,
    pub at: OffsetDateTime,
}

/// A consent given or withdrawn, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub channel: ConsentChannel,
    /// Given (true) or withdrawn.
    pub granted: bool,
    /// When the customer gave or withdrew it.
    pub given_at: OffsetDateTime,
    /// Where: a store, a visit, a phone call, a web form.
    pub place: String,
    /// E.g. the paper form's number.
    pub evidence: String,
    /// Who recorded it (name), and when.
    pub author: String,
    pub recorded_at: OffsetDateTime,
}

/// A consent to record (checked by [`check_consent`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    pub channel: ConsentChannel,
    pub granted: bool,
    pub given_at: OffsetDateTime,
    pub place: String,
    pub evidence: String,
}

/// Longest place or evidence text.
const MAX_TEXT: usize = 200;

/// Checks a consent before it is recorded: a place is required, texts are short,
/// and the customer cannot have given it in the future (a minute of clock skew
/// aside). Trims the texts; the error in Czech and English.
pub fn check_consent(
    mut c: NewConsent,
    now: OffsetDateTime,
) -> Result<NewConsent, (&'static str, &'static str)> {
    c.place = c.place.trim().to_owned();
    c.evidence = c.evidence.trim().to_owned();
    if c.place.is_empty() {
        return Err((
            "Uveďte, kde zákazník souhlas dal nebo odvolal.",
            "Say where the customer gave or withdrew the consent.",
        ));
    }
    if c.place.chars().count() > MAX_TEXT || c.evidence.chars().count() > MAX_TEXT {
        return Err((
            "Místo a doklad mají nejvýš 200 znaků.",
            "Place and evidence have at most 200 characters.",
        ));
    }
    if c.given_at > now + time::Duration::minutes(1) {
        return Err((
            "Souhlas nemůže být daný v budoucnu.",
            "A consent cannot be given in the future.",
        ));
    }
    Ok(c)
}

/// The client exists (and was not erased: their history is gone for good), or
/// NotFound.
macro_rules! client_exists {
    ($tx:expr, $id:expr) => {{
        let found: Option<(Uuid,)> =
            sqlx::query_as("SELECT id FROM clients WHERE id = $1 AND erased_at IS NULL")
                .bind($id)
                .fetch_optional(&mut *$tx)
                .await
                .classify()?;
        if found.is_none() {
            return Err(StoreError::NotFound("client"));
        }
    }};
}

/// A note row: kind, body, author, at.
type NoteRow = (String, String, String, OffsetDateTime);
/// A consent row: channel, granted, given, place, evidence, author, recorded.
type ConsentRow = (
    String,
    bool,
    OffsetDateTime,
    String,
    String,
    String,
    OffsetDateTime,
);

impl SqlStore {
    /// Appends a note or logged call (its body checked by the caller) with its audit entry.
    pub(crate) async fn write_customer_note(
        &self,
        actor: &Actor,
        client: ClientId,
        kind: ContactKind,
        body: &str,
    ) -> StoreResult<()> {
        let id = client.as_uuid();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            client_exists!(tx, id);
            sqlx::query(
                "INSERT INTO customer_notes (id, client_id, kind, body, author_id, author, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(kind.code())
            .bind(body)
            .bind(actor.user.map(|u| u.as_uuid()))
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "client.note", client.to_string(), kind.code())?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Sets the language of a customer's messages, with its audit entry.
    pub(crate) async fn write_customer_lang(
        &self,
        actor: &Actor,
        client: ClientId,
        lang: fieldcase_shared::Lang,
    ) -> StoreResult<()> {
        let id = client.as_uuid();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            client_exists!(tx, id);
            sqlx::query(
                "INSERT INTO customer_langs (client_id, lang, actor, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (client_id) DO UPDATE SET lang = excluded.lang, actor = excluded.actor, updated_at = excluded.updated_at",
            )
            .bind(id)
            .bind(lang.code())
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "client.lang", client.to_string(), lang.code())?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Inserts consents in bulk, recorded by `author` (the demo's seeding: no audit
    /// entries, as for the projection's bulk inserts); returns how many.
    pub(crate) async fn insert_consent_rows(
        &self,
        author: &str,
        consents: &[(ClientId, NewConsent)],
    ) -> StoreResult<u64> {
        let mut n = 0;
        for chunk in consents.chunks(1_000) {
            on_db!(self, pool => {
                let mut tx = crate::store::sql::write_tx(pool).await?;
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO customer_consents (id, client_id, channel, granted, given_at, place, evidence, author_id, author, recorded_at) ",
                );
                q.push_values(chunk, |mut b, (client, c)| {
                    b.push_bind(Uuid::now_v7())
                        .push_bind(client.as_uuid())
                        .push_bind(c.channel.code())
                        .push_bind(c.granted)
                        .push_bind(c.given_at)
                        .push_bind(c.place.clone())
                        .push_bind(c.evidence.clone())
                        .push_bind(None::<Uuid>)
                        .push_bind(author.to_owned())
                        .push_bind(now());
                });
                n += q.build().execute(&mut *tx).await.classify()?.rows_affected();
                tx.commit().await?;
            });
        }
        Ok(n)
    }

    /// Records a consent given or withdrawn (checked by [`check_consent`]) with its
    /// audit entry.
    pub(crate) async fn write_consent(
        &self,
        actor: &Actor,
        client: ClientId,
        c: &NewConsent,
    ) -> StoreResult<()> {
        let id = client.as_uuid();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            client_exists!(tx, id);
            sqlx::query(
                "INSERT INTO customer_consents (id, client_id, channel, granted, given_at, place, evidence, author_id, author, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(Uuid::now_v7())
            .bind(id)
            .bind(c.channel.code())
            .bind(c.granted)
            .bind(c.given_at)
            .bind(&c.place)
            .bind(&c.evidence)
            .bind(actor.user.map(|u| u.as_uuid()))
            .bind(&actor.label)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            let what = format!("{} {}", c.channel.code(), if c.granted { "granted" } else { "withdrawn" });
            audit_in!(&mut *tx, actor, "client.consent", client.to_string(), what)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A customer's notes (newest first) and consents (latest first by when given).
    pub(crate) async fn read_history(
        &self,
        client: ClientId,
    ) -> StoreResult<(Vec<CustomerNote>, Vec<Consent>)> {
        let id = client.as_uuid();
        let (notes, consents): (Vec<NoteRow>, Vec<ConsentRow>) = on_db!(self, pool => {
            let notes = sqlx::query_as(
                "SELECT n.kind, n.body, COALESCE(u.name, n.author), n.at FROM customer_notes n \
                 LEFT JOIN users u ON u.id = n.author_id WHERE n.client_id = $1 ORDER BY n.at DESC, n.id DESC",
            )
            .bind(id)
            .fetch_all(pool)
            .await
            .classify()?;
            let consents = sqlx::query_as(
                "SELECT c.channel, c.granted, c.given_at, c.place, c.evidence, COALESCE(u.name, c.author), c.recorded_at \
                 FROM customer_consents c LEFT JOIN users u ON u.id = c.author_id \
                 WHERE c.client_id = $1 ORDER BY c.given_at DESC, c.id DESC",
            )
            .bind(id)
            .fetch_all(pool)
            .await
            .classify()?;
            (notes, consents)
        });
        let notes = notes
            .into_iter()
            .map(|(kind, body, author, at)| {
                Ok(CustomerNote {
                    kind: parse("customer_notes.kind", &kind)?,
                    body,
                    author,
                    at,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let consents = consents
            .into_iter()
            .map(
                |(channel, granted, given_at, place, evidence, author, recorded_at)| {
                    Ok(Consent {
                        channel: parse("customer_consents.channel", &channel)?,
                        granted,
                        given_at,
                        place,
                        evidence,
                        author,
                        recorded_at,
                    })
                },
            )
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((notes, consents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_consent_needs_a_place_and_a_past() {
        let now = OffsetDateTime::now_utc();
        let c = |place: &str, at: OffsetDateTime| NewConsent {
            channel: ConsentChannel::Email,
            granted: true,
            given_at: at,
            place: place.into(),
            evidence: " F-12 ".into(),
        };
        let ok = check_consent(c(" Prodejna Brno ", now), now).map(|c| (c.place, c.evidence));
        assert_eq!(ok, Ok(("Prodejna Brno".into(), "F-12".into())));
        assert!(check_consent(c("  ", now), now).is_err());
        assert!(check_consent(c("x", now + time::Duration::days(1)), now).is_err());
        assert!(check_consent(c(&"x".repeat(201), now), now).is_err());
        assert_eq!("call_in".parse::<ContactKind>(), Ok(ContactKind::CallIn));
        assert!("sms2".parse::<ConsentChannel>().is_err());
    }
}
