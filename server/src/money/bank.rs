//! The bank's one path for the page, the API, the CLI and the poller: an account
//! added with its token (checked, sealed, never shown again), a download of an
//! account (FIO's `last`, optionally after moving FIO's bookmark back to re-read),
//! booked and matched, the run recorded for the status page, and every order whose
//! paid amount changed published to its adviser's phone.

use fieldcase_shared::{FieldError, Lang, Problem, Role};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::integrations::fio::{FioError, Token};
use crate::money::BANKERS;
pub use crate::money::connection::Bank;
use crate::money::secret::SecretError;
use crate::money::store::{Imported, PollRun};
use crate::state::AppState;
use crate::store::{Actor, Store, StoreError};

/// Where a download starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rewind {
    /// After FIO's bookmark (the usual).
    Bookmark,
    /// After movement `id` (FIO's bookmark moved there first).
    AfterId(i64),
    /// With the day `date` (FIO's bookmark moved there first).
    FromDate(Date),
}

/// Why a bank action was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    #[error("only accounting and administrators manage bank accounts")]
    Forbidden,
    #[error("invalid bank account")]
    Invalid(Vec<FieldError>),
    #[error("no such bank account")]
    NotFound,
    #[error(transparent)]
    Fio(FioError),
    #[error(transparent)]
    Key(SecretError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<SecretError> for BankError {
    fn from(e: SecretError) -> Self {
        BankError::Key(e)
    }
}

impl From<StoreError> for BankError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate { field } => BankError::Invalid(vec![FieldError::new(
                field,
                Problem::NotAllowed(fieldcase_shared::validate::reason::TAKEN.into()),
            )]),
            StoreError::NotFound(_) => BankError::NotFound,
            e => BankError::Store(e),
        }
    }
}

impl BankError {
    /// The code the status page and the API keep (`bad_token`, …).
    pub fn code(&self) -> &'static str {
        match self {
            BankError::Forbidden => "forbidden",
            BankError::Invalid(_) => "invalid",
            BankError::NotFound => "not_found",
            BankError::Fio(FioError::BadToken) => "bad_token",
            BankError::Fio(FioError::TooSoon) => "too_soon",
            BankError::Fio(FioError::TooMany) => "too_many",
            BankError::Fio(FioError::TooOld) => "too_old",
            BankError::Fio(FioError::Status(_)) => "status",
            BankError::Fio(FioError::Unreachable(_)) => "unreachable",
            BankError::Fio(FioError::Format(_)) => "format",
            BankError::Key(_) => "key",
            BankError::Store(_) => "store",
        }
    }

    /// What the office reads, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            BankError::Forbidden => l.pick("Bankovní účty spravuje jen účtárna a administrátor.", "Only accounting and administrators manage bank accounts.").into(),
            BankError::Invalid(_) => l.pick("Zkontrolujte označená pole.", "Check the marked fields.").into(),
            BankError::NotFound => l.pick("Takový účet neexistuje.", "No such account.").into(),
            BankError::Fio(FioError::BadToken) => l.pick("FIO odmítá token (neplatný nebo zrušený): vložte nový.", "FIO refuses the token (invalid or revoked): enter a new one.").into(),
            BankError::Fio(FioError::TooSoon) => l.pick("FIO hlásí příliš častý dotaz (jednou za 30 s) i po počkání: token asi používá i jiný program.", "FIO says too soon (once per 30 s) even after waiting: another program probably uses the token.").into(),
            BankError::Fio(FioError::TooMany) => l.pick("FIO hlásí příliš mnoho pohybů v jedné odpovědi: stahujte kratší období.", "FIO says too many movements in one answer: download a shorter period.").into(),
            BankError::Fio(FioError::TooOld) => l.pick("FIO odmítá období starší 90 dní bez silné autorizace v internetbankingu.", "FIO refuses a period older than 90 days without strong authorisation in internet banking.").into(),
            BankError::Fio(e) => format!("{}: {e}", l.pick("FIO neodpovídá, jak má", "FIO does not answer as it should")),
            BankError::Key(e) => format!("{}: {e}", l.pick("Tajný klíč pro tokeny nelze použít", "The secret key for the tokens cannot be used")),
            BankError::Store(_) => l.pick("Uložení se nepovedlo; zkuste to znovu.", "Saving failed; try again.").into(),
        }
    }
}

/// Checks a new account: a name (1–100 characters), an IBAN, a token as FIO
/// issues them. The IBAN comes back compact and upper-case.
pub fn check(
    name: &str,
    iban: &str,
    token: &str,
) -> Result<(String, String, Token), Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", Problem::Required));
    } else if name.chars().count() > 100 {
        errors.push(FieldError::new("name", Problem::TooLong { max: 100 }));
    }
    let iban = fieldcase_shared::spayd::normalise_iban(iban);
    if iban.is_none() {
        errors.push(FieldError::new("iban", Problem::Invalid));
    }
    let token = Token::new(token).ok();
    if token.is_none() {
        errors.push(FieldError::new("token", Problem::Invalid));
    }
    match (iban, token) {
        (Some(iban), Some(token)) if errors.is_empty() => Ok((name.to_owned(), iban, token)),
        _ => Err(errors),
    }
}

/// Adds an account (BANKERS only); its token is sealed and never read back out.
pub async fn add_account(
    store: &dyn Store,
    bank: &Bank,
    actor: &Actor,
    role: Role,
    name: &str,
    iban: &str,
    token: &str,
) -> Result<Uuid, BankError> {
    if !BANKERS.contains(&role) {
        return Err(BankError::Forbidden);
    }
    let (name, iban, token) = check(name, iban, token).map_err(BankError::Invalid)?;
    let id = Uuid::now_v7();
    let sealed = bank.key()?.seal(id.as_bytes(), token.expose().as_bytes());
    store
        .add_bank_account(actor, id, &name, &iban, &sealed)
        .await?;
    Ok(id)
}

/// Replaces an account's token (BANKERS only).
pub async fn set_token(
    store: &dyn Store,
    bank: &Bank,
    actor: &Actor,
    role: Role,
    id: Uuid,
    token: &str,
) -> Result<(), BankError> {
    if !BANKERS.contains(&role) {
        return Err(BankError::Forbidden);
    }
    let token = Token::new(token)
        .map_err(|_| BankError::Invalid(vec![FieldError::new("token", Problem::Invalid)]))?;
    let sealed = bank.key()?.seal(id.as_bytes(), token.expose().as_bytes());
    store.set_bank_token(actor, id, &sealed).await?;
    Ok(())
}

/// Account `id`'s token, opened.
pub(crate) async fn token(store: &dyn Store, bank: &Bank, id: Uuid) -> Result<Token, BankError> {
    let sealed = store.bank_token(id).await?.ok_or(BankError::NotFound)?;
    let plain = bank
        .key()?
        .open(id.as_bytes(), &sealed)
        .map_err(BankError::Key)?;
    let text = std::str::from_utf8(&plain).map_err(|_| BankError::Key(SecretError::WrongKey))?;
    Token::new(text).map_err(BankError::Fio)
}

/// Downloads account `id` from FIO (from `from`), books and matches what is new,
/// records the run (whatever its outcome) and publishes the orders it paid to
/// their advisers' phones.
pub async fn fetch(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    from: Rewind,
) -> Result<Imported, BankError> {
    let done = book(state.store.as_ref(), &state.bank, actor, id, from).await?;
    for order in &done.orders {
        if let Err(err) = state.sync.publish_order_info(*order).await {
            tracing::warn!(%err, %order, "publishing an order's payment to the phone; the next change publishes it");
        }
    }
    Ok(done)
}

/// [`fetch`] without publishing (the command line; the running hub's poller
/// publishes what others booked, see `poller.rs`).
pub async fn book(
    store: &dyn Store,
    bank: &Bank,
    actor: &Actor,
    id: Uuid,
    from: Rewind,
) -> Result<Imported, BankError> {
    let outcome = download(store, bank, actor, id, from).await;
    let at = OffsetDateTime::now_utc();
    let next = Some(at + bank.every);
    let run = match &outcome {
        Ok(done) => PollRun {
            at,
            next,
            result: "ok".into(),
            error: String::new(),
            new: done.new as i64,
        },
        Err(e) => PollRun {
            at,
            next,
            result: e.code().into(),
            error: e.text(Lang::Cs) + " / " + &e.text(Lang::En),
            new: 0,
        },
    };
    if !matches!(outcome, Err(BankError::NotFound)) {
        store.record_poll(id, &run).await?;
    }
    if let Err(e) = &outcome {
        tracing::warn!(account = %id, code = e.code(), error = %e, "bank download failed");
    }
    outcome
}

async fn download(
    store: &dyn Store,
    bank: &Bank,
    actor: &Actor,
    id: Uuid,
    from: Rewind,
) -> Result<Imported, BankError> {
    let token = token(store, bank, id).await?;
    let client = &bank.client;
    match from {
        Rewind::Bookmark => {}
        Rewind::AfterId(after) => client
            .set_last_id(&token, after)
            .await
            .map_err(BankError::Fio)?,
        Rewind::FromDate(date) => client
            .set_last_date(&token, date)
            .await
            .map_err(BankError::Fio)?,
    }
    let statement = client.last(&token).await.map_err(BankError::Fio)?;
    Ok(store
        .import_movements(actor, id, &statement.movements)
        .await?)
}

/// Downloads every active account once; what failed is recorded on it.
pub async fn fetch_all(state: &AppState) -> usize {
    let actor = Actor::system("bank");
    let accounts = match state.store.bank_accounts().await {
        Ok(a) => a,
        Err(err) => {
            tracing::warn!(%err, "listing the bank accounts to download");
            return 0;
        }
    };
    let mut new = 0;
    for account in accounts.iter().filter(|a| a.active) {
        if let Ok(done) = fetch(state, &actor, account.id, Rewind::Bookmark).await {
            new += done.new;
        }
    }
    new
}
