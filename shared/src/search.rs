//! Full-text search rules both sides share: how a typed query becomes search terms
//! (folded, digit groups joined, so a phone number finds however it is written), the
//! plain words a body is indexed as, and which words of a shown text a query
//! matched. The hub indexes orders and customers with them (SQLite FTS5 and
//! PostgreSQL tsvector, `server/src/store/fulltext.rs`).

use crate::docs::catalog::fold;

/// At most this many terms of a query are used.
const MAX_TERMS: usize = 8;
/// Longest term kept (characters).
const MAX_TERM: usize = 40;

/// The search terms of what someone typed: folded (no diacritics, lower case), split
/// on anything but letters and digits (FTS operators and quotes are just separators),
/// digit groups written apart joined ("603 123 456" → "603123456", so a phone number
/// finds however it was written; the international call prefix `00` is dropped, as
/// `+` is: "00420 603…" → "420603…"). Empty: no text filter.
pub fn terms(query: &str) -> Vec<String> {
    let folded = fold(query);
    let mut out: Vec<String> = Vec::new();
    let mut last_was_digits = false;
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let digits = word.bytes().all(|b| b.is_ascii_digit());
        match out.last_mut() {
            Some(prev) if digits && last_was_digits => prev.push_str(word),
            _ => out.push(word.to_owned()),
        }
        last_was_digits = digits;
    }
    out.into_iter()
        .map(|t| match t.strip_prefix("00") {
            Some(rest) if rest.len() >= 9 && rest.bytes().all(|b| b.is_ascii_digit()) => {
                rest.to_owned()
            }
            _ => t,
        })
        .map(|t| t.chars().take(MAX_TERM).collect::<String>())
        .take(MAX_TERMS)
        .collect()
}

/// `text` folded into plain words only, so both engines split alike (PostgreSQL's
/// parser would keep an e-mail or a host name as one token): also the private
/// column's body (private notes).
pub fn words(text: &str) -> String {
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` cut into pieces, each marked when it is a word that one of `terms`
/// begins (compared folded): what the Orders list highlights.
pub fn highlight(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut push = |piece: &str, hit: bool| match out.last_mut() {
        Some((prev, h)) if *h == hit => prev.push_str(piece),
        _ => out.push((piece.to_owned(), hit)),
    };
    let mut word = String::new();
    let flush = |word: &mut String, push: &mut dyn FnMut(&str, bool)| {
        if !word.is_empty() {
            let folded = fold(word);
            let hit = terms.iter().any(|t| folded.starts_with(t.as_str()));
            push(word, hit);
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut push);
            push(&c.to_string(), false);
        }
    }
    flush(&mut word, &mut push);
    out
}

/// A phone number cut as [`highlight`] cuts a text: all of it marked when one of
/// `terms` begins its digits in one of the forms [`phone_words`] indexes (a phone is
/// found by its digits typed together, so no single group of it matches).
pub fn highlight_phone(phone: &str, terms: &[String]) -> Vec<(String, bool)> {
    if phone.is_empty() {
        return Vec::new();
    }
    let forms = phone_words(phone);
    let hit = terms.iter().any(|t| {
        t.bytes().all(|b| b.is_ascii_digit()) && forms.split(' ').any(|f| f.starts_with(t.as_str()))
    });
    vec![(phone.to_owned(), hit)]
}

/// A phone number's searchable words: all its digits, and the other form of a
/// Czech number: its last nine (the national number) when written with the country
/// code, `420` before it when written without, so "+420 603…", "00420 603…" and
/// "603…" each find it however it was stored.
pub fn phone_words(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        9 => format!("{digits} 420{digits}"),
        n if n > 9 => format!("{digits} {}", &digits[n - 9..]),
        _ => digits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_split_and_join_digit_groups() {
        assert_eq!(terms("Šimková"), vec!["simkova"]);
        assert_eq!(terms("603 123 456"), vec!["603123456"]);
        assert_eq!(terms("+420 603 123 456"), vec!["420603123456"]);
        assert_eq!(terms("00420 603 123456"), vec!["420603123456"]);
        // Short numbers keep their zeros (an order number, a postal code).
        assert_eq!(terms("0012"), vec!["0012"]);
        assert_eq!(terms("novák \"jana"), vec!["novak", "jana"]);
        assert_eq!(
            terms("a OR b* NEAR(c) -d"),
            vec!["a", "or", "b", "near", "c", "d"]
        );
        assert!(terms("  ** \"\" ").is_empty());
        assert_eq!(terms(&"x".repeat(10_000)).len(), 1);
        assert_eq!(terms(&"x".repeat(10_000))[0].len(), MAX_TERM);
        assert_eq!(terms(&"a ".repeat(100)).len(), MAX_TERMS);
    }

    #[test]
    fn matched_words_are_marked() {
        let t = terms("simk 2026");
        assert_eq!(
            highlight("Šimková Jana", &t),
            vec![("Šimková".into(), true), (" Jana".into(), false)]
        );
        assert_eq!(
            highlight("2026000251", &t),
            vec![("2026000251".into(), true)]
        );
        assert_eq!(highlight("Novák", &t), vec![("Novák".into(), false)]);
        assert!(highlight("", &t).is_empty());
    }

    #[test]
    fn a_phone_is_marked_whole_when_its_digits_match() {
        let phone = "+420 603 123 456";
        for q in ["603123", "+420603", "00420 603 123 456", "(603) 123"] {
            assert_eq!(
                highlight_phone(phone, &terms(q)),
                vec![(phone.into(), true)],
                "{q}"
            );
        }
        for q in ["123456", "jana", "604"] {
            assert_eq!(
                highlight_phone(phone, &terms(q)),
                vec![(phone.into(), false)],
                "{q}"
            );
        }
        assert!(highlight_phone("", &terms("603")).is_empty());
    }

    #[test]
    fn phone_words_hold_the_national_number() {
        assert_eq!(phone_words("+420 603 123 456"), "420603123456 603123456");
        assert_eq!(phone_words("603 123 456"), "603123456 420603123456");
        assert_eq!(phone_words("1234"), "1234");
        assert_eq!(phone_words(""), "");
    }
}
