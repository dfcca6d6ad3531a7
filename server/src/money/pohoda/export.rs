//! Exporting a day to Pohoda and reading its answer back: the one path of the
//! daily job, the Pohoda page, the API and `fieldcase export pohoda`.

use std::collections::HashMap;

use fieldcase_shared::{Lang, Role};
use time::Date;

use super::store::{Marked, Sent};
use super::{ACCOUNTANTS, Document, Pack, pack_id, response, xml};
use crate::config::Config;
use crate::money::till::day_bounds_of;
use crate::store::{Actor, Store, StoreError};

/// A day's pack as exported.
#[derive(Debug, Clone)]
pub struct Export {
    pub day: Date,
    pub pack_id: String,
    /// The dataPack in Windows-1250.
    pub bytes: Vec<u8>,
    pub documents: usize,
}

/// Why nothing was exported or read.
#[derive(Debug, thiserror::Error)]
pub enum PohodaError {
    #[error("only accounting and administrators export to the accounts")]
    Forbidden,
    #[error("the company's name and IČO are not set")]
    NoCompany,
    #[error("not a Pohoda response pack: {0}")]
    Response(#[from] response::ResponseError),
    #[error("writing the pack: {0}")]
    Xml(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PohodaError {
    /// What the accountant reads, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            PohodaError::Forbidden => l.pick("Do účetnictví exportuje účtárna a administrátor.", "Accounting and administrators export to the accounts.").into(),
            PohodaError::NoCompany => l.pick("Nejsou nastavené údaje firmy (payee_name, company_ico ve fieldcase.toml).", "The company's details are not set (payee_name, company_ico in fieldcase.toml).").into(),
            PohodaError::Response(e) => format!("{} {e}", l.pick("Soubor není odpověď Pohody:", "The file is not Pohoda's response:")),
            PohodaError::Xml(e) => format!("{} {e}", l.pick("Export se nepodařilo zapsat:", "The export could not be written:")),
            PohodaError::Store(_) => l.pick("Uložení se nepovedlo; zkuste to znovu.", "Saving failed; try again.").into(),
        }
    }
}

fn may(role: Role) -> Result<(), PohodaError> {
    if ACCOUNTANTS.contains(&role) {
        Ok(())
    } else {
        Err(PohodaError::Forbidden)
    }
}

/// `day`'s pack: its tax documents and its tills' documents.
pub async fn pack(store: &dyn Store, config: &Config, day: Date) -> Result<Pack, PohodaError> {
    let company = config.supplier().ok_or(PohodaError::NoCompany)?;
    let invoices = store.invoices_issued_on(day).await?;
    let mut numbers: HashMap<uuid::Uuid, String> =
        invoices.iter().map(|i| (i.id, i.number.clone())).collect();
    let elsewhere: Vec<uuid::Uuid> = invoices
        .iter()
        .filter_map(|i| i.corrects)
        .filter(|c| !numbers.contains_key(c))
        .collect();
    for c in elsewhere {
        if let Some(doc) = store.invoice(c).await? {
            numbers.insert(c, doc.number);
        }
    }
    let (from, to) = day_bounds_of(day).ok_or(PohodaError::Xml("no such day".into()))?;
    let entries = store.entries_between(from, to).await?;
    let shops: HashMap<_, _> = store
        .list_shops()
        .await?
        .into_iter()
        .map(|s| (s.id, s.code))
        .collect();
    let mut documents: Vec<Document> = invoices
        .into_iter()
        .map(|doc| Document::Invoice {
            corrected: doc.corrects.and_then(|c| numbers.get(&c).cloned()),
            doc: Box::new(doc),
        })
        .collect();
    documents.extend(entries.into_iter().map(|entry| Document::Till {
        register: shops.get(&entry.shop).cloned().unwrap_or_default(),
        entry: Box::new(entry),
    }));
    Ok(Pack {
        id: pack_id(day),
        day,
        company,
        documents,
    })
}

/// Exports `day` for `actor` (accounting or an administrator): the pack, with
/// each document recorded as exported.
pub async fn export_day(
    store: &dyn Store,
    config: &Config,
    actor: &Actor,
    role: Role,
    day: Date,
) -> Result<Export, PohodaError> {
    may(role)?;
    let pack = pack(store, config, day).await?;
    let bytes = xml::write(&pack).map_err(|e| PohodaError::Xml(e.to_string()))?;
    let sent: Vec<Sent> = pack
        .documents
        .iter()
        .map(|d| Sent {
            number: d.number().to_owned(),
            kind: d.kind().to_owned(),
            doc: d.id(),
        })
        .collect();
    store
        .record_export(
            actor,
            day,
            &pack.id,
            i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            &sent,
        )
        .await?;
    Ok(Export {
        day,
        pack_id: pack.id,
        documents: sent.len(),
        bytes,
    })
}

/// Reads Pohoda's response pack and marks each document it answers for.
pub async fn import_response(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    bytes: &[u8],
) -> Result<Marked, PohodaError> {
    may(role)?;
    let answers = response::parse(bytes)?;
    Ok(store.record_answers(actor, &answers).await?)
}
