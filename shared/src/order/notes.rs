//! An order's notes: for the customer (shown on the order's public page), for the
//! lab or supplier (printed on the job sheet) and private ones (office roles only).
//! Notes are append-only: each has its author and time, none is edited.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::role::Role;

/// Longest note accepted (characters).
pub const MAX_NOTE_CHARS: usize = 4_000;

/// Who a note is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// For the customer: shown on the order's public page.
    Customer,
    /// For the lab or the supplier: printed on the job sheet.
    Lab,
    /// Private: only office roles read (and find) it.
    Private,
}

/// The text is not a note kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown note kind: {0:?}; expected one of customer, lab, private")]
pub struct UnknownNoteKind(pub String);

impl NoteKind {
    /// Every kind, in the order the card shows them.
    pub const ALL: [NoteKind; 3] = [NoteKind::Customer, NoteKind::Lab, NoteKind::Private];

    /// Stable code (SQL, API).
    pub fn code(self) -> &'static str {
        match self {
            NoteKind::Customer => "customer",
            NoteKind::Lab => "lab",
            NoteKind::Private => "private",
        }
    }

    /// Name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            NoteKind::Customer => lang.pick("Pro zákazníka", "For the customer"),
            NoteKind::Lab => lang.pick("Pro laboratoř", "For the lab"),
            NoteKind::Private => lang.pick("Interní", "Private"),
        }
    }

    /// Whether `role` may read (and find orders by) notes of this kind. Private notes
    /// are for the office roles: not the adviser, the store or the lab.
    pub fn may_read(self, role: Role) -> bool {
        match self {
            NoteKind::Customer | NoteKind::Lab => true,
            NoteKind::Private => may_read_private(role),
        }
    }
}

/// Whether `role` may read private notes (and find orders by their words).
pub fn may_read_private(role: Role) -> bool {
    matches!(
        role,
        Role::Office | Role::Accounting | Role::CustomerService | Role::Admin
    )
}

impl std::str::FromStr for NoteKind {
    type Err = UnknownNoteKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NoteKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| UnknownNoteKind(s.to_owned()))
    }
}

/// A note's text, trimmed, or why it cannot be taken (cs, en).
pub fn check_note(body: &str) -> Result<String, (&'static str, &'static str)> {
    let body = body.trim();
    if body.is_empty() {
        return Err(("Poznámka je prázdná.", "The note is empty."));
    }
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err((
            "Poznámka je delší než 4 000 znaků.",
            "The note is longer than 4,000 characters.",
        ));
    }
    if body
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err((
            "Poznámka obsahuje neplatné znaky.",
            "The note contains invalid characters.",
        ));
    }
    Ok(body.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_private_is_for_office_roles() {
        for k in NoteKind::ALL {
            assert_eq!(k.code().parse::<NoteKind>(), Ok(k));
        }
        assert!("secret".parse::<NoteKind>().is_err());
        let readers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| NoteKind::Private.may_read(*r))
            .collect();
        assert_eq!(
            readers,
            vec![
                Role::Office,
                Role::Accounting,
                Role::CustomerService,
                Role::Admin
            ]
        );
        assert!(Role::ALL.iter().all(|r| NoteKind::Lab.may_read(*r)));
    }

    #[test]
    fn notes_are_checked() {
        assert_eq!(check_note("  hotovo \n"), Ok("hotovo".into()));
        assert!(check_note("   ").is_err());
        assert!(check_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
        assert!(check_note("a\u{0}b").is_err());
        assert!(check_note("řádek\nřádek").is_ok());
    }
}
