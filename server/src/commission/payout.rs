//! Payouts without IO (issue 14, slice 3): how many approvals a request needs
//! (four eyes over the configured limit), the refusals with their words, and the
//! check of a Czech account number (prefix and number each pass the bank's
//! modulo-11 test; a four-digit bank code).

use fieldcase_shared::{FieldError, Lang, Money, Problem};

/// Who approves payouts and makes the bank batches.
pub const PAYOUT_APPROVERS: &[fieldcase_shared::Role] = &[
    fieldcase_shared::Role::Accounting,
    fieldcase_shared::Role::Admin,
];

/// Approvals a request of `amount` needs: two different people over `limit`.
pub fn approvals_needed(amount: Money, limit: Money) -> usize {
    if amount > limit { 2 } else { 1 }
}

/// Why a payout step was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayoutRefusal {
    #[error("only accounting and administrators approve payouts")]
    Forbidden,
    #[error("no such payout request")]
    NotFound,
    #[error("the request is not waiting for approval")]
    NotOpen,
    #[error("one may not approve one's own request")]
    OwnRequest,
    #[error("already approved by this user")]
    Twice,
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("more than the adviser's balance allows ({0})")]
    OverBalance(Money),
    #[error("no approved request with a payout account to pay")]
    NothingToPay,
    #[error("the batch was already marked paid")]
    AlreadyPaid,
    #[error("no such batch")]
    NoBatch,
}

impl PayoutRefusal {
    /// The refusal in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            PayoutRefusal::Forbidden => l
                .pick(
                    "Výplaty schvaluje jen účtárna a administrátor.",
                    "Only accounting and administrators approve payouts.",
                )
                .into(),
            PayoutRefusal::NotFound => l.pick("Taková žádost není.", "No such request.").into(),
            PayoutRefusal::NotOpen => l
                .pick(
                    "Žádost už nečeká na schválení.",
                    "The request is no longer waiting for approval.",
                )
                .into(),
            PayoutRefusal::OwnRequest => l
                .pick(
                    "Vlastní žádost schválit nelze — musí ji schválit někdo jiný.",
                    "One may not approve one's own request — someone else must.",
                )
                .into(),
            PayoutRefusal::Twice => l
                .pick(
                    "Tuto žádost jste už schválili; druhé schválení musí dát někdo jiný.",
                    "You approved this request already; the second approval must come from someone else.",
                )
                .into(),
            PayoutRefusal::NotPositive => l
                .pick("Částka musí být kladná.", "The amount must be more than zero.")
                .into(),
            PayoutRefusal::OverBalance(available) => match l {
                Lang::Cs => format!(
                    "Částka převyšuje zůstatek poradce (lze vybrat {}).",
                    available.format(l)
                ),
                Lang::En => format!(
                    "The amount is over the adviser's balance ({} available).",
                    available.format(l)
                ),
            },
            PayoutRefusal::NothingToPay => l
                .pick(
                    "Není co vyplatit: žádná schválená žádost poradce s bankovním účtem.",
                    "Nothing to pay: no approved request of an adviser with a bank account.",
                )
                .into(),
            PayoutRefusal::AlreadyPaid => l
                .pick("Dávka už je označena jako vyplacená.", "The batch is already marked paid.")
                .into(),
            PayoutRefusal::NoBatch => l.pick("Taková dávka není.", "No such batch.").into(),
        }
    }
}

/// Whether `digits` pass the modulo-11 test with the weights from the right.
fn mod11(digits: &str) -> bool {
    const WEIGHTS: [u32; 10] = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];
    digits
        .chars()
        .rev()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum::<u32>()
        % 11
        == 0
}

/// Checks a Czech account (`[prefix-]number`, bank code); the account written
/// as the bank wants it (no leading zeros lost, spaces removed).
pub fn check_account(account: &str, bank_code: &str) -> Result<(String, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let account: String = account.chars().filter(|c| !c.is_whitespace()).collect();
    let (prefix, number) = account.split_once('-').unwrap_or(("", &account));
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    let ok = (prefix.is_empty() || digits(prefix, 1, 6) && mod11(prefix))
        && digits(number, 2, 10)
        && number.trim_start_matches('0').len() >= 2
        && mod11(number);
    if !ok {
        problems.push(FieldError::new("account", Problem::Invalid));
    }
    let bank_code = bank_code.trim().to_owned();
    if !digits(&bank_code, 4, 4) {
        problems.push(FieldError::new("bank_code", Problem::Invalid));
    }
    if problems.is_empty() {
        Ok((account, bank_code))
    } else {
        Err(problems)
    }
}

/// An adviser's payout account as entered (the office's form, the API, the CLI).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountInput {
    /// `[prefix-]number`.
    pub account: String,
    pub bank_code: String,
    /// Invoices as self-employed (a self-billing invoice per payout).
    pub self_employed: bool,
    pub ico: String,
    pub dic: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    /// A VAT payer (needs a DIČ).
    pub vat_payer: bool,
}

/// Whether `ico` is a Czech IČO: eight digits whose last is the check digit of
/// the first seven (weights 8 to 2, modulo 11).
pub fn valid_ico(ico: &str) -> bool {
    let d: Vec<u32> = ico.chars().filter_map(|c| c.to_digit(10)).collect();
    if ico.len() != 8 || d.len() != 8 {
        return false;
    }
    let sum: u32 = d[..7].iter().zip((2..=8).rev()).map(|(x, w)| x * w).sum();
    let check = match sum % 11 {
        0 => 1,
        1 => 0,
        r => 11 - r,
    };
    d[7] == check
}

/// Checks what was entered: the account, and for the self-employed their IČO,
/// address (street, town, five-digit postal code) and — for a VAT payer — a DIČ
/// (`CZ` and 8 to 10 digits). Every field at fault at once.
pub fn check_account_input(
    adviser: fieldcase_shared::AdviserId,
    input: &AccountInput,
) -> Result<super::store::payouts::PayoutAccount, Vec<FieldError>> {
    let checked = check_account(&input.account, &input.bank_code);
    let mut problems = checked.clone().err().unwrap_or_default();
    let t = |s: &str| s.trim().to_owned();
    let (ico, dic) = (t(&input.ico), t(&input.dic).to_uppercase().replace(' ', ""));
    let (street, city) = (t(&input.street), t(&input.city));
    let postal_code: String = input
        .postal_code
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if input.self_employed {
        if !valid_ico(&ico) {
            problems.push(FieldError::new(
                "ico",
                if ico.is_empty() {
                    Problem::Required
                } else {
                    Problem::Invalid
                },
            ));
        }
        for (field, value) in [("street", &street), ("city", &city)] {
            if value.is_empty() {
                problems.push(FieldError::new(field, Problem::Required));
            }
        }
        if postal_code.len() != 5 || !postal_code.chars().all(|c| c.is_ascii_digit()) {
            problems.push(FieldError::new("postal_code", Problem::Invalid));
        }
    }
    let dic_ok = dic.len() >= 10
        && dic.len() <= 12
        && dic.starts_with("CZ")
        && dic[2..].chars().all(|c| c.is_ascii_digit());
    if (input.vat_payer || !dic.is_empty()) && !dic_ok {
        problems.push(FieldError::new(
            "dic",
            if dic.is_empty() {
                Problem::Required
            } else {
                Problem::Invalid
            },
        ));
    }
    if input.vat_payer && !input.self_employed {
        problems.push(FieldError::new("vat_payer", Problem::Invalid));
    }
    match checked {
        Ok((account, bank_code)) if problems.is_empty() => {
            Ok(super::store::payouts::PayoutAccount {
                adviser,
                account,
                bank_code,
                self_employed: input.self_employed,
                ico: if input.self_employed {
                    ico
                } else {
                    String::new()
                },
                dic,
                street,
                city,
                postal_code,
                vat_payer: input.vat_payer,
            })
        }
        _ => Err(problems),
    }
}

/// A Czech IBAN's account number (`[prefix-]number`, zeros dropped) and bank code.
pub fn account_of_iban(iban: &str) -> Option<(String, String)> {
    let iban: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if iban.len() != 24 || !iban.starts_with("CZ") {
        return None;
    }
    let bank = iban[4..8].to_owned();
    let prefix = iban[8..14].trim_start_matches('0');
    let number = iban[14..24].trim_start_matches('0');
    let account = if prefix.is_empty() {
        number.to_owned()
    } else {
        format!("{prefix}-{number}")
    };
    Some((account, bank))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_self_employed_give_a_valid_ico_and_an_address() {
        assert!(valid_ico("25596641"));
        assert!(valid_ico("00006947"));
        assert!(!valid_ico("25596642"));
        assert!(!valid_ico("2559664"));
        let adviser = fieldcase_shared::AdviserId::new();
        let ok = AccountInput {
            account: "2000145399".into(),
            bank_code: "0800".into(),
            self_employed: true,
            ico: "25596641".into(),
            dic: "cz 25596641".into(),
            street: "Masarykova 1".into(),
            city: "Brno".into(),
            postal_code: "602 00".into(),
            vat_payer: true,
        };
        let a = check_account_input(adviser, &ok).ok();
        assert_eq!(
            a.as_ref().map(|a| (a.dic.as_str(), a.postal_code.as_str())),
            Some(("CZ25596641", "60200"))
        );
        let fields = |input: AccountInput| {
            check_account_input(adviser, &input)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(AccountInput {
                ico: "25596642".into(),
                street: " ".into(),
                postal_code: "6020".into(),
                dic: String::new(),
                ..ok.clone()
            }),
            ["ico", "street", "postal_code", "dic"]
        );
        let employee = AccountInput {
            account: "2000145399".into(),
            bank_code: "0800".into(),
            ..Default::default()
        };
        assert!(check_account_input(adviser, &employee).is_ok());
        assert_eq!(
            fields(AccountInput {
                vat_payer: true,
                dic: "CZ25596641".into(),
                ..employee
            }),
            ["vat_payer"]
        );
    }

    #[test]
    fn four_eyes_over_the_limit() {
        let limit = Money::from_czk(5_000);
        assert_eq!(approvals_needed(Money::from_czk(5_000), limit), 1);
        assert_eq!(approvals_needed(Money::from_haler(500_001), limit), 2);
    }

    #[test]
    fn czech_accounts_pass_the_modulo_11_test() {
        assert!(check_account("19-2000145399", "0800").is_ok());
        assert!(check_account("2900000099", "2010").is_ok());
        assert!(check_account("2900000098", "2010").is_err(), "fails mod 11");
        assert!(check_account("2000145399", "0800").is_ok());
        let fields = |a: &str, b: &str| {
            check_account(a, b)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields("12-2000145399", "0800"), ["account"], "a bad prefix");
        assert_eq!(fields("2000145399", "80"), ["bank_code"]);
        assert_eq!(
            account_of_iban("CZ65 0800 0000 1920 0014 5399"),
            Some(("19-2000145399".to_owned(), "0800".to_owned()))
        );
    }
}
