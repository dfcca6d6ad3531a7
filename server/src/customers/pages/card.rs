//! One customer's card (`/office/customers/{id}`): contacts and address, adviser and
//! store, prescriptions as a timeline with their expiry, and orders with their
//! statuses and what is left to pay; consents, price terms and the history.

use dioxus::prelude::*;
use fieldcase_shared::{ClientId, Lang, OrderStatus};

use crate::customers::pages::form::CustomerForm;
use crate::customers::pages::history::{ConsentBox, HistoryBox};
use crate::customers::pages::move_box::MoveBox;
use crate::customers::pages::terms::TermsBox;
use crate::office::live::Ctx;
use crate::office::ui::{Notice, NoticeBar, datetime};
use crate::orders::pages::card::RxTable;

/// The card of the customer whose id is `arg`.
#[component]
pub fn Card(arg: String) -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let id = arg.parse::<uuid::Uuid>().ok().map(ClientId::from_uuid);
    let mut reload = use_signal(|| 0u32);
    let notice = use_signal(|| None::<Notice>);
    let role_edits = ctx.page.may_edit(ctx.session.user.role);
    let store = ctx.state.store.clone();
    let card = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            match id {
                Some(id) => store.customer_card(id).await,
                None => Ok(None),
            }
        }
    });
    // Every customer field ever defined: a withdrawn one's value still shows.
    let store = ctx.state.store.clone();
    let fields = use_resource(move || {
        let store = store.clone();
        async move {
            crate::customers::fields::defined(
                store.as_ref(),
                fieldcase_shared::custom_field::Entity::Customer,
            )
            .await
        }
    });
    let l = lang();
    let today = time::OffsetDateTime::now_utc().date();

    rsx! {
        NoticeBar { notice: notice() }
        p { a { href: "/office/customers", id: "back-to-customers", {l.pick("← Zpět na zákazníky", "← Back to customers")} } }
        match &*card.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Zákazníka se nepodařilo načíst.", "Could not load the customer.")} } },
            Some(Ok(None)) => rsx! { div { class: "alert alert-error", id: "customer-not-found", {l.pick("Takový zákazník neexistuje.", "There is no such customer.")} } },
            Some(Ok(Some(c))) => {
                let c = c.clone();
                // A merged record is kept only to resolve what names it.
                let may_edit = role_edits && c.merged_into.is_none() && c.erased_at.is_none();
                rsx! {
                    section { class: "card", id: "customer-card",
                        div { class: "card-head",
                            h2 { id: "customer-name", "{c.first_name} {c.last_name}" }
                        }
                        p { class: "muted small",
                            {l.pick("Zákazníkem od ", "Customer since ")} "{datetime(c.created_at)}"
                            " · " {l.pick("změněno ", "changed ")} "{datetime(c.updated_at)}"
                        }
                        if let Some(at) = c.erased_at {
                            div { class: "alert", id: "customer-erased",
                                {l.pick("Osobní údaje vymazány na žádost zákazníka ", "Personal data erased on the customer's request ")}
                                "{datetime(at)}."
                            }
                        }
                        if let Some(into) = c.merged_into {
                            div { class: "alert", id: "customer-merged",
                                {l.pick("Tento záznam byl sloučen do ", "This record was merged into ")}
                                a { href: "/office/customers/{into}", id: "merged-into", {l.pick("jiného zákazníka", "another customer")} }
                                {l.pick("; jeho zakázky, předpisy a historie jsou tam.", "; their orders, prescriptions and history are there.")}
                            }
                        }
                        for m in c.merges.iter().cloned() {
                            p { class: "muted small merged-here", key: "{m.merged}",
                                {l.pick("Sloučen sem: ", "Merged here: ")}
                                a { href: "/office/customers/{m.merged}", "{m.name}" }
                                " · {datetime(m.at)} · {m.author} · "
                                {l.pick("zakázek ", "orders ")} "{m.summary.orders}, "
                                {l.pick("předpisů ", "prescriptions ")} "{m.summary.prescriptions}"
                            }
                        }
                    }
                    div { class: "grid-2",
                        section { class: "card", id: "customer-contacts",
                            h2 { {l.pick("Kontakty a adresa", "Contacts and address")} }
                            p {
                                if c.phone.is_empty() { span { class: "muted", {l.pick("bez telefonu", "no phone")} } } else { a { href: "tel:{c.phone}", id: "customer-phone", "{c.phone}" } }
                                br {}
                                if c.email.is_empty() { span { class: "muted", {l.pick("bez e-mailu", "no e-mail")} } } else { a { href: "mailto:{c.email}", id: "customer-email", "{c.email}" } }
                            }
                            p { id: "customer-address", "{c.street}" br {} "{c.postal_code} {c.city}" }
                            if !c.note.is_empty() {
                                p { span { class: "pill", {l.pick("Poznámka poradce", "Adviser's note")} } " {c.note}" }
                            }
                            super::custom::CustomValues { fields: fields.read().clone().unwrap_or_default(), values: c.custom.clone() }
                        }
                        section { class: "card", id: "customer-adviser",
                            h2 { {l.pick("Poradce a prodejna", "Adviser and store")} }
                            if c.adviser.is_some() {
                                p { class: "strong", "{c.adviser_name}" span { class: "muted", " ({c.adviser_code})" } }
                                p { class: "muted", "{c.shop_name}" }
                            } else {
                                p { class: "muted", {l.pick("Bez poradce.", "No adviser.")} }
                            }
                        }
                    }
                    if may_edit {
                        details { class: "card", id: "customer-edit",
                            summary { class: "strong", {l.pick("Upravit údaje", "Edit details")} }
                            if c.adviser.is_some() {
                                p { class: "muted small", {l.pick("Změna se zapíše i do telefonu poradce; co mezitím změnil poradce v jiných polích, zůstane.", "The change reaches the adviser's phone too; what the adviser changed meanwhile in other fields stays.")} }
                            }
                            CustomerForm {
                                client: Some(c.id),
                                seen: Some(c.record()),
                                notice,
                                saved: move |_| reload += 1,
                                stale: move |_| reload += 1,
                            }
                        }
                    }
                    ConsentBox { card: c.clone(), may_edit, reload, notice }
                    TermsBox { client: c.id, may_edit, notice }
                    if may_edit {
                        MoveBox { client: c.id, current: c.adviser, reload, notice }
                    }
                    if crate::customers::MARKETERS.contains(&ctx.session.user.role) {
                        section { class: "card", id: "customer-gdpr",
                            h2 { {l.pick("Osobní údaje (GDPR)", "Personal data (GDPR)")} }
                            p { class: "muted small", {l.pick("Vše, co o zákazníkovi evidujeme — pro jeho žádost o přístup. Každý export se zapisuje do auditu.", "Everything we hold about the customer — for their access request. Every export is audited.")} }
                            p {
                                a { class: "btn btn-small", id: "gdpr-pdf", href: "/customers/{c.id}/personal-data?format=pdf", {l.pick("Stáhnout PDF", "Download PDF")} }
                                " "
                                a { class: "btn btn-small btn-secondary", id: "gdpr-json", href: "/customers/{c.id}/personal-data?format=json", "JSON" }
                            }
                        }
                    }
                    if c.erased_at.is_none() {
                        super::erase_box::EraseBox { client: c.id, reload, notice }
                    }
                    section { class: "card", id: "customer-prescriptions",
                        h2 { {l.pick("Předpisy", "Prescriptions")} }
                        if c.prescriptions.is_empty() {
                            p { class: "muted", {l.pick("Žádný předpis.", "No prescription.")} }
                        }
                        ol { class: "timeline",
                            for p in c.prescriptions.iter().cloned() {
                                li { key: "{p.id}", class: "prescription",
                                    div {
                                        span { class: "strong", "{p.measured_on}" }
                                        " · {p.measured_by} · "
                                        Validity { days: p.days_left(today), until: p.valid_until.to_string() }
                                    }
                                    match p.data {
                                        Some(rx) => rsx! { RxTable { rx } },
                                        None => rsx! { p { class: "muted", {l.pick("Údaje předpisu nelze přečíst.", "The prescription's data cannot be read.")} } },
                                    }
                                }
                            }
                        }
                    }
                    HistoryBox { card: c.clone(), may_edit, reload, notice }
                    crate::bookings::page::ExamsBox { client: c.id }
                    crate::care::order_box::CustomerNotifications { client: c.id }
                    section { class: "card", id: "customer-orders",
                        h2 { {l.pick("Objednávky", "Orders")} }
                        if c.orders.is_empty() {
                            p { class: "muted", {l.pick("Žádná objednávka.", "No order.")} }
                        } else {
                            table { class: "table",
                                thead { tr {
                                    th { "VS" }
                                    th { {l.pick("Stav", "Status")} }
                                    th { class: "num", {l.pick("Částka", "Amount")} }
                                    th { {l.pick("Vytvořeno", "Created")} }
                                } }
                                tbody {
                                    for o in c.orders.iter().cloned() {
                                        tr { key: "{o.id}",
                                            td { a { href: "/office/orders/{o.id}", class: "order-link mono", "{o.variable_symbol}" } }
                                            td { span { class: "status status-{o.status.code()}", "{o.status.label(l)}" } }
                                            td { class: "num", "{o.total.format(l)}"
                                                if o.paid.haler() < o.total.haler() && o.status != OrderStatus::Cancelled {
                                                    div { class: "muted small unpaid", {l.pick("zbývá ", "left ")} {(o.total - o.paid).format(l)} }
                                                }
                                            }
                                            td { class: "nowrap", "{datetime(o.created_at)}" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// "valid 120 more days" / "expires today" / "expired 2026-01-31".
#[component]
fn Validity(days: i64, until: String) -> Element {
    let l = use_context::<Signal<Lang>>()();
    rsx! {
        match days {
            d if d < 0 => rsx! { span { class: "status status-cancelled rx-expired", {l.pick("prošlý ", "expired ")} "{until}" } },
            0 => rsx! { span { class: "status status-ready rx-expiring", {l.pick("platí dnes naposledy", "last valid day today")} } },
            d if d <= 30 => rsx! { span { class: "status status-ready rx-expiring", {l.pick("platí ještě ", "valid for ")} "{d}" {l.pick(" dní", " more days")} } },
            _ => rsx! { span { class: "status status-delivered rx-valid", {l.pick("platí do ", "valid until ")} "{until}" } },
        }
    }
}
