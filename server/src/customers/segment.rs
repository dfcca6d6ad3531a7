//! Segments: saved filters of the customer base (who to reach) and their exports.
//! A segment's [`Criteria`] are stored as JSON and judged when they are counted or
//! exported, so "no order in 18 months" always means the last 18 months. An export
//! lists the e-mails or phones of the segment's customers who have consented to that
//! channel now, whatever the criteria say: marketing reaches only those it may.

use fieldcase_shared::custom_field::FieldRecord;
use fieldcase_shared::docs::catalog::fold;
use fieldcase_shared::{AdviserId, Lang, StoreId};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// What a customer of a segment must be; an empty value does not narrow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Criteria {
    /// Their adviser (UUID).
    #[schema(value_type = Option<String>)]
    pub adviser: Option<AdviserId>,
    /// Their store, their adviser's home store (UUID).
    #[schema(value_type = Option<String>)]
    pub shop: Option<StoreId>,
    /// Current e-mail consent given (true) or not (false: withdrawn, never given).
    pub email_consent: Option<bool>,
    /// The same for SMS.
    pub sms_consent: Option<bool>,
    /// Their town, as written (compared without diacritics and case).
    pub town: String,
    /// Their region: postal codes beginning with one of these (digits).
    pub postal_prefixes: Vec<String>,
    /// Ordered (an order not cancelled) within the last N months.
    pub ordered_within_months: Option<u32>,
    /// No order within the last N months (whether or not they ever ordered).
    pub no_order_months: Option<u32>,
    /// Spent at least this much (CZK, orders not cancelled).
    pub min_spend: Option<i64>,
    /// Spent at most this much (CZK).
    pub max_spend: Option<i64>,
    /// Their last prescription was measured more than N months ago (customers
    /// without one are left out).
    pub prescription_older_months: Option<u32>,
    /// Has an order in complaint now (true) or none (false).
    pub open_complaint: Option<bool>,
}

/// The longest segment name, in characters.
pub const MAX_NAME: usize = 100;

/// A segment's name trimmed, if it has 1 to [`MAX_NAME`] characters.
pub fn check_name(name: &str) -> Option<String> {
    let name = name.trim();
    (!name.is_empty() && name.chars().count() <= MAX_NAME).then(|| name.to_owned())
}

/// The longest span a month criterion takes (100 years).
const MAX_MONTHS: u32 = 1200;

impl Criteria {
    /// Whether any criterion needs the segment facts (`customer_stats`); the
    /// adviser and store alone do not.
    pub fn needs_facts(&self) -> bool {
        self.email_consent.is_some()
            || self.sms_consent.is_some()
            || !self.town.trim().is_empty()
            || !self.postal_prefixes.is_empty()
            || self.ordered_within_months.is_some()
            || self.no_order_months.is_some()
            || self.min_spend.is_some()
            || self.max_spend.is_some()
            || self.prescription_older_months.is_some()
            || self.open_complaint.is_some()
    }

    /// Whether nothing narrows.
    pub fn is_empty(&self) -> bool {
        !self.needs_facts() && self.adviser.is_none() && self.shop.is_none()
    }

    /// The town as stored in the facts (folded).
    pub fn town_key(&self) -> String {
        fold(self.town.trim())
    }

    /// Checks the criteria and tidies them (prefixes to their digits, the town
    /// trimmed); the first problem as a message for people.
    pub fn check(&mut self) -> Result<(), CriteriaError> {
        self.town = self.town.trim().to_owned();
        let mut prefixes = Vec::new();
        for p in &self.postal_prefixes {
            let digits: String = p.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.is_empty() {
                continue;
            }
            if digits.len() > 5 || !digits.chars().all(|c| c.is_ascii_digit()) {
                return Err(CriteriaError::Postal(p.clone()));
            }
            if !prefixes.contains(&digits) {
                prefixes.push(digits);
            }
        }
        self.postal_prefixes = prefixes;
        for months in [
            self.ordered_within_months,
            self.no_order_months,
            self.prescription_older_months,
        ]
        .into_iter()
        .flatten()
        {
            if months == 0 || months > MAX_MONTHS {
                return Err(CriteriaError::Months);
            }
        }
        for spend in [self.min_spend, self.max_spend].into_iter().flatten() {
            if !(0..=1_000_000_000).contains(&spend) {
                return Err(CriteriaError::Spend);
            }
        }
        if let (Some(min), Some(max)) = (self.min_spend, self.max_spend)
            && min > max
        {
            return Err(CriteriaError::SpendOrder);
        }
        if let (Some(within), Some(none)) = (self.ordered_within_months, self.no_order_months)
            && within <= none
        {
            return Err(CriteriaError::Exclusive);
        }
        Ok(())
    }

    /// The criteria in words, for lists and confirmations ("everyone" when empty).
    pub fn describe(&self, lang: Lang, names: &dyn Fn(Named) -> String) -> String {
        let mut parts: Vec<String> = Vec::new();
        let yes_no =
            |v: bool| lang.pick(if v { "ano" } else { "ne" }, if v { "yes" } else { "no" });
        if let Some(a) = self.adviser {
            parts.push(format!(
                "{} {}",
                lang.pick("poradce", "adviser"),
                names(Named::Adviser(a))
            ));
        }
        if let Some(s) = self.shop {
            parts.push(format!(
                "{} {}",
                lang.pick("prodejna", "store"),
                names(Named::Shop(s))
            ));
        }
        if let Some(v) = self.email_consent {
            parts.push(format!(
                "{}: {}",
                lang.pick("souhlas s e-maily", "e-mail consent"),
                yes_no(v)
            ));
        }
        if let Some(v) = self.sms_consent {
            parts.push(format!(
                "{}: {}",
                lang.pick("souhlas s SMS", "SMS consent"),
                yes_no(v)
            ));
        }
        if !self.town.is_empty() {
            parts.push(format!("{} {}", lang.pick("obec", "town"), self.town));
        }
        if !self.postal_prefixes.is_empty() {
            parts.push(format!(
                "{} {}…",
                lang.pick("PSČ", "postal code"),
                self.postal_prefixes.join("…, ")
            ));
        }
        if let Some(m) = self.ordered_within_months {
            parts.push(format!(
                "{} {m} {}",
                lang.pick("objednal za posledních", "ordered within"),
                lang.pick("měs.", "months")
            ));
        }
        if let Some(m) = self.no_order_months {
            parts.push(format!(
                "{} {m} {}",
                lang.pick("bez objednávky", "no order in"),
                lang.pick("měs.", "months")
            ));
        }
        if let Some(v) = self.min_spend {
            parts.push(format!("{} ≥ {v} Kč", lang.pick("útrata", "spend")));
        }
        if let Some(v) = self.max_spend {
            parts.push(format!("{} ≤ {v} Kč", lang.pick("útrata", "spend")));
        }
        if let Some(m) = self.prescription_older_months {
            parts.push(format!(
                "{} {m} {}",
                lang.pick("předpis starší než", "prescription older than"),
                lang.pick("měs.", "months")
            ));
        }
        if let Some(v) = self.open_complaint {
            parts.push(format!(
                "{}: {}",
                lang.pick("otevřená reklamace", "open complaint"),
                yes_no(v)
            ));
        }
        if parts.is_empty() {
            lang.pick("všichni zákazníci", "every customer").to_owned()
        } else {
            parts.join(" · ")
        }
    }
}

/// Why criteria cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CriteriaError {
    /// A postal code beginning that is not 1–5 digits (as typed).
    Postal(String),
    /// A number of months out of 1..=1200.
    Months,
    /// A spend out of 0..=1,000,000,000 CZK.
    Spend,
    /// The lowest spend above the highest.
    SpendOrder,
    /// Ordered within N months and no order within M ≥ N months.
    Exclusive,
}

impl CriteriaError {
    /// The message for people.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            CriteriaError::Postal(p) => match lang {
                Lang::Cs => format!("Začátek PSČ „{p}“ musí být 1 až 5 číslic."),
                Lang::En => format!("The postal code beginning \"{p}\" must be 1 to 5 digits."),
            },
            CriteriaError::Months => match lang {
                Lang::Cs => format!("Počet měsíců musí být 1 až {MAX_MONTHS}."),
                Lang::En => format!("A number of months must be 1 to {MAX_MONTHS}."),
            },
            CriteriaError::Spend => lang
                .pick("Útrata musí být 0 až 1 000 000 000 Kč.", "A spend must be 0 to 1,000,000,000 CZK.")
                .to_owned(),
            CriteriaError::SpendOrder => lang
                .pick("Nejnižší útrata je vyšší než nejvyšší.", "The lowest spend is above the highest.")
                .to_owned(),
            CriteriaError::Exclusive => lang
                .pick(
                    "Objednávka za posledních N měsíců a žádná za posledních M měsíců se vylučují, pokud N není větší než M.",
                    "Ordered within N months and no order within M months exclude each other unless N is above M.",
                )
                .to_owned(),
        }
    }
}

/// A name [`Criteria::describe`] asks for.
#[derive(Debug, Clone, Copy)]
pub enum Named {
    Adviser(AdviserId),
    Shop(StoreId),
}

/// The day `months` calendar months before `today` (the 31st becomes the month's
/// last day).
pub fn months_before(today: Date, months: u32) -> Date {
    fieldcase_shared::calendar::add_months(today, -i64::from(months))
}

/// The moment a month criterion starts: midnight UTC of [`months_before`] today.
pub fn cutoff(now: OffsetDateTime, months: u32) -> OffsetDateTime {
    months_before(now.date(), months).midnight().assume_utc()
}

/// Which contact an export lists (only of those who consented to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// E-mail addresses (e-mail consent given).
    Email,
    /// Phone numbers (SMS consent given).
    Sms,
}

impl Channel {
    /// The code in URLs and files.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    /// From a URL's code.
    pub fn parse(s: &str) -> Option<Channel> {
        [Channel::Email, Channel::Sms]
            .into_iter()
            .find(|c| c.code() == s)
    }
}

/// The file an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// UTF-8 CSV with a byte-order mark (so that Excel reads the diacritics), `;`
    /// separated (the Czech Excel's list separator).
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl Format {
    /// The code in URLs and the file's extension.
    pub fn code(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// From a URL's code.
    pub fn parse(s: &str) -> Option<Format> {
        [Format::Csv, Format::Xlsx]
            .into_iter()
            .find(|c| c.code() == s)
    }

    /// The file's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// One customer in an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub first_name: String,
    pub last_name: String,
    /// The e-mail or the phone, by the export's channel.
    pub contact: String,
    pub town: String,
    /// Custom fields' values by key.
    pub custom: std::collections::BTreeMap<String, String>,
}

impl Contact {
    /// The row's cells: the contact, then a value per custom field of `fields`.
    fn cells(&self, fields: &[FieldRecord]) -> Vec<String> {
        let mut out = vec![
            self.first_name.clone(),
            self.last_name.clone(),
            self.contact.clone(),
            self.town.clone(),
        ];
        out.extend(
            fields
                .iter()
                .map(|f| self.custom.get(&f.key).cloned().unwrap_or_default()),
        );
        out
    }
}

/// The header of an export's columns: the contact's, then the custom fields' keys.
fn header(channel: Channel, fields: &[FieldRecord]) -> Vec<String> {
    let contact = match channel {
        Channel::Email => "email",
        Channel::Sms => "phone",
    };
    ["first_name", "last_name", contact, "town"]
        .into_iter()
        .map(str::to_owned)
        .chain(fields.iter().map(|f| f.key.clone()))
        .collect()
}

/// Writes the contacts as a file, with a column per custom field of `fields`.
pub fn write(
    channel: Channel,
    format: Format,
    rows: &[Contact],
    fields: &[FieldRecord],
) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Csv => {
            let mut out = Vec::from("\u{feff}".as_bytes());
            {
                let mut w = csv::WriterBuilder::new()
                    .delimiter(b';')
                    .from_writer(&mut out);
                w.write_record(header(channel, fields))?;
                for r in rows {
                    w.write_record(r.cells(fields))?;
                }
                w.flush()?;
            }
            Ok(out)
        }
        Format::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for (col, h) in header(channel, fields).iter().enumerate() {
                sheet.write_string_with_format(0, col as u16, h, &bold)?;
            }
            for (i, r) in rows.iter().enumerate() {
                let row = i as u32 + 1;
                for (col, v) in r.cells(fields).iter().enumerate() {
                    sheet.write_string(row, col as u16, v.as_str())?;
                }
            }
            sheet.autofit();
            Ok(book.save_to_buffer()?)
        }
    }
}

/// The file name of a segment's export: its name without diacritics, the channel,
/// today's date.
pub fn file_name(segment: &str, channel: Channel, format: Format, today: Date) -> String {
    let base: String = fold(segment)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let base = base
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "{}-{}-{today}.{}",
        if base.is_empty() { "segment" } else { &base },
        channel.code(),
        format.code()
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_count_back_by_the_calendar() {
        assert_eq!(
            months_before(date!(2026 - 12 - 04), 18),
            date!(2025 - 06 - 04)
        );
        assert_eq!(
            months_before(date!(2026 - 03 - 31), 1),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            months_before(date!(2024 - 03 - 31), 1),
            date!(2024 - 02 - 29)
        );
        assert_eq!(
            months_before(date!(2026 - 01 - 15), 1),
            date!(2025 - 12 - 15)
        );
        assert_eq!(
            months_before(date!(2026 - 01 - 15), 24),
            date!(2024 - 01 - 15)
        );
    }

    #[test]
    fn criteria_are_checked_and_tidied() {
        let mut c = Criteria {
            town: "  Brno ".into(),
            postal_prefixes: vec!["6 0".into(), "".into(), "60".into(), "1".into()],
            ..Criteria::default()
        };
        c.check().unwrap();
        assert_eq!(c.town, "Brno");
        assert_eq!(c.postal_prefixes, vec!["60", "1"]);
        assert!(c.needs_facts());
        for bad in [
            Criteria {
                postal_prefixes: vec!["6a".into()],
                ..Criteria::default()
            },
            Criteria {
                postal_prefixes: vec!["123456".into()],
                ..Criteria::default()
            },
            Criteria {
                no_order_months: Some(0),
                ..Criteria::default()
            },
            Criteria {
                min_spend: Some(-1),
                ..Criteria::default()
            },
            Criteria {
                min_spend: Some(5),
                max_spend: Some(4),
                ..Criteria::default()
            },
            Criteria {
                ordered_within_months: Some(6),
                no_order_months: Some(12),
                ..Criteria::default()
            },
        ] {
            let mut bad = bad;
            assert!(bad.check().is_err(), "{bad:?}");
        }
        assert!(Criteria::default().is_empty());
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Criteria>(&json).unwrap(), c);
        assert!(serde_json::from_str::<Criteria>(r#"{"colour":"red"}"#).is_err());
    }

    #[test]
    fn a_csv_export_opens_in_excel_with_its_diacritics() {
        let rows = vec![Contact {
            first_name: "Žofie".into(),
            last_name: "Dvořáková".into(),
            contact: "zofie@example.cz".into(),
            town: "Brno; střed".into(),
            custom: [("karta".to_owned(), "zlatá".to_owned())].into(),
        }];
        let bytes = write(Channel::Email, Format::Csv, &rows, &[]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}first_name;last_name;email;town\nŽofie;Dvořáková;zofie@example.cz;\"Brno; střed\"\n"
        );
        // A column per custom field, by its key.
        let fields = [
            FieldRecord {
                key: "karta".into(),
                ..FieldRecord::default()
            },
            FieldRecord {
                key: "od".into(),
                ..FieldRecord::default()
            },
        ];
        let text =
            String::from_utf8(write(Channel::Email, Format::Csv, &rows, &fields).unwrap()).unwrap();
        assert!(text.starts_with("\u{feff}first_name;last_name;email;town;karta;od\n"));
        assert!(text.ends_with(";zlatá;\n"), "{text}");
        let xlsx = write(Channel::Sms, Format::Xlsx, &rows, &fields).unwrap();
        assert!(xlsx.starts_with(b"PK"), "a zip");
        assert_eq!(
            file_name(
                "Bez objednávky 18 měs.",
                Channel::Email,
                Format::Csv,
                date!(2026 - 12 - 04)
            ),
            "bez-objednavky-18-mes-email-2026-12-04.csv"
        );
    }
}
