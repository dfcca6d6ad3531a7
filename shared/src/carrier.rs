//! Carriers that bring glasses to clients, their tracking-number formats and the
//! public tracking page of each. The hub checks a number before it stores it; the
//! office and the phone show the link. The URL templates can be replaced in the
//! hub's configuration (`tracking_urls`); these are the defaults.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Who delivers an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// Česká pošta (UPU S10 numbers, e.g. `RR123456789CZ`).
    CeskaPosta,
    /// PPL (11 digits).
    Ppl,
    /// DPD (14 digits).
    Dpd,
    /// Zásilkovna / Packeta (`Z` and 10 digits).
    Packeta,
    /// GLS (11 or 12 digits).
    Gls,
    /// The client picks the glasses up at a store: no tracking number.
    Pickup,
}

/// The text is not a carrier code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown carrier: {0:?}; expected one of ceska_posta, ppl, dpd, packeta, gls, pickup")]
pub struct UnknownCarrier(pub String);

/// A tracking number that does not fit its carrier: what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadTracking {
    /// The carrier.
    pub carrier: Carrier,
}

impl BadTracking {
    /// The message, naming the format expected.
    pub fn message(&self, lang: Lang) -> String {
        let c = self.carrier;
        match lang {
            Lang::Cs => format!(
                "Číslo zásilky neodpovídá formátu dopravce {}: očekává se {}.",
                c.label(lang),
                c.format_hint(lang)
            ),
            Lang::En => format!(
                "The tracking number does not fit {}'s format: expected {}.",
                c.label(lang),
                c.format_hint(lang)
            ),
        }
    }
}

impl Carrier {
    /// Every carrier, in the order the office lists them.
    pub const ALL: [Carrier; 6] = [
        Carrier::CeskaPosta,
        Carrier::Ppl,
        Carrier::Dpd,
        Carrier::Packeta,
        Carrier::Gls,
        Carrier::Pickup,
    ];

    /// Stable code (SQL, API, configuration).
    pub fn code(self) -> &'static str {
        match self {
            Carrier::CeskaPosta => "ceska_posta",
            Carrier::Ppl => "ppl",
            Carrier::Dpd => "dpd",
            Carrier::Packeta => "packeta",
            Carrier::Gls => "gls",
            Carrier::Pickup => "pickup",
        }
    }

    /// Name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Carrier::CeskaPosta => lang.pick("Česká pošta", "Česká pošta (Czech Post)"),
            Carrier::Ppl => "PPL",
            Carrier::Dpd => "DPD",
            Carrier::Packeta => "Zásilkovna / Packeta",
            Carrier::Gls => "GLS",
            Carrier::Pickup => lang.pick("Osobní odběr na prodejně", "Pickup at a store"),
        }
    }

    /// Whether the carrier's parcels have tracking numbers.
    pub fn tracks(self) -> bool {
        self != Carrier::Pickup
    }

    /// The expected format, for people.
    pub fn format_hint(self, lang: Lang) -> &'static str {
        match self {
            Carrier::CeskaPosta => lang.pick(
                "2 písmena, 9 číslic a 2 písmena (např. RR123456789CZ)",
                "2 letters, 9 digits and 2 letters (e.g. RR123456789CZ)",
            ),
            Carrier::Ppl => lang.pick("11 číslic", "11 digits"),
            Carrier::Dpd => lang.pick("14 číslic", "14 digits"),
            Carrier::Packeta => lang.pick(
                "Z a 10 číslic (např. Z1234567890)",
                "Z and 10 digits (e.g. Z1234567890)",
            ),
            Carrier::Gls => lang.pick("11 nebo 12 číslic", "11 or 12 digits"),
            Carrier::Pickup => lang.pick("žádné číslo", "no number"),
        }
    }

    /// The default public tracking page, `{code}` standing for the number.
    pub fn default_url(self) -> &'static str {
        match self {
            Carrier::CeskaPosta => {
                "https://www.postaonline.cz/trackandtrace/-/zasilka/cislo?parcelNumbers={code}"
            }
            Carrier::Ppl => "https://www.ppl.cz/vyhledat-zasilku?shipmentId={code}",
            Carrier::Dpd => "https://tracking.dpd.de/status/cs_CZ/parcel/{code}",
            Carrier::Packeta => "https://tracking.packeta.com/cs/?id={code}",
            Carrier::Gls => "https://gls-group.com/CZ/cs/sledovani-zasilek?match={code}",
            Carrier::Pickup => "",
        }
    }

    /// `number` as stored (spaces and dashes dropped, upper case), or why it does not
    /// fit this carrier. Pickup takes no number (an empty one).
    pub fn check_tracking(self, number: &str) -> Result<String, BadTracking> {
        let n: String = number
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let digits = |s: &str, lens: &[usize]| {
            lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        let ok = match self {
            Carrier::CeskaPosta => {
                let b = n.as_bytes();
                b.len() == 13
                    && b[..2].iter().all(u8::is_ascii_uppercase)
                    && b[2..11].iter().all(u8::is_ascii_digit)
                    && b[11..].iter().all(u8::is_ascii_uppercase)
            }
            Carrier::Ppl => digits(&n, &[11]),
            Carrier::Dpd => digits(&n, &[14]),
            Carrier::Packeta => n.len() == 11 && n.starts_with('Z') && digits(&n[1..], &[10]),
            Carrier::Gls => digits(&n, &[11, 12]),
            Carrier::Pickup => n.is_empty(),
        };
        if ok {
            Ok(n)
        } else {
            Err(BadTracking { carrier: self })
        }
    }
}

impl std::str::FromStr for Carrier {
    type Err = UnknownCarrier;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Carrier::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| UnknownCarrier(s.to_owned()))
    }
}

/// The tracking page for `number` from a URL `template` (`{code}` replaced by the
/// number, percent-encoded); empty when the template or the number is.
pub fn tracking_url(template: &str, number: &str) -> String {
    if template.is_empty() || number.is_empty() {
        return String::new();
    }
    let encoded: String = number
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    template.replace("{code}", &encoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_per_carrier() {
        use Carrier::*;
        let good = [
            (CeskaPosta, "rr 123 456 789 cz", "RR123456789CZ"),
            (Ppl, "400-1234-5678", "40012345678"),
            (Dpd, "13923456789012", "13923456789012"),
            (Packeta, "z1234567890", "Z1234567890"),
            (Gls, "12345678901", "12345678901"),
            (Gls, "123456789012", "123456789012"),
            (Pickup, "", ""),
        ];
        for (c, typed, stored) in good {
            assert_eq!(
                c.check_tracking(typed).as_deref(),
                Ok(stored),
                "{c:?} {typed}"
            );
        }
        let bad = [
            (CeskaPosta, "123456789CZ"),
            (CeskaPosta, "RR12345678CZ"),
            (Ppl, "4001234567"),
            (Ppl, "4001234567A"),
            (Dpd, "1392345678901"),
            (Packeta, "1234567890"),
            (Packeta, "Z123456789"),
            (Gls, "1234567890"),
            (Pickup, "123"),
            (Ppl, ""),
        ];
        for (c, typed) in bad {
            let err = c.check_tracking(typed).unwrap_err();
            assert!(err.message(Lang::Cs).contains(c.label(Lang::Cs)), "{c:?}");
        }
    }

    #[test]
    fn links_go_to_the_carrier() {
        for c in Carrier::ALL {
            assert_eq!(c.code().parse::<Carrier>(), Ok(c));
            assert_eq!(c.tracks(), !c.default_url().is_empty());
        }
        assert_eq!(
            tracking_url(Carrier::Packeta.default_url(), "Z1234567890"),
            "https://tracking.packeta.com/cs/?id=Z1234567890"
        );
        assert_eq!(
            tracking_url("https://x.cz/t?n={code}", "A B&c"),
            "https://x.cz/t?n=A%20B%26c"
        );
        assert_eq!(tracking_url("", "1"), "");
        assert!("ups".parse::<Carrier>().is_err());
    }
}
