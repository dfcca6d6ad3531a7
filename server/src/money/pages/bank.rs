//! Bank (`/office/bank`): each FIO account with the poller's last run, next run,
//! result and error (an alert while the last run failed), a download on demand,
//! and the movements booked with the decision on each in words. Accounting and
//! administrators add accounts (the token is written once and never shown).

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use crate::money::bank::{self, BankError, Rewind};
use crate::money::matching::Decision;
use crate::money::store::{BankAccount, MovementFilter};
use crate::money::{BANK_READERS, BANKERS};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Errors, Field, Notice, NoticeBar, Text, datetime, error_for, form_text};

/// Bank: accounting, the office and administrators read; accounting and
/// administrators change.
pub const PAGE: PageSpec = PageSpec {
    slug: "bank",
    title_cs: "Banka",
    title_en: "Bank",
    open: Roles::Only(BANK_READERS),
    edit: Roles::Only(BANKERS),
    component: BankPage,
};

fn when(t: Option<time::OffsetDateTime>, l: Lang) -> String {
    t.map(datetime).unwrap_or_else(|| l.pick("—", "—").into())
}

fn notice_of(err: &BankError) -> Notice {
    Notice::err(err.text(Lang::Cs), err.text(Lang::En))
}

#[component]
fn AccountRow(account: BankAccount, editor: bool, on_fetch: EventHandler<uuid::Uuid>) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let a = account;
    let result = match a.last_result.as_str() {
        "" => l.pick("zatím nestahováno", "not downloaded yet").to_owned(),
        "ok" => format!(
            "{} ({})",
            l.pick("v pořádku", "ok"),
            crate::office::ui::count(
                l,
                a.last_new as usize,
                ["nový pohyb", "nové pohyby", "nových pohybů"],
                ["new movement", "new movements"]
            )
        ),
        code => code.to_owned(),
    };
    rsx! {
        tr { class: if a.failing() { "bank-account failing" } else { "bank-account" }, "data-iban": "{a.iban}",
            td { strong { "{a.name}" } div { class: "muted small mono", "{a.iban}" } }
            td { class: "nowrap", {when(a.last_run_at, l)} }
            td { class: "nowrap", if a.active { {when(a.next_run_at, l)} } else { span { class: "muted", {l.pick("vypnuto", "off")} } } }
            td { class: "bank-result",
                span { class: if a.failing() { "pill pill-error" } else { "pill" }, "{result}" }
                if a.failing() { div { class: "small bank-error", "{a.last_error}" } }
            }
            td {
                if editor {
                    button { class: "btn btn-small btn-secondary bank-fetch", onclick: move |_| on_fetch.call(a.id), {l.pick("Stáhnout teď", "Download now")} }
                }
            }
        }
    }
}

#[component]
fn BankPage() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut errors = use_signal(Errors::new);
    let mut reload = use_signal(|| 0u32);
    let mut added = use_signal(|| 0u32);
    let mut decision = use_signal(|| None::<Decision>);
    let store = ctx.state.store.clone();
    let data = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        let filter = MovementFilter {
            decision: decision(),
            limit: 200,
            ..MovementFilter::default()
        };
        async move {
            Ok::<_, crate::store::StoreError>((
                store.bank_accounts().await?,
                store.bank_movements(&filter).await?,
            ))
        }
    });
    let editor = ctx.page.may_edit(ctx.session.user.role);
    let add_ctx = ctx.clone();
    let submit = move |evt: FormEvent| {
        let ctx = add_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            errors.set(Errors::new());
            let outcome = bank::add_account(
                ctx.state.store.as_ref(),
                &ctx.state.bank,
                &actor,
                role,
                &form_text(&evt, "name"),
                &form_text(&evt, "iban"),
                &form_text(&evt, "token"),
            )
            .await;
            notice.set(Some(match outcome {
                Ok(_) => {
                    added += 1;
                    Notice::ok(
                        "Účet přidán; stahuje se automaticky.",
                        "Account added; it is downloaded automatically.",
                    )
                }
                Err(err) => {
                    if let BankError::Invalid(problems) = &err {
                        errors.set(
                            problems
                                .iter()
                                .map(|e| (e.field.clone(), Text::from(e)))
                                .collect(),
                        );
                    }
                    notice_of(&err)
                }
            }));
            reload += 1;
        });
    };
    let fetch_ctx = ctx.clone();
    let fetch = move |id: uuid::Uuid| {
        let ctx = fetch_ctx.clone();
        spawn(async move {
            let (actor, role) = match ctx.authorize_role(ctx.page).await {
                Ok(a) => a,
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            if !BANKERS.contains(&role) {
                return notice.set(Some(notice_of(&BankError::Forbidden)));
            }
            notice.set(Some(Notice::ok("Stahuji z FIO…", "Downloading from FIO…")));
            notice.set(Some(
                match bank::fetch(&ctx.state, &actor, id, Rewind::Bookmark).await {
                    Ok(done) => Notice::ok(
                        format!(
                            "Staženo: {} nových pohybů, {} spárováno, {} k vyřízení.",
                            done.new,
                            done.matched,
                            done.receivable + done.partial + done.over
                        ),
                        format!(
                            "Downloaded: {} new movements, {} matched, {} to settle.",
                            done.new,
                            done.matched,
                            done.receivable + done.partial + done.over
                        ),
                    ),
                    Err(err) => notice_of(&err),
                },
            ));
            reload += 1;
        });
    };
    let errs = errors();
    rsx! {
        NoticeBar { notice: notice() }
        match &*data.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Banku se nepodařilo načíst.", "Could not load the bank.")} } },
            Some(Ok((accounts, movements))) => rsx! {
                for a in accounts.iter().filter(|a| a.failing()) {
                    div { key: "alert-{a.id}", class: "alert alert-error bank-alert",
                        strong { "{a.name}: " } "{a.last_error}"
                    }
                }
                section { class: "card", id: "bank-accounts",
                    h2 { {l.pick("Účty a stahování z FIO", "Accounts and downloads from FIO")} }
                    if accounts.is_empty() {
                        p { class: "muted", {l.pick("Zatím žádný účet.", "No account yet.")} }
                    } else {
                        table { class: "table",
                            thead { tr {
                                th { {l.pick("Účet", "Account")} } th { {l.pick("Naposledy", "Last run")} }
                                th { {l.pick("Příště", "Next run")} } th { {l.pick("Výsledek", "Result")} } th {}
                            } }
                            tbody {
                                for a in accounts.iter().cloned() {
                                    AccountRow { key: "{a.id}", account: a, editor, on_fetch: fetch.clone() }
                                }
                            }
                        }
                    }
                }
                section { class: "card", id: "bank-movements",
                    h2 { {l.pick("Pohyby", "Movements")} }
                    label { class: "field inline",
                        span { {l.pick("Rozhodnutí", "Decision")} }
                        select { name: "decision", onchange: move |e| decision.set(Decision::from_code(&e.value())),
                            option { value: "", {l.pick("Všechna", "All")} }
                            for d in [Decision::Matched, Decision::Partial, Decision::Over, Decision::Receivable, Decision::Ignored] {
                                option { key: "{d.code()}", value: "{d.code()}", {d.label(l)} }
                            }
                        }
                    }
                    if movements.is_empty() {
                        p { class: "muted", {l.pick("Žádné pohyby.", "No movements.")} }
                    } else {
                        table { class: "table", id: "movements-table",
                            thead { tr {
                                th { {l.pick("Datum", "Date")} } th { class: "num", {l.pick("Částka", "Amount")} } th { "VS" }
                                th { {l.pick("Plátce", "Payer")} } th { {l.pick("Rozhodnutí", "Decision")} } th { {l.pick("Objednávka", "Order")} }
                            } }
                            tbody {
                                for m in movements.iter().cloned() {
                                    tr { key: "{m.id}", class: "movement decision-{m.decision.code()}", "data-fio": "{m.fio_id}",
                                        td { class: "nowrap", {m.booked_on.map(|d| d.to_string()).unwrap_or_default()} }
                                        td { class: "num", {if m.currency == "CZK" { m.amount.format(l) } else { format!("{} {}", m.amount.to_decimal_string(), m.currency) }} }
                                        td { class: "mono", "{m.vs}" }
                                        td { "{m.counter_name}" div { class: "muted small mono", "{m.counter_account}" } }
                                        td {
                                            span { class: "pill decision", {m.decision.label(l)} }
                                            div { class: "small reason", {m.explain(l)} }
                                        }
                                        td {
                                            if let (Some(o), Some(vs)) = (m.order, m.order_vs.clone()) {
                                                a { href: "/office/orders/{o}", class: "order-link mono", "{vs}" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if editor {
                    section { class: "card", id: "bank-add",
                        h2 { {l.pick("Nový účet", "New account")} }
                        p { class: "muted small", {l.pick("Token pro čtení vytvoříte v internetbankingu FIO (Nastavení → API). Uloží se zašifrovaný a už se nikde nezobrazí.", "Create a read-only token in FIO's internet banking (Settings → API). It is stored encrypted and never shown again.")} }
                        for generation in std::iter::once(added()) {
                            form { key: "{generation}", class: "form", id: "bank-form", onsubmit: submit.clone(),
                                Field { label: l.pick("Název", "Name"), name: "name", required: true, error: error_for(&errs, "name", l) }
                                Field { label: "IBAN", name: "iban", required: true, error: error_for(&errs, "iban", l) }
                                Field { label: l.pick("Token API", "API token"), name: "token", kind: "password", required: true, error: error_for(&errs, "token", l) }
                                button { class: "btn", r#type: "submit", id: "bank-submit", {l.pick("Přidat účet", "Add account")} }
                            }
                        }
                    }
                }
            },
        }
    }
}
