//! The export to Pohoda, the company's accounts (issue 13, point 6): a day's
//! documents — the tax documents issued that day (invoices, deposit documents,
//! credit notes), the tills' receipts (prodejky) and cash vouchers — in one
//! `dat:dataPack` in Windows-1250, each item's id its document's number, so an
//! export of the same day again is the same pack (Pohoda checks the numbers for
//! duplicates). Pohoda's response pack marks each document ok, warning or error
//! with its words. Made daily by a job in `serve` (into `pohoda_dir`), on demand
//! on the Pohoda page, over `/api/v1/pohoda/…` and by `fieldcase export pohoda
//! --date`.
//!
//! This file is the pack (what goes in it); `pohoda/xml.rs` writes it
//! (quick-xml, element by element as Stormware's XSDs order them),
//! `pohoda/response.rs` reads the answer, `pohoda/store.rs` keeps the states,
//! `pohoda/export.rs` is the one path of all callers.

pub mod api;
pub mod cli;
pub mod documents;
pub mod export;
pub mod job;
pub mod page;
pub mod response;
pub mod store;
pub mod xml;

use fieldcase_shared::Role;
use time::Date;
use uuid::Uuid;

use crate::money::invoice::Party;
use crate::money::store::invoices::Invoice;
use crate::money::till::{Entry, EntryKind};

/// Who exports to the accounts and reads back Pohoda's answers.
pub const ACCOUNTANTS: &[Role] = &[Role::Accounting, Role::Admin];

/// One document of a day's pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// A tax document; `corrected` the number of the one a credit note corrects.
    Invoice {
        doc: Box<Invoice>,
        corrected: Option<String>,
    },
    /// A till's receipt or voucher; `register` the cash register's code in
    /// Pohoda (the shop's code).
    Till { entry: Box<Entry>, register: String },
}

impl Document {
    /// The document's number: its item's id in the pack.
    pub fn number(&self) -> &str {
        match self {
            Document::Invoice { doc, .. } => &doc.number,
            Document::Till { entry, .. } => &entry.number,
        }
    }

    /// What it is: `invoice`, `deposit`, `credit_note`, `sale`, `refund`,
    /// `cash_in`, `cash_out`.
    pub fn kind(&self) -> &'static str {
        match self {
            Document::Invoice { doc, .. } => doc.kind.code(),
            Document::Till { entry, .. } => entry.kind.code(),
        }
    }

    /// Its id in the hub.
    pub fn id(&self) -> Uuid {
        match self {
            Document::Invoice { doc, .. } => doc.id,
            Document::Till { entry, .. } => entry.id,
        }
    }

    /// Whether it goes to Pohoda as a till sale (prodejka).
    pub fn is_receipt(&self) -> bool {
        matches!(self, Document::Till { entry, .. } if matches!(entry.kind, EntryKind::Sale | EntryKind::Refund))
    }
}

/// A day's pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pack {
    /// `fieldcase-YYYY-MM-DD`: the same for every export of the day.
    pub id: String,
    pub day: Date,
    /// The company (its IČO goes on the pack).
    pub company: Party,
    /// Tax documents by number, then the tills' documents by number.
    pub documents: Vec<Document>,
}

/// The pack's id for `day`.
pub fn pack_id(day: Date) -> String {
    format!("fieldcase-{day}")
}
