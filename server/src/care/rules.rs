//! Notification rules, pure: the channels, the variables a template may use and
//! its rendering (an unknown variable refused when the template is saved), SMS
//! numbers and length (GSM-7 or UCS-2 segments), the quiet hours of SMS
//! (20:00–8:00 in Prague: an SMS waits for the morning), the back-off of retries,
//! and what a message would be for one event (or why none is sent).

use fieldcase_shared::calendar::prague_offset;
use fieldcase_shared::{DeviceId, Lang, OrderStatus};
use time::{Duration, OffsetDateTime, Time};

pub use super::sms::{sms_number, sms_parts};

/// A way to reach a customer (e-mail, SMS) or the order's adviser (a push to
/// their phones, which wakes the app to sync).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Email,
    Sms,
    Push,
}

impl Channel {
    /// All, in the order the office lists them.
    pub const ALL: [Channel; 3] = [Channel::Email, Channel::Sms, Channel::Push];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Push => "push",
        }
    }

    /// Reads a code.
    pub fn parse(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code.trim())
    }

    /// Its name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Channel::Email => "e-mail",
            Channel::Sms => lang.pick("SMS", "text message"),
            Channel::Push => lang.pick("push poradci", "push to the adviser"),
        }
    }
}

/// The event kind of an order's status change.
pub const ORDER_STATUS: &str = "order_status";
/// Money matched to an order (a bank payment, the office's settlement).
pub const PAYMENT_MATCHED: &str = "payment_matched";
/// A commission accrual line for an adviser (an order's lines, merged).
pub const COMMISSION_ACCRUED: &str = "commission_accrued";
/// A payout request rejected or paid.
pub const PAYOUT_DECIDED: &str = "payout_decided";
/// A complaint opened about an order.
pub const COMPLAINT_OPENED: &str = "complaint_opened";
/// A complaint decided (the event's status: the decision).
pub const COMPLAINT_DECIDED: &str = "complaint_decided";
/// An order's final invoice issued (the e-mail carries its PDF).
pub const INVOICE_ISSUED: &str = "invoice_issued";
/// An eye exam asked for on the public page.
pub const BOOKING_REQUESTED: &str = "booking_requested";
/// A booking approved by the store (the e-mail carries the `.ics`).
pub const BOOKING_APPROVED: &str = "booking_approved";
/// The store proposed another time.
pub const BOOKING_PROPOSED: &str = "booking_proposed";
/// A booking cancelled (by the customer or the store).
pub const BOOKING_CANCELLED: &str = "booking_cancelled";
/// The day before an approved exam (the e-mail carries the `.ics`).
pub const BOOKING_REMINDED: &str = "booking_reminded";
/// An office reminder (an eye exam, new contact lenses) reached the adviser's
/// workspace: it is time.
pub const REMINDER_DUE: &str = "reminder_due";
/// The hub's authority rejected a record the adviser's phone wrote.
pub const RECORD_REJECTED: &str = "record_rejected";

/// An event kind the notifications follow: its code, names and the channels that
/// reach whom it concerns (the customer's e-mail and SMS only where it has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventKind {
    pub code: &'static str,
    pub cs: &'static str,
    pub en: &'static str,
    pub channels: &'static [Channel],
}

/// The events, in the order the office lists them.
pub const EVENTS: [EventKind; 14] = [
    EventKind {
        code: ORDER_STATUS,
        cs: "Zakázka změnila stav",
        en: "The order's status changed",
        channels: &Channel::ALL,
    },
    EventKind {
        code: PAYMENT_MATCHED,
        cs: "Přišla platba k zakázce",
        en: "A payment for the order arrived",
        channels: &Channel::ALL,
    },
    EventKind {
        code: INVOICE_ISSUED,
        cs: "Vystavena faktura k zakázce",
        en: "The order's invoice issued",
        channels: &[Channel::Email],
    },
    EventKind {
        code: COMPLAINT_OPENED,
        cs: "Reklamace přijata",
        en: "A complaint was opened",
        channels: &Channel::ALL,
    },
    EventKind {
        code: COMPLAINT_DECIDED,
        cs: "O reklamaci rozhodnuto",
        en: "A complaint was decided",
        channels: &Channel::ALL,
    },
    EventKind {
        code: BOOKING_REQUESTED,
        cs: "Žádost o vyšetření zraku",
        en: "An eye exam requested",
        channels: &[Channel::Email, Channel::Sms],
    },
    EventKind {
        code: BOOKING_APPROVED,
        cs: "Vyšetření potvrzeno",
        en: "An eye exam approved",
        channels: &[Channel::Email, Channel::Sms],
    },
    EventKind {
        code: BOOKING_PROPOSED,
        cs: "Navržen jiný termín vyšetření",
        en: "Another time proposed for an eye exam",
        channels: &[Channel::Email, Channel::Sms],
    },
    EventKind {
        code: BOOKING_CANCELLED,
        cs: "Vyšetření zrušeno",
        en: "An eye exam cancelled",
        channels: &[Channel::Email, Channel::Sms],
    },
    EventKind {
        code: BOOKING_REMINDED,
        cs: "Připomínka vyšetření (den předem)",
        en: "An eye exam's reminder (the day before)",
        channels: &[Channel::Email, Channel::Sms],
    },
    EventKind {
        code: REMINDER_DUE,
        cs: "Připomínka: čas na kontrolu zraku nebo nové čočky",
        en: "A reminder: time for an eye exam or new lenses",
        channels: &Channel::ALL,
    },
    EventKind {
        code: RECORD_REJECTED,
        cs: "Záznam poradce zamítnut",
        en: "An adviser's record rejected",
        channels: &[Channel::Push],
    },
    EventKind {
        code: COMMISSION_ACCRUED,
        cs: "Poradci se připsala provize",
        en: "Commission accrued to the adviser",
        channels: &[Channel::Push],
    },
    EventKind {
        code: PAYOUT_DECIDED,
        cs: "Výplata provize zamítnuta nebo vyplacena",
        en: "A payout rejected or paid",
        channels: &[Channel::Push],
    },
];

/// The event kind of `code`.
pub fn event(code: &str) -> Option<EventKind> {
    EVENTS.into_iter().find(|e| e.code == code)
}

/// The variables a template may use, with what they stand for.
pub const VARIABLES: [(&str, &str, &str); 14] = [
    ("customer_name", "jméno zákazníka", "the customer's name"),
    (
        "order_vs",
        "variabilní symbol zakázky",
        "the order's variable symbol",
    ),
    ("status", "nový stav zakázky", "the order's new status"),
    ("total", "celková cena", "the order's total"),
    ("left_to_pay", "zbývá zaplatit", "what is left to pay"),
    ("shop_name", "prodejna", "the store"),
    (
        "order_link",
        "odkaz na stránku zakázky",
        "the link to the order's page",
    ),
    (
        "amount",
        "částka (platby, provize, výplaty)",
        "the amount (of the payment, commission, payout)",
    ),
    ("adviser_name", "jméno poradce", "the adviser's name"),
    (
        "reason",
        "důvod (reklamace, rozhodnutí o ní, zamítnutí záznamu; připomínka)",
        "the reason (of a complaint, of its decision, of a rejection; a reminder)",
    ),
    ("invoice_number", "číslo faktury", "the invoice's number"),
    ("booking_time", "termín vyšetření", "the eye exam's time"),
    ("booking_place", "místo vyšetření", "where the eye exam is"),
    (
        "booking_link",
        "odkaz na rezervaci (zrušení, jiný termín)",
        "the link to the booking (cancel, another time)",
    ),
];

/// A template's text with the variables it names that are not known; empty when
/// every `{name}` is one of [`VARIABLES`]. A `{` without its `}` counts as unknown.
pub fn unknown_variables(text: &str) -> Vec<String> {
    unknown_names(text, &VARIABLES.map(|(v, _, _)| v))
}

/// The `{names}` of `text` not in `known`, each once (a `{` without its `}`
/// counts as unknown).
pub fn unknown_names(text: &str, known: &[&str]) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            unknown.push(after.chars().take(20).collect());
            break;
        };
        let name = after[..close].trim();
        if !known.contains(&name) && !unknown.iter().any(|u| u == name) {
            unknown.push(name.to_owned());
        }
        rest = &after[close + 1..];
    }
    unknown
}

/// `text` with each `{name}` replaced by its value (unknown names stay as they are;
/// saving refuses them, see [`unknown_variables`]).
pub fn render(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// When a message on `channel` may go out at the earliest: now, except an SMS in
/// the quiet hours (20:00–8:00 in Prague), which waits for 8:00.
pub fn earliest(channel: Channel, now: OffsetDateTime) -> OffsetDateTime {
    if channel != Channel::Sms {
        return now;
    }
    let local = now.to_offset(prague_offset(now));
    let hour = local.hour();
    if (8..20).contains(&hour) {
        return now;
    }
    let day = if hour >= 20 {
        local.date().next_day().unwrap_or(local.date())
    } else {
        local.date()
    };
    let morning = day.with_time(Time::from_hms(8, 0, 0).unwrap_or(Time::MIDNIGHT));
    morning
        .assume_offset(prague_offset(morning.assume_utc()))
        .to_offset(time::UtcOffset::UTC)
}

/// How many times a message is tried before it counts as failed.
pub const MAX_ATTEMPTS: i32 = 6;

/// The wait after the `attempts`-th failed try: 1, 5, 30 minutes, 2 hours, 12
/// hours; a server's `Retry-After` is honoured when it asks for longer.
pub fn backoff(attempts: i32, retry_after: Option<Duration>) -> Duration {
    let base = match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        4 => Duration::hours(2),
        _ => Duration::hours(12),
    };
    retry_after.map_or(base, |r| r.max(base))
}

/// What one message is about: the facts of the order and its customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub customer_name: String,
    pub email: String,
    pub phone: String,
    pub vs: String,
    pub status: String,
    pub total: fieldcase_shared::Money,
    pub left_to_pay: fieldcase_shared::Money,
    pub shop_name: String,
    /// The order's public page, if it has one.
    pub link: String,
    /// The event's money (a payment, a commission, a payout).
    pub amount: fieldcase_shared::Money,
    pub adviser_name: String,
    /// The event's words: a complaint's reason, or its decision's; an invoice's number.
    pub detail: String,
    /// A booking's time, place and page.
    pub booking_time: String,
    pub booking_place: String,
    pub booking_link: String,
    /// Channels the customer said no to (their consent withdrawn).
    pub refused: Vec<Channel>,
    /// The language the message is written in (its template's).
    pub lang: Lang,
}

impl Facts {
    /// The template variables' values in `lang`.
    pub fn values(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let status = match self.status.as_str() {
            "rejected" => lang.pick("zamítnuto", "rejected").to_owned(),
            "paid" => lang.pick("vyplaceno", "paid").to_owned(),
            other => match crate::complaints::rules::Decision::parse(other) {
                Some(d) => d.label(lang).to_owned(),
                None => other
                    .parse::<OrderStatus>()
                    .map_or_else(|_| other.to_owned(), |s| s.label(lang).to_owned()),
            },
        };
        vec![
            ("customer_name", self.customer_name.clone()),
            ("order_vs", self.vs.clone()),
            ("status", status),
            ("total", self.total.format(lang)),
            ("left_to_pay", self.left_to_pay.format(lang)),
            ("shop_name", self.shop_name.clone()),
            ("order_link", self.link.clone()),
            ("amount", self.amount.format(lang)),
            ("adviser_name", self.adviser_name.clone()),
            ("reason", self.detail.clone()),
            ("invoice_number", self.detail.clone()),
            ("booking_time", self.booking_time.clone()),
            ("booking_place", self.booking_place.clone()),
            ("booking_link", self.booking_link.clone()),
        ]
    }
}

/// Why a message is not sent: the stored text (English, as the outbox keeps it)
/// and its Czech.
pub const SKIP_REASONS: [(&str, &str); 4] = [
    (
        "the customer said no to this channel",
        "zákazník tento kanál odmítl",
    ),
    (
        "no address for this channel",
        "pro tento kanál chybí adresa",
    ),
    ("no template", "chybí šablona"),
    (
        "the adviser has no phone registered for push",
        "poradce nemá telefon přihlášený k oznámením push",
    ),
];

/// A stored reason in `lang` (one not in [`SKIP_REASONS`] as it is).
pub fn skip_reason(reason: &str, lang: Lang) -> &str {
    match SKIP_REASONS.iter().find(|(en, _)| *en == reason) {
        Some((en, cs)) => lang.pick(cs, en),
        None => reason,
    }
}

/// The template of `event` on `channel` in `lang`, else the Czech one, with the
/// language it is in.
pub fn template_for<'a>(
    templates: impl Iterator<Item = (&'a str, Channel, Lang, &'a Template)> + Clone,
    event: &str,
    channel: Channel,
    lang: Lang,
) -> Option<(&'a Template, Lang)> {
    let find = |want: Lang| {
        templates
            .clone()
            .find(|(e, c, l, _)| *e == event && *c == channel && *l == want)
            .map(|(_, _, l, t)| (t, l))
    };
    find(lang).or_else(|| find(Lang::Cs))
}

/// A template as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

/// What planning gives for one event and channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    /// A message to send.
    Send {
        recipient: String,
        subject: String,
        body: String,
    },
    /// None is sent; why (kept in the outbox so the office sees it).
    Skip { recipient: String, reason: String },
}

/// The message on `channel` for `facts` with `template` (in `facts.lang`, the
/// template's language). A push's recipient is one of the adviser's phones: see
/// [`plan_push`].
pub fn plan(channel: Channel, facts: &Facts, template: Option<&Template>) -> Planned {
    let recipient = match channel {
        Channel::Email => facts.email.trim().to_owned(),
        Channel::Sms => sms_number(&facts.phone).unwrap_or_default(),
        Channel::Push => String::new(),
    };
    let skip = |reason: &str| Planned::Skip {
        recipient: recipient.clone(),
        reason: reason.to_owned(),
    };
    if facts.refused.contains(&channel) {
        return skip(SKIP_REASONS[0].0);
    }
    if recipient.is_empty() || channel == Channel::Email && !recipient.contains('@') {
        return skip(SKIP_REASONS[1].0);
    }
    let Some(t) = template else {
        return skip(SKIP_REASONS[2].0);
    };
    let values = facts.values(facts.lang);
    Planned::Send {
        recipient: recipient.clone(),
        subject: render(&t.subject, &values),
        body: render(&t.body, &values),
    }
}

/// The pushes for `facts` with `template`: one per phone of the order's adviser
/// that can take one (`phones`), each with its phone, or why none is sent (no
/// phone). The customer's consents do not apply (the adviser is told, not the
/// customer).
pub fn plan_push(
    facts: &Facts,
    template: Option<&Template>,
    phones: &[DeviceId],
) -> Vec<(Option<DeviceId>, Planned)> {
    let skip = |reason: &str| {
        vec![(
            None,
            Planned::Skip {
                recipient: String::new(),
                reason: reason.to_owned(),
            },
        )]
    };
    if phones.is_empty() {
        return skip(SKIP_REASONS[3].0);
    }
    let Some(t) = template else {
        return skip(SKIP_REASONS[2].0);
    };
    let values = facts.values(facts.lang);
    phones
        .iter()
        .map(|phone| {
            let send = Planned::Send {
                recipient: phone.to_string(),
                subject: render(&t.subject, &values),
                body: render(&t.body, &values),
            };
            (Some(*phone), send)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn templates_name_known_variables_only() {
        assert!(
            unknown_variables("Dobrý den {customer_name}, zakázka {order_vs}: {status}.")
                .is_empty()
        );
        assert_eq!(
            unknown_variables("{jmeno} a {order_vs} a {jmeno}"),
            ["jmeno"]
        );
        assert_eq!(unknown_variables("konec {order_vs"), ["order_vs"]);
        let values = [("order_vs", "2026000001".to_owned())];
        assert_eq!(render("VS {order_vs}", &values), "VS 2026000001");
    }

    #[test]
    fn sms_waits_for_the_morning() {
        // 21:30 in Prague (winter, UTC+1) → 8:00 the next day.
        let evening = datetime!(2026-12-05 20:30 UTC);
        assert_eq!(
            earliest(Channel::Sms, evening),
            datetime!(2026-12-06 07:00 UTC)
        );
        assert_eq!(earliest(Channel::Email, evening), evening);
        // 6:00 in Prague → 8:00 the same day; noon → now.
        assert_eq!(
            earliest(Channel::Sms, datetime!(2026-12-05 05:00 UTC)),
            datetime!(2026-12-05 07:00 UTC)
        );
        let noon = datetime!(2026-12-05 11:00 UTC);
        assert_eq!(earliest(Channel::Sms, noon), noon);
    }

    #[test]
    fn retries_back_off_and_honour_retry_after() {
        assert_eq!(backoff(1, None), Duration::minutes(1));
        assert_eq!(backoff(3, None), Duration::minutes(30));
        assert_eq!(
            backoff(1, Some(Duration::minutes(10))),
            Duration::minutes(10)
        );
        assert_eq!(backoff(9, Some(Duration::seconds(5))), Duration::hours(12));
    }

    #[test]
    fn a_plan_says_why_nothing_is_sent() {
        let t = Template {
            subject: "Zakázka {order_vs}".into(),
            body: "Dobrý den {customer_name}, stav: {status}.".into(),
        };
        let facts = Facts {
            customer_name: "Jana Nováková".into(),
            email: "jana@example.cz".into(),
            phone: "603 123 456".into(),
            vs: "2026000001".into(),
            status: "ready_for_pickup".into(),
            ..Default::default()
        };
        assert_eq!(
            plan(Channel::Email, &facts, Some(&t)),
            Planned::Send {
                recipient: "jana@example.cz".into(),
                subject: "Zakázka 2026000001".into(),
                body: format!(
                    "Dobrý den Jana Nováková, stav: {}.",
                    OrderStatus::ReadyForPickup.label(Lang::Cs)
                ),
            }
        );
        let refused = Facts {
            refused: vec![Channel::Sms],
            ..facts.clone()
        };
        assert!(matches!(
            plan(Channel::Sms, &refused, Some(&t)),
            Planned::Skip { .. }
        ));
        assert!(matches!(
            plan(Channel::Email, &facts, None),
            Planned::Skip { .. }
        ));
        let nothing = Facts {
            email: String::new(),
            ..facts.clone()
        };
        assert!(matches!(
            plan(Channel::Email, &nothing, Some(&t)),
            Planned::Skip { .. }
        ));
        // A push goes to each of the adviser's phones, whatever the customer refused.
        let phones = [DeviceId::new(), DeviceId::new()];
        let pushes = plan_push(&refused, Some(&t), &phones);
        assert_eq!(pushes.len(), 2);
        assert!(
            matches!(&pushes[1], (Some(d), Planned::Send { recipient, .. })
            if *d == phones[1] && *recipient == phones[1].to_string())
        );
        assert!(matches!(
            plan_push(&facts, Some(&t), &[]).as_slice(),
            [(None, Planned::Skip { .. })]
        ));
    }
}
