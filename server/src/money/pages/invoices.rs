//! Invoices (`/office/invoices`): the tax documents issued — invoices, deposit
//! documents, credit notes — newest first, by year and kind, each with its PDF;
//! a credit note is issued from a document's row (amount and reason). The order
//! card issues an order's documents (`order_invoices.rs`).

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Money};

use crate::money::invoice::Kind;
use crate::money::invoicing::{INVOICERS, Issue, issue};
use crate::money::store::invoices::{Invoice, InvoiceFilter};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar};

/// Invoices: the roles that issue them read and issue.
pub const PAGE: PageSpec = PageSpec {
    slug: "invoices",
    title_cs: "Doklady",
    title_en: "Invoices",
    open: Roles::Only(INVOICERS),
    edit: Roles::Only(INVOICERS),
    component: Invoices,
};

#[component]
fn Invoices() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut kind = use_signal(|| None::<Kind>);
    let mut year = use_signal(|| Some(crate::money::invoicing::today().year()));
    let store = ctx.state.store.clone();
    let list = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        let filter = InvoiceFilter {
            kind: kind(),
            year: year(),
            limit: 500,
            ..InvoiceFilter::default()
        };
        async move { store.invoices(&filter).await }
    });
    let this_year = crate::money::invoicing::today().year();
    rsx! {
        NoticeBar { notice: notice() }
        div { class: "filters",
            select { name: "kind", onchange: move |e| kind.set(Kind::from_code(&e.value())),
                option { value: "", {l.pick("Všechny druhy", "Every kind")} }
                for k in Kind::ALL { option { key: "{k.code()}", value: k.code(), {k.label(l)} } }
            }
            select { name: "year", onchange: move |e| year.set(e.value().parse().ok()),
                for y in (this_year - 5..=this_year).rev() { option { key: "{y}", value: "{y}", "{y}" } }
                option { value: "", {l.pick("Všechny roky", "Every year")} }
            }
        }
        match &*list.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Doklady se nepodařilo načíst.", "Could not load the documents.")} } },
            Some(Ok(docs)) => rsx! {
                section { class: "card",
                    if docs.is_empty() {
                        p { class: "muted", {l.pick("Žádné doklady.", "No documents.")} }
                    } else {
                        InvoiceTable { docs: docs.clone(), on_done: move |n: Notice| { notice.set(Some(n)); reload += 1; } }
                    }
                }
            },
        }
    }
}

/// Documents in a table, each with its PDF and a credit note form.
#[component]
pub fn InvoiceTable(docs: Vec<Invoice>, on_done: EventHandler<Notice>) -> Element {
    let l = use_context::<Signal<Lang>>()();
    rsx! {
        table { class: "table", id: "invoices-table",
            thead { tr {
                th { {l.pick("Číslo", "Number")} } th { {l.pick("Druh", "Kind")} } th { {l.pick("Vystaveno", "Issued")} }
                th { {l.pick("Odběratel", "Customer")} } th { "VS" } th { class: "num", {l.pick("Celkem", "Total")} }
                th { class: "num", {l.pick("K úhradě", "To pay")} } th {}
            } }
            tbody {
                for d in docs.into_iter() {
                    tr { key: "{d.id}", class: "invoice kind-{d.kind.code()}", "data-number": "{d.number}",
                        td { a { class: "mono invoice-pdf", href: "/office/invoices/{d.id}/pdf", target: "_blank", "{d.number}" } }
                        td { {d.kind.label(l)} }
                        td { class: "nowrap", "{d.issued_on}" }
                        td { "{d.customer.name}" }
                        td { class: "mono",
                            if let Some(o) = d.order { a { href: "/office/orders/{o}", "{d.variable_symbol}" } } else { "{d.variable_symbol}" }
                        }
                        td { class: "num", {d.total.format(l)} }
                        td { class: "num", {d.to_pay().format(l)} }
                        td {
                            if d.kind != Kind::CreditNote {
                                CreditForm { invoice: d.clone(), on_done }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A credit note for `invoice`: amount and reason.
#[component]
fn CreditForm(invoice: Invoice, on_done: EventHandler<Notice>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut amount = use_signal(String::new);
    let mut reason = use_signal(String::new);
    let id = invoice.id;
    let submit = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return on_done.call(Notice::Err(msg)),
            };
            let Ok(value) = Money::parse(&amount()) else {
                return on_done.call(Notice::err(
                    "Částka není číslo.",
                    "The amount is not a number.",
                ));
            };
            let what = Issue::Credit {
                invoice: id,
                amount: value,
                reason: reason(),
            };
            on_done.call(
                match issue(
                    ctx.state.store.as_ref(),
                    &ctx.state.config,
                    &actor,
                    role,
                    &what,
                )
                .await
                {
                    Ok(doc) => Notice::ok(
                        format!("Dobropis {} vystaven.", doc.number),
                        format!("Credit note {} issued.", doc.number),
                    ),
                    Err(err) => Notice::err(err.text(Lang::Cs), err.text(Lang::En)),
                },
            );
        });
    };
    rsx! {
        details { class: "credit-note",
            summary { class: "btn btn-small btn-secondary", {l.pick("Dobropis", "Credit note")} }
            div { class: "form inline",
                input { class: "credit-amount", placeholder: l.pick("Částka", "Amount"), value: "{amount}", oninput: move |e| amount.set(e.value()) }
                input { class: "credit-reason", placeholder: l.pick("Důvod (vrácení, reklamace…)", "Reason (refund, complaint…)"), value: "{reason}", oninput: move |e| reason.set(e.value()) }
                button { class: "btn btn-small credit-submit", onclick: submit, {l.pick("Vystavit dobropis", "Issue the credit note")} }
            }
        }
    }
}
