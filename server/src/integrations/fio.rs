//! The FIO bank's API client (issue 13, point 1): an account's movements in JSON,
//! `last` (everything since FIO's server-side bookmark, which the call moves),
//! `periods` (a date range), and `set-last-id` / `set-last-date` to re-read. The
//! base URL is configurable (`https://fioapi.fio.cz/v1/rest/` in production, a
//! fake on loopback in tests). FIO takes one request per token per 30 s and answers
//! 409 to a faster one: this client keeps that spacing per token itself and, told
//! 409 anyway (another program used the token), waits the interval once and asks
//! again — it never hammers. A token never appears in an error or a log line.
//! Formats: ../shared/FORMATS.md, "FIO bank API".

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fieldcase_shared::Money;
use serde::Deserialize;
use time::Date;

/// FIO's spacing between two requests with one token.
pub const FIO_INTERVAL: Duration = Duration::from_secs(30);

/// The production base URL.
pub const FIO_BASE: &str = "https://fioapi.fio.cz/v1/rest/";

/// A read-only API token of one account. Shown and logged as `***`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Token(String);

impl Token {
    /// A token as FIO issued it (64 characters of letters and digits).
    pub fn new(text: &str) -> Result<Token, FioError> {
        let t = text.trim();
        if t.is_empty() || t.len() > 128 || !t.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(FioError::BadToken);
        }
        Ok(Token(t.to_owned()))
    }

    /// The token itself, for storing it encrypted.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Why a call failed; what the office's alert says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FioError {
    /// FIO refused the token (it answers 500 to an unknown or revoked one), or
    /// it is not one.
    #[error("FIO refused the token (unknown, revoked, or not a token)")]
    BadToken,
    /// Still 409 after waiting the interval: something else uses the token.
    #[error("FIO answers 409 (one request per 30 s per token) even after waiting")]
    TooSoon,
    /// 413: more than 50,000 movements in one answer; ask for a shorter period.
    #[error("FIO answers 413: too many movements in one answer; read a shorter period")]
    TooMany,
    /// 422: the period reaches more than 90 days back, which needs a strong
    /// authorisation in FIO's internet banking.
    #[error("FIO answers 422: the period is older than 90 days without extra authorisation")]
    TooOld,
    /// Another status.
    #[error("FIO answers {0}")]
    Status(u16),
    /// No answer (network, DNS, timeout).
    #[error("FIO cannot be reached: {0}")]
    Unreachable(String),
    /// An answer that does not read as a statement.
    #[error("FIO's answer does not read: {0}")]
    Format(String),
}

/// An account statement: what FIO says about the account, and the movements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub account_id: String,
    pub bank_id: String,
    pub currency: String,
    pub iban: String,
    pub opening_balance: Money,
    pub closing_balance: Money,
    /// The last movement id of the previous download (the bookmark), if any.
    pub id_last_download: Option<i64>,
    pub movements: Vec<Movement>,
}

/// One movement on the account (FIO's `transaction`, its columns by name).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Movement {
    /// `column22`: unique, the idempotency key.
    pub id: i64,
    /// `column0`.
    pub date: Option<Date>,
    /// `column1`; negative: outgoing.
    pub amount: Money,
    /// `column14`.
    pub currency: String,
    /// `column2`, `column3`: the counter account and its bank code.
    pub counter_account: String,
    pub bank_code: String,
    /// `column10`.
    pub counter_name: String,
    /// `column4`, `column5`, `column6`: constant, variable and specific symbols.
    pub ks: String,
    pub vs: String,
    pub ss: String,
    /// `column7`: the payer's identification.
    pub user_ident: String,
    /// `column16`: the message for the recipient.
    pub message: String,
    /// `column8`: the movement's type (`Příjem převodem uvnitř banky`, …).
    pub kind: String,
    /// `column25`: a comment.
    pub comment: String,
    /// `column17`: the instruction id.
    pub instruction_id: String,
}

#[derive(Deserialize)]
struct Body {
    #[serde(rename = "accountStatement")]
    account_statement: AccountStatement,
}

#[derive(Deserialize)]
struct AccountStatement {
    info: Info,
    #[serde(rename = "transactionList")]
    transaction_list: Option<TransactionList>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Info {
    account_id: Option<serde_json::Value>,
    bank_id: Option<serde_json::Value>,
    currency: Option<String>,
    iban: Option<String>,
    opening_balance: Option<f64>,
    closing_balance: Option<f64>,
    id_last_download: Option<i64>,
}

#[derive(Deserialize)]
struct TransactionList {
    transaction: Option<Vec<HashMap<String, Option<Column>>>>,
}

#[derive(Deserialize)]
struct Column {
    value: serde_json::Value,
}

/// Haléře from FIO's decimal number (two places; rounded, as FIO's are exact).
fn haler(v: f64) -> Money {
    Money::from_haler((v * 100.0).round() as i64)
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.trim().to_owned(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn movement(columns: &HashMap<String, Option<Column>>) -> Result<Movement, FioError> {
    let col = |n: u32| {
        columns
            .get(&format!("column{n}"))
            .and_then(Option::as_ref)
            .map(|c| &c.value)
    };
    let s = |n: u32| col(n).map(text).unwrap_or_default();
    let id = col(22)
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| FioError::Format("a movement without its id (column22)".into()))?;
    let amount = col(1)
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| FioError::Format(format!("movement {id} without its amount (column1)")))?;
    // `2026-12-01+0100`: the day is the first ten characters.
    let date = s(0).get(..10).and_then(|d| {
        Date::parse(d, time::macros::format_description!("[year]-[month]-[day]")).ok()
    });
    Ok(Movement {
        id,
        date,
        amount: haler(amount),
        currency: s(14),
        counter_account: s(2),
        bank_code: s(3),
        counter_name: s(10),
        ks: s(4),
        vs: s(5),
        ss: s(6),
        user_ident: s(7),
        message: s(16),
        kind: s(8),
        comment: s(25),
        instruction_id: s(17),
    })
}

/// Reads a statement in FIO's JSON.
pub fn parse(json: &[u8]) -> Result<Statement, FioError> {
    let body: Body = serde_json::from_slice(json).map_err(|e| FioError::Format(e.to_string()))?;
    let s = body.account_statement;
    let movements = s
        .transaction_list
        .and_then(|l| l.transaction)
        .unwrap_or_default()
        .iter()
        .map(movement)
        .collect::<Result<Vec<_>, _>>()?;
    let info = s.info;
    Ok(Statement {
        account_id: info.account_id.as_ref().map(text).unwrap_or_default(),
        bank_id: info.bank_id.as_ref().map(text).unwrap_or_default(),
        currency: info.currency.unwrap_or_default(),
        iban: info.iban.unwrap_or_default(),
        opening_balance: haler(info.opening_balance.unwrap_or_default()),
        closing_balance: haler(info.closing_balance.unwrap_or_default()),
        id_last_download: info.id_last_download,
        movements,
    })
}

/// The client.
pub struct FioClient {
    http: reqwest::Client,
    base: String,
    interval: Duration,
    /// When each token (by its SHA-256) last reached FIO.
    last_call: tokio::sync::Mutex<HashMap<[u8; 32], Instant>>,
}

fn key(token: &Token) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(token.0.as_bytes()).into()
}

impl FioClient {
    /// A client of the API at `base` (ending with `/`), spacing each token's
    /// requests by FIO's 30 s.
    pub fn new(base: &str) -> FioClient {
        Self::with_interval(base, FIO_INTERVAL)
    }

    /// A client spacing each token's requests by `interval` (tests use a fake FIO
    /// with a shorter one).
    pub fn with_interval(base: &str, interval: Duration) -> FioClient {
        let base = if base.ends_with('/') {
            base.to_owned()
        } else {
            format!("{base}/")
        };
        FioClient {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap_or_default(),
            base,
            interval,
            last_call: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Everything since FIO's bookmark (and the bookmark moves past it).
    pub async fn last(&self, token: &Token) -> Result<Statement, FioError> {
        let body = self.get(token, "last/{token}/transactions.json").await?;
        parse(&body)
    }

    /// The movements booked from `from` to `to` (both included); the bookmark stays.
    pub async fn periods(
        &self,
        token: &Token,
        from: Date,
        to: Date,
    ) -> Result<Statement, FioError> {
        let body = self
            .get(
                token,
                &format!("periods/{{token}}/{from}/{to}/transactions.json"),
            )
            .await?;
        parse(&body)
    }

    /// Moves FIO's bookmark to movement `id`: the next `last` starts after it.
    pub async fn set_last_id(&self, token: &Token, id: i64) -> Result<(), FioError> {
        self.get(token, &format!("set-last-id/{{token}}/{id}/"))
            .await
            .map(drop)
    }

    /// Moves FIO's bookmark to the end of `date`'s previous day: the next `last`
    /// starts with that day.
    pub async fn set_last_date(&self, token: &Token, date: Date) -> Result<(), FioError> {
        self.get(token, &format!("set-last-date/{{token}}/{date}/"))
            .await
            .map(drop)
    }

    /// Uploads payment orders (`fio_import::orders_xml`) to `import/` and reads
    /// the bank's answer, keeping the token's spacing (a 409 waits and tries once
    /// more). The token needs the right to submit orders.
    pub async fn import(
        &self,
        token: &Token,
        file: Vec<u8>,
    ) -> Result<super::fio_import::ImportResult, FioError> {
        let url = format!("{}import/", self.base);
        let mut retried = false;
        loop {
            self.wait_turn(token).await;
            let part = reqwest::multipart::Part::bytes(file.clone())
                .file_name("payments.xml")
                .mime_str("application/xml")
                .map_err(|e| FioError::Unreachable(e.without_url().to_string()))?;
            let form = reqwest::multipart::Form::new()
                .text("type", "xml")
                .text("token", token.0.clone())
                .text("lng", "cs")
                .part("file", part);
            let response = self
                .http
                .post(&url)
                .multipart(form)
                .send()
                .await
                .map_err(|e| FioError::Unreachable(e.without_url().to_string()))?;
            match response.status().as_u16() {
                200 => {
                    let body = response
                        .bytes()
                        .await
                        .map_err(|e| FioError::Unreachable(e.without_url().to_string()))?;
                    return super::fio_import::parse_result(&body)
                        .map_err(|e| FioError::Format(e.to_string()));
                }
                409 if !retried => retried = true,
                409 => return Err(FioError::TooSoon),
                413 => return Err(FioError::TooMany),
                500 => return Err(FioError::BadToken),
                other => return Err(FioError::Status(other)),
            }
        }
    }

    /// GETs `path` (with `{token}` in it), keeping the token's spacing; a 409 waits
    /// the interval and asks once more.
    async fn get(&self, token: &Token, path: &str) -> Result<Vec<u8>, FioError> {
        let url = format!("{}{}", self.base, path.replace("{token}", &token.0));
        let mut retried = false;
        loop {
            self.wait_turn(token).await;
            let response = self
                .http
                .get(&url)
                .send()
                .await
                // reqwest names the URL, which holds the token: never shown.
                .map_err(|e| FioError::Unreachable(e.without_url().to_string()))?;
            match response.status().as_u16() {
                200 => {
                    return response
                        .bytes()
                        .await
                        .map(|b| b.to_vec())
                        .map_err(|e| FioError::Unreachable(e.without_url().to_string()));
                }
                409 if !retried => {
                    tracing::info!(
                        "FIO answered 409 (the token was used less than 30 s ago); waiting"
                    );
                    retried = true;
                }
                409 => return Err(FioError::TooSoon),
                413 => return Err(FioError::TooMany),
                422 => return Err(FioError::TooOld),
                500 => return Err(FioError::BadToken),
                other => return Err(FioError::Status(other)),
            }
        }
    }

    /// Waits until the token's interval since its last request has passed, and
    /// marks this request (one at a time per client).
    async fn wait_turn(&self, token: &Token) {
        let mut calls = self.last_call.lock().await;
        let k = key(token);
        if let Some(at) = calls.get(&k) {
            let due = *at + self.interval;
            let now = Instant::now();
            if due > now {
                tokio::time::sleep(due - now).await;
            }
        }
        calls.insert(k, Instant::now());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_reads_as_fio_writes_it() {
        let json = r#"{"accountStatement":{"info":{"accountId":"2000000000","bankId":"2010","currency":"CZK","iban":"CZ7920100000002000000000","bic":"FIOBCZPPXXX","openingBalance":1000.5,"closingBalance":2299.5,"dateStart":"2026-12-01+0100","dateEnd":"2026-12-04+0100","yearList":null,"idList":null,"idFrom":26962199069,"idTo":26962199070,"idLastDownload":26962199068},
          "transactionList":{"transaction":[
            {"column22":{"value":26962199069,"name":"ID pohybu","id":22},"column0":{"value":"2026-12-02+0100","name":"Datum","id":0},"column1":{"value":1299.0,"name":"Objem","id":1},"column14":{"value":"CZK","name":"Měna","id":14},"column2":{"value":"2900000000","name":"Protiúčet","id":2},"column3":{"value":"2010","name":"Kód banky","id":3},"column10":{"value":"Jana Nováková","name":"Název protiúčtu","id":10},"column5":{"value":"0009000100001","name":"VS","id":5},"column4":null,"column6":null,"column7":{"value":"Nováková","name":"Uživatelská identifikace","id":7},"column16":{"value":"Objednavka 123","name":"Zpráva pro příjemce","id":16},"column8":{"value":"Příjem převodem uvnitř banky","name":"Typ","id":8},"column25":null,"column17":{"value":30012345,"name":"ID pokynu","id":17}},
            {"column22":{"value":26962199070,"name":"ID pohybu","id":22},"column0":{"value":"2026-12-03+0100","name":"Datum","id":0},"column1":{"value":-0.1,"name":"Objem","id":1},"column14":{"value":"CZK","name":"Měna","id":14}}
          ]}}}"#;
        let s = parse(json.as_bytes()).unwrap();
        assert_eq!(
            (
                s.account_id.as_str(),
                s.bank_id.as_str(),
                s.currency.as_str()
            ),
            ("2000000000", "2010", "CZK")
        );
        assert_eq!(
            (s.opening_balance.haler(), s.closing_balance.haler()),
            (100_050, 229_950)
        );
        assert_eq!(s.id_last_download, Some(26962199068));
        let m = &s.movements[0];
        assert_eq!(
            (m.id, m.amount.haler(), m.vs.as_str()),
            (26962199069, 129_900, "0009000100001")
        );
        assert_eq!(m.date, Some(time::macros::date!(2026 - 12 - 02)));
        assert_eq!(
            (
                m.counter_name.as_str(),
                m.instruction_id.as_str(),
                m.ks.as_str()
            ),
            ("Jana Nováková", "30012345", "")
        );
        assert_eq!(
            s.movements[1].amount.haler(),
            -10,
            "outgoing, rounded exactly"
        );
        let empty = parse(br#"{"accountStatement":{"info":{"currency":"CZK"},"transactionList":{"transaction":[]}}}"#).unwrap();
        assert!(empty.movements.is_empty());
        let none = parse(br#"{"accountStatement":{"info":{},"transactionList":null}}"#).unwrap();
        assert!(none.movements.is_empty());
        assert!(matches!(parse(b"<html>"), Err(FioError::Format(_))));
        assert!(matches!(
            parse(br#"{"accountStatement":{"info":{},"transactionList":{"transaction":[{"column1":{"value":5.0}}]}}}"#),
            Err(FioError::Format(_))
        ));
    }

    #[test]
    fn a_token_is_never_shown() {
        let t = Token::new(" abcDEF123 ").unwrap();
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert_eq!(t.expose(), "abcDEF123");
        assert_eq!(Token::new("a/b").unwrap_err(), FioError::BadToken);
        assert_eq!(Token::new("").unwrap_err(), FioError::BadToken);
    }
}
