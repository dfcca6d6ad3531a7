//! A fake FIO bank API on loopback speaking FIO's real JSON (../shared/FORMATS.md):
//! accounts by token with their movements and FIO's server-side bookmark, the
//! 30-second rule (a shorter interval here) answered 409, 500 to an unknown token,
//! 422 to a period over 90 days back, 413 over a limit of movements, and a status
//! forced for the next request. It records every request (path without the token,
//! status, when) for the tests to check the client's manners. `import/` takes a
//! payment-order upload (multipart: `type`, `token`, `lng`, `file`) and answers
//! FIO's `responseImport`, refusing payments to accounts the test names.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use time::Date;

/// A movement as the fake books it.
#[derive(Debug, Clone)]
pub struct FakeMovement {
    pub id: i64,
    pub date: Date,
    /// CZK with two decimals (negative: outgoing).
    pub amount: f64,
    pub currency: String,
    pub vs: String,
    pub counter_name: String,
}

impl FakeMovement {
    /// An incoming CZK payment.
    pub fn incoming(id: i64, date: Date, amount: f64, vs: &str) -> FakeMovement {
        FakeMovement {
            id,
            date,
            amount,
            currency: "CZK".into(),
            vs: vs.into(),
            counter_name: "Jana Nováková".into(),
        }
    }

    fn json(&self) -> Value {
        let col =
            |id: u32, name: &str, value: Value| json!({"value": value, "name": name, "id": id});
        json!({
            "column22": col(22, "ID pohybu", json!(self.id)),
            "column0": col(0, "Datum", json!(format!("{}+0100", self.date))),
            "column1": col(1, "Objem", json!(self.amount)),
            "column14": col(14, "Měna", json!(self.currency)),
            "column2": col(2, "Protiúčet", json!("2900000000")),
            "column3": col(3, "Kód banky", json!("2010")),
            "column10": col(10, "Název protiúčtu", json!(self.counter_name)),
            "column5": if self.vs.is_empty() { Value::Null } else { col(5, "VS", json!(self.vs)) },
            "column4": Value::Null,
            "column6": Value::Null,
            "column7": Value::Null,
            "column16": col(16, "Zpráva pro příjemce", json!("Platba")),
            "column8": col(8, "Typ", json!(if self.amount < 0.0 { "Odchozí platba" } else { "Příjem převodem uvnitř banky" })),
            "column25": Value::Null,
            "column17": col(17, "ID pokynu", json!(self.id + 1_000)),
        })
    }
}

#[derive(Default)]
struct Account {
    movements: Vec<FakeMovement>,
    /// The last downloaded movement id (FIO's bookmark).
    bookmark: i64,
    last_call: Option<Instant>,
}

/// One request the fake answered.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The path with the token replaced by `{token}`.
    pub path: String,
    pub status: u16,
    pub at: Instant,
}

struct Inner {
    accounts: HashMap<String, Account>,
    interval: Duration,
    forced: Vec<u16>,
    max_items: usize,
    seen: Vec<Seen>,
    today: Date,
    /// Payee accounts (`number/bank`) whose payments the import refuses: code, text.
    refused: HashMap<String, (i64, String)>,
    /// The files uploaded, in order.
    uploads: Vec<Vec<u8>>,
}

/// The fake server.
#[derive(Clone)]
pub struct FakeFio {
    /// Its base URL (`http://127.0.0.1:PORT/v1/rest/`).
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeFio {
    /// Starts a fake with FIO's rule at `interval` and `today` as its date.
    pub async fn start(interval: Duration, today: Date) -> FakeFio {
        let inner = Arc::new(Mutex::new(Inner {
            accounts: HashMap::new(),
            interval,
            forced: Vec::new(),
            max_items: 50_000,
            seen: Vec::new(),
            today,
            refused: HashMap::new(),
            uploads: Vec::new(),
        }));
        let app = Router::new()
            .route("/v1/rest/last/{token}/transactions.json", get(last))
            .route(
                "/v1/rest/periods/{token}/{from}/{to}/transactions.json",
                get(periods),
            )
            .route("/v1/rest/set-last-id/{token}/{id}/", get(set_last_id))
            .route("/v1/rest/set-last-date/{token}/{date}/", get(set_last_date))
            .route("/v1/rest/import/", axum::routing::post(import))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v1/rest/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeFio { url, inner }
    }

    /// Opens an account for `token` (no movements).
    pub fn account(&self, token: &str) {
        self.inner
            .lock()
            .unwrap()
            .accounts
            .entry(token.into())
            .or_default();
    }

    /// Books `movement` on `token`'s account.
    pub fn book(&self, token: &str, movement: FakeMovement) {
        let mut inner = self.inner.lock().unwrap();
        inner
            .accounts
            .entry(token.into())
            .or_default()
            .movements
            .push(movement);
    }

    /// Answers the next requests with these statuses first (409, 413, 500…).
    pub fn force(&self, statuses: &[u16]) {
        self.inner.lock().unwrap().forced.extend(statuses);
    }

    /// A limit of movements per answer (over it: 413).
    pub fn max_items(&self, n: usize) {
        self.inner.lock().unwrap().max_items = n;
    }

    /// Refuses payments to `account` (`number/bank`) with FIO's `code` and `text`.
    pub fn refuse(&self, account: &str, code: i64, text: &str) {
        self.inner
            .lock()
            .unwrap()
            .refused
            .insert(account.into(), (code, text.into()));
    }

    /// The payment-order files uploaded so far.
    pub fn uploads(&self) -> Vec<Vec<u8>> {
        self.inner.lock().unwrap().uploads.clone()
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.inner.lock().unwrap().seen.clone()
    }
}

fn statement(movements: &[FakeMovement], bookmark: i64) -> Value {
    json!({"accountStatement": {
        "info": {
            "accountId": "2000000000", "bankId": "2010", "currency": "CZK",
            "iban": "CZ7920100000002000000000", "bic": "FIOBCZPPXXX",
            "openingBalance": 0.0, "closingBalance": movements.iter().map(|m| m.amount).sum::<f64>(),
            "dateStart": null, "dateEnd": null, "yearList": null, "idList": null,
            "idFrom": movements.first().map(|m| m.id), "idTo": movements.last().map(|m| m.id),
            "idLastDownload": if bookmark > 0 { Some(bookmark) } else { None },
        },
        "transactionList": {"transaction": movements.iter().map(FakeMovement::json).collect::<Vec<_>>()},
    }})
}

/// The common checks of every request: the forced status, the token, the
/// interval. `Err` is the answer; `Ok` the account's key.
fn admit(inner: &mut Inner, token: &str, path: &str) -> Result<(), Box<Response>> {
    let now = Instant::now();
    let path = path.replace(token, "{token}");
    let status = if let Some(forced) = (!inner.forced.is_empty()).then(|| inner.forced.remove(0)) {
        forced
    } else {
        let interval = inner.interval;
        match inner.accounts.get_mut(token) {
            None => 500,
            Some(a)
                if a.last_call
                    .is_some_and(|t| now.duration_since(t) < interval) =>
            {
                409
            }
            Some(a) => {
                a.last_call = Some(now);
                200
            }
        }
    };
    inner.seen.push(Seen {
        path,
        status,
        at: now,
    });
    if status == 200 {
        Ok(())
    } else {
        Err(Box::new(
            (StatusCode::from_u16(status).unwrap(), "<html>error</html>").into_response(),
        ))
    }
}

type Shared = State<Arc<Mutex<Inner>>>;

async fn last(State(inner): Shared, Path(token): Path<String>) -> Response {
    let mut inner = inner.lock().unwrap();
    if let Err(r) = admit(
        &mut inner,
        &token,
        &format!("last/{token}/transactions.json"),
    ) {
        return *r;
    }
    let max = inner.max_items;
    let account = inner.accounts.get_mut(&token).unwrap();
    let new: Vec<FakeMovement> = account
        .movements
        .iter()
        .filter(|m| m.id > account.bookmark)
        .cloned()
        .collect();
    if new.len() > max {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let before = account.bookmark;
    if let Some(last) = new.iter().map(|m| m.id).max() {
        account.bookmark = last;
    }
    axum::Json(statement(&new, before)).into_response()
}

async fn periods(
    State(inner): Shared,
    Path((token, from, to)): Path<(String, String, String)>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    if let Err(r) = admit(
        &mut inner,
        &token,
        &format!("periods/{token}/{from}/{to}/transactions.json"),
    ) {
        return *r;
    }
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let (Ok(from), Ok(to)) = (Date::parse(&from, &iso), Date::parse(&to, &iso)) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    if inner.today - from > time::Duration::days(90) {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    }
    let account = &inner.accounts[&token];
    let found: Vec<FakeMovement> = account
        .movements
        .iter()
        .filter(|m| m.date >= from && m.date <= to)
        .cloned()
        .collect();
    axum::Json(statement(&found, account.bookmark)).into_response()
}

async fn set_last_id(State(inner): Shared, Path((token, id)): Path<(String, i64)>) -> Response {
    let mut inner = inner.lock().unwrap();
    if let Err(r) = admit(&mut inner, &token, &format!("set-last-id/{token}/{id}/")) {
        return *r;
    }
    inner.accounts.get_mut(&token).unwrap().bookmark = id;
    StatusCode::OK.into_response()
}

async fn set_last_date(
    State(inner): Shared,
    Path((token, date)): Path<(String, String)>,
) -> Response {
    let mut inner = inner.lock().unwrap();
    if let Err(r) = admit(
        &mut inner,
        &token,
        &format!("set-last-date/{token}/{date}/"),
    ) {
        return *r;
    }
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let Ok(date) = Date::parse(&date, &iso) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let account = inner.accounts.get_mut(&token).unwrap();
    account.bookmark = account
        .movements
        .iter()
        .filter(|m| m.date < date)
        .map(|m| m.id)
        .max()
        .unwrap_or(0);
    StatusCode::OK.into_response()
}

async fn import(State(inner): Shared, mut form: axum::extract::Multipart) -> Response {
    let (mut token, mut kind, mut file) = (String::new(), String::new(), Vec::new());
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.unwrap_or_default().to_vec();
        match name.as_str() {
            "token" => token = String::from_utf8_lossy(&bytes).into_owned(),
            "type" => kind = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = bytes,
            _ => {}
        }
    }
    let mut inner = inner.lock().unwrap();
    if let Err(r) = admit(&mut inner, &token, "import/") {
        return *r;
    }
    let answer = |code: i64, status: &str, details: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<responseImport xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://www.fio.cz/schema/responseImport.xsd\"><result><errorCode>{code}</errorCode><idInstruction>{}</idInstruction><status>{status}</status></result><ordersDetails>{details}</ordersDetails></responseImport>",
            if code < 10 { "105783812" } else { "" }
        )
    };
    let tree = match crate::xml::parse(&String::from_utf8_lossy(&file)) {
        Ok(t) if kind == "xml" && t.name == "Import" => t,
        _ => return answer(11, "fatal", "").into_response(),
    };
    inner.uploads.push(file.clone());
    let orders: Vec<&crate::xml::Node> = tree
        .at("Orders")
        .map(|o| o.all("DomesticTransaction").collect())
        .unwrap_or_default();
    if orders.is_empty() {
        return answer(12, "fatal", "").into_response();
    }
    let mut refused_any = false;
    let details: String = orders
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let to = format!("{}/{}", o.text_at("accountTo"), o.text_at("bankCode"));
            let (status, code, text) = match inner.refused.get(&to) {
                Some((code, text)) => {
                    refused_any = true;
                    ("error", *code, text.clone())
                }
                None => ("ok", 0, "OK".to_owned()),
            };
            format!(
                "<detail id=\"{}\"><messages><message status=\"{status}\" errorCode=\"{code}\">{text}</message></messages></detail>",
                i + 1
            )
        })
        .collect();
    if refused_any {
        answer(1, "error", &details).into_response()
    } else {
        answer(0, "ok", &details).into_response()
    }
}
