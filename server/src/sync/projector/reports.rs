//! Reports the projection itself makes: records SQL would not take.

use fieldcase_shared::authority::{self, Correction, Fix, Rejection};
use samod::DocHandle;

pub(super) fn now_text() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Tells the adviser about records the office could not take (they stay in the
/// document, to be fixed on the phone).
pub(super) fn report_skipped(
    handle: &DocHandle,
    skipped: &[crate::store::Skipped],
) -> anyhow::Result<()> {
    let corrections: Vec<Correction> = skipped
        .iter()
        .map(|s| Correction {
            fix: Fix::Nothing,
            report: Some(
                Rejection::NotTaken {
                    map: s.map.to_owned(),
                    id: s.id.clone(),
                    why: s.reason,
                }
                .into(),
            ),
        })
        .collect();
    let at = now_text();
    handle
        .with_document(|doc| authority::apply(doc, &corrections, &at))
        .map_err(|e| anyhow::anyhow!("reporting skipped records: {e}"))?;
    tracing::info!(
        count = skipped.len(),
        "records the office could not take reported to the adviser"
    );
    Ok(())
}
