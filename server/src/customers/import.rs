//! Customers from a file (another system's export, a store's list): CSV in UTF-8 or
//! Windows-1250, or XLSX, read by the catalog import's reader
//! (`catalog/import/read.rs`). The header names the columns, in Czech or English,
//! in any order (`příjmení` / `last_name` is required). Every row is checked by the
//! shared rules (`fieldcase_shared::customer::check_client`); the report names each
//! refused row with its line and why. The valid rows are saved as the office's own
//! customers in one transaction (all or none: nothing half-done); then the pairs
//! they may form with customers already on file, or among themselves, go to the
//! duplicate review queue (the scan's rule, `scan.rs`).

use fieldcase_shared::customer::{check_client, field_names};
use fieldcase_shared::docs::catalog::fold;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{ClientId, Lang};

use crate::catalog::import::read::{FileError, RawRow, csv_rows, is_xlsx, xlsx_rows};
use crate::store::{Actor, Store, StoreError};

/// The columns a file may have: the field, whether required, and the header names
/// it is known by (folded: no diacritics, lower case).
const COLUMNS: [(&str, bool, &[&str]); 8] = [
    (
        "first_name",
        false,
        &["first_name", "first name", "jmeno", "krestni jmeno"],
    ),
    (
        "last_name",
        true,
        &["last_name", "last name", "surname", "prijmeni"],
    ),
    ("phone", false, &["phone", "telefon", "tel", "mobil"]),
    ("email", false, &["email", "e-mail", "mail"]),
    ("street", false, &["street", "ulice", "adresa"]),
    ("city", false, &["city", "town", "obec", "mesto"]),
    (
        "postal_code",
        false,
        &["postal_code", "postal code", "zip", "psc"],
    ),
    ("note", false, &["note", "poznamka"]),
];

/// Why a whole file was not imported (nothing was saved).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read as a table.
    #[error(transparent)]
    File(#[from] FileError),
    /// Required columns are missing from the header.
    #[error("missing columns: {}", .0.join(", "))]
    MissingColumns(Vec<&'static str>),
    /// The store failed: nothing was saved.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// Line in the file (1 = the header).
    pub line: usize,
    /// What is wrong, in the report's language.
    pub problems: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: usize,
    /// The customers saved (their ids, in file order).
    pub imported: Vec<ClientId>,
    /// The rows refused.
    pub refused: Vec<Refused>,
    /// Pairs put into the duplicate review queue.
    pub duplicates: usize,
}

/// Imports the file `name` (`bytes`) as the office's own customers for `actor`;
/// the report's texts in `lang`.
pub async fn import(
    store: &dyn Store,
    actor: &Actor,
    name: &str,
    bytes: &[u8],
    lang: Lang,
) -> Result<ImportReport, ImportError> {
    let rows = if is_xlsx(name, bytes) {
        xlsx_rows(bytes)?
    } else {
        csv_rows(bytes)?
    };
    let (header, data) = rows.split_first().ok_or(FileError::Empty)?;
    let header = header
        .cells
        .clone()
        .map_err(|_| FileError::Format("the header is not text".into()))?;
    let at: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|(_, _, names)| header.iter().position(|h| names.contains(&fold(h).trim())))
        .collect();
    let missing: Vec<&'static str> = COLUMNS
        .iter()
        .zip(&at)
        .filter(|((_, required, _), i)| *required && i.is_none())
        .map(|((field, _, _), _)| *field)
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }
    let mut report = ImportReport {
        rows: data.len(),
        ..ImportReport::default()
    };
    let now = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut valid: Vec<(ClientId, ClientRecord)> = Vec::new();
    for row in data {
        match record(row, &at, lang) {
            Ok(mut c) => {
                c.created_at.clone_from(&now);
                valid.push((ClientId::new(), c));
            }
            Err(problems) => report.refused.push(Refused {
                line: row.line,
                problems,
            }),
        }
    }
    store.import_customers(actor, &valid).await?;
    report.imported = valid.iter().map(|(id, _)| *id).collect();
    report.duplicates = crate::customers::scan::queue_pairs_of(store, &report.imported).await?;
    Ok(report)
}

/// One row as a checked record, or its problems.
fn record(row: &RawRow, at: &[Option<usize>], lang: Lang) -> Result<ClientRecord, Vec<String>> {
    let cells = row.cells.as_ref().map_err(|_| {
        vec![
            lang.pick(
                "řádek není text v kódování souboru (poškozené znaky)",
                "the row is not text in the file's encoding (broken characters)",
            )
            .to_owned(),
        ]
    })?;
    let cell = |field: &str| {
        COLUMNS
            .iter()
            .position(|(f, _, _)| *f == field)
            .and_then(|i| at[i])
            .and_then(|i| cells.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let mut c = ClientRecord {
        first_name: cell("first_name"),
        last_name: cell("last_name"),
        phone: cell("phone"),
        email: cell("email"),
        street: cell("street"),
        city: cell("city"),
        postal_code: cell("postal_code"),
        note: cell("note"),
        ..ClientRecord::default()
    };
    let errors = check_client(&mut c);
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(errors
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    field_names(&[e.field.as_str()], lang),
                    e.message(lang)
                )
            })
            .collect())
    }
}
