//! Commission: balance, the journal with the order behind each line, and payout
//! requests (checked offline against what is available; the hub has the final word).

use dioxus::prelude::*;
use fieldcase_device::DeviceError;
use fieldcase_shared::Lang;
use fieldcase_shared::docs::commission::{CommissionKind, PayoutStatus};
use fieldcase_shared::statement::{self, Month};

use crate::ui::{Ctx, date_of, money, parse_czk, t, use_ctx};

fn entry_label(l: Lang, kind: &str) -> &'static str {
    match CommissionKind::parse(kind) {
        Some(k) => k.label(l),
        None => t(l, "Jiné", "Other"),
    }
}

#[component]
pub(crate) fn CommissionScreen() -> Element {
    let Ctx {
        phone, revision, l, ..
    } = use_ctx();
    let mut amount = use_signal(String::new);
    let mut note = use_signal(String::new);
    let mut message = use_signal(|| None::<(bool, String)>);
    let mut month = use_signal(|| None::<Month>);
    let Some(device) = phone.device() else {
        return rsx! {};
    };
    let c = device.commission();
    let orders = device.orders();
    let months = statement::months(
        c.entries.iter().map(|(_, e)| e),
        time::OffsetDateTime::now_utc(),
    );
    let shown = month().unwrap_or(months[0]);
    let (st, _) = statement::statement(c.entries.iter().map(|(_, e)| e), shown);
    let vs_of = |order: &str| {
        orders
            .iter()
            .find(|(id, _)| id == order)
            .map(|(_, o)| o.variable_symbol.clone())
    };
    let request_device = device.clone();
    let request = move |_evt: FormEvent| {
        let Some(haler) = parse_czk(&amount()) else {
            message.set(Some((
                false,
                t(l, "Zadejte částku v Kč.", "Enter an amount in CZK.").into(),
            )));
            return;
        };
        let device = request_device.clone();
        spawn(async move {
            match device.request_payout(haler, note().trim()).await {
                Ok(_) => {
                    amount.set(String::new());
                    note.set(String::new());
                    message.set(Some((
                        true,
                        t(
                            l,
                            "Žádost uložena; rozhodne centrála.",
                            "Request saved; the hub decides.",
                        )
                        .into(),
                    )));
                }
                Err(DeviceError::PayoutDenied(denied)) => {
                    message.set(Some((false, denied.message(l))))
                }
                Err(err) => message.set(Some((false, format!("{err}")))),
            }
            revision.bump();
        });
    };
    rsx! {
        h1 { {t(l, "Provize", "Earnings")} }
        dl {
            dt { {t(l, "Zůstatek", "Balance")} } dd { class: "money big", id: "balance", "{money(l, c.balance)}" }
            dt { {t(l, "Lze vybrat", "Available")} } dd { class: "money", id: "available", "{money(l, c.available)}" }
        }
        h2 { {t(l, "Žádost o výplatu", "Request a payout")} }
        if let Some((ok, m)) = message() {
            p { class: if ok { "ok" } else { "error" }, role: "status", id: "payout-message", "{m}" }
        }
        form { id: "payout-form", onsubmit: request,
            label { r#for: "payout-amount", {t(l, "Částka (Kč)", "Amount (CZK)")} }
            input { id: "payout-amount", inputmode: "decimal", value: "{amount}", oninput: move |e| amount.set(e.value()) }
            label { r#for: "payout-note", {t(l, "Poznámka", "Note")} }
            input { id: "payout-note", value: "{note}", oninput: move |e| note.set(e.value()) }
            p { button { r#type: "submit", id: "request-payout", {t(l, "Požádat o výplatu", "Request payout")} } }
        }
        if !c.requests.is_empty() {
            h2 { {t(l, "Žádosti", "Requests")} }
            div { class: "list", id: "payout-requests",
                for (id, r) in c.requests {
                    div { class: if r.status() == PayoutStatus::Rejected { "item bad" } else { "item" }, key: "{id}",
                        div { class: "name", "{money(l, r.amount)} · "
                            {match r.status() {
                                PayoutStatus::Pending => t(l, "čeká na centrálu", "waiting for the hub"),
                                PayoutStatus::Accepted => t(l, "schváleno", "accepted"),
                                PayoutStatus::Rejected => t(l, "zamítnuto", "rejected"),
                                PayoutStatus::Paid => t(l, "vyplaceno", "paid"),
                            }}
                        }
                        div { class: "meta", "{date_of(l, &r.requested_at)} {r.note}" }
                    }
                }
            }
        }
        h2 { {t(l, "Výpis za měsíc", "Monthly statement")} }
        select { id: "statement-month", aria_label: t(l, "Měsíc", "Month"),
            onchange: move |e| month.set(Month::parse(&e.value())),
            for m in months {
                option { value: "{m}", selected: m == shown, {m.label(l)} }
            }
        }
        dl { id: "statement",
            dt { {t(l, "Počáteční zůstatek", "Opening balance")} } dd { class: "money", id: "statement-opening", "{money(l, st.opening)}" }
            dt { {t(l, "Provize", "Accruals")} } dd { class: "money", id: "statement-accruals", "{money(l, st.accruals)}" }
            dt { {t(l, "Storna", "Reversals")} } dd { class: "money", id: "statement-reversals", "{money(l, st.reversals)}" }
            dt { {t(l, "Výplaty", "Payouts")} } dd { class: "money", id: "statement-payouts", "{money(l, st.payouts)}" }
            dt { {t(l, "Úpravy", "Adjustments")} } dd { class: "money", id: "statement-adjustments", "{money(l, st.adjustments)}" }
            dt { {t(l, "Konečný zůstatek", "Closing balance")} } dd { class: "money strong", id: "statement-closing", "{money(l, st.closing)}" }
        }
        h2 { {t(l, "Pohyby", "Journal")} }
        div { class: "list", id: "journal",
            if c.entries.is_empty() {
                p { class: "empty", {t(l, "Zatím žádné pohyby.", "No entries yet.")} }
            }
            for (id, e) in c.entries {
                div { class: "item", key: "{id}",
                    div { class: "name", "{entry_label(l, &e.kind)} " span { class: "money", "{money(l, e.amount)}" } }
                    div { class: "meta",
                        "{date_of(l, &e.at)}"
                        if let Some(vs) = vs_of(&e.order) { " · " {t(l, "zakázka VS ", "order VS ")} "{vs}" }
                        if !e.note.is_empty() { " · {e.note}" }
                    }
                    if !e.why_cs.is_empty() {
                        details { class: "why",
                            summary { {t(l, "Proč tato částka?", "Why this amount?")} }
                            p { class: "why-text", {if l == Lang::Cs { e.why_cs.clone() } else { e.why_en.clone() }} }
                        }
                    }
                }
            }
        }
    }
}
