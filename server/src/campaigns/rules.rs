//! Campaign rules, pure: what a draft must be (its text's variables, the rate,
//! the hold-out's share, the days of the effect), a recipient's message (the
//! unsubscribe footer always added, in the campaign's language), how many are
//! held out, when the i-th message may go at the rate, and the effect of the
//! sent group against the held-out one.

use fieldcase_shared::Lang;
use time::{Duration, OffsetDateTime};

use crate::care::rules::{Channel, earliest, sms_parts, unknown_names};

/// The variables a campaign's text may use.
pub const VARIABLES: [(&str, &str, &str); 2] = [
    ("first_name", "křestní jméno", "first name"),
    ("last_name", "příjmení", "last name"),
];

/// The longest name and subject, in characters.
pub const MAX_NAME: usize = 120;
/// The longest e-mail body, in characters.
pub const MAX_BODY: usize = 10_000;
/// The most parts an SMS campaign's text may take (with its footer).
pub const MAX_SMS_PARTS: usize = 3;
/// The fastest rate, messages an hour.
pub const MAX_PER_HOUR: u32 = 20_000;
/// The largest hold-out, per cent of the audience.
pub const MAX_HOLDOUT: u32 = 50;
/// The longest span the effect is counted over, days.
pub const MAX_DAYS: u32 = 365;

/// A campaign's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Being written; nothing sent.
    Draft,
    /// Its audience drawn, its messages in the outbox (going out at the rate).
    Launched,
    /// Stopped: the messages not sent yet will not be.
    Stopped,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Launched => "launched",
            Status::Stopped => "stopped",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        [Status::Draft, Status::Launched, Status::Stopped]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Status::Draft => l.pick("koncept", "draft"),
            Status::Launched => l.pick("spuštěná", "launched"),
            Status::Stopped => l.pick("zastavená", "stopped"),
        }
    }
}

/// A campaign as written (a new one, or a draft's change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub segment: uuid::Uuid,
    pub channel: Channel,
    pub lang: Lang,
    pub subject: String,
    pub body: String,
    pub per_hour: u32,
    pub holdout_pct: u32,
    pub effect_days: u32,
}

/// What is wrong with a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Name,
    Channel,
    Subject,
    Body,
    Unknown(Vec<String>),
    SmsTooLong(usize),
    Rate,
    Holdout,
    Days,
}

impl Problem {
    /// The field it is about (the form's and the API's).
    pub fn field(&self) -> &'static str {
        match self {
            Problem::Name => "name",
            Problem::Channel => "channel",
            Problem::Subject => "subject",
            Problem::Body | Problem::Unknown(_) | Problem::SmsTooLong(_) => "body",
            Problem::Rate => "per_hour",
            Problem::Holdout => "holdout_pct",
            Problem::Days => "effect_days",
        }
    }

    /// The problem for people.
    pub fn text(&self, l: Lang) -> String {
        match self {
            Problem::Name => format!(
                "{} {MAX_NAME} {}",
                l.pick("Název kampaně má 1 až", "A campaign's name has 1 to"),
                l.pick("znaků.", "characters.")
            ),
            Problem::Channel => l
                .pick(
                    "Kampaň jde e-mailem nebo SMS.",
                    "A campaign goes by e-mail or text message.",
                )
                .into(),
            Problem::Subject => format!(
                "{} {MAX_NAME} {}",
                l.pick(
                    "E-mail potřebuje předmět (nejvýš",
                    "An e-mail needs a subject (at most"
                ),
                l.pick("znaků).", "characters).")
            ),
            Problem::Body => format!(
                "{} {MAX_BODY} {}",
                l.pick("Text zprávy má 1 až", "The message's text has 1 to"),
                l.pick("znaků.", "characters.")
            ),
            Problem::Unknown(names) => format!(
                "{} {{{}}}; {} {{first_name}}, {{last_name}}.",
                l.pick("Neznámá proměnná", "Unknown variable"),
                names.join("}, {"),
                l.pick("lze použít", "use")
            ),
            Problem::SmsTooLong(parts) => format!(
                "{} {parts} {} {MAX_SMS_PARTS}).",
                l.pick(
                    "SMS i s odkazem na odhlášení zabere",
                    "With its unsubscribe link the text message takes"
                ),
                l.pick("částí (nejvýš", "parts (at most")
            ),
            Problem::Rate => format!(
                "{} {MAX_PER_HOUR} {}",
                l.pick("Rychlost je 1 až", "The rate is 1 to"),
                l.pick("zpráv za hodinu.", "messages an hour.")
            ),
            Problem::Holdout => format!(
                "{} {MAX_HOLDOUT} %.",
                l.pick("Kontrolní skupina je 0 až", "The hold-out is 0 to")
            ),
            Problem::Days => format!(
                "{} {MAX_DAYS} {}",
                l.pick("Účinek se měří 1 až", "The effect is counted over 1 to"),
                l.pick("dní.", "days.")
            ),
        }
    }
}

/// The names a text uses that are not campaign variables (a `{` without `}` too).
pub fn unknown_variables(text: &str) -> Vec<String> {
    unknown_names(text, &VARIABLES.map(|(v, _, _)| v))
}

/// A link as long as the real unsubscribe links (the SMS length check).
const SAMPLE_LINK: &str =
    "https://fieldcase.example.cz/u/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

impl Draft {
    /// Tidies the draft (texts trimmed) and checks it: the first problem.
    pub fn check(&mut self) -> Result<(), Problem> {
        self.name = self.name.trim().to_owned();
        self.subject = self.subject.trim().to_owned();
        self.body = self.body.trim().to_owned();
        let control = |t: &str| {
            t.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        };
        if self.name.is_empty() || self.name.chars().count() > MAX_NAME || control(&self.name) {
            return Err(Problem::Name);
        }
        if self.channel == Channel::Push {
            return Err(Problem::Channel);
        }
        if self.channel == Channel::Email
            && (self.subject.is_empty() || self.subject.chars().count() > MAX_NAME)
            || self.subject.contains(['\n', '\r'])
            || control(&self.subject)
        {
            return Err(Problem::Subject);
        }
        if self.body.is_empty() || self.body.chars().count() > MAX_BODY || control(&self.body) {
            return Err(Problem::Body);
        }
        let mut unknown = unknown_variables(&self.subject);
        unknown.extend(
            unknown_variables(&self.body)
                .into_iter()
                .filter(|n| !unknown.contains(n))
                .collect::<Vec<_>>(),
        );
        if !unknown.is_empty() {
            return Err(Problem::Unknown(unknown));
        }
        if self.channel == Channel::Sms {
            let (_, parts) = sms_parts(&self.message("Bohumila", "Nováková", SAMPLE_LINK).1);
            if parts > MAX_SMS_PARTS {
                return Err(Problem::SmsTooLong(parts));
            }
        }
        if !(1..=MAX_PER_HOUR).contains(&self.per_hour) {
            return Err(Problem::Rate);
        }
        if self.holdout_pct > MAX_HOLDOUT {
            return Err(Problem::Holdout);
        }
        if !(1..=MAX_DAYS).contains(&self.effect_days) {
            return Err(Problem::Days);
        }
        Ok(())
    }

    /// A recipient's subject and text: the variables filled in, the unsubscribe
    /// footer with `link` added.
    pub fn message(&self, first_name: &str, last_name: &str, link: &str) -> (String, String) {
        let fill = |text: &str| {
            text.replace("{first_name}", first_name)
                .replace("{last_name}", last_name)
        };
        let l = self.lang;
        let footer = match self.channel {
            Channel::Sms => format!(" {} {link}", l.pick("Odhlásit:", "Stop:")),
            _ => format!(
                "\n\n--\n{}\n{link}",
                l.pick(
                    "Tento e-mail dostáváte, protože jste nám dali souhlas. Odhlásit se můžete jedním kliknutím:",
                    "You get this e-mail because you agreed to. Unsubscribe with one click:"
                )
            ),
        };
        (fill(&self.subject), format!("{}{footer}", fill(&self.body)))
    }
}

/// How many of an audience of `n` are held out at `pct` per cent (rounded half up).
pub fn holdout_size(n: usize, pct: u32) -> usize {
    (n * pct as usize + 50) / 100
}

/// When each of `n` messages of a campaign launched at `start` may go at
/// `per_hour` messages an hour; text messages skip the quiet hours and go on at
/// the rate in the morning.
pub fn schedule(
    channel: Channel,
    start: OffsetDateTime,
    n: usize,
    per_hour: u32,
) -> Vec<OffsetDateTime> {
    let gap = Duration::milliseconds(3_600_000 / i64::from(per_hour.max(1)));
    let mut at = start;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        at = earliest(channel, at);
        out.push(at);
        at += gap;
    }
    out
}

/// One group's outcome within the effect's days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Group {
    /// Customers in the group.
    pub members: i64,
    /// Of them, those who ordered.
    pub buyers: i64,
    /// Their orders (not cancelled), and the orders' total (haléř).
    pub orders: i64,
    pub turnover: i64,
}

impl Group {
    /// Buyers per member, in per cent (one decimal).
    pub fn conversion_pct(&self) -> f64 {
        if self.members == 0 {
            0.0
        } else {
            (self.buyers as f64 * 1000.0 / self.members as f64).round() / 10.0
        }
    }

    /// Turnover per member, haléř.
    pub fn per_member(&self) -> i64 {
        if self.members == 0 {
            0
        } else {
            self.turnover / self.members
        }
    }
}

/// The campaign's effect: the sent group against the held-out one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Effect {
    pub sent: Group,
    pub held_out: Group,
}

impl Effect {
    /// The turnover the campaign brought: what the sent group made beyond what
    /// it would have at the held-out group's turnover per member (haléř; none
    /// without a hold-out).
    pub fn uplift(&self) -> Option<i64> {
        (self.held_out.members > 0).then(|| {
            self.sent.turnover
                - (self.held_out.turnover as i128 * self.sent.members as i128
                    / self.held_out.members as i128) as i64
        })
    }

    /// The conversion's difference, percentage points (none without a hold-out).
    pub fn conversion_lift(&self) -> Option<f64> {
        (self.held_out.members > 0).then(|| {
            ((self.sent.conversion_pct() - self.held_out.conversion_pct()) * 10.0).round() / 10.0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            name: " Jarní brýle ".into(),
            segment: uuid::Uuid::nil(),
            channel: Channel::Email,
            lang: Lang::Cs,
            subject: "Dobrý den, {first_name}".into(),
            body: "Máme pro vás {first_name} {last_name} novou kolekci.".into(),
            per_hour: 600,
            holdout_pct: 10,
            effect_days: 30,
        }
    }

    #[test]
    fn a_draft_is_checked() {
        let mut d = draft();
        assert_eq!(d.check(), Ok(()));
        assert_eq!(d.name, "Jarní brýle");
        let mut bad = draft();
        bad.body = "Ahoj {jmeno} a {first_name} {x".into();
        assert_eq!(
            bad.check(),
            Err(Problem::Unknown(vec!["jmeno".into(), "x".into()]))
        );
        assert!(
            Problem::Unknown(vec!["jmeno".into()])
                .text(Lang::Cs)
                .contains("{jmeno}")
        );
        let mut bad = draft();
        bad.subject = " ".into();
        assert_eq!(bad.check(), Err(Problem::Subject));
        let mut bad = draft();
        bad.body = "a\u{0}b".into();
        assert_eq!(bad.check(), Err(Problem::Body));
        let mut bad = draft();
        bad.subject = "a\nb".into();
        assert_eq!(bad.check(), Err(Problem::Subject));
        let mut bad = draft();
        bad.holdout_pct = 51;
        assert_eq!(bad.check(), Err(Problem::Holdout));
        let mut bad = draft();
        bad.per_hour = 0;
        assert_eq!(bad.check(), Err(Problem::Rate));
        let mut bad = draft();
        bad.effect_days = 0;
        assert_eq!(bad.check(), Err(Problem::Days));
        let mut bad = draft();
        bad.channel = Channel::Push;
        assert_eq!(bad.check(), Err(Problem::Channel));
        let mut sms = draft();
        sms.channel = Channel::Sms;
        sms.subject.clear();
        assert_eq!(sms.check(), Ok(()));
        sms.body = "ž".repeat(200);
        assert!(matches!(sms.check(), Err(Problem::SmsTooLong(n)) if n > MAX_SMS_PARTS));
    }

    #[test]
    fn every_message_carries_its_unsubscribe_link() {
        let d = draft();
        let (subject, body) = d.message("Jana", "Nová", "https://x/u/tok");
        assert_eq!(subject, "Dobrý den, Jana");
        assert!(body.starts_with("Máme pro vás Jana Nová novou kolekci."));
        assert!(body.ends_with("https://x/u/tok"), "{body}");
        let mut en = draft();
        en.lang = Lang::En;
        en.channel = Channel::Sms;
        assert!(en.message("A", "B", "L").1.ends_with(" Stop: L"));
    }

    #[test]
    fn the_holdout_and_the_rate() {
        assert_eq!(holdout_size(0, 10), 0);
        assert_eq!(holdout_size(25, 10), 3);
        assert_eq!(holdout_size(24, 10), 2);
        assert_eq!(holdout_size(7, 0), 0);
        assert_eq!(holdout_size(3, 50), 2);
        let start = time::macros::datetime!(2026-12-07 10:00 UTC);
        let mail = schedule(Channel::Email, start, 31, 60);
        assert_eq!((mail[0], mail[30]), (start, start + Duration::minutes(30)));
        // Text messages that would go after 20:00 in Prague wait for 8:00 and go
        // on at the rate: 11:00 + 9 h → the 541st at 8:00 the next day.
        let sms = schedule(Channel::Sms, start, 542, 60);
        assert_eq!(sms[539], time::macros::datetime!(2026-12-07 18:59 UTC));
        assert_eq!(sms[540], time::macros::datetime!(2026-12-08 07:00 UTC));
        assert_eq!(sms[541], time::macros::datetime!(2026-12-08 07:01 UTC));
    }

    #[test]
    fn the_effect_is_the_sent_against_the_held_out() {
        let e = Effect {
            sent: Group {
                members: 900,
                buyers: 45,
                orders: 50,
                turnover: 900 * 1_000,
            },
            held_out: Group {
                members: 100,
                buyers: 2,
                orders: 2,
                turnover: 100 * 400,
            },
        };
        assert_eq!(e.sent.conversion_pct(), 5.0);
        assert_eq!(e.held_out.conversion_pct(), 2.0);
        assert_eq!(e.conversion_lift(), Some(3.0));
        assert_eq!(e.uplift(), Some(900 * 600));
        assert_eq!(Effect::default().uplift(), None);
    }
}
