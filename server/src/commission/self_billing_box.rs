//! The Payouts page's self-billing invoices: number, adviser, batch, date, total
//! (and VAT for a VAT payer), each with its PDF (`self_billing.rs`).

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use super::self_billing::split;
use crate::office::live::Ctx;
use crate::office::ui::datetime;

/// The box (accounting and administrators; `reload` refreshes it after a batch
/// is marked paid).
#[component]
pub fn SelfBillingInvoices(reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.self_billing_invoices(None).await }
    });
    rsx! {
        section { class: "card", id: "self-billing",
            h2 { {l.pick("Samofaktury OSVČ", "Self-billing invoices")} }
            p { class: "muted small",
                {l.pick(
                    "Poradci, kteří fakturují jako OSVČ, dostanou ke každé vyplacené provizi fakturu vystavenou odběratelem.",
                    "Advisers who invoice as self-employed get an invoice issued by the customer for each payout paid.",
                )}
            }
            match &*list.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Faktury se nepodařilo načíst.", "Could not load the invoices.")} } },
                Some(Ok(list)) if list.is_empty() => rsx! { p { class: "muted", id: "self-billing-empty", {l.pick("Zatím žádné.", "None yet.")} } },
                Some(Ok(list)) => rsx! {
                    table { class: "table", id: "self-billing-table",
                        thead { tr {
                            th { {l.pick("Číslo", "Number")} } th { {l.pick("Poradce", "Adviser")} } th { {l.pick("Dávka", "Batch")} }
                            th { {l.pick("Vystaveno", "Issued")} } th { class: "num", {l.pick("DPH", "VAT")} } th { class: "num", {l.pick("Celkem", "Total")} } th {}
                        } }
                        tbody {
                            for s in list.iter() {
                                tr { key: "{s.id}", class: "self-billing", "data-adviser": "{s.adviser_code}",
                                    td { class: "mono number", "{s.number}" }
                                    td { "{s.adviser_code} · {s.supplier.name}" }
                                    td { class: "mono", "{s.batch_number}" }
                                    td { class: "nowrap", {datetime(s.issued_at)} }
                                    td { class: "num vat", {if s.vat_bp > 0 { split(s.total, s.vat_bp).1.format(l) } else { "–".to_owned() }} }
                                    td { class: "num total", {s.total.format(l)} }
                                    td { a { class: "btn btn-small self-billing-pdf", href: "/office/commission/self-billing/{s.id}", target: "_blank", "PDF" } }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
