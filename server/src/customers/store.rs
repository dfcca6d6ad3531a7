//! The customers' store part: the office's customer list (full-text search, filters,
//! keyset pages, counts) and one customer's card. Clients themselves arrive through
//! the projection (`store/projection.rs`), which keeps their search bodies current
//! (`search.rs`).

pub mod assign;
mod card;
pub mod duplicates;
pub mod erase;
pub mod fields;
pub mod history;
mod list;
pub mod merge;
pub mod reminders;
pub mod search;
pub mod segments;
mod write;

pub use assign::AssignStore;
pub use card::{CardPrescription, CustomerCard, CustomerOrder};
pub use duplicates::{DuplicatePair, FoundPair, Scan};
pub use erase::{Erased, ErasureScope, ErasureStore};
pub use fields::{CustomField, CustomFieldStore, NewCustomField};
pub use history::{Consent, ConsentChannel, ContactKind, CustomerNote, NewConsent};
pub use merge::{MergeEntry, MergePlan, MergeSummary};
pub use reminders::ReminderStore;
pub use segments::{Segment, SegmentStore};

use async_trait::async_trait;
use fieldcase_shared::customer::Stale;
use fieldcase_shared::customer::merge::Redirects;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{AdviserId, ClientId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::customers::segment::Criteria;
use crate::store::actor::Actor;
use crate::store::error::StoreResult;
use crate::store::sql::SqlStore;

/// The order the list is sorted in. A text search always lists the newest matches
/// first: both databases walk the search index in creation order and stop after one
/// page (docs/decisions.md, "Customer search").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CustomerSort {
    /// By surname, then first name (folded), A–Z (the default).
    #[default]
    NameAsc,
    /// By name, Z–A.
    NameDesc,
    /// Newest customers first.
    Newest,
    /// Oldest first.
    Oldest,
}

impl CustomerSort {
    /// The sort a filter is listed in: its own, or newest first for a search.
    pub fn effective(filter: &CustomerFilter) -> CustomerSort {
        if fieldcase_shared::search::terms(&filter.text).is_empty() {
            filter.sort
        } else {
            CustomerSort::Newest
        }
    }
}

/// Where a page of the list starts: after this row (keyset pagination).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCursor {
    /// The row's id (ties are broken by it).
    pub id: ClientId,
    /// When the customer was created (sorting by time).
    pub created_at: OffsetDateTime,
    /// Their folded name (sorting by name).
    pub sort_name: String,
}

/// How to narrow the customer list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    /// What someone typed: name, phone, e-mail, street, town, postal code.
    pub text: String,
    /// Who (adviser, store, consent, town, orders, …; the segments' criteria).
    pub criteria: Criteria,
    /// The sort (a search is newest first: [`CustomerSort::effective`]).
    pub sort: CustomerSort,
    /// The page starts after this row.
    pub after: Option<CustomerCursor>,
    /// At most this many (1..=500; default 100).
    pub limit: i64,
}

/// A customer as listed in the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerSummary {
    pub id: ClientId,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub email: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    /// Their adviser's name (empty: none).
    pub adviser_name: String,
    /// Their store's name (empty: none).
    pub shop_name: String,
    /// How many orders they have.
    pub orders: i64,
    /// When they ordered last.
    pub last_order: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// The folded name the list sorts by.
    pub sort_name: String,
}

impl CustomerSummary {
    /// The fields duplicates are compared by, as a record.
    pub fn record(&self) -> ClientRecord {
        ClientRecord {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            street: self.street.clone(),
            city: self.city.clone(),
            postal_code: self.postal_code.clone(),
            ..ClientRecord::default()
        }
    }

    /// Where the next page starts after this row.
    pub fn cursor(&self) -> CustomerCursor {
        CustomerCursor {
            id: self.id,
            created_at: self.created_at,
            sort_name: self.sort_name.clone(),
        }
    }
}

/// How many customers match a filter. A text search counts at most
/// [`SEARCH_COUNT_CAP`] (`more`: there were more, and `n` is a floor).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CustomerCount {
    /// Customers counted.
    pub n: i64,
    /// More matched than were counted.
    pub more: bool,
}

/// How many matches of a text search are counted at most.
pub const SEARCH_COUNT_CAP: i64 = 1_000;

/// Customers as the office lists and opens them.
#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// One page of the customers matching the filter, in its sort.
    async fn list_customers(&self, filter: &CustomerFilter) -> StoreResult<Vec<CustomerSummary>>;
    /// How many customers match the filter (its sort and page aside).
    async fn count_customers(&self, filter: &CustomerFilter) -> StoreResult<CustomerCount>;
    /// One customer's card; `None`: no such customer.
    async fn customer_card(&self, client: ClientId) -> StoreResult<Option<CustomerCard>>;
    /// Whose the client is: `None` no such client, `Some(None)` the office's own
    /// (no adviser), `Some(Some(adviser))` in that adviser's workspace.
    async fn client_owner(&self, client: ClientId) -> StoreResult<Option<Option<AdviserId>>>;
    /// Inserts a customer the office created (checked by `customers::edit`, the one
    /// path); with an adviser, after it was written into their workspace.
    async fn create_customer(
        &self,
        actor: &Actor,
        client: ClientId,
        adviser: Option<AdviserId>,
        record: &ClientRecord,
    ) -> StoreResult<()>;
    /// Inserts customers read from a file as the office's own, all or none
    /// (checked by `customers/import.rs`, the one path).
    async fn import_customers(
        &self,
        actor: &Actor,
        rows: &[(ClientId, ClientRecord)],
    ) -> StoreResult<()>;
    /// Edits the office's own customer compare-and-set: the fields changed from
    /// `seen`, unless someone changed them meanwhile (then nothing is written).
    async fn edit_own_customer(
        &self,
        actor: &Actor,
        client: ClientId,
        seen: &ClientRecord,
        new: &ClientRecord,
    ) -> StoreResult<Result<Vec<&'static str>, Stale>>;
    /// Appends a note or a logged call (its body checked by
    /// `fieldcase_shared::order::notes::check_note`) with its audit entry;
    /// NotFound when there is no such client.
    async fn add_customer_note(
        &self,
        actor: &Actor,
        client: ClientId,
        kind: ContactKind,
        body: &str,
    ) -> StoreResult<()>;
    /// Records a consent given or withdrawn (checked by `history::check_consent`)
    /// with its audit entry; NotFound when there is no such client.
    async fn add_consent(
        &self,
        actor: &Actor,
        client: ClientId,
        consent: &NewConsent,
    ) -> StoreResult<()>;
    /// Sets the language of the customer's messages (audited); NotFound when
    /// there is no such client.
    async fn set_customer_lang(
        &self,
        actor: &Actor,
        client: ClientId,
        lang: fieldcase_shared::Lang,
    ) -> StoreResult<()>;
    /// Inserts consents in bulk (the demo's seeding; no audit entries); returns
    /// how many.
    async fn insert_consents(
        &self,
        author: &str,
        consents: &[(ClientId, NewConsent)],
    ) -> StoreResult<u64>;
    /// Writes `fields` of `record`: what an office edit changed in the adviser's
    /// document (already written there), so the office sees it at once.
    async fn set_customer_fields(
        &self,
        actor: &Actor,
        client: ClientId,
        record: &ClientRecord,
        fields: &[&'static str],
    ) -> StoreResult<()>;
    /// The merged clients among `clients` (whom into, frozen record).
    async fn merged_clients(&self, clients: &[ClientId]) -> StoreResult<Redirects>;
    /// Merges two customers in SQL (`store/merge.rs`; the workspace side is
    /// `customers/merge.rs`, the one path). Stale: one is merged already.
    async fn merge_customers(&self, actor: &Actor, plan: &MergePlan) -> StoreResult<MergeSummary>;
    /// Stores pairs that may be one person in the review queue.
    async fn record_duplicates(&self, pairs: &[FoundPair]) -> StoreResult<()>;
    /// Open pairs of the queue, most alike first, and how many are open.
    async fn open_duplicates(
        &self,
        limit: i64,
        offset: i64,
    ) -> StoreResult<(Vec<DuplicatePair>, i64)>;
    /// Closes an open pair as two different people.
    async fn not_duplicates(&self, actor: &Actor, a: ClientId, b: ClientId) -> StoreResult<()>;
    /// Starts a duplicate scan (Stale: one is running).
    async fn start_scan(&self, author: &str) -> StoreResult<Uuid>;
    /// A scan's progress (total, done, found); `finished`: it ended (with an error).
    async fn scan_progress(
        &self,
        id: Uuid,
        counts: (i64, i64, i64),
        finished: Option<Option<&str>>,
    ) -> StoreResult<()>;
    /// The latest scan.
    async fn latest_scan(&self) -> StoreResult<Option<Scan>>;
    /// Unmerged customers by id after `after` (a scan's reading).
    async fn clients_page(
        &self,
        after: Option<ClientId>,
        limit: i64,
    ) -> StoreResult<Vec<(ClientId, ClientRecord)>>;
    /// How many customers are not merged.
    async fn live_clients(&self) -> StoreResult<i64>;
}

#[async_trait]
impl CustomerStore for SqlStore {
    async fn list_customers(&self, filter: &CustomerFilter) -> StoreResult<Vec<CustomerSummary>> {
        self.query_customers(filter).await
    }

    async fn count_customers(&self, filter: &CustomerFilter) -> StoreResult<CustomerCount> {
        self.count_matching_customers(filter).await
    }

    async fn customer_card(&self, client: ClientId) -> StoreResult<Option<CustomerCard>> {
        self.read_customer_card(client).await
    }

    async fn client_owner(&self, client: ClientId) -> StoreResult<Option<Option<AdviserId>>> {
        self.read_client_owner(client).await
    }

    async fn create_customer(
        &self,
        actor: &Actor,
        client: ClientId,
        adviser: Option<AdviserId>,
        record: &ClientRecord,
    ) -> StoreResult<()> {
        self.insert_customer(actor, client, adviser, record).await
    }

    async fn edit_own_customer(
        &self,
        actor: &Actor,
        client: ClientId,
        seen: &ClientRecord,
        new: &ClientRecord,
    ) -> StoreResult<Result<Vec<&'static str>, Stale>> {
        self.edit_own_customer_cas(actor, client, seen, new).await
    }

    async fn set_customer_fields(
        &self,
        actor: &Actor,
        client: ClientId,
        record: &ClientRecord,
        fields: &[&'static str],
    ) -> StoreResult<()> {
        self.write_customer_fields(actor, client, record, fields)
            .await
    }

    async fn add_customer_note(
        &self,
        actor: &Actor,
        client: ClientId,
        kind: ContactKind,
        body: &str,
    ) -> StoreResult<()> {
        self.write_customer_note(actor, client, kind, body).await
    }

    async fn add_consent(
        &self,
        actor: &Actor,
        client: ClientId,
        consent: &NewConsent,
    ) -> StoreResult<()> {
        self.write_consent(actor, client, consent).await
    }

    async fn set_customer_lang(
        &self,
        actor: &Actor,
        client: ClientId,
        lang: fieldcase_shared::Lang,
    ) -> StoreResult<()> {
        self.write_customer_lang(actor, client, lang).await
    }

    async fn insert_consents(
        &self,
        author: &str,
        consents: &[(ClientId, NewConsent)],
    ) -> StoreResult<u64> {
        self.insert_consent_rows(author, consents).await
    }

    async fn merged_clients(&self, clients: &[ClientId]) -> StoreResult<Redirects> {
        self.read_merged_clients(clients).await
    }

    async fn import_customers(
        &self,
        actor: &Actor,
        rows: &[(ClientId, ClientRecord)],
    ) -> StoreResult<()> {
        self.insert_customers(actor, rows).await
    }

    async fn merge_customers(&self, actor: &Actor, plan: &MergePlan) -> StoreResult<MergeSummary> {
        self.merge_customers_sql(actor, plan).await
    }

    async fn record_duplicates(&self, pairs: &[FoundPair]) -> StoreResult<()> {
        self.record_duplicate_pairs(pairs).await
    }

    async fn open_duplicates(
        &self,
        limit: i64,
        offset: i64,
    ) -> StoreResult<(Vec<DuplicatePair>, i64)> {
        self.read_open_duplicates(limit, offset).await
    }

    async fn not_duplicates(&self, actor: &Actor, a: ClientId, b: ClientId) -> StoreResult<()> {
        self.mark_different(actor, a, b).await
    }

    async fn start_scan(&self, author: &str) -> StoreResult<Uuid> {
        self.begin_scan(author).await
    }

    async fn scan_progress(
        &self,
        id: Uuid,
        counts: (i64, i64, i64),
        finished: Option<Option<&str>>,
    ) -> StoreResult<()> {
        self.write_scan(id, counts, finished).await
    }

    async fn latest_scan(&self) -> StoreResult<Option<Scan>> {
        self.read_latest_scan().await
    }

    async fn clients_page(
        &self,
        after: Option<ClientId>,
        limit: i64,
    ) -> StoreResult<Vec<(ClientId, ClientRecord)>> {
        self.read_clients_page(after, limit).await
    }

    async fn live_clients(&self) -> StoreResult<i64> {
        self.count_live_clients().await
    }
}
