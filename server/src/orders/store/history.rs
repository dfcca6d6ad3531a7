//! An order's history: every change (status, lines, prices, notes, tracking) with who
//! made it, when and from where, old → new. Append-only in SQL (`order_events`; the
//! migration's triggers refuse UPDATE and DELETE). The projection writes what a
//! phone changed ([`changes`] compares the row SQL held with the accepted record),
//! the office, CLI and API paths write theirs in the same transaction as the change
//! ([`events_in!`]).

use fieldcase_shared::docs::records::OrderRecord;
use fieldcase_shared::{Lang, Money, OrderStatus};
use time::OffsetDateTime;

use crate::store::actor::Via;

/// What changed, in `order_events.field`.
pub mod field {
    /// The order reached the hub (new value: its status).
    pub const CREATED: &str = "created";
    /// Status (codes).
    pub const STATUS: &str = "status";
    /// The lines, summarised.
    pub const LINES: &str = "lines";
    /// The gross total (haléře).
    pub const TOTAL: &str = "total";
    /// The deposit paid (haléře).
    pub const DEPOSIT: &str = "deposit";
    /// The adviser's note on the order.
    pub const NOTE: &str = "note";
    /// The coupon code.
    pub const COUPON: &str = "coupon";
    /// The adviser's whole-percent discount.
    pub const DISCOUNT_PCT: &str = "discount_pct";
    /// Carrier and tracking number (`PPL 40012345678`).
    pub const TRACKING: &str = "tracking";
    /// A note appended: `note.customer`, `note.lab`, `note.private`.
    pub const NOTE_PREFIX: &str = "note.";
    /// The customer (ids): moved by a merge of two records of one person.
    pub const CLIENT: &str = "client";
}

/// One change of an order as the card shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderEvent {
    /// When.
    pub at: OffsetDateTime,
    /// From where.
    pub via: Via,
    /// Who: the user's name, or how the actor was recorded.
    pub actor: String,
    /// What (see [`field`]).
    pub field: String,
    /// Before.
    pub old: String,
    /// After.
    pub new: String,
}

impl OrderEvent {
    /// What changed, for people.
    pub fn what(&self, lang: Lang) -> String {
        let f = self.field.as_str();
        let text = match f {
            field::CREATED => lang.pick("Objednávka přijata", "Order received"),
            field::STATUS => lang.pick("Stav", "Status"),
            field::LINES => lang.pick("Položky", "Lines"),
            field::TOTAL => lang.pick("Celkem", "Total"),
            field::DEPOSIT => lang.pick("Záloha", "Deposit"),
            field::NOTE => lang.pick("Poznámka poradce", "Adviser's note"),
            field::COUPON => lang.pick("Kupón", "Coupon"),
            field::DISCOUNT_PCT => lang.pick("Sleva %", "Discount %"),
            field::TRACKING => lang.pick("Doprava", "Delivery"),
            field::CLIENT => lang.pick("Zákazník (sloučení)", "Customer (merge)"),
            _ => match f
                .strip_prefix(field::NOTE_PREFIX)
                .and_then(|k| k.parse::<fieldcase_shared::order::notes::NoteKind>().ok())
            {
                Some(kind) => {
                    return format!("{}: {}", lang.pick("Poznámka", "Note"), kind.label(lang));
                }
                None => f,
            },
        };
        text.to_owned()
    }

    /// A value of this event's field, for people (statuses by name, amounts as money).
    pub fn show(&self, value: &str, lang: Lang) -> String {
        match self.field.as_str() {
            field::STATUS | field::CREATED => value
                .parse::<OrderStatus>()
                .map(|s| s.label(lang).to_owned())
                .unwrap_or_else(|_| value.to_owned()),
            field::TOTAL | field::DEPOSIT => value
                .parse::<i64>()
                .map(|h| Money::from_haler(h).format(lang))
                .unwrap_or_else(|_| value.to_owned()),
            _ => value.to_owned(),
        }
    }

    /// Whether the event shows a private note (only for roles that may read them).
    pub fn is_private(&self) -> bool {
        self.field == format!("{}private", field::NOTE_PREFIX)
    }
}

/// An order as SQL held it before a phone's change: what the history compares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Before {
    pub status: String,
    pub total: i64,
    pub deposit: i64,
    pub note: String,
    pub coupon: String,
    pub discount_pct: i64,
    /// Lines as (text, quantity, unit price in haléře), in position order.
    pub lines: Vec<(String, i64, i64)>,
}

/// Lines summarised for the history: `2× Lens Hoya 1.6 (1590.00)`.
pub fn lines_text<'a>(lines: impl IntoIterator<Item = (&'a str, i64, i64)>) -> String {
    lines
        .into_iter()
        .map(|(text, qty, price)| {
            let sign = if price < 0 { "-" } else { "" };
            let abs = price.unsigned_abs();
            format!("{qty}× {text} ({sign}{}.{:02})", abs / 100, abs % 100)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a phone's accepted `record` changes against the row SQL held (`None`: the
/// order is new). `status` is the status SQL ends up with (the projection's
/// compare-and-set may keep the held one). Field, old, new.
pub fn changes(
    before: Option<&Before>,
    record: &OrderRecord,
    status: &str,
) -> Vec<(&'static str, String, String)> {
    let lines = lines_text(
        record
            .lines
            .iter()
            .map(|l| (l.text.as_str(), i64::from(l.quantity), l.unit_price)),
    );
    let Some(b) = before else {
        return vec![(field::CREATED, String::new(), status.to_owned())];
    };
    let mut out = Vec::new();
    let mut diff = |field: &'static str, old: String, new: String| {
        if old != new {
            out.push((field, old, new));
        }
    };
    diff(field::STATUS, b.status.clone(), status.to_owned());
    diff(
        field::LINES,
        lines_text(b.lines.iter().map(|(t, q, p)| (t.as_str(), *q, *p))),
        lines,
    );
    diff(
        field::TOTAL,
        b.total.to_string(),
        record.total().to_string(),
    );
    diff(
        field::DEPOSIT,
        b.deposit.to_string(),
        record.deposit.to_string(),
    );
    diff(field::NOTE, b.note.clone(), record.note.clone());
    diff(field::COUPON, b.coupon.clone(), record.coupon.clone());
    diff(
        field::DISCOUNT_PCT,
        b.discount_pct.to_string(),
        record.discount_pct.min(100).to_string(),
    );
    out
}

/// Appends one history event with `$conn` (a transaction): order id (Uuid), source
/// (`Via`), actor user id (`Option<Uuid>`), actor text, field, old, new; evaluates to
/// `StoreResult<()>`.
macro_rules! event_in {
    ($conn:expr, $order:expr, $via:expr, $actor_id:expr, $actor:expr, $field:expr, $old:expr, $new:expr) => {
        sqlx::query(
            "INSERT INTO order_events (id, order_id, at, source, actor_id, actor, field, old_value, new_value) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind($order)
        .bind($crate::store::sql::now())
        .bind($via.code())
        .bind($actor_id)
        .bind($actor)
        .bind($field)
        .bind($old)
        .bind($new)
        .execute($conn)
        .await
        .map(|_| ())
        .map_err($crate::store::sql::classify)
    };
}
pub(crate) use event_in;

/// Whether the order with id `$id` (Uuid) exists, read in `$tx`; evaluates to `bool`
/// (returns the store error from the enclosing function on failure).
macro_rules! order_exists {
    ($tx:expr, $id:expr) => {
        sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM orders WHERE id = $1)")
            .bind($id)
            .fetch_one(&mut *$tx)
            .await
            .map_err($crate::store::sql::classify)?
    };
}
pub(crate) use order_exists;

#[cfg(test)]
mod tests {
    use fieldcase_shared::docs::records::LineRecord;

    use super::*;

    fn record() -> OrderRecord {
        OrderRecord {
            status: "intake".into(),
            lines: vec![LineRecord {
                text: "Rám Lindberg".into(),
                quantity: 1,
                unit_price: 249_000,
                ..LineRecord::default()
            }],
            deposit: 50_000,
            note: "hotovo".into(),
            ..OrderRecord::default()
        }
    }

    #[test]
    fn a_new_order_is_one_created_event() {
        assert_eq!(
            changes(None, &record(), "intake"),
            vec![(field::CREATED, String::new(), "intake".to_owned())]
        );
    }

    #[test]
    fn only_what_changed_is_recorded() {
        let r = record();
        let before = Before {
            status: "intake".into(),
            total: 249_000,
            deposit: 50_000,
            note: "hotovo".into(),
            lines: vec![("Rám Lindberg".into(), 1, 249_000)],
            ..Before::default()
        };
        assert!(changes(Some(&before), &r, "intake").is_empty());
        let mut r2 = r.clone();
        r2.lines[0].quantity = 2;
        r2.note = "dvakrát".into();
        let got = changes(Some(&before), &r2, "cancelled");
        let fields: Vec<&str> = got.iter().map(|(f, _, _)| *f).collect();
        assert_eq!(fields, vec!["status", "lines", "total", "note"]);
        assert_eq!(got[1].1, "1× Rám Lindberg (2490.00)");
        assert_eq!(got[1].2, "2× Rám Lindberg (2490.00)");
        assert_eq!((got[2].1.as_str(), got[2].2.as_str()), ("249000", "498000"));
    }

    #[test]
    fn events_show_names_and_money() {
        let e = OrderEvent {
            at: OffsetDateTime::UNIX_EPOCH,
            via: Via::Phone,
            actor: "Jana".into(),
            field: "total".into(),
            old: "249000".into(),
            new: "-100".into(),
        };
        assert_eq!(e.show(&e.old, Lang::Cs), "2 490,00 Kč");
        assert_eq!(e.what(Lang::En), "Total");
        let s = OrderEvent {
            field: "status".into(),
            ..e.clone()
        };
        assert_eq!(
            s.show("in_lab", Lang::En),
            OrderStatus::InLab.label(Lang::En)
        );
        let n = OrderEvent {
            field: "note.private".into(),
            ..e
        };
        assert!(n.is_private());
        assert_eq!(n.what(Lang::En), "Note: Private");
    }
}
