//! The one path that changes notification triggers and templates (the office's
//! page, the CLI): who may (office, customer service, administrators), and a
//! template naming a variable that does not exist, or with no text, refused with
//! the field — nothing saved.

use fieldcase_shared::validate::reason;
use fieldcase_shared::{FieldError, Lang, OrderStatus, Problem, Role};

use super::rules::{Channel, ORDER_STATUS, Template, event, unknown_variables};
use super::store::{StoredTemplate, Trigger};
use crate::store::{Actor, Store, StoreError};

/// Who sets triggers and templates.
pub const CARE_EDITORS: &[Role] = &[Role::Office, Role::CustomerService, Role::Admin];

/// Why a change was refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("this role may not change notifications")]
    Forbidden,
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl EditError {
    /// What to tell people.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            EditError::Forbidden => lang
                .pick(
                    "Oznámení smí měnit kancelář, péče o zákazníky a správce.",
                    "Only the office, customer service and administrators change notifications.",
                )
                .to_owned(),
            EditError::Invalid(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message(lang)))
                .collect::<Vec<_>>()
                .join("; "),
            EditError::Store(_) => lang
                .pick("Uložení se nepodařilo.", "Could not save.")
                .to_owned(),
        }
    }
}

/// Turns a status change to `status` (`''`: any) on `channel` on or off.
pub async fn set_trigger(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    status: &str,
    channel: Channel,
    enabled: bool,
) -> Result<(), EditError> {
    set_event_trigger(store, actor, role, ORDER_STATUS, status, channel, enabled).await
}

/// Turns event `kind` (for an order's status change: to `status`, `''` any) on
/// `channel` on or off; a channel that cannot reach whom the event concerns is
/// refused.
pub async fn set_event_trigger(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    kind: &str,
    status: &str,
    channel: Channel,
    enabled: bool,
) -> Result<(), EditError> {
    if !CARE_EDITORS.contains(&role) {
        return Err(EditError::Forbidden);
    }
    let Some(kind) = event(kind) else {
        return Err(EditError::Invalid(vec![FieldError::new(
            "event",
            Problem::Invalid,
        )]));
    };
    let status = status.trim();
    let status_ok =
        status.is_empty() || kind.code == ORDER_STATUS && status.parse::<OrderStatus>().is_ok();
    if !status_ok {
        return Err(EditError::Invalid(vec![FieldError::new(
            "status",
            Problem::Invalid,
        )]));
    }
    if !kind.channels.contains(&channel) {
        return Err(EditError::Invalid(vec![FieldError::new(
            "channel",
            Problem::Invalid,
        )]));
    }
    let trigger = Trigger {
        event: kind.code.into(),
        status: status.to_owned(),
        channel,
        enabled,
    };
    Ok(store.set_trigger(actor, &trigger).await?)
}

/// Saves the status changes' template of `channel` in `lang` after checking its
/// variables.
pub async fn set_template(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    channel: Channel,
    lang: Lang,
    subject: &str,
    body: &str,
) -> Result<(), EditError> {
    set_event_template(
        store,
        actor,
        role,
        ORDER_STATUS,
        channel,
        lang,
        subject,
        body,
    )
    .await
}

/// Saves event `kind`'s template of `channel` in `lang` after checking its
/// variables (a channel that cannot reach whom the event concerns refused).
#[allow(clippy::too_many_arguments)]
pub async fn set_event_template(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    kind: &str,
    channel: Channel,
    lang: Lang,
    subject: &str,
    body: &str,
) -> Result<(), EditError> {
    if !CARE_EDITORS.contains(&role) {
        return Err(EditError::Forbidden);
    }
    let kind = event(kind)
        .filter(|k| k.channels.contains(&channel))
        .ok_or_else(|| EditError::Invalid(vec![FieldError::new("channel", Problem::Invalid)]))?;
    let template = check(channel, subject, body).map_err(EditError::Invalid)?;
    let t = StoredTemplate {
        event: kind.code.into(),
        channel,
        lang,
        template,
    };
    Ok(store.set_template(actor, &t).await?)
}

/// The longest push text: FCM takes 4 KB in all, and a phone shows a few lines.
pub const PUSH_BODY_MAX: usize = 500;

/// A template's fields checked: a body, an e-mail's subject (a push's title),
/// known variables only, a push short enough.
pub fn check(channel: Channel, subject: &str, body: &str) -> Result<Template, Vec<FieldError>> {
    let mut problems = Vec::new();
    if body.trim().is_empty() {
        problems.push(FieldError::new("body", Problem::Required));
    }
    if channel != Channel::Sms && subject.trim().is_empty() {
        problems.push(FieldError::new("subject", Problem::Required));
    }
    if channel == Channel::Push && body.trim().chars().count() > PUSH_BODY_MAX {
        problems.push(FieldError::new(
            "body",
            Problem::TooLong { max: PUSH_BODY_MAX },
        ));
    }
    for (field, text) in [("subject", subject), ("body", body)] {
        if !unknown_variables(text).is_empty() {
            problems.push(FieldError::new(
                field,
                Problem::NotAllowed(reason::UNKNOWN_VARIABLE.into()),
            ));
        }
    }
    if problems.is_empty() {
        Ok(Template {
            subject: if channel == Channel::Sms {
                String::new()
            } else {
                subject.trim().to_owned()
            },
            body: body.trim().to_owned(),
        })
    } else {
        Err(problems)
    }
}
