//! Creating a staff user: the one path for the office's Users page and
//! `fieldcase user add`.

use fieldcase_shared::validate::{self, reason};
use fieldcase_shared::{FieldError, Lang, Problem, Role, StoreId};

use crate::auth;
use crate::service::ServiceError;
use crate::store::{Actor, NewUser, Store, User};

/// A staff user as entered (the password in plain text, hashed here).
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// Login e-mail.
    pub email: String,
    /// Full name.
    pub name: String,
    /// Role code (`office`, `store`, …); advisers are not staff.
    pub role: String,
    /// The shop a store user works in.
    pub shop: Option<StoreId>,
    /// The password (8 to 256 characters).
    pub password: String,
    /// The user's language.
    pub lang: Lang,
}

/// Checks `input`, hashes the password and creates the user (audited). Every
/// problem comes back at once, per field; a taken e-mail is a field error too.
#[tracing::instrument(skip_all, fields(role = %input.role))]
pub async fn create(
    store: &dyn Store,
    actor: &Actor,
    input: NewStaff,
) -> Result<User, ServiceError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let name = validate::required("name", &input.name)
        .map_err(|e| problems.push(e))
        .ok();
    let email = validate::email("email", &input.email)
        .map_err(|e| problems.push(e))
        .ok();
    let role = match input.role.trim().parse::<Role>() {
        Ok(role) if role != Role::Adviser => Some(role),
        _ => {
            problems.push(FieldError::new(
                "role",
                Problem::NotAllowed(reason::NOT_A_STAFF_ROLE.into()),
            ));
            None
        }
    };
    let length = input.password.chars().count();
    if length < auth::MIN_PASSWORD_LEN || input.password.len() > auth::MAX_PASSWORD_LEN {
        problems.push(FieldError::new(
            "password",
            Problem::NotAllowed(reason::PASSWORD_LENGTH.into()),
        ));
    }
    let (Some(name), Some(email), Some(role), true) = (name, email, role, problems.is_empty())
    else {
        return Err(ServiceError::Invalid(problems));
    };
    let password = input.password;
    // argon2 is deliberately slow: keep it off the async workers.
    let password_hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))??;
    let new = NewUser {
        email,
        name,
        password_hash,
        role,
        shop: input.shop,
        lang: input.lang,
    };
    Ok(store.create_user(actor, &new).await?)
}
