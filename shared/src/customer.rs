//! Rules for a client's record that the phone and the hub share: the fields by name,
//! the check of a form (normalised phone and postal code), and an edit applied to
//! the record as it is *now* rather than as it was when the form opened: only the
//! fields the user changed are written, so a change made meanwhile elsewhere (the
//! office, another phone) to another field survives, and a field changed on both
//! sides is reported instead of silently overwritten.

use crate::docs::records::ClientRecord;
use crate::validate::{self, FieldError, Problem};

pub mod merge;

/// The fields a person edits, by their names in forms, SQL and the API.
pub const CLIENT_FIELDS: [&str; 8] = [
    "first_name",
    "last_name",
    "phone",
    "email",
    "street",
    "city",
    "postal_code",
    "note",
];

/// The value of the field `name` (one of [`CLIENT_FIELDS`]).
pub fn field<'a>(client: &'a ClientRecord, name: &str) -> Option<&'a String> {
    Some(match name {
        "first_name" => &client.first_name,
        "last_name" => &client.last_name,
        "phone" => &client.phone,
        "email" => &client.email,
        "street" => &client.street,
        "city" => &client.city,
        "postal_code" => &client.postal_code,
        "note" => &client.note,
        _ => return None,
    })
}

pub(crate) fn field_mut<'a>(client: &'a mut ClientRecord, name: &str) -> Option<&'a mut String> {
    Some(match name {
        "first_name" => &mut client.first_name,
        "last_name" => &mut client.last_name,
        "phone" => &mut client.phone,
        "email" => &mut client.email,
        "street" => &mut client.street,
        "city" => &mut client.city,
        "postal_code" => &mut client.postal_code,
        "note" => &mut client.note,
        _ => return None,
    })
}

/// The fields named for people (`fields` from [`CLIENT_FIELDS`]), joined by ", ".
pub fn field_names(fields: &[&str], lang: crate::Lang) -> String {
    fields
        .iter()
        .map(|f| match *f {
            "first_name" => lang.pick("jméno", "first name"),
            "last_name" => lang.pick("příjmení", "surname"),
            "phone" => lang.pick("telefon", "phone"),
            "email" => "e-mail",
            "street" => lang.pick("ulice", "street"),
            "city" => lang.pick("obec", "town"),
            "postal_code" => lang.pick("PSČ", "postal code"),
            "note" => lang.pick("poznámka", "note"),
            "custom" => lang.pick("vlastní pole", "custom fields"),
            other => other,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a client as a form or an import gives it: a surname is required; phone
/// (Czech), e-mail and postal code are checked when given, phone and postal code
/// normalised (`+420 603 123 456`, `301 00`); texts trimmed.
pub fn check_client(client: &mut ClientRecord) -> Vec<FieldError> {
    for name in CLIENT_FIELDS {
        if let Some(value) = field_mut(client, name) {
            let trimmed = value.trim();
            if trimmed.len() != value.len() {
                *value = trimmed.to_owned();
            }
        }
    }
    let mut errors = Vec::new();
    if client.last_name.is_empty() {
        errors.push(FieldError::new("last_name", Problem::Required));
    }
    if !client.phone.is_empty() {
        match validate::phone_cz("phone", &client.phone) {
            Ok(p) => client.phone = p,
            Err(e) => errors.push(e),
        }
    }
    if !client.email.is_empty() {
        errors.extend(validate::email("email", &client.email).err());
    }
    if !client.postal_code.is_empty() {
        match validate::postal_code_cz("postal_code", &client.postal_code) {
            Ok(p) => client.postal_code = p,
            Err(e) => errors.push(e),
        }
    }
    errors
}

/// Fields the user changed that someone else changed to another value meanwhile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("changed meanwhile: {}", fields.join(", "))]
pub struct Stale {
    /// The fields, in [`CLIENT_FIELDS`] order.
    pub fields: Vec<&'static str>,
}

/// Applies the edit `seen` → `new` to `current` (the record as it is now): a field
/// the user did not change (`new == seen`) keeps its current value; a changed one is
/// written when nobody else changed it (`current == seen`) or changed it the same
/// way. Returns the fields written; [`Stale`] (and `current` untouched) when someone
/// else changed a field the user changed, to another value.
pub fn apply_edit(
    current: &mut ClientRecord,
    seen: &ClientRecord,
    new: &ClientRecord,
) -> Result<Vec<&'static str>, Stale> {
    let mut stale = Vec::new();
    let mut changed = Vec::new();
    for name in CLIENT_FIELDS {
        let (Some(seen), Some(new), Some(now)) =
            (field(seen, name), field(new, name), field(current, name))
        else {
            continue;
        };
        if new == seen || now == new {
            continue;
        }
        if now == seen {
            changed.push(name);
        } else {
            stale.push(name);
        }
    }
    // Custom fields, key by key (reported together as `custom`).
    let keys: std::collections::BTreeSet<&String> =
        seen.custom.keys().chain(new.custom.keys()).collect();
    let value = |r: &ClientRecord, k: &String| r.custom.get(k).cloned().unwrap_or_default();
    let mut custom = Vec::new();
    for key in keys {
        let (was, to, now) = (value(seen, key), value(new, key), value(current, key));
        if to == was || now == to {
            continue;
        }
        if now == was {
            custom.push((key.clone(), to));
        } else if !stale.contains(&"custom") {
            stale.push("custom");
        }
    }
    if !stale.is_empty() {
        return Err(Stale { fields: stale });
    }
    for name in &changed {
        if let (Some(to), Some(value)) = (field(new, name).cloned(), field_mut(current, name)) {
            *value = to;
        }
    }
    if !custom.is_empty() {
        changed.push("custom");
        for (key, to) in custom {
            if to.is_empty() {
                current.custom.remove(&key);
            } else {
                current.custom.insert(key, to);
            }
        }
    }
    Ok(changed)
}

/// Why two clients may be one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The same phone number, however written.
    Phone,
    /// The same e-mail.
    Email,
    /// A similar name at a similar address (folded, diacritics-insensitive).
    NameAddress,
}

impl Match {
    /// Stable code (SQL, the API).
    pub fn code(self) -> &'static str {
        match self {
            Match::Phone => "phone",
            Match::Email => "email",
            Match::NameAddress => "name_address",
        }
    }

    /// The match of a code.
    pub fn from_code(code: &str) -> Option<Match> {
        [Match::Phone, Match::Email, Match::NameAddress]
            .into_iter()
            .find(|m| m.code() == code)
    }

    /// Name for people.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Match::Phone => lang.pick("stejný telefon", "same phone"),
            Match::Email => lang.pick("stejný e-mail", "same e-mail"),
            Match::NameAddress => lang.pick("podobné jméno a adresa", "similar name and address"),
        }
    }
}

/// How alike two clients are: why, and a score (0–100; 100 for a shared phone or
/// e-mail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Likeness {
    /// Why, in order: phone, e-mail, name and address.
    pub matches: Vec<Match>,
    /// 0–100.
    pub score: u8,
}

/// A name and address alike at least this much (0–100) is a possible duplicate.
pub const NAME_ADDRESS_MIN: u8 = 85;

fn folded(s: &str) -> String {
    crate::search::words(s)
}

/// What [`likeness`] compares of a client, computed once (a scan over the whole
/// base compares each client with many others).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    /// The phone's national nine digits.
    pub phone: Option<String>,
    /// The e-mail, trimmed, lower case.
    pub email: Option<String>,
    /// Folded "last first" (what a scan sorts by).
    pub name: String,
    /// Folded surname and first name.
    pub last: String,
    pub first: String,
    /// The folded street without its house number, and the number's digits.
    pub street: String,
    pub number: String,
    /// Folded town.
    pub city: String,
    /// The postal code's digits.
    pub postal: String,
}

impl Keys {
    /// The keys of `c`.
    pub fn of(c: &ClientRecord) -> Keys {
        let street = folded(&c.street);
        let (numbered, named): (Vec<&str>, Vec<&str>) = street
            .split(' ')
            .filter(|w| !w.is_empty())
            .partition(|w| w.chars().any(|ch| ch.is_ascii_digit()));
        Keys {
            phone: c.phone_key(),
            email: c.email_key(),
            name: folded(&format!("{} {}", c.last_name, c.first_name)),
            last: folded(&c.last_name),
            first: folded(&c.first_name),
            street: named.join(" "),
            number: numbered
                .concat()
                .chars()
                .filter(char::is_ascii_digit)
                .collect(),
            city: folded(&c.city),
            postal: c.postal_code.chars().filter(char::is_ascii_digit).collect(),
        }
    }
}

/// Whether `a` and `b` may be one person, and how alike they are: the same phone
/// (its national nine digits) or e-mail (case aside); or a name alike at an address
/// alike, scored as their product and kept from [`NAME_ADDRESS_MIN`]. Names: the
/// surnames and the first names alike (Jaro-Winkler on folded text, multiplied; a
/// missing first name counts 0.9). Addresses: none where the postal codes or the
/// towns differ; else the street names alike (a different house number × 0.7), or
/// without a street the same town or postal code (0.9).
pub fn likeness(a: &ClientRecord, b: &ClientRecord) -> Option<Likeness> {
    likeness_of(&Keys::of(a), &Keys::of(b))
}

/// [`likeness`] on keys computed beforehand.
pub fn likeness_of(a: &Keys, b: &Keys) -> Option<Likeness> {
    let same = |x: &Option<String>, y: &Option<String>| x.is_some() && x == y;
    let both = |x: &str, y: &str| !x.is_empty() && !y.is_empty();
    let mut matches = Vec::new();
    if same(&a.phone, &b.phone) {
        matches.push(Match::Phone);
    }
    if same(&a.email, &b.email) {
        matches.push(Match::Email);
    }
    let jw = strsim::jaro_winkler;
    let name_alike = if !both(&a.last, &b.last) {
        0.0
    } else if both(&a.first, &b.first) {
        jw(&a.last, &b.last) * jw(&a.first, &b.first)
    } else {
        jw(&a.last, &b.last) * 0.9
    };
    let elsewhere = (both(&a.postal, &b.postal) && a.postal != b.postal)
        || (both(&a.city, &b.city) && a.city != b.city);
    let address_alike = if elsewhere {
        0.0
    } else if both(&a.street, &b.street) {
        let other_house = both(&a.number, &b.number) && a.number != b.number;
        jw(&a.street, &b.street) * if other_house { 0.7 } else { 1.0 }
    } else if (!a.city.is_empty() && a.city == b.city)
        || (!a.postal.is_empty() && a.postal == b.postal)
    {
        0.9
    } else {
        0.0
    };
    let name_address = (name_alike * address_alike * 100.0).round() as u8;
    if name_address >= NAME_ADDRESS_MIN {
        matches.push(Match::NameAddress);
    }
    if matches.is_empty() {
        return None;
    }
    let contact = matches.iter().any(|m| *m != Match::NameAddress);
    Some(Likeness {
        matches,
        score: if contact { 100 } else { name_address },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jana() -> ClientRecord {
        ClientRecord {
            first_name: "Jana".into(),
            last_name: "Šimková".into(),
            phone: "+420 603 123 456".into(),
            city: "Plzeň".into(),
            created_at: "2026-11-25T10:00:00Z".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_edit_keeps_what_others_changed_meanwhile() {
        let seen = jana();
        // The office changed the e-mail while the adviser's form was open.
        let mut current = seen.clone();
        current.email = "jana@example.cz".into();
        // The adviser changed the town (the form still shows no e-mail).
        let mut new = seen.clone();
        new.city = "Brno".into();
        assert_eq!(apply_edit(&mut current, &seen, &new), Ok(vec!["city"]));
        assert_eq!(
            (current.city.as_str(), current.email.as_str()),
            ("Brno", "jana@example.cz")
        );
        // Nothing changed: nothing written.
        let before = current.clone();
        assert_eq!(apply_edit(&mut current, &before, &before), Ok(vec![]));
        assert_eq!(current, before);
    }

    #[test]
    fn the_same_field_changed_on_both_sides_is_stale() {
        let seen = jana();
        let mut current = seen.clone();
        current.phone = "+420 777 888 999".into();
        let mut new = seen.clone();
        new.phone = "+420 604 000 111".into();
        new.city = "Brno".into();
        let untouched = current.clone();
        assert_eq!(
            apply_edit(&mut current, &seen, &new),
            Err(Stale {
                fields: vec!["phone"]
            })
        );
        assert_eq!(current, untouched, "nothing is written");
        // Changed the same way on both sides: no conflict.
        new.phone = "+420 777 888 999".into();
        assert_eq!(apply_edit(&mut current, &seen, &new), Ok(vec!["city"]));
    }

    #[test]
    fn duplicates_by_phone_email_or_name_and_address() {
        let jana = ClientRecord {
            first_name: "Jana".into(),
            last_name: "Šimková".into(),
            phone: "+420 603 123 456".into(),
            email: "Jana@Example.cz".into(),
            street: "Náměstí Republiky 12".into(),
            city: "Plzeň".into(),
            ..Default::default()
        };
        let other = |f: &dyn Fn(&mut ClientRecord)| {
            let mut c = ClientRecord {
                first_name: "Petr".into(),
                last_name: "Novák".into(),
                city: "Brno".into(),
                ..Default::default()
            };
            f(&mut c);
            likeness(&jana, &c).map(|l| (l.matches, l.score))
        };
        assert_eq!(
            other(&|c| c.phone = "603123456".into()),
            Some((vec![Match::Phone], 100))
        );
        assert_eq!(
            other(&|c| c.email = " jana@example.CZ ".into()),
            Some((vec![Match::Email], 100))
        );
        // Typed without diacritics, a typo in the street.
        let typo = other(&|c| {
            c.first_name = "Jana".into();
            c.last_name = "Simkova".into();
            c.street = "Namesti Republky 12a".into();
            c.city = "Plzen".into();
        });
        assert!(
            matches!(&typo, Some((m, s)) if *m == [Match::NameAddress] && *s >= NAME_ADDRESS_MIN),
            "{typo:?}"
        );
        // No street: the same town will do.
        let town = other(&|c| {
            c.first_name = "Jana".into();
            c.last_name = "Šimková".into();
            c.city = "Plzen".into();
        });
        assert!(
            matches!(&town, Some((m, _)) if *m == [Match::NameAddress]),
            "{town:?}"
        );
        // The same name elsewhere, or someone else at the address: not alike.
        assert_eq!(
            other(&|c| {
                c.first_name = "Jana".into();
                c.last_name = "Šimková".into();
            }),
            None
        );
        assert_eq!(other(&|c| c.street = "Náměstí Republiky 12".into()), None);
        // The same surname at the same address, another first name (a relative),
        // or the same name in another house of the street: not alike.
        let at_home = |first: &str, street: &str| {
            other(&|c| {
                c.first_name = first.into();
                c.last_name = "Šimková".into();
                c.street = street.into();
                c.city = "Plzeň".into();
            })
        };
        assert_eq!(at_home("Dagmar", "Náměstí Republiky 12"), None);
        assert_eq!(at_home("Jana", "Náměstí Republiky 85"), None);
        assert!(at_home("Jana", "nám. Republiky 12").is_some());
        assert_eq!(
            likeness(&ClientRecord::default(), &ClientRecord::default()),
            None
        );
    }

    #[test]
    fn a_form_is_checked_and_normalised() {
        let mut c = ClientRecord {
            last_name: "  Novák ".into(),
            phone: "603123456".into(),
            postal_code: "30100".into(),
            ..Default::default()
        };
        assert!(check_client(&mut c).is_empty());
        assert_eq!(
            (
                c.last_name.as_str(),
                c.phone.as_str(),
                c.postal_code.as_str()
            ),
            ("Novák", "+420 603 123 456", "301 00")
        );
        let mut bad = ClientRecord {
            phone: "12".into(),
            email: "nope".into(),
            ..Default::default()
        };
        let fields: Vec<String> = check_client(&mut bad)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["last_name", "phone", "email"]);
    }
}
