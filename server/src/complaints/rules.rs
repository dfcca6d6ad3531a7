//! Complaint rules, pure: how a complaint comes in, who opens, decides and reads
//! them (the decisions, the 30-day deadline and its alarms are the phone's too:
//! `fieldcase_shared::complaint`, re-exported here), what a new complaint and a
//! decision must hold, and what a photo may be (an image — JPEG,
//! PNG, WebP or HEIC, told by its bytes, not its name — of at most 8 MB, six to
//! a complaint).

pub use fieldcase_shared::complaint::{
    ALARM_DAY, DEADLINE_DAYS, Decision, Urgency, WARN_DAY, days_left, days_left_text, deadline,
    may_complain, urgency,
};
use fieldcase_shared::validate::{FieldError, Problem};
use fieldcase_shared::{Lang, Role};

/// The largest photo taken.
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;
/// Photos to one complaint at most.
pub const MAX_PHOTOS: usize = 6;
/// Complaints the customer may make about one order on its public page.
pub const MAX_FROM_CUSTOMER: usize = 5;
/// The longest reason or note.
pub const MAX_TEXT: usize = 4_000;

/// Who may open a complaint in the office (a store at its counter, the office,
/// customer service).
pub const OPENERS: &[Role] = &[
    Role::Office,
    Role::Store,
    Role::CustomerService,
    Role::Admin,
];
/// Who decides complaints and writes their notes (the designated staff).
pub const DECIDERS: &[Role] = &[Role::Office, Role::CustomerService, Role::Admin];
/// Who may read them (the lab and accounting get their tasks from them).
pub const READERS: &[Role] = &[
    Role::Office,
    Role::Store,
    Role::CustomerService,
    Role::Admin,
    Role::Lab,
    Role::Accounting,
];

/// How a complaint came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Office,
    Store,
    Care,
    Customer,
}

impl Via {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Via::Office => "office",
            Via::Store => "store",
            Via::Care => "care",
            Via::Customer => "customer",
        }
    }

    /// Reads a code.
    pub fn parse(code: &str) -> Option<Via> {
        [Via::Office, Via::Store, Via::Care, Via::Customer]
            .into_iter()
            .find(|v| v.code() == code)
    }

    /// Staff of `role` opening one.
    pub fn of(role: Role) -> Via {
        match role {
            Role::Store => Via::Store,
            Role::CustomerService => Via::Care,
            _ => Via::Office,
        }
    }

    /// Its name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Via::Office => lang.pick("kancelář", "office"),
            Via::Store => lang.pick("prodejna", "store"),
            Via::Care => lang.pick("zákaznický servis", "customer service"),
            Via::Customer => lang.pick(
                "zákazník na stránce zakázky",
                "the customer, on the order's page",
            ),
        }
    }
}

/// A reason or note: trimmed, not empty, not too long.
pub fn check_text(field: &'static str, text: &str) -> Result<String, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(FieldError::new(field, Problem::TooLong { max: MAX_TEXT }));
    }
    Ok(text.to_owned())
}

/// A decision: a rejection must say why (the customer is owed the reason).
pub fn check_decision(decision: &str, reason: &str) -> Result<(Decision, String), Vec<FieldError>> {
    let Some(d) = Decision::parse(decision) else {
        return Err(vec![FieldError::new("decision", Problem::Invalid)]);
    };
    let reason = reason.trim();
    if d == Decision::Reject && reason.is_empty() {
        return Err(vec![FieldError::new("decision_reason", Problem::Required)]);
    }
    if reason.chars().count() > MAX_TEXT {
        return Err(vec![FieldError::new(
            "decision_reason",
            Problem::TooLong { max: MAX_TEXT },
        )]);
    }
    Ok((d, reason.to_owned()))
}

/// Why a photo is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoRefused {
    #[error("the photo is larger than 8 MB")]
    TooBig,
    #[error("the file is not a photo (JPEG, PNG, WebP or HEIC)")]
    NotAnImage,
    #[error("a complaint takes at most six photos")]
    TooMany,
    #[error("the file is empty")]
    Empty,
}

impl PhotoRefused {
    /// The refusal in `lang`.
    pub fn text(&self, lang: Lang) -> &'static str {
        match self {
            PhotoRefused::TooBig => {
                lang.pick("Fotka je větší než 8 MB.", "The photo is larger than 8 MB.")
            }
            PhotoRefused::NotAnImage => lang.pick(
                "Soubor není fotka (JPEG, PNG, WebP nebo HEIC).",
                "The file is not a photo (JPEG, PNG, WebP or HEIC).",
            ),
            PhotoRefused::TooMany => lang.pick(
                "K reklamaci lze přiložit nejvýš šest fotek.",
                "A complaint takes at most six photos.",
            ),
            PhotoRefused::Empty => lang.pick("Soubor je prázdný.", "The file is empty."),
        }
    }
}

/// The photo's content type, told by its bytes, or why it is refused.
pub fn photo_type(bytes: &[u8]) -> Result<&'static str, PhotoRefused> {
    if bytes.is_empty() {
        return Err(PhotoRefused::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoRefused::TooBig);
    }
    match infer::get(bytes).map(|t| t.mime_type()) {
        Some(t @ ("image/jpeg" | "image/png" | "image/webp" | "image/heif")) => Ok(t),
        _ => Err(PhotoRefused::NotAnImage),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_says_why() {
        assert!(check_decision("reject", "  ").is_err());
        assert_eq!(
            check_decision("reject", " poškozeno pádem "),
            Ok((Decision::Reject, "poškozeno pádem".to_owned()))
        );
        assert_eq!(
            check_decision("repair", ""),
            Ok((Decision::Repair, String::new()))
        );
        assert!(check_decision("replace", "x").is_err());
    }

    #[test]
    fn photos_are_images_of_limited_size() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(photo_type(png), Ok("image/png"));
        assert_eq!(photo_type(b"\xff\xd8\xff\xe0\0\x10JFIF"), Ok("image/jpeg"));
        assert_eq!(photo_type(b"%PDF-1.7\n"), Err(PhotoRefused::NotAnImage));
        assert_eq!(photo_type(b""), Err(PhotoRefused::Empty));
        let mut big = png.to_vec();
        big.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(photo_type(&big), Err(PhotoRefused::TooBig));
    }
}
