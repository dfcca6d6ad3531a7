//! Domain slice: complaints (reklamace; issue 15, slice 3). The one path of each
//! operation, shared by the office pages, the order's public page and the JSON
//! API: opening a complaint about an order's items (by staff, or by the customer
//! on the order's public page) with photos, deciding it once (repair, remake,
//! refund, reject — a rejection says why), staff notes, photos added later. The
//! statutory 30-day deadline and its alarms are `rules.rs`; the SQL `store.rs`;
//! photos are checked (an image, at most 8 MB, six at most) and kept in the blob
//! store before the row that names them. Opening and deciding are notification
//! events (the database's triggers), so the customer is told as the office set;
//! a decision hands its work to the lab or accounting as a task (`tasks.rs`,
//! `task_box.rs`) and, once no complaint of the order is open, moves the order
//! ([`follow_up`]).

pub mod api;
pub mod card;
pub mod cli;
pub mod order_box;
pub mod page;
pub mod protocol;
pub mod public;
pub mod rules;
pub mod store;
pub mod task_box;
pub mod task_store;
pub mod tasks;

use fieldcase_shared::validate::{FieldError, Problem};
use fieldcase_shared::{Lang, OrderId, Role};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::blobs::Blobs;
use crate::store::{Actor, Store, StoreError};
use rules::{DECIDERS, Decision, MAX_PHOTOS, OPENERS, PhotoRefused, Via};
use store::{NewComplaint, Note, Photo};

/// Why an operation on a complaint did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ComplaintError {
    #[error("this role may not do this with complaints")]
    Forbidden,
    #[error("invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Photo(#[from] PhotoRefused),
    #[error("the complaint was decided already")]
    Decided,
    #[error("the order has not been handed over yet")]
    NotHandedOver,
    #[error("the customer has made as many complaints about this order as the page takes")]
    TooMany,
    #[error("no such complaint or order")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
    #[error("the blob store: {0}")]
    Blob(#[from] std::io::Error),
}

impl From<StoreError> for ComplaintError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(_) => ComplaintError::NotFound,
            other => ComplaintError::Store(other),
        }
    }
}

impl ComplaintError {
    /// What to tell people.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ComplaintError::Forbidden => lang
                .pick(
                    "K této akci u reklamací nemáte oprávnění.",
                    "You are not allowed to do this with complaints.",
                )
                .to_owned(),
            ComplaintError::Invalid(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", field_name(&f.field, lang), f.message(lang)))
                .collect::<Vec<_>>()
                .join("; "),
            ComplaintError::Photo(p) => p.text(lang).to_owned(),
            ComplaintError::Decided => lang
                .pick(
                    "O reklamaci už bylo rozhodnuto.",
                    "The complaint was decided already.",
                )
                .to_owned(),
            ComplaintError::NotHandedOver => lang
                .pick(
                    "Reklamovat lze až předané brýle.",
                    "Only glasses handed over can be the subject of a complaint.",
                )
                .to_owned(),
            ComplaintError::TooMany => lang
                .pick(
                    "K této objednávce už evidujeme několik reklamací; ozvěte se prosím přímo prodejně.",
                    "We already have several complaints about this order; please contact the store directly.",
                )
                .to_owned(),
            ComplaintError::NotFound => lang
                .pick(
                    "Reklamace ani zakázka nenalezena.",
                    "No such complaint or order.",
                )
                .to_owned(),
            ComplaintError::Store(_) | ComplaintError::Blob(_) => lang
                .pick(
                    "Uložení se nepodařilo; zkuste to prosím znovu.",
                    "Could not save; please try again.",
                )
                .to_owned(),
        }
    }
}

fn field_name(field: &str, lang: Lang) -> &str {
    match field {
        "reason" => lang.pick("Důvod reklamace", "Reason"),
        "items" => lang.pick("Reklamované položky", "Items"),
        "decision" => lang.pick("Rozhodnutí", "Decision"),
        "decision_reason" => lang.pick("Zdůvodnění", "Why"),
        "note" => lang.pick("Poznámka", "Note"),
        other => other,
    }
}

/// What follows a complaint opened or decided about `order` (`decided`: the
/// decision just made): the order moves as [`tasks::order_move`] says (to
/// `complaint` while one is open; by the decision once none is), as the office
/// resolves complaints, in `actor`'s name; and the adviser's phone is told (the
/// order's information in their workspace). A failure is logged: the complaint
/// stands, the order can be moved by hand.
pub async fn follow_up(
    state: &crate::state::AppState,
    actor: &Actor,
    order: OrderId,
    decided: Option<Decision>,
) {
    let open = state
        .store
        .open_complaints(order)
        .await
        .map(|n| usize::try_from(n).unwrap_or(0));
    match (state.store.order_status(order).await, open) {
        (Ok(Some(now)), Ok(open)) => {
            if let Some(to) = tasks::order_move(now, open, decided)
                && let Err(err) = state
                    .sync
                    .change_order_status(actor, Role::Office, order, now, to)
                    .await
            {
                tracing::warn!(?err, %order, "moving a complaint's order");
            }
        }
        (Err(err), _) | (_, Err(err)) => tracing::warn!(%err, %order, "a complaint's order"),
        (Ok(None), _) => {}
    }
    if let Err(err) = state.sync.publish_order_info(order).await {
        tracing::warn!(%err, %order, "publishing a complaint to the adviser's phone");
    }
}

/// An uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Who opens a complaint: staff of a role, or the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opener {
    Staff(Role),
    Customer,
}

/// The photos checked and kept in the blob store (all or none).
async fn keep_photos(
    blobs: &Blobs,
    uploads: &[Upload],
    by: &str,
    at: OffsetDateTime,
) -> Result<Vec<Photo>, ComplaintError> {
    let mut checked = Vec::with_capacity(uploads.len());
    for u in uploads {
        let content_type = rules::photo_type(&u.bytes)?;
        checked.push((u, content_type));
    }
    let mut kept = Vec::with_capacity(checked.len());
    for (u, content_type) in checked {
        let photo = Photo {
            id: Uuid::now_v7(),
            name: u
                .name
                .chars()
                .filter(|c| !c.is_control())
                .take(120)
                .collect(),
            content_type: content_type.to_owned(),
            size: i64::try_from(u.bytes.len()).unwrap_or(i64::MAX),
            added_by: by.to_owned(),
            at,
        };
        if let Err(err) = blobs.put(photo.id, &u.bytes).await {
            forget(blobs, &kept).await;
            return Err(err.into());
        }
        kept.push(photo);
    }
    Ok(kept)
}

async fn forget(blobs: &Blobs, photos: &[Photo]) {
    for p in photos {
        if let Err(err) = blobs.remove(p.id).await {
            tracing::warn!(%err, photo = %p.id, "removing a photo whose row was not written");
        }
    }
}

/// What a complaint is about: the order, its lines, what is wrong, the photos.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    pub order: OrderId,
    pub lines: &'a [Uuid],
    pub reason: &'a str,
    pub photos: &'a [Upload],
}

/// Opens the complaint `about` by `by`; its id and number.
pub async fn open(
    store: &dyn Store,
    blobs: &Blobs,
    actor: &Actor,
    by: Opener,
    about: About<'_>,
) -> Result<(Uuid, String), ComplaintError> {
    let About {
        order,
        lines,
        reason,
        photos: uploads,
    } = about;
    let via = match by {
        Opener::Staff(role) if OPENERS.contains(&role) => Via::of(role),
        Opener::Staff(_) => return Err(ComplaintError::Forbidden),
        Opener::Customer => Via::Customer,
    };
    let mut errors = Vec::new();
    let reason = rules::check_text("reason", reason).map_err(|e| errors.push(e));
    let card = store
        .order_card(order, Role::Store)
        .await?
        .ok_or(ComplaintError::NotFound)?;
    if !rules::may_complain(card.status) {
        return Err(ComplaintError::NotHandedOver);
    }
    if by == Opener::Customer {
        // The public page is open to whoever has the link: a few complaints an order.
        let before = store.complaints_via(order, Via::Customer).await?;
        if before >= rules::MAX_FROM_CUSTOMER as i64 {
            return Err(ComplaintError::TooMany);
        }
    }
    let items: Vec<(Uuid, String)> = card
        .lines
        .iter()
        .filter(|l| lines.contains(&l.id.as_uuid()))
        .map(|l| (l.id.as_uuid(), l.text.clone()))
        .collect();
    if lines.is_empty() {
        errors.push(FieldError::new("items", Problem::Required));
    } else if items.len() != lines.len() {
        errors.push(FieldError::new("items", Problem::Invalid));
    }
    if uploads.len() > MAX_PHOTOS {
        return Err(PhotoRefused::TooMany.into());
    }
    let Ok(reason) = reason else {
        return Err(ComplaintError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ComplaintError::Invalid(errors));
    }
    let at = OffsetDateTime::now_utc();
    let photos = keep_photos(blobs, uploads, &actor.label, at).await?;
    let new = NewComplaint {
        id: Uuid::now_v7(),
        order,
        via,
        opened_by: actor.label.clone(),
        reason,
        items,
        at,
    };
    match store.open_complaint(actor, &new, &photos).await {
        Ok(number) => Ok((new.id, number)),
        Err(err) => {
            forget(blobs, &photos).await;
            Err(err.into())
        }
    }
}

/// Decides complaint `id`.
pub async fn decide(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
    decision: &str,
    reason: &str,
) -> Result<(Decision, OrderId), ComplaintError> {
    if !DECIDERS.contains(&role) {
        return Err(ComplaintError::Forbidden);
    }
    let (decision, reason) =
        rules::check_decision(decision, reason).map_err(ComplaintError::Invalid)?;
    let Some(order) = store.complaint_order(id).await? else {
        return Err(ComplaintError::NotFound);
    };
    let task = tasks::decision_task(decision).map(|(team, body)| (team.code(), body));
    let done = store
        .decide_complaint(
            actor,
            id,
            decision,
            &reason,
            OffsetDateTime::now_utc(),
            task,
        )
        .await?;
    if done {
        Ok((decision, order))
    } else {
        Err(ComplaintError::Decided)
    }
}

/// Adds a staff note to complaint `id`.
pub async fn note(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
    body: &str,
) -> Result<(), ComplaintError> {
    if !DECIDERS.contains(&role) {
        return Err(ComplaintError::Forbidden);
    }
    let body = rules::check_text("note", body).map_err(|e| ComplaintError::Invalid(vec![e]))?;
    let note = Note {
        author: actor.label.clone(),
        body,
        at: OffsetDateTime::now_utc(),
    };
    store.add_complaint_note(actor, id, &note).await?;
    Ok(())
}

/// Adds a photo to complaint `id` (staff who may open complaints).
pub async fn add_photo(
    store: &dyn Store,
    blobs: &Blobs,
    actor: &Actor,
    role: Role,
    id: Uuid,
    upload: &Upload,
) -> Result<(), ComplaintError> {
    if !OPENERS.contains(&role) {
        return Err(ComplaintError::Forbidden);
    }
    let complaint = store.complaint(id).await?.ok_or(ComplaintError::NotFound)?;
    if complaint.photos.len() >= MAX_PHOTOS {
        return Err(PhotoRefused::TooMany.into());
    }
    let photos = keep_photos(
        blobs,
        std::slice::from_ref(upload),
        &actor.label,
        OffsetDateTime::now_utc(),
    )
    .await?;
    for p in &photos {
        if let Err(err) = store.add_complaint_photo(actor, id, p).await {
            forget(blobs, &photos).await;
            return Err(err.into());
        }
    }
    Ok(())
}
