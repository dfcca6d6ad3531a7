//! Payouts (`/office/payouts`): the requests waiting for approval (from phones and
//! from the office) with their approvals — over `payout_four_eyes_czk` a second,
//! different approver; nobody approves their own —, approve or reject with a
//! reason; a request for an adviser; advisers' payout accounts; batches of the
//! approved requests as FIO payment orders (made, downloaded, sent to the bank
//! with its word on each payment, marked paid). Accounting and administrators act;
//! the office reads.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Money};

use super::payout::PAYOUT_APPROVERS;
use super::payouts::{self, AccountInput, PayoutFailure};
use super::rule_edit::RULE_READERS;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, datetime};

/// Payouts: accounting and administrators act, the office reads.
pub const PAGE: PageSpec = PageSpec {
    slug: "payouts",
    title_cs: "Výplaty provizí",
    title_en: "Payouts",
    open: Roles::Only(RULE_READERS),
    edit: Roles::Only(PAYOUT_APPROVERS),
    component: Payouts,
};

/// A refused or failed payout step as the page shows it (a failure is logged).
pub(super) fn failed(e: &PayoutFailure) -> Notice {
    if let PayoutFailure::Internal(err) = e {
        tracing::warn!(%err, "a payout step");
    }
    Notice::err(e.text(Lang::Cs), e.text(Lang::En))
}

#[component]
fn Payouts() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let notice = use_signal(|| None::<Notice>);
    let reload = use_signal(|| 0u32);
    let may = PAGE.may_edit(ctx.session.user.role);
    rsx! {
        NoticeBar { notice: notice() }
        Requests { may, notice, reload }
        if may {
            RequestForm { notice, reload }
            super::payout_batches::Batches { notice, reload }
            Accounts { notice, reload }
            super::self_billing_box::SelfBillingInvoices { reload }
        }
        p { class: "muted small",
            {match l {
                Lang::Cs => format!("Žádosti nad {} schvalují dva různí lidé.", Money::from_czk(ctx.state.config.payout_four_eyes_czk).format(l)),
                Lang::En => format!("Requests over {} need two different approvers.", Money::from_czk(ctx.state.config.payout_four_eyes_czk).format(l)),
            }}
        }
    }
}

/// The requests waiting for approval.
#[component]
fn Requests(may: bool, notice: Signal<Option<Notice>>, reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut reason = use_signal(String::new);
    let store = ctx.state.store.clone();
    let limit = payouts::limit(&ctx.state);
    let rows = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.payout_rows(true, limit).await }
    });
    let approve_ctx = ctx.clone();
    let approve = move |request: uuid::Uuid| {
        let ctx = approve_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(
                match payouts::approve(&ctx.state, &actor, role, request).await {
                    Ok((have, need)) if have >= need => {
                        Notice::ok("Výplata schválena.", "Payout approved.")
                    }
                    Ok((have, need)) => Notice::ok(
                        format!("Schváleno {have} z {need}; čeká na druhé schválení.",),
                        format!("Approved {have} of {need}; waiting for a second approver."),
                    ),
                    Err(e) => failed(&e),
                },
            ));
            reload += 1;
        });
    };
    let reject = move |request: uuid::Uuid| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            notice.set(Some(
                match payouts::reject(&ctx.state, &actor, role, request, &reason()).await {
                    Ok(()) => {
                        reason.set(String::new());
                        Notice::ok(
                            "Žádost zamítnuta; poradce to uvidí v telefonu.",
                            "Request rejected; the adviser sees it on the phone.",
                        )
                    }
                    Err(e) => failed(&e),
                },
            ));
            reload += 1;
        });
    };
    rsx! {
        section { class: "card", id: "payout-requests",
            h2 { {l.pick("Žádosti čekající na schválení", "Requests waiting for approval")} }
            match &*rows.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Žádosti se nepodařilo načíst.", "Could not load the requests.")} } },
                Some(Ok(list)) if list.is_empty() => rsx! { p { class: "muted", id: "no-requests", {l.pick("Nic nečeká.", "Nothing is waiting.")} } },
                Some(Ok(list)) => rsx! {
                    if may {
                        div { class: "inline-form",
                            input { id: "reject-reason", placeholder: l.pick("Důvod zamítnutí", "Reason for a rejection"), value: "{reason}", oninput: move |e| reason.set(e.value()) }
                        }
                    }
                    table { class: "table", id: "requests-table",
                        thead { tr {
                            th { {l.pick("Poradce", "Adviser")} } th { class: "num", {l.pick("Částka", "Amount")} }
                            th { {l.pick("Požádáno", "Requested")} } th { {l.pick("Poznámka", "Note")} }
                            th { {l.pick("Schválili", "Approved by")} } th {}
                        } }
                        tbody {
                            for r in list.iter().cloned() {
                                tr { key: "{r.id}", class: "payout-request", "data-adviser": "{r.adviser_code}", "data-amount": "{r.amount.haler()}",
                                    td { "{r.adviser_code} · {r.adviser_name}" }
                                    td { class: "num", {r.amount.format(l)} }
                                    td { class: "nowrap", {datetime(r.requested_at)}
                                        if let Some(by) = &r.requested_by { br {} span { class: "muted small", {l.pick("v kanceláři: ", "in the office: ")} "{by}" } }
                                    }
                                    td { "{r.note}" }
                                    td { class: "approvals", "{r.approvers.len()}/{r.needed}"
                                        if !r.approvers.is_empty() { " · {r.approvers.join(\", \")}" }
                                    }
                                    td { class: "nowrap",
                                        if may {
                                            button { class: "btn btn-small btn-primary approve-payout", onclick: {
                                                let approve = approve.clone();
                                                move |_| approve(r.id)
                                            }, {l.pick("Schválit", "Approve")} }
                                            " "
                                            button { class: "btn btn-small reject-payout", onclick: {
                                                let reject = reject.clone();
                                                move |_| reject(r.id)
                                            }, {l.pick("Zamítnout", "Reject")} }
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
}

/// A request the office makes for an adviser.
#[component]
fn RequestForm(notice: Signal<Option<Notice>>, reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut adviser = use_signal(String::new);
    let mut amount = use_signal(String::new);
    let mut note = use_signal(String::new);
    let submit = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let Ok(money) = Money::parse(&amount()) else {
                return notice.set(Some(Notice::err(
                    "Zadejte částku v Kč.",
                    "Enter an amount in CZK.",
                )));
            };
            let Ok(found) =
                crate::field::adviser_by_code(ctx.state.store.as_ref(), adviser().trim()).await
            else {
                return notice.set(Some(Notice::err(
                    "Takový poradce není.",
                    "No such adviser.",
                )));
            };
            notice.set(Some(
                match payouts::request(&ctx.state, &actor, role, found.id, money, &note()).await {
                    Ok(_) => {
                        amount.set(String::new());
                        note.set(String::new());
                        Notice::ok(
                            "Žádost zapsána; čeká na schválení někým jiným.",
                            "Request written; someone else approves it.",
                        )
                    }
                    Err(e) => failed(&e),
                },
            ));
            reload += 1;
        });
    };
    rsx! {
        section { class: "card", id: "payout-request-form",
            h2 { {l.pick("Žádost za poradce", "A request for an adviser")} }
            div { class: "inline-form",
                input { id: "request-adviser", placeholder: l.pick("Číslo poradce (P0001)", "Adviser number (P0001)"), value: "{adviser}", oninput: move |e| adviser.set(e.value()) }
                input { id: "request-amount", placeholder: l.pick("Částka (Kč)", "Amount (CZK)"), inputmode: "decimal", value: "{amount}", oninput: move |e| amount.set(e.value()) }
                input { id: "request-note", placeholder: l.pick("Poznámka", "Note"), value: "{note}", oninput: move |e| note.set(e.value()) }
                button { class: "btn btn-primary", id: "request-save", onclick: submit, {l.pick("Zapsat žádost", "Write the request")} }
            }
        }
    }
}

/// Advisers' payout accounts.
#[component]
fn Accounts(notice: Signal<Option<Notice>>, reload: Signal<u32>) -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut adviser = use_signal(String::new);
    let mut form = use_signal(AccountInput::default);
    let store = ctx.state.store.clone();
    let accounts = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let advisers = store
                .list_advisers(&crate::store::AdviserFilter::default())
                .await?;
            let accounts = store.payout_accounts().await?;
            Ok::<_, crate::store::StoreError>(
                accounts
                    .into_iter()
                    .map(|a| {
                        let code = advisers
                            .iter()
                            .find(|x| x.id == a.adviser)
                            .map(|x| x.code.clone())
                            .unwrap_or_default();
                        (code, a)
                    })
                    .collect::<Vec<_>>(),
            )
        }
    });
    let save = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let Ok(found) =
                crate::field::adviser_by_code(ctx.state.store.as_ref(), adviser().trim()).await
            else {
                return notice.set(Some(Notice::err(
                    "Takový poradce není.",
                    "No such adviser.",
                )));
            };
            notice.set(Some(
                match payouts::set_account(&ctx.state, &actor, role, found.id, &form()).await {
                    Ok(()) => {
                        form.set(AccountInput::default());
                        Notice::ok("Účet uložen.", "Account saved.")
                    }
                    Err(e) => failed(&e),
                },
            ));
            reload += 1;
        });
    };
    let f = form();
    rsx! {
        section { class: "card", id: "payout-accounts",
            h2 { {l.pick("Účty poradců pro výplaty", "Advisers' payout accounts")} }
            div { class: "inline-form",
                input { id: "account-adviser", placeholder: l.pick("Číslo poradce", "Adviser number"), value: "{adviser}", oninput: move |e| adviser.set(e.value()) }
                input { id: "account-number", placeholder: l.pick("Číslo účtu (předčíslí-číslo)", "Account (prefix-number)"), value: "{f.account}", oninput: move |e| form.write().account = e.value() }
                input { id: "account-bank", placeholder: l.pick("Kód banky", "Bank code"), value: "{f.bank_code}", oninput: move |e| form.write().bank_code = e.value() }
                label { input { r#type: "checkbox", id: "account-self-employed", checked: f.self_employed, onchange: move |e| form.write().self_employed = e.checked() } " " {l.pick("OSVČ", "Self-employed")} }
                input { id: "account-ico", placeholder: "IČO", value: "{f.ico}", oninput: move |e| form.write().ico = e.value() }
                if f.self_employed {
                    input { id: "account-street", placeholder: l.pick("Ulice a číslo", "Street"), value: "{f.street}", oninput: move |e| form.write().street = e.value() }
                    input { id: "account-city", placeholder: l.pick("Obec", "Town"), value: "{f.city}", oninput: move |e| form.write().city = e.value() }
                    input { id: "account-postal", placeholder: l.pick("PSČ", "Postal code"), value: "{f.postal_code}", oninput: move |e| form.write().postal_code = e.value() }
                    label { input { r#type: "checkbox", id: "account-vat-payer", checked: f.vat_payer, onchange: move |e| form.write().vat_payer = e.checked() } " " {l.pick("plátce DPH", "VAT payer")} }
                    input { id: "account-dic", placeholder: "DIČ", value: "{f.dic}", oninput: move |e| form.write().dic = e.value() }
                }
                button { class: "btn", id: "account-save", onclick: save, {l.pick("Uložit účet", "Save the account")} }
            }
            if let Some(Ok(list)) = &*accounts.read() {
                table { class: "table", id: "accounts-table",
                    tbody {
                        for (code, a) in list.iter() {
                            tr { key: "{a.adviser}", "data-adviser": "{code}", td { "{code}" } td { class: "mono", "{a.account}/{a.bank_code}" }
                                td { if a.self_employed { {format!("{} {}{} · {}, {} {}", l.pick("OSVČ, IČO", "self-employed, IČO"), a.ico,
                                    if a.vat_payer { format!(", {} {}", l.pick("plátce DPH", "VAT payer"), a.dic) } else { String::new() },
                                    a.street, a.postal_code, a.city)} } }
                            }
                        }
                    }
                }
            }
        }
    }
}
