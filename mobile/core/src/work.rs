//! The adviser's work on the phone: clients, prescriptions (checked offline with the
//! shared rules), orders with their status moves, and the sample case.

use std::sync::PoisonError;

use anyhow::Context;

use fieldcase_shared::customer;
use fieldcase_shared::docs::records::{self, ClientRecord};
use fieldcase_shared::{ClientId, OrderStatus};

use crate::{Device, DeviceError, DeviceResult, now_text};

impl Device {
    /// Creates or changes a client. Returns once the change is committed locally.
    pub async fn save_client(&self, id: ClientId, client: &ClientRecord) -> anyhow::Result<()> {
        let key = id.to_string();
        let client = client.clone();
        self.change(move |tx| records::put(tx, records::CLIENTS, &key, &client))
            .await
    }

    /// Applies an edit of a client made in a form that showed `seen`: only the
    /// fields changed from `seen` are written, onto the record as it is now, so
    /// what the office or another phone changed meanwhile survives
    /// (`fieldcase_shared::customer::apply_edit`). A field changed meanwhile to
    /// another value is reported (`Err(Stale)`) and nothing is written. A client the
    /// workspace does not hold yet is created as `new`. Returns the fields written.
    pub async fn edit_client(
        &self,
        id: ClientId,
        seen: &ClientRecord,
        new: &ClientRecord,
    ) -> anyhow::Result<Result<Vec<&'static str>, customer::Stale>> {
        let key = id.to_string();
        let mut outcome = Ok(Vec::new());
        let result = &mut outcome;
        self.change(move |tx| {
            let Some(mut current) = records::get::<ClientRecord>(tx, records::CLIENTS, &key)?
            else {
                *result = Ok(customer::CLIENT_FIELDS.to_vec());
                return records::put(tx, records::CLIENTS, &key, new);
            };
            *result = customer::apply_edit(&mut current, seen, new);
            match result {
                Ok(changed) if !changed.is_empty() => {
                    records::put(tx, records::CLIENTS, &key, &current)
                }
                _ => Ok(()),
            }
        })
        .await?;
        Ok(outcome)
    }

    /// Every client in the workspace (read again only when the workspace changed).
    pub fn clients(&self) -> Vec<(ClientId, ClientRecord)> {
        let heads = self.heads();
        let mut cache = self
            .clients_cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((at, clients)) = cache.as_ref()
            && *at == heads
        {
            return clients.clone();
        }
        let clients: Vec<(ClientId, ClientRecord)> = self
            .all::<ClientRecord>(records::CLIENTS)
            .into_iter()
            .filter_map(|(id, record)| Some((id.parse().ok()?, record)))
            .collect();
        *cache = Some((heads, clients.clone()));
        clients
    }

    /// The clients the adviser works with: every client but those the office merged
    /// into another (kept in the workspace, frozen, with `merged_into`, so an order
    /// or a link that names them still resolves).
    pub fn listed_clients(&self) -> Vec<(ClientId, ClientRecord)> {
        let mut all = self.clients();
        all.retain(|(_, c)| c.merged_into.is_empty());
        all
    }

    /// Whom the office merged the client `id` into (None: not merged).
    pub fn merged_into(&self, id: ClientId) -> Option<ClientId> {
        let key = id.to_string();
        self.workspace
            .with_document(|doc| customer::merge::merged_into(doc, &key))
    }

    /// Other clients with the same phone number or e-mail as `client` (the form
    /// warns before saving a duplicate).
    pub fn duplicates(&self, id: ClientId, client: &ClientRecord) -> Vec<(ClientId, ClientRecord)> {
        let all = self.listed_clients();
        let found: Vec<ClientId> =
            records::duplicates_of(&id, client, all.iter().map(|(cid, c)| (cid, c)))
                .into_iter()
                .copied()
                .collect();
        all.into_iter()
            .filter(|(cid, _)| found.contains(cid))
            .collect()
    }

    /// The variable symbol for the next order this phone takes (see
    /// [`records::field_variable_symbol`]).
    pub fn next_variable_symbol(&self) -> String {
        let orders = self.orders();
        records::field_variable_symbol(
            &self.enrolment.adviser_code,
            orders.iter().map(|(_, o)| o.variable_symbol.as_str()),
        )
    }

    /// Every record of `map` in the workspace that reads as `H`.
    pub(crate) fn all<H: autosurgeon::Hydrate>(&self, map: &str) -> Vec<(String, H)> {
        self.workspace.with_document(|doc| records::all(doc, map))
    }

    /// Records a prescription after checking it with the shared rules (offline).
    /// Returns the problems, field by field, for the form when it is not valid.
    pub async fn save_prescription(&self, rx: &fieldcase_shared::Prescription) -> DeviceResult<()> {
        let problems = rx.validate(time::OffsetDateTime::now_utc().date());
        if !problems.is_empty() {
            return Err(DeviceError::Invalid(problems));
        }
        let key = rx.id.to_string();
        let record = records::PrescriptionRecord {
            client: rx.client.to_string(),
            body: serde_json::to_string(rx).map_err(anyhow::Error::from)?,
        };
        self.change(move |tx| records::put(tx, records::PRESCRIPTIONS, &key, &record))
            .await?;
        Ok(())
    }

    /// A client's prescriptions, newest measurement first.
    pub fn prescriptions(&self, client: ClientId) -> Vec<fieldcase_shared::Prescription> {
        let mut out: Vec<fieldcase_shared::Prescription> = self.workspace.with_document(|doc| {
            records::ids(doc, records::PRESCRIPTIONS)
                .into_iter()
                .filter_map(|id| {
                    records::get::<records::PrescriptionRecord>(doc, records::PRESCRIPTIONS, &id)
                        .ok()
                        .flatten()
                })
                .filter(|r| r.client == client.to_string())
                .filter_map(|r| serde_json::from_str(&r.body).ok())
                .collect()
        });
        out.sort_by_key(|p| std::cmp::Reverse(p.measured_on));
        out
    }

    /// Each client's newest prescription (one pass over the workspace; the Today
    /// screen's eye-exam reminders).
    pub fn newest_prescriptions(
        &self,
    ) -> std::collections::HashMap<ClientId, fieldcase_shared::Prescription> {
        let all: Vec<(String, records::PrescriptionRecord)> = self.all(records::PRESCRIPTIONS);
        let mut newest = std::collections::HashMap::new();
        for (_, r) in all {
            let Ok(rx) = serde_json::from_str::<fieldcase_shared::Prescription>(&r.body) else {
                continue;
            };
            let entry = newest.entry(rx.client).or_insert_with(|| rx.clone());
            if rx.measured_on > entry.measured_on {
                *entry = rx;
            }
        }
        newest
    }

    /// Takes a new order (status intake). The client must exist and there must be a line.
    pub async fn take_order(
        &self,
        id: fieldcase_shared::OrderId,
        order: &records::OrderRecord,
    ) -> anyhow::Result<()> {
        anyhow::ensure!(
            order.status == OrderStatus::Intake.code(),
            "a new order starts as intake"
        );
        anyhow::ensure!(!order.lines.is_empty(), "an order needs at least one line");
        let known_client = self.workspace.with_document(|doc| {
            records::get::<ClientRecord>(doc, records::CLIENTS, &order.client)
                .ok()
                .flatten()
                .is_some()
        });
        anyhow::ensure!(known_client, "the order's client is not in this workspace");
        let key = id.to_string();
        let order = order.clone();
        self.change(move |tx| records::put(tx, records::ORDERS, &key, &order))
            .await
    }

    /// One order of the workspace.
    fn order(&self, key: &str) -> anyhow::Result<records::OrderRecord> {
        self.workspace
            .with_document(|doc| records::get::<records::OrderRecord>(doc, records::ORDERS, key))?
            .context("no such order")
    }

    /// Changes an order's details offline (note, deposit, lines); its status moves
    /// only through [`Device::set_order_status`]. Only the fields that differ are
    /// written, so an office status change made meanwhile merges with it.
    pub async fn update_order(
        &self,
        id: fieldcase_shared::OrderId,
        edit: impl FnOnce(&mut records::OrderRecord),
    ) -> anyhow::Result<()> {
        let key = id.to_string();
        let mut order = self.order(&key)?;
        let status = order.status.clone();
        edit(&mut order);
        anyhow::ensure!(
            order.status == status,
            "an order's status changes with set_order_status"
        );
        anyhow::ensure!(!order.lines.is_empty(), "an order needs at least one line");
        self.change(move |tx| records::put(tx, records::ORDERS, &key, &order))
            .await
    }

    /// Moves an order to `to` if an adviser may (e.g. cancel a fresh order); the
    /// hub has the final word and reverses anything else.
    pub async fn set_order_status(
        &self,
        id: fieldcase_shared::OrderId,
        to: OrderStatus,
    ) -> DeviceResult<()> {
        let key = id.to_string();
        let mut order = self.order(&key)?;
        let from: OrderStatus = order
            .status
            .parse()
            .map_err(|_| anyhow::anyhow!("unreadable status {:?}", order.status))?;
        fieldcase_shared::can_transition(fieldcase_shared::Role::Adviser, from, to)
            .map_err(DeviceError::StatusDenied)?;
        order.status = to.code().to_owned();
        self.change(move |tx| records::put(tx, records::ORDERS, &key, &order))
            .await?;
        Ok(())
    }

    /// What the office published about an order (timeline, tracking, public page).
    pub fn order_info(
        &self,
        id: &str,
    ) -> Option<fieldcase_shared::docs::order_info::OrderInfoRecord> {
        self.workspace.with_document(|doc| {
            records::get(doc, fieldcase_shared::docs::order_info::ORDER_INFO, id)
                .ok()
                .flatten()
        })
    }

    /// Every order in the workspace.
    pub fn orders(&self) -> Vec<(String, records::OrderRecord)> {
        self.all(records::ORDERS)
    }

    /// Records a movement of the sample case (+ issued to the case, − sold/returned
    /// to the store). Returns its id once it is committed locally.
    pub async fn record_case_movement(
        &self,
        product: &str,
        quantity: i64,
        kind: &str,
        note: &str,
    ) -> anyhow::Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let movement = records::CaseMovementRecord {
            product: product.to_owned(),
            quantity,
            kind: kind.to_owned(),
            at: now_text(),
            note: note.to_owned(),
            rejected: String::new(),
        };
        let key = id.clone();
        self.change(move |tx| records::put(tx, records::CASE_MOVEMENTS, &key, &movement))
            .await?;
        Ok(id)
    }

    /// Every case movement, with the hub's verdict (`rejected`) where it has one.
    pub fn case_movements(&self) -> Vec<(String, records::CaseMovementRecord)> {
        self.all(records::CASE_MOVEMENTS)
    }

    /// Stock per product in the case (rejected movements excluded).
    pub fn case_stock(&self) -> std::collections::BTreeMap<String, i64> {
        let movements = self.case_movements();
        records::case_stock(movements.iter().map(|(_, m)| m))
    }
}
