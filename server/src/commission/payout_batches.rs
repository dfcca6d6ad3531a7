//! The Payouts page's batches: make a batch of the approved requests (paid from
//! one of the company's bank accounts on a day), download its FIO file, send it
//! to the bank (the bank's word on each payment), mark it paid (payout lines, the
//! phones told).

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use uuid::Uuid;

use super::payouts;
use super::payouts_page::failed;
use crate::office::live::Ctx;
use crate::office::ui::{Notice, datetime};

/// What to do with a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Send(Uuid),
    Paid(Uuid),
}

/// The batches.
#[component]
pub fn Batches(notice: Signal<Option<Notice>>, reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut account = use_signal(String::new);
    let tomorrow = time::OffsetDateTime::now_utc()
        .date()
        .next_day()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let mut day = use_signal(move || tomorrow.clone());
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let accounts = store.bank_accounts().await?;
            Ok::<_, crate::store::StoreError>((accounts, store.payout_batches().await?))
        }
    });
    let make_ctx = ctx.clone();
    let make = move |_| {
        let ctx = make_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let (Ok(from), Some(date)) = (
                account().parse::<Uuid>(),
                fieldcase_shared::calendar::parse_day(&day()),
            ) else {
                return notice.set(Some(Notice::err(
                    "Vyberte účet a den splatnosti.",
                    "Pick the account and the due day.",
                )));
            };
            notice.set(Some(
                match payouts::batch(&ctx.state, &actor, role, from, date).await {
                    Ok(b) => Notice::ok(
                        format!(
                            "Dávka {} vytvořena: {} plateb, {}.",
                            b.number,
                            b.items.len(),
                            b.total.format(Lang::Cs)
                        ),
                        format!(
                            "Batch {} made: {} payments, {}.",
                            b.number,
                            b.items.len(),
                            b.total.format(Lang::En)
                        ),
                    ),
                    Err(e) => failed(&e),
                },
            ));
            reload += 1;
        });
    };
    let run = move |step: Step| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(match step {
                Step::Send(batch) => {
                    let Ok(from) = account().parse::<Uuid>() else {
                        return notice.set(Some(Notice::err("Vyberte účet, ze kterého se platí.", "Pick the account to pay from.")));
                    };
                    match payouts::send(&ctx.state, &actor, role, batch, from).await {
                        Ok(r) => {
                            let refused = r.items.iter().filter(|i| !i.accepted()).count();
                            Notice::ok(
                                format!("Banka dávku přijala ({}); odmítnutých plateb: {refused}. Platby ještě autorizujte v bankovnictví.", r.status),
                                format!("The bank took the batch ({}); payments refused: {refused}. Authorise them in internet banking.", r.status),
                            )
                        }
                        Err(e) => failed(&e),
                    }
                }
                Step::Paid(batch) => match payouts::paid(&ctx.state, &actor, role, batch).await {
                    Ok(n) => Notice::ok(format!("Vyplaceno {n} poradcům."), format!("Paid to {n} advisers.")),
                    Err(e) => failed(&e),
                },
            }));
            reload += 1;
        });
    };
    rsx! {
        section { class: "card", id: "payout-batches",
            h2 { {l.pick("Dávky do banky", "Bank batches")} }
            match &*data.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Dávky se nepodařilo načíst.", "Could not load the batches.")} } },
                Some(Ok((accounts, batches))) => rsx! {
                    div { class: "inline-form",
                        select { id: "batch-account", onchange: move |e| account.set(e.value()),
                            option { value: "", {l.pick("Účet, ze kterého se platí…", "The account to pay from…")} }
                            for a in accounts.iter() {
                                option { key: "{a.id}", value: "{a.id}", selected: account() == a.id.to_string(), "{a.name} · {a.iban}" }
                            }
                        }
                        input { id: "batch-date", r#type: "date", value: "{day}", oninput: move |e| day.set(e.value()) }
                        button { class: "btn btn-primary", id: "batch-make", onclick: make, {l.pick("Vytvořit dávku ze schválených", "Make a batch of the approved")} }
                    }
                    if batches.is_empty() {
                        p { class: "muted", {l.pick("Zatím žádné dávky.", "No batches yet.")} }
                    }
                    for b in batches.iter().cloned() {
                        div { key: "{b.id}", class: "batch", "data-number": "{b.number}",
                            h3 { "{b.number} · {b.total.format(l)} · " span { class: "batch-state",
                                {if b.paid_at.is_some() { l.pick("vyplaceno", "paid") } else if b.sent_at.is_some() { l.pick("odesláno do banky", "sent to the bank") } else { l.pick("připraveno", "ready") }}
                            } }
                            p { class: "muted small", {datetime(b.created_at)} " · {b.created_by}"
                                if !b.bank_instruction.is_empty() { " · " {l.pick("číslo pokynu v bance ", "bank instruction ")} "{b.bank_instruction}" }
                            }
                            table { class: "table batch-items",
                                tbody {
                                    for i in b.items.iter() {
                                        tr { key: "{i.position}", class: "batch-item result-{i.result}",
                                            td { "{i.position}" } td { class: "mono", "{i.account}/{i.bank_code}" }
                                            td { class: "num", {i.amount.format(l)} }
                                            td { {match i.result.as_str() { "ok" => l.pick("přijato", "accepted"), "refused" => l.pick("odmítnuto", "refused"), _ => "" }} " {i.message}" }
                                        }
                                    }
                                }
                            }
                            p { class: "actions",
                                a { class: "btn btn-small batch-file", href: "/office/commission/batches/{b.id}/xml", {l.pick("Stáhnout soubor pro banku", "Download the bank file")} }
                                if b.paid_at.is_none() {
                                    " "
                                    button { class: "btn btn-small batch-send", onclick: {
                                        let run = run.clone();
                                        let id = b.id;
                                        move |_| run(Step::Send(id))
                                    }, {l.pick("Odeslat do banky", "Send to the bank")} }
                                    " "
                                    button { class: "btn btn-small btn-primary batch-paid", onclick: {
                                        let run = run.clone();
                                        let id = b.id;
                                        move |_| run(Step::Paid(id))
                                    }, {l.pick("Označit jako vyplacené", "Mark paid")} }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
