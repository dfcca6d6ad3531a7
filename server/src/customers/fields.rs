//! Custom fields (issue 12, point 8), the one path of the Custom fields page, the
//! API and the CLI: an administrator adds a field to customers or orders (text,
//! number, date, choice; Czech and English label; required or not) or withdraws
//! one; each change is published into the catalog document at once, so phones
//! show it in their forms. Values are checked by the shared rule
//! (`fieldcase_shared::custom_field::check_all`) wherever a record is saved.

use fieldcase_shared::custom_field::{self, Entity, FieldRecord, Kind};
use fieldcase_shared::{FieldError, Lang, Problem, Role};
use uuid::Uuid;

use crate::customers::store::NewCustomField;
use crate::state::AppState;
use crate::store::{Actor, Store, StoreError};

/// Who defines custom fields.
pub const FIELD_ADMINS: &[Role] = &[Role::Admin];

/// The most choices a choice field has.
const CHOICES_MAX: usize = 50;

/// A definition as a form or the API gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Definition {
    /// `customer` or `order`.
    pub entity: String,
    pub label_cs: String,
    pub label_en: String,
    /// Empty: made from the Czech label.
    pub key: String,
    /// [`Kind::code`].
    pub kind: String,
    /// A choice field's choices, one per line (or given as a list).
    pub choices: Vec<String>,
    pub required: bool,
}

/// Why a change of the definitions was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum FieldsError {
    #[error("only an administrator defines custom fields")]
    Forbidden,
    #[error("invalid definition")]
    Invalid(Vec<FieldError>),
    #[error("no such custom field")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
    #[error("publishing the fields: {0}")]
    Publish(anyhow::Error),
}

impl FieldsError {
    /// What the office reads, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            FieldsError::Forbidden => l
                .pick(
                    "Vlastní pole nastavuje jen administrátor.",
                    "Only an administrator defines custom fields.",
                )
                .into(),
            FieldsError::Invalid(_) => l
                .pick("Zkontrolujte označená pole.", "Check the marked fields.")
                .into(),
            FieldsError::NotFound => l.pick("Takové pole neexistuje.", "No such field.").into(),
            FieldsError::Store(_) | FieldsError::Publish(_) => l
                .pick(
                    "Uložení se nepovedlo; zkuste to znovu.",
                    "Saving failed; try again.",
                )
                .into(),
        }
    }
}

impl From<StoreError> for FieldsError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate { .. } => FieldsError::Invalid(vec![FieldError::new(
                "key",
                Problem::NotAllowed(fieldcase_shared::validate::reason::TAKEN.into()),
            )]),
            StoreError::NotFound(_) => FieldsError::NotFound,
            e => FieldsError::Store(e),
        }
    }
}

/// Checks a definition: an entity and kind we know, a Czech label (at most 80
/// characters; English optional), a key of `a-z 0-9 _` (made from the label when
/// empty), 1–50 distinct non-empty choices for a choice field (none otherwise).
pub fn check(def: &Definition) -> Result<NewCustomField, Vec<FieldError>> {
    let mut errors = Vec::new();
    let entity = Entity::from_code(def.entity.trim());
    if entity.is_none() {
        errors.push(FieldError::new("entity", Problem::Invalid));
    }
    let kind = Kind::from_code(def.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", Problem::Invalid));
    }
    let (label_cs, label_en) = (
        def.label_cs.trim().to_owned(),
        def.label_en.trim().to_owned(),
    );
    if label_cs.is_empty() {
        errors.push(FieldError::new("label_cs", Problem::Required));
    }
    for (name, label) in [("label_cs", &label_cs), ("label_en", &label_en)] {
        if label.chars().count() > 80 {
            errors.push(FieldError::new(name, Problem::TooLong { max: 80 }));
        }
    }
    let key = match def.key.trim() {
        "" => custom_field::key_from_label(&label_cs),
        k => k.to_owned(),
    };
    if !label_cs.is_empty() && !custom_field::valid_key(&key) {
        errors.push(FieldError::new("key", Problem::Invalid));
    }
    let mut choices: Vec<String> = Vec::new();
    for c in def
        .choices
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
    {
        if !choices.iter().any(|x| x == c) {
            choices.push(c.chars().take(80).collect());
        }
    }
    match kind {
        Some(Kind::Choice) if choices.is_empty() => {
            errors.push(FieldError::new("choices", Problem::Required))
        }
        Some(Kind::Choice) if choices.len() > CHOICES_MAX => errors.push(FieldError::new(
            "choices",
            Problem::OutOfRange {
                min: "1".into(),
                max: CHOICES_MAX.to_string(),
            },
        )),
        Some(Kind::Choice) => {}
        _ => choices.clear(),
    }
    match (entity, kind, errors.is_empty()) {
        (Some(entity), Some(kind), true) => Ok(NewCustomField {
            entity,
            key,
            label_cs,
            label_en,
            kind,
            choices,
            required: def.required,
        }),
        _ => Err(errors),
    }
}

/// Adds a custom field for `actor` in `role` and publishes it to the phones.
pub async fn add(
    state: &AppState,
    actor: &Actor,
    role: Role,
    def: &Definition,
) -> Result<Uuid, FieldsError> {
    if !FIELD_ADMINS.contains(&role) {
        return Err(FieldsError::Forbidden);
    }
    let new = check(def).map_err(FieldsError::Invalid)?;
    let id = state.store.add_custom_field(actor, &new).await?;
    state
        .sync
        .publish_offers()
        .await
        .map_err(FieldsError::Publish)?;
    Ok(id)
}

/// Withdraws a custom field (its values stay with the records) and tells the phones.
pub async fn withdraw(
    state: &AppState,
    actor: &Actor,
    role: Role,
    id: Uuid,
) -> Result<(), FieldsError> {
    if !FIELD_ADMINS.contains(&role) {
        return Err(FieldsError::Forbidden);
    }
    state.store.withdraw_custom_field(actor, id).await?;
    state
        .sync
        .publish_offers()
        .await
        .map_err(FieldsError::Publish)?;
    Ok(())
}

/// The fields of `entity` in use, in form order.
pub async fn active(store: &dyn Store, entity: Entity) -> Result<Vec<FieldRecord>, StoreError> {
    let all: Vec<FieldRecord> = store
        .custom_fields()
        .await?
        .into_iter()
        .filter(|f| f.withdrawn_at.is_none())
        .map(|f| f.record())
        .collect();
    Ok(custom_field::of(&all, entity))
}

/// Every field of `entity` ever defined, withdrawn ones too (a card shows their
/// values), in form order; none when the store fails (the card still shows).
pub async fn defined(store: &dyn Store, entity: Entity) -> Vec<FieldRecord> {
    let all: Vec<FieldRecord> = store
        .custom_fields()
        .await
        .unwrap_or_default()
        .iter()
        .map(|f| f.record())
        .collect();
    custom_field::of(&all, entity)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn def(kind: &str, choices: &[&str]) -> Definition {
        Definition {
            entity: "customer".into(),
            label_cs: "Věrnostní karta".into(),
            kind: kind.into(),
            choices: choices.iter().map(|c| (*c).to_owned()).collect(),
            ..Definition::default()
        }
    }

    #[test]
    fn a_definition_is_checked_and_keyed_from_its_label() {
        let ok = check(&def("text", &["ignored"])).unwrap();
        assert_eq!((ok.key.as_str(), ok.choices.len()), ("vernostni_karta", 0));
        let choice = check(&def("choice", &[" zlatá ", "stříbrná", "zlatá", ""])).unwrap();
        assert_eq!(
            choice.choices,
            vec!["zlatá".to_owned(), "stříbrná".to_owned()]
        );
        let fields = |d: &Definition| -> Vec<String> {
            check(d).unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(&def("choice", &[])), ["choices"]);
        assert_eq!(fields(&def("colour", &[])), ["kind"]);
        assert_eq!(
            fields(&Definition {
                entity: "shop".into(),
                label_cs: " ".into(),
                ..def("text", &[])
            }),
            ["entity", "label_cs"]
        );
        assert_eq!(
            fields(&Definition {
                key: "Bad Key".into(),
                ..def("text", &[])
            }),
            ["key"]
        );
    }
}
