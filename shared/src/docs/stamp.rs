//! Timestamps in workspace records: RFC 3339 text (`2026-11-23T10:00:00Z`), as a
//! JavaScript client writes `new Date().toISOString()`.
//!
//! A record may leave its creation time out (the hub then records when it first saw
//! the record); a time that is there but does not read is refused, never replaced
//! by "now", so the office never shows a made-up date.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A record's timestamp that is present but not RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable timestamp {text:?} (expected RFC 3339, e.g. 2026-11-23T10:00:00Z)")]
pub struct UnreadableTime {
    /// What the record holds (cut to 40 characters).
    pub text: String,
}

/// The record's time: `None` when left out (empty), an error when unreadable.
pub fn record_time(text: &str) -> Result<Option<OffsetDateTime>, UnreadableTime> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    OffsetDateTime::parse(text, &Rfc3339)
        .map(Some)
        .map_err(|_| UnreadableTime {
            text: text.chars().take(40).collect(),
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn times_read_or_are_refused() {
        assert_eq!(record_time("").unwrap(), None);
        assert_eq!(
            record_time("2026-11-23T10:00:00Z")
                .unwrap()
                .unwrap()
                .unix_timestamp(),
            1_795_428_000
        );
        assert!(
            record_time("2026-11-23T10:00:00.123+01:00")
                .unwrap()
                .is_some()
        );
        assert!(record_time("yesterday").is_err());
        assert!(
            record_time("1764000000").is_err(),
            "a bare number is not a time"
        );
    }
}
