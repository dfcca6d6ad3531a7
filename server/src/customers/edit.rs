//! The one path by which the office creates and edits customers (its pages now; the
//! API and the CLI when they come): checked by the shared rules
//! (`fieldcase_shared::customer`). A customer with an adviser lives in the
//! adviser's workspace: the edit is applied there first, field by field onto the
//! record as it is now (an offline adviser's changes to other fields merge when the
//! phone syncs; a field someone changed meanwhile is refused as stale), with a note
//! in the adviser's inbox, and SQL gets the changed fields at once. The office's
//! own customers (no adviser) are changed in SQL, compare-and-set. Before a create,
//! or an edit of a name, contact or address, possible duplicates are looked up
//! (`duplicates`) and shown; the user saves anyway or opens the other customer.

use fieldcase_shared::customer::{
    CLIENT_FIELDS, Likeness, apply_edit, check_client, field, field_names, likeness,
};
use fieldcase_shared::docs::{self, records, records::ClientRecord};
use fieldcase_shared::{AdviserId, ClientId, FieldError, Lang};

use crate::customers::store::FoundPair;
use crate::state::AppState;
use crate::store::{Actor, CustomerFilter, CustomerSummary, Store, StoreError};

/// Why a create or an edit did not happen (nothing was written).
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The form's values break the rules.
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Other customers may be this person (phone, e-mail, or name and address):
    /// saved only when the user confirms.
    #[error("possible duplicates: {}", .0.len())]
    Duplicates(Vec<Duplicate>),
    /// Someone changed these fields meanwhile, to other values than the user's.
    #[error("changed meanwhile: {}", .0.join(", "))]
    Stale(Vec<&'static str>),
    /// No such customer (or adviser).
    #[error("not found")]
    NotFound,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The workspace could not be written.
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// A customer who may be the same person, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub customer: CustomerSummary,
    pub likeness: Likeness,
}

/// At most this many possible duplicates are named.
const MAX_DUPLICATES: usize = 10;

/// The customers (other than `exclude`) who may be the person `record` describes:
/// candidates found by the search index (the phone's national number, the e-mail,
/// the name), judged by `fieldcase_shared::customer::likeness`, most alike first.
pub async fn duplicates(
    store: &dyn Store,
    record: &ClientRecord,
    exclude: Option<ClientId>,
) -> Result<Vec<Duplicate>, StoreError> {
    let phone: String = record.phone.chars().filter(char::is_ascii_digit).collect();
    let national = phone
        .get(phone.len().saturating_sub(9)..)
        .unwrap_or_default();
    let queries = [
        if national.len() == 9 {
            national.to_owned()
        } else {
            String::new()
        },
        record.email.trim().to_owned(),
        format!("{} {}", record.last_name, record.first_name),
    ];
    let mut found: Vec<Duplicate> = Vec::new();
    for text in queries.into_iter().filter(|q| !q.trim().is_empty()) {
        let filter = CustomerFilter {
            text,
            limit: 50,
            ..CustomerFilter::default()
        };
        for customer in store.list_customers(&filter).await? {
            if Some(customer.id) == exclude || found.iter().any(|d| d.customer.id == customer.id) {
                continue;
            }
            if let Some(likeness) = likeness(record, &customer.record()) {
                found.push(Duplicate { customer, likeness });
            }
        }
    }
    found.sort_by_key(|d| std::cmp::Reverse(d.likeness.score));
    found.truncate(MAX_DUPLICATES);
    Ok(found)
}

/// A save the user confirmed although others may be the same person puts those
/// pairs into the duplicate review queue (a failure is logged: the save stands).
async fn queue_duplicates(store: &dyn Store, client: ClientId, record: &ClientRecord) {
    let found = match duplicates(store, record, Some(client)).await {
        Ok(found) => found,
        Err(err) => return tracing::warn!(%err, %client, "looking up duplicates for the queue"),
    };
    let pairs: Vec<FoundPair> = found
        .into_iter()
        .map(|d| FoundPair {
            a: client,
            b: d.customer.id,
            likeness: d.likeness,
        })
        .collect();
    if !pairs.is_empty()
        && let Err(err) = store.record_duplicates(&pairs).await
    {
        tracing::warn!(%err, %client, "queueing duplicates");
    }
}

/// Checks the custom fields' values of `record` by the fields in use (normalised in
/// place; the errors name `custom.<key>`).
async fn check_custom(
    store: &dyn Store,
    record: &mut ClientRecord,
) -> Result<Vec<fieldcase_shared::FieldError>, EditError> {
    let fields =
        crate::customers::fields::active(store, fieldcase_shared::custom_field::Entity::Customer)
            .await?;
    Ok(fieldcase_shared::custom_field::check_all(
        &fields,
        &mut record.custom,
    ))
}

/// Checks a new customer (normalising it, stamping its creation) and, unless
/// `allow_duplicates`, refuses it when other customers may be the same person.
async fn prepare(
    store: &dyn Store,
    record: &mut ClientRecord,
    allow_duplicates: bool,
) -> Result<(), EditError> {
    let mut errors = check_client(record);
    errors.extend(check_custom(store, record).await?);
    if !errors.is_empty() {
        return Err(EditError::Invalid(errors));
    }
    if !allow_duplicates {
        let found = duplicates(store, record, None).await?;
        if !found.is_empty() {
            return Err(EditError::Duplicates(found));
        }
    }
    record.created_at = rfc3339(time::OffsetDateTime::now_utc());
    Ok(())
}

/// Creates the office's own customer (no adviser): SQL only, so it needs no running
/// hub (the CLI). Checked and refused on possible duplicates as [`create`].
pub async fn create_own(
    store: &dyn Store,
    actor: &Actor,
    mut record: ClientRecord,
    allow_duplicates: bool,
) -> Result<ClientId, EditError> {
    prepare(store, &mut record, allow_duplicates).await?;
    let id = ClientId::new();
    store.create_customer(actor, id, None, &record).await?;
    if allow_duplicates {
        queue_duplicates(store, id, &record).await;
    }
    Ok(id)
}

/// Creates a customer: the office's own (`adviser` None), or written into the
/// adviser's workspace with a note in their inbox. Possible duplicates refuse it
/// unless `allow_duplicates` (the user saw them and confirmed). Returns the new id.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    adviser: Option<AdviserId>,
    mut record: ClientRecord,
    allow_duplicates: bool,
) -> Result<ClientId, EditError> {
    let Some(adviser) = adviser else {
        return create_own(state.store.as_ref(), actor, record, allow_duplicates).await;
    };
    prepare(state.store.as_ref(), &mut record, allow_duplicates).await?;
    let id = ClientId::new();
    let name = format!("{} {}", record.first_name, record.last_name);
    let note = inbox(
        format!("Kancelář vám přidala klienta {name}."),
        format!("The office added the client {name} for you."),
        id,
    );
    write_workspace(state, adviser, |tx| {
        let key = id.to_string();
        records::put(tx, records::CLIENTS, &key, &record)?;
        records::put(tx, records::INBOX, &note.0, &note.1)
    })
    .await?;
    state
        .store
        .create_customer(actor, id, Some(adviser), &record)
        .await?;
    if allow_duplicates {
        queue_duplicates(state.store.as_ref(), id, &record).await;
    }
    Ok(id)
}

/// Edits a customer shown to the user as `seen`: writes the fields changed from it
/// (checked and normalised first) unless someone changed them meanwhile. An edit
/// of a contact, name or address that makes the customer look like another one is
/// refused unless `allow_duplicates`. Returns the fields written (none: nothing
/// changed).
pub async fn edit(
    state: &AppState,
    actor: &Actor,
    client: ClientId,
    seen: &ClientRecord,
    mut new: ClientRecord,
    allow_duplicates: bool,
) -> Result<Vec<&'static str>, EditError> {
    let mut errors = check_client(&mut new);
    errors.extend(check_custom(state.store.as_ref(), &mut new).await?);
    if !errors.is_empty() {
        return Err(EditError::Invalid(errors));
    }
    let identity_changed = CLIENT_FIELDS
        .iter()
        .filter(|f| **f != "note")
        .any(|f| field(seen, f) != field(&new, f));
    if !allow_duplicates && identity_changed {
        let found = duplicates(state.store.as_ref(), &new, Some(client)).await?;
        if !found.is_empty() {
            return Err(EditError::Duplicates(found));
        }
    }
    let adviser = match state.store.client_owner(client).await? {
        None => return Err(EditError::NotFound),
        Some(None) => {
            let changed = state
                .store
                .edit_own_customer(actor, client, seen, &new)
                .await?
                .map_err(|stale| EditError::Stale(stale.fields))?;
            if allow_duplicates && identity_changed {
                queue_duplicates(state.store.as_ref(), client, &new).await;
            }
            return Ok(changed);
        }
        Some(Some(adviser)) => adviser,
    };
    let key = client.to_string();
    let mut outcome: Result<(Vec<&'static str>, ClientRecord), EditError> =
        Err(EditError::NotFound);
    let result = &mut outcome;
    write_workspace(state, adviser, |tx| {
        let Some(mut current) = records::get::<ClientRecord>(tx, records::CLIENTS, &key)? else {
            return Ok(());
        };
        match apply_edit(&mut current, seen, &new) {
            Err(stale) => *result = Err(EditError::Stale(stale.fields)),
            Ok(changed) => {
                if !changed.is_empty() {
                    records::put(tx, records::CLIENTS, &key, &current)?;
                    let (cs, en) = (
                        field_names(&changed, Lang::Cs),
                        field_names(&changed, Lang::En),
                    );
                    let note = inbox(
                        format!(
                            "Kancelář upravila klienta {} {}: {cs}.",
                            current.first_name, current.last_name
                        ),
                        format!(
                            "The office edited the client {} {}: {en}.",
                            current.first_name, current.last_name
                        ),
                        client,
                    );
                    records::put(tx, records::INBOX, &note.0, &note.1)?;
                }
                *result = Ok((changed, current));
            }
        }
        Ok(())
    })
    .await?;
    let (changed, current) = outcome?;
    if !changed.is_empty() {
        // The document holds the change; SQL shows it at once (else the projection
        // brings it when it projects the change).
        if let Err(err) = state
            .store
            .set_customer_fields(actor, client, &current, &changed)
            .await
        {
            tracing::warn!(%err, %client, "writing an office edit of a client to SQL");
        }
        if allow_duplicates && identity_changed {
            queue_duplicates(state.store.as_ref(), client, &current).await;
        }
    }
    Ok(changed)
}

/// Runs `edit` in one transaction on the adviser's workspace document.
async fn write_workspace(
    state: &AppState,
    adviser: AdviserId,
    edit: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), docs::DocError>,
) -> Result<(), EditError> {
    let handle = workspace(state, adviser)
        .await
        .map_err(EditError::Internal)?
        .ok_or(EditError::NotFound)?;
    handle
        .with_document(|d| d.transact::<_, _, docs::DocError>(edit))
        .map(|_| ())
        .map_err(|f| EditError::Internal(anyhow::anyhow!("writing the workspace: {}", f.error)))
}

/// The adviser's workspace document (created from SQL if they have none yet);
/// `None`: the repository does not find it.
pub(super) async fn workspace(
    state: &AppState,
    adviser: AdviserId,
) -> anyhow::Result<Option<samod::DocHandle>> {
    let doc = state.sync.ensure_workspace(adviser).await?;
    Ok(state.sync.repo().find(doc).await.ok().flatten())
}

/// An inbox record (its key, unique per note, and the record) about `client`.
pub(super) fn inbox(cs: String, en: String, client: ClientId) -> (String, records::InboxRecord) {
    (
        format!("office-client-{client}-{}", uuid::Uuid::now_v7()),
        records::InboxRecord {
            at: rfc3339(time::OffsetDateTime::now_utc()),
            kind: "notification".into(),
            about: format!("clients/{client}"),
            text_cs: cs,
            text_en: en,
            read: false,
        },
    )
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
