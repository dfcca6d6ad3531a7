//! Making and revoking staff API keys: the one path of the office's API keys page
//! and `fieldcase api-key` (the keys' store part is `keys.rs`).

use fieldcase_shared::{FieldError, Problem, Role, UserId};
use uuid::Uuid;

use crate::api::keys::{ApiKey, MAX_NAME_CHARS, Scope, check_name, may_hold_keys, new_secret};
use crate::service::ServiceError;
use crate::store::{Actor, Store};

/// Makes a key for `owner` (a staff user who may hold keys): the one path of the
/// office page and `fieldcase api-key create`. Answers the key and its secret, which
/// is shown once and never again.
pub async fn create(
    store: &dyn Store,
    actor: &Actor,
    owner: UserId,
    name: &str,
    scopes: &[Scope],
) -> Result<(ApiKey, String), ServiceError> {
    let user = store.get_user(owner).await?;
    if !user.active || !may_hold_keys(user.role) {
        return Err(ServiceError::Refused(format!(
            "{} may not hold API keys (only active staff users may)",
            user.email
        )));
    }
    let mut problems = Vec::new();
    let name = match check_name(name) {
        Ok(name) => name,
        Err(_) => {
            let problem = if name.trim().is_empty() {
                Problem::Required
            } else if name.trim().chars().count() > MAX_NAME_CHARS {
                Problem::TooLong {
                    max: MAX_NAME_CHARS,
                }
            } else {
                Problem::Invalid
            };
            problems.push(FieldError::new("name", problem));
            String::new()
        }
    };
    if scopes.is_empty() {
        problems.push(FieldError::new("scopes", Problem::Required));
    }
    if !problems.is_empty() {
        return Err(ServiceError::Invalid(problems));
    }
    let secret = new_secret();
    let key = store
        .create_api_key(actor, owner, &name, scopes, &secret)
        .await?;
    Ok((key, secret))
}

/// Revokes `key` for `by` (its owner, or an admin): the one path of the office page
/// and `fieldcase api-key revoke`. `by: None` is the operator at the command line.
pub async fn revoke(
    store: &dyn Store,
    actor: &Actor,
    by: Option<&crate::network::store::User>,
    key: Uuid,
) -> Result<ApiKey, ServiceError> {
    let found = store.api_key(key).await?.ok_or(ServiceError::Store(
        crate::store::StoreError::NotFound("api key"),
    ))?;
    if let Some(by) = by
        && by.id != found.user
        && by.role != Role::Admin
    {
        return Err(ServiceError::Refused(
            "only the key's owner or an admin may revoke it".into(),
        ));
    }
    if found.revoked_at.is_some() {
        return Err(ServiceError::Refused("the key is already revoked".into()));
    }
    store.revoke_api_key(actor, key).await?;
    Ok(found)
}
