//! What the hub tells the adviser about their records: rejections and notes in the
//! workspace's inbox, with their Czech and English texts.

use fieldcase_shared::docs::records::{self, InboxRecord};
use samod::DocHandle;

use super::{Correction, Fix};

/// The report of a record the hub cannot read (wrong types, e.g. a JavaScript
/// number where the schema wants an integer): the record stays in the document.
pub(super) fn unreadable_record(map: &str, id: &str, why: &str) -> Correction {
    let why: String = why.chars().take(200).collect();
    Correction {
        fix: Fix::Nothing,
        inbox: Some((
            records::skipped_inbox_id(map, records::SKIPPED_UNREADABLE, id),
            rejection(
                format!("{map}/{id}"),
                format!(
                    "Záznam ({map}) kancelář nepřevzala, protože ho nelze přečíst ({why}). Uložte ho v aplikaci znovu."
                ),
                format!(
                    "The office could not take the record ({map}) because it does not read ({why}). Save it again in the app."
                ),
            ),
        )),
    }
}

/// A record whose timestamp is present but unreadable: reported and left out.
pub(super) fn unreadable_time(map: &str, id: &str, field: &str, text: &str) -> Option<Correction> {
    let err = fieldcase_shared::docs::stamp::record_time(text).err()?;
    tracing::warn!(map, id, field, %err, "record with an unreadable timestamp left out");
    Some(Correction {
        fix: Fix::Nothing,
        inbox: Some((
            records::skipped_inbox_id(map, records::SKIPPED_UNREADABLE_TIME, id),
            rejection(
                format!("{map}/{id}"),
                format!(
                    "Záznam ({map}) kancelář nepřevzala: čas „{}“ v poli {field} nelze přečíst. Uložte ho v aplikaci znovu.",
                    err.text
                ),
                format!(
                    "The office could not take the record ({map}): the time \"{}\" in {field} cannot be read. Save it again in the app.",
                    err.text
                ),
            ),
        )),
    })
}

pub(super) fn now_text() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub(super) fn rejection(about: String, cs: String, en: String) -> InboxRecord {
    inbox("rejection", about, cs, en)
}

pub(super) fn inbox(kind: &str, about: String, cs: String, en: String) -> InboxRecord {
    InboxRecord {
        at: now_text(),
        kind: kind.into(),
        about,
        text_cs: cs,
        text_en: en,
        read: false,
    }
}

/// Tells the adviser about records the office could not take (they stay in the
/// document, to be fixed on the phone).
pub(super) fn report_skipped(
    handle: &DocHandle,
    skipped: &[crate::store::Skipped],
) -> anyhow::Result<()> {
    use crate::store::SkipReason;
    handle.with_document(|doc| {
        doc.transact::<_, _, fieldcase_shared::docs::DocError>(|tx| {
            for s in skipped {
                let reason = match s.reason {
                    SkipReason::VariableSymbolTaken => records::SKIPPED_VARIABLE_SYMBOL_TAKEN,
                    SkipReason::UnknownClient => records::SKIPPED_UNKNOWN_CLIENT,
                    SkipReason::Foreign => records::SKIPPED_FOREIGN,
                };
                let inbox_id = records::skipped_inbox_id(s.map, reason, &s.id);
                if records::get::<InboxRecord>(tx, records::INBOX, &inbox_id)?.is_some() {
                    continue;
                }
                let (cs, en) = match (s.map, s.reason) {
                    ("orders", SkipReason::VariableSymbolTaken) => (
                        "Objednávku kancelář nepřevzala: její variabilní symbol už má jiná objednávka. Otevřete objednávku a přidělte jí nový symbol.".to_owned(),
                        "The office could not take the order: another order already has its variable symbol. Open the order and assign it a new symbol.".to_owned(),
                    ),
                    ("orders", SkipReason::UnknownClient) => (
                        "Objednávku kancelář nepřevzala: její klient v kanceláři chybí. Otevřete klienta a uložte ho znovu.".to_owned(),
                        "The office could not take the order: its client is missing at the office. Open the client and save it again.".to_owned(),
                    ),
                    (map, SkipReason::Foreign) => (
                        format!("Záznam ({map}) kancelář nepřevzala: jeho identifikátor patří záznamu jiného poradce. Zadejte ho v aplikaci znovu jako nový."),
                        format!("The office could not take the record ({map}): its id belongs to another adviser's record. Enter it again in the app as a new one."),
                    ),
                    _ => (
                        "Předpis kancelář nepřevzala: jeho klient v kanceláři chybí. Otevřete klienta a uložte ho znovu.".to_owned(),
                        "The office could not take the prescription: its client is missing at the office. Open the client and save it again.".to_owned(),
                    ),
                };
                records::put(
                    tx,
                    records::INBOX,
                    &inbox_id,
                    &rejection(format!("{}/{}", s.map, s.id), cs, en),
                )?;
            }
            Ok(())
        })
        .map_err(|f| anyhow::anyhow!("reporting skipped records: {}", f.error))
    })?;
    tracing::info!(
        count = skipped.len(),
        "records the office could not take reported to the adviser"
    );
    Ok(())
}
