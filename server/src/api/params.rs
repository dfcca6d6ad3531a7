//! What every list endpoint reads the same way: a field's 422, the page size, ids
//! in parameters and the cursor's refusal.

use crate::error::AppError;

/// Default and largest page.
pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;
/// Longest search text taken (longer ones are cut, as the office's box does).
pub const MAX_QUERY_CHARS: usize = 200;

/// One field's value cannot be taken (422), and why.
pub fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::Unprocessable {
        field: field.into(),
        message: message.into(),
    }
}

/// A path or query value that must be an id (a UUID), as `field`.
pub fn uuid_param(field: &str, value: &str) -> Result<uuid::Uuid, AppError> {
    value
        .trim()
        .parse::<uuid::Uuid>()
        .map_err(|_| bad(field, "not an id (UUID)"))
}

/// `limit`: a whole number 1–[`MAX_LIMIT`].
pub fn limit(text: &str) -> Result<i64, AppError> {
    text.parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_LIMIT).contains(n))
        .ok_or_else(|| bad("limit", format!("expected a whole number 1–{MAX_LIMIT}")))
}

/// An optional `limit` already read as a number: 1–[`MAX_LIMIT`], `default` when
/// not given.
pub fn limit_or(value: Option<i64>, default: i64) -> Result<i64, AppError> {
    let n = value.unwrap_or(default);
    if (1..=MAX_LIMIT).contains(&n) {
        Ok(n)
    } else {
        Err(bad("limit", format!("1–{MAX_LIMIT}")))
    }
}

/// An optional `order` given by its variable symbol: the order, none when not
/// given (or empty), 404 when no order has it.
pub async fn order_param(
    store: &dyn crate::store::Store,
    vs: Option<&str>,
) -> Result<Option<fieldcase_shared::OrderId>, AppError> {
    match vs.map(str::trim) {
        None | Some("") => Ok(None),
        Some(vs) => Ok(Some(
            store.order_by_number(vs).await?.ok_or(AppError::NotFound)?,
        )),
    }
}

/// The refusal of an `after` this API did not give.
pub fn bad_cursor() -> AppError {
    bad(
        "after",
        "not a cursor this API gave (take `next` of the previous page)",
    )
}
