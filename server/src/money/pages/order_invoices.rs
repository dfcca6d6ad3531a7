//! The order card's tax documents: the final invoice issued in one click, a
//! deposit document for money received before the supply, the order's documents
//! with their PDFs and credit notes.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Money, OrderId};

use crate::money::invoicing::{INVOICERS, Issue, issue};
use crate::money::pages::invoices::InvoiceTable;
use crate::money::store::invoices::InvoiceFilter;
use crate::office::live::Ctx;
use crate::office::ui::{Notice, NoticeBar};

/// The documents box of order `order`.
#[component]
pub fn OrderInvoices(order: OrderId) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut deposit = use_signal(String::new);
    let store = ctx.state.store.clone();
    let docs = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            store
                .invoices(&InvoiceFilter {
                    order: Some(order),
                    ..InvoiceFilter::default()
                })
                .await
        }
    });
    let may = INVOICERS.contains(&ctx.session.user.role);
    if !may {
        // Documents are for the roles that issue them (the PDF route says so too).
        return rsx! {};
    }
    let run = move |what: Issue| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(
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
                        format!("Doklad {} vystaven.", doc.number),
                        format!("Document {} issued.", doc.number),
                    ),
                    Err(err) => Notice::err(err.text(Lang::Cs), err.text(Lang::En)),
                },
            ));
            reload += 1;
        });
    };
    let final_run = run.clone();
    rsx! {
        section { class: "card", id: "order-invoices",
            h2 { {l.pick("Doklady", "Tax documents")} }
            NoticeBar { notice: notice() }
            match &*docs.read() {
                Some(Ok(list)) if !list.is_empty() => rsx! {
                    InvoiceTable { docs: list.clone(), on_done: move |n: Notice| { notice.set(Some(n)); reload += 1; } }
                },
                Some(Ok(_)) => rsx! { p { class: "muted", {l.pick("Zatím žádné.", "None yet.")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Doklady se nepodařilo načíst.", "Could not load the documents.")} } },
                None => rsx! {},
            }
            if may {
                div { class: "row",
                    button { class: "btn", id: "issue-invoice", onclick: move |_| final_run(Issue::Final { order }), {l.pick("Vystavit fakturu", "Issue the invoice")} }
                    input { id: "deposit-amount", placeholder: l.pick("Přijatá záloha", "Deposit received"), value: "{deposit}", oninput: move |e| deposit.set(e.value()) }
                    button { class: "btn btn-secondary", id: "issue-deposit",
                        onclick: move |_| match Money::parse(&deposit()) {
                            Ok(amount) => run(Issue::Deposit { order, amount }),
                            Err(_) => notice.set(Some(Notice::err("Částka zálohy není číslo.", "The deposit is not a number."))),
                        },
                        {l.pick("Doklad k přijaté záloze", "Document for the deposit")}
                    }
                }
            }
        }
    }
}
