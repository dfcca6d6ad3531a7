//! Running an import: the file read and checked, the valid rows saved
//! (`CatalogStore`'s `import_products`), the catalog version moved so phones get it;
//! and the same from the command line with its report on standard output.

use super::{FileRefused, read};

/// Why an import did not happen.
#[derive(Debug)]
pub enum ImportFailed {
    /// The file as a whole cannot be imported.
    File(FileRefused),
    /// The database failed: nothing was saved.
    Store(crate::store::StoreError),
}

impl From<read::FileError> for FileRefused {
    fn from(err: read::FileError) -> Self {
        match err {
            read::FileError::Empty => FileRefused {
                cs: "Soubor nemá žádné řádky (jen záhlaví, nebo nic).".into(),
                en: "The file has no rows (only a header, or nothing).".into(),
            },
            read::FileError::Format(why) => FileRefused {
                cs: format!("Soubor není CSV ani XLSX ({why})."),
                en: format!("The file is neither CSV nor XLSX ({why})."),
            },
        }
    }
}

/// Reads, checks and (unless `dry_run`) saves a price list; answers the import's
/// id (its report: `ProductStore::catalog_import`) and what it did. When products
/// changed, the catalog version moves, so phones get the new catalog (the caller
/// with a running hub publishes it at once).
pub async fn import_file(
    store: &dyn crate::store::Store,
    actor: &crate::store::Actor,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<(uuid::Uuid, crate::catalog::store::ImportSummary), ImportFailed> {
    let rows = if read::is_xlsx(file_name, bytes) {
        read::xlsx_rows(bytes)
    } else {
        read::csv_rows(bytes)
    }
    .map_err(|e| ImportFailed::File(e.into()))?;
    let checked = super::check(rows).map_err(ImportFailed::File)?;
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(super::MAX_TEXT)
        .collect();
    let (id, summary) = store
        .import_products(
            actor,
            &name,
            checked.rows,
            &checked.valid,
            &checked.refused,
            dry_run,
        )
        .await
        .map_err(ImportFailed::Store)?;
    if !dry_run && summary.created + summary.updated + summary.repriced > 0 {
        crate::catalog::price::catalog_changed(store)
            .await
            .map_err(ImportFailed::Store)?;
    }
    Ok((id, summary))
}

/// `fieldcase catalog import FILE`: the import, its report on standard output (a
/// refused row per line: `line<TAB>code<TAB>why`), an error when rows were refused.
pub async fn run_cli(
    store: &dyn crate::store::Store,
    actor: &crate::store::Actor,
    file: &std::path::Path,
    dry_run: bool,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (id, s) = match import_file(store, actor, &name, &bytes, dry_run).await {
        Ok(done) => done,
        Err(ImportFailed::File(why)) => anyhow::bail!("{}", why.en),
        Err(ImportFailed::Store(err)) => return Err(err.into()),
    };
    let record = store
        .catalog_import(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the import's record is missing"))?;
    for p in &record.refused {
        println!("{}\t{}\t{}", p.line, p.sku, p.en);
    }
    eprintln!(
        "{}{} rows: {} new, {} changed, {} new prices, {} unchanged, {} refused (report {id})",
        if dry_run {
            "checked only, nothing saved; "
        } else {
            ""
        },
        record.rows_read,
        s.created,
        s.updated,
        s.repriced,
        s.unchanged,
        record.refused.len()
    );
    if !record.refused.is_empty() {
        anyhow::bail!("{} rows were refused (listed above)", record.refused.len());
    }
    Ok(())
}
