//! An order's custom fields set by the office (issue 12, point 8): checked by the
//! shared rule against the order fields in use, written into the adviser's
//! workspace (the phone gets them; the order stays the document's) and into SQL
//! (the card and the search at once), audited.

use std::collections::BTreeMap;

use fieldcase_shared::custom_field::{Entity, check_all};
use fieldcase_shared::docs::records::{self, OrderRecord};
use fieldcase_shared::{FieldError, OrderId};

use crate::state::AppState;
use crate::store::{Actor, StoreError};

/// Why setting the values was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum CustomError {
    #[error("invalid values")]
    Invalid(Vec<FieldError>),
    #[error("no such order")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the workspace: {0}")]
    Internal(anyhow::Error),
}

/// Sets `order`'s custom values to `values` (the form's: every order field in use;
/// a withdrawn field's value the order has stays).
pub async fn set(
    state: &AppState,
    actor: &Actor,
    order: OrderId,
    mut values: BTreeMap<String, String>,
) -> Result<(), CustomError> {
    let fields = crate::customers::fields::active(state.store.as_ref(), Entity::Order).await?;
    let adviser = state
        .store
        .order_adviser(order)
        .await?
        .ok_or(CustomError::NotFound)?;
    let doc = state
        .sync
        .ensure_workspace(adviser)
        .await
        .map_err(CustomError::Internal)?;
    let handle = state
        .sync
        .repo()
        .find(doc)
        .await
        .ok()
        .flatten()
        .ok_or(CustomError::NotFound)?;
    let key = order.to_string();
    let Some(mut record) = handle
        .with_document(|d| records::get::<OrderRecord>(d, records::ORDERS, &key))
        .map_err(|e| CustomError::Internal(anyhow::anyhow!("reading the order: {e}")))?
    else {
        return Err(CustomError::NotFound);
    };
    // Values of withdrawn fields stay; the fields in use take the form's.
    for (k, v) in &record.custom {
        if !fields.iter().any(|f| &f.key == k) {
            values.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    let errors = check_all(&fields, &mut values);
    if !errors.is_empty() {
        return Err(CustomError::Invalid(errors));
    }
    record.custom = values.clone();
    handle
        .with_document(|d| {
            d.transact::<_, _, fieldcase_shared::docs::DocError>(|tx| {
                records::put(tx, records::ORDERS, &key, &record)
            })
        })
        .map_err(|f| CustomError::Internal(anyhow::anyhow!("writing the order: {}", f.error)))?;
    state.store.set_order_custom(actor, order, &values).await?;
    Ok(())
}
