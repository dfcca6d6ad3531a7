//! Pohoda (`/office/pohoda`): the export to the company's accounts. Accounting
//! downloads a day's dataPack (the daily job also writes yesterday's into
//! `pohoda_dir`), uploads the response pack Pohoda wrote, and sees each
//! document of a day with its state (exported, ok, warning, error with Pohoda's
//! words) and the export runs.

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use super::ACCOUNTANTS;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::datetime;

/// Pohoda: accounting and administrators.
pub const PAGE: PageSpec = PageSpec {
    slug: "pohoda",
    title_cs: "Pohoda",
    title_en: "Pohoda",
    open: Roles::Only(ACCOUNTANTS),
    edit: Roles::Only(ACCOUNTANTS),
    component: Pohoda,
};

fn state_label(state: &str, l: Lang) -> &'static str {
    match state {
        "ok" => l.pick("přijato", "accepted"),
        "warning" => l.pick("s varováním", "with a warning"),
        "error" => l.pick("chyba", "error"),
        _ => l.pick("odesláno", "exported"),
    }
}

/// A document kind in words.
fn kind_label(kind: &str, l: Lang) -> &'static str {
    use crate::money::invoice::Kind;
    use crate::money::till::EntryKind;
    match (Kind::from_code(kind), EntryKind::from_code(kind)) {
        (Some(k), _) => k.label(l),
        (None, Some(k)) => k.label(l),
        _ => "",
    }
}

#[component]
fn Pohoda() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let yesterday = crate::money::invoicing::today()
        .previous_day()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let mut day = use_signal(|| yesterday.clone());
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let chosen = day();
        async move {
            let runs = store.pohoda_exports(30).await?;
            let docs = match fieldcase_shared::calendar::parse_day(&chosen) {
                Some(d) => store.pohoda_documents(d).await?,
                None => Vec::new(),
            };
            Ok::<_, anyhow::Error>((runs, docs))
        }
    });
    let csrf = ctx.session.csrf_token.clone();
    rsx! {
        div { class: "grid-2",
            section { class: "card",
                h2 { {l.pick("Export dne", "Export a day")} }
                p { class: "muted", {l.pick(
                    "Vydané doklady, prodejky pokladen a pokladní doklady dne jako datový balík Pohody (Windows-1250). Opakovaný export dne dá stejná čísla dokladů.",
                    "The day's tax documents, till receipts and cash vouchers as a Pohoda data pack (Windows-1250). Exporting a day again gives the same document numbers.",
                )} }
                form { class: "inline-form", id: "pohoda-export", method: "post", action: "/office/pohoda/export", "data-native": "true",
                    input { r#type: "hidden", name: "csrf", value: "{csrf}" }
                    input { r#type: "date", name: "date", id: "pohoda-date", value: "{yesterday}", required: true }
                    button { class: "btn btn-primary", r#type: "submit", {l.pick("Stáhnout export", "Download the export")} }
                }
            }
            section { class: "card",
                h2 { {l.pick("Odpověď Pohody", "Pohoda's response")} }
                p { class: "muted", {l.pick("Soubor, který Pohoda zapsala po importu: každý doklad se označí jako přijatý nebo s chybou.", "The file Pohoda wrote after the import: each document is marked accepted or with its error.")} }
                form { class: "inline-form", id: "pohoda-response", method: "post", action: "/office/pohoda/response", enctype: "multipart/form-data", "data-native": "true",
                    input { r#type: "hidden", name: "csrf", value: "{csrf}" }
                    input { r#type: "file", name: "file", accept: ".xml,application/xml,text/xml", required: true }
                    button { class: "btn btn-primary", r#type: "submit", {l.pick("Nahrát odpověď", "Upload the response")} }
                }
            }
        }
        match &*data.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Export se nepodařilo načíst.", "Could not load the exports.")} } },
            Some(Ok((runs, docs))) => rsx! {
                section { class: "card",
                    div { class: "toolbar",
                        h2 { {l.pick("Doklady dne", "The day's documents")} }
                        input { r#type: "date", id: "pohoda-day", value: "{day}", onchange: move |e| day.set(e.value()) }
                    }
                    if docs.is_empty() {
                        p { class: "muted", {l.pick("Ten den nebylo nic exportováno.", "Nothing of that day was exported.")} }
                    } else {
                        table { class: "table", id: "pohoda-documents",
                            thead { tr {
                                th { {l.pick("Číslo", "Number")} } th { {l.pick("Druh", "Kind")} } th { {l.pick("Stav", "State")} }
                                th { {l.pick("Zpráva Pohody", "Pohoda's message")} } th { {l.pick("Exportováno", "Exported")} }
                            } }
                            tbody {
                                for d in docs.iter() {
                                    tr { key: "{d.number}", class: "pohoda-doc state-{d.state}", "data-number": "{d.number}",
                                        td { class: "mono", "{d.number}" }
                                        td { {kind_label(&d.kind, l)} }
                                        td { span { class: if d.state == "ok" { "pill pill-ok" } else { "pill" }, {state_label(&d.state, l)} } }
                                        td { "{d.message}" }
                                        td { class: "nowrap", {datetime(d.exported_at)} }
                                    }
                                }
                            }
                        }
                    }
                }
                section { class: "card",
                    h2 { {l.pick("Exporty", "Exports")} }
                    if runs.is_empty() {
                        p { class: "muted", {l.pick("Zatím žádné.", "None yet.")} }
                    } else {
                        table { class: "table", id: "pohoda-runs",
                            thead { tr {
                                th { {l.pick("Den", "Day")} } th { {l.pick("Kdy", "When")} } th { {l.pick("Kdo", "Who")} }
                                th { class: "num", {l.pick("Dokladů", "Documents")} } th { class: "num", {l.pick("Bajtů", "Bytes")} }
                            } }
                            tbody {
                                for r in runs.iter() {
                                    tr { key: "{r.at}",
                                        td { "{r.day}" } td { class: "nowrap", {datetime(r.at)} } td { "{r.actor}" }
                                        td { class: "num", "{r.documents}" } td { class: "num", "{r.bytes}" }
                                    }
                                }
                            }
                        }
                    }
                }
            },
        }
    }
}
