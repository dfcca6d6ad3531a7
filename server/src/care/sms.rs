//! SMS text rules, pure: the number a gateway takes (Czech numbers normalised)
//! and how a text is encoded and split — GSM-7 when every character is in GSM
//! 03.38's alphabet (160 septets, 153 per part), else UCS-2 (70, 67 per part).

/// The number an SMS gateway takes: `+420123456789` (no spaces), or none when
/// the phone is not a number.
pub fn sms_number(phone: &str) -> Option<String> {
    fieldcase_shared::validate::phone_cz("phone", phone)
        .ok()
        .map(|p| p.replace(' ', ""))
}

/// GSM 03.38's basic characters (one septet each) and its extension table's (two).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{c}";

/// How an SMS is encoded and how many parts it takes: GSM-7 (160 septets, 153 per
/// part when split) when every character is in GSM's alphabet, else UCS-2 (70, or
/// 67 per part) — Czech letters with háček are not in GSM-7.
pub fn sms_parts(text: &str) -> (&'static str, usize) {
    let septets: Option<usize> = text
        .chars()
        .map(|c| {
            if GSM_BASIC.contains(c) {
                Some(1)
            } else if GSM_EXTENDED.contains(c) {
                Some(2)
            } else {
                None
            }
        })
        .sum();
    let (name, units, single, part) = match septets {
        Some(n) => ("GSM-7", n, 160, 153),
        None => (
            "UCS-2",
            text.chars().map(char::len_utf16).sum::<usize>(),
            70,
            67,
        ),
    };
    let parts = if units <= single {
        1
    } else {
        units.div_ceil(part)
    };
    (name, parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_numbers_and_parts() {
        assert_eq!(sms_number("603 123 456").as_deref(), Some("+420603123456"));
        assert_eq!(
            sms_number("+420 603-123-456").as_deref(),
            Some("+420603123456")
        );
        assert_eq!(sms_number("kdykoli"), None);
        assert_eq!(sms_parts("Zakazka je pripravena"), ("GSM-7", 1));
        assert_eq!(sms_parts(&"a".repeat(161)), ("GSM-7", 2));
        assert_eq!(sms_parts(&"€".repeat(80)), ("GSM-7", 1));
        assert_eq!(sms_parts(&"€".repeat(81)), ("GSM-7", 2));
        assert_eq!(sms_parts("Zakázka je připravena"), ("UCS-2", 1));
        assert_eq!(sms_parts(&"č".repeat(71)), ("UCS-2", 2));
    }
}
