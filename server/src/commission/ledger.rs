//! Commission (`/office/commission`): every adviser's ledger summed by kind
//! (accruals, reversals, payouts, adjustments, balance) and, for the adviser
//! picked, each line with its order and "why this amount" and the monthly
//! statement (the phone's numbers; its PDF from `statement.rs`). Accounting and
//! administrators may also run the accrual at once (it runs by itself when an
//! order's status or payment changes, and every half minute); the orders still
//! waiting for it are counted.

use dioxus::prelude::*;
use fieldcase_shared::docs::commission::CommissionKind;
use fieldcase_shared::statement::{self, Month};
use fieldcase_shared::{AdviserId, Lang, Money};

use super::rule_edit::{RULE_EDITORS, RULE_READERS};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar};

/// Commission: accounting and administrators run the accrual; the office reads.
pub const PAGE: PageSpec = PageSpec {
    slug: "commission",
    title_cs: "Provize",
    title_en: "Commission",
    open: Roles::Only(RULE_READERS),
    edit: Roles::Only(RULE_EDITORS),
    component: Commission,
};

#[component]
fn Commission() -> Element {
    let ctx = use_context::<Ctx>();
    let l = use_context::<Signal<Lang>>()();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut picked = use_signal(|| None::<(AdviserId, String)>);
    let mut month = use_signal(|| None::<Month>);
    let store = ctx.state.store.clone();
    let balances = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let queued = store.commission_queued().await?;
            Ok::<_, crate::store::StoreError>((store.commission_balances().await?, queued))
        }
    });
    let store = ctx.state.store.clone();
    let ledger = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        let adviser = picked();
        async move {
            match adviser {
                Some((a, _)) => store.commission_entries(a).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let may_run = PAGE.may_edit(ctx.session.user.role);
    let run = move |_| {
        let ctx = ctx.clone();
        spawn(async move {
            if let Err(msg) = ctx.authorize_user(ctx.page).await {
                return notice.set(Some(Notice::Err(msg)));
            }
            notice.set(Some(match super::accrue::run_once(&ctx.state).await {
                Ok(r) => Notice::ok(
                    format!("Prošlo {} zakázek, zaúčtováno {} řádků.", r.orders, r.lines),
                    format!("{} orders looked at, {} lines booked.", r.orders, r.lines),
                ),
                Err(err) => {
                    tracing::warn!(%err, "the commission accrual from the office");
                    Notice::err(
                        "Zaúčtování se nepodařilo; zkuste to znovu.",
                        "The accrual failed; try again.",
                    )
                }
            }));
            reload += 1;
        });
    };
    let m = |v: Money| v.format(l);
    rsx! {
        NoticeBar { notice: notice() }
        section { class: "card", id: "commission-balances",
            div { class: "card-head",
                h2 { {l.pick("Zůstatky poradců", "Advisers' balances")} }
                if may_run {
                    button { class: "btn", id: "accrue-now", onclick: run, {l.pick("Zaúčtovat nyní", "Book now")} }
                }
            }
            match &*balances.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Provize se nepodařilo načíst.", "Could not load the commission.")} } },
                Some(Ok((list, queued))) => rsx! {
                    p { class: "muted small", id: "accrual-queue",
                        {l.pick("Zakázek čekajících na zaúčtování: ", "Orders waiting for the accrual: ")} "{queued}"
                    }
                    table { class: "table", id: "balances-table",
                        thead { tr {
                            th { {l.pick("Poradce", "Adviser")} }
                            th { class: "num", {l.pick("Provize", "Accruals")} } th { class: "num", {l.pick("Storna", "Reversals")} }
                            th { class: "num", {l.pick("Výplaty", "Payouts")} } th { class: "num", {l.pick("Úpravy", "Adjustments")} }
                            th { class: "num", {l.pick("Zůstatek", "Balance")} } th {}
                        } }
                        tbody {
                            for b in list.iter().cloned() {
                                tr { key: "{b.adviser}", class: "balance", "data-adviser": "{b.code}",
                                    td { "{b.code} · {b.name}" }
                                    td { class: "num", {m(b.accruals)} } td { class: "num", {m(b.reversals)} }
                                    td { class: "num", {m(b.payouts)} } td { class: "num", {m(b.adjustments)} }
                                    td { class: "num strong", {m(b.balance())} }
                                    td { button { class: "btn btn-small show-ledger", onclick: move |_| { month.set(None); picked.set(Some((b.adviser, b.code.clone()))) }, {l.pick("Pohyby", "Ledger")} } }
                                }
                            }
                        }
                    }
                },
            }
        }
        if let (Some((_, code)), Some(Ok(Some(lines)))) = (picked(), &*ledger.read()) {
            {
                let months = statement::months(lines.iter().map(|(_, e)| e), time::OffsetDateTime::now_utc());
                let shown = month().unwrap_or(months[0]);
                let (s, _) = statement::statement(lines.iter().map(|(_, e)| e), shown);
                rsx! {
                    section { class: "card", id: "adviser-statement",
                        div { class: "card-head",
                            h2 { {l.pick("Výpis za měsíc", "Monthly statement")} " · {code}" }
                            select { id: "statement-month", aria_label: l.pick("Měsíc", "Month"),
                                onchange: move |e| month.set(Month::parse(&e.value())),
                                for mo in months {
                                    option { value: "{mo}", selected: mo == shown, {mo.label(l)} }
                                }
                            }
                            a { class: "btn", id: "statement-pdf", href: "/office/commission/statements/{code}/{shown}", target: "_blank", "PDF" }
                        }
                        table { class: "table", id: "statement-table",
                            tbody {
                                tr { td { {l.pick("Počáteční zůstatek", "Opening balance")} } td { class: "num opening", {m(Money::from_haler(s.opening))} } }
                                tr { td { {l.pick("Provize", "Accruals")} } td { class: "num accruals", {m(Money::from_haler(s.accruals))} } }
                                tr { td { {l.pick("Storna", "Reversals")} } td { class: "num reversals", {m(Money::from_haler(s.reversals))} } }
                                tr { td { {l.pick("Výplaty", "Payouts")} } td { class: "num payouts", {m(Money::from_haler(s.payouts))} } }
                                tr { td { {l.pick("Úpravy", "Adjustments")} } td { class: "num adjustments", {m(Money::from_haler(s.adjustments))} } }
                                tr { td { strong { {l.pick("Konečný zůstatek", "Closing balance")} } } td { class: "num strong closing", {m(Money::from_haler(s.closing))} } }
                            }
                        }
                    }
                }
            }
        }
        if picked().is_some() {
            section { class: "card", id: "adviser-ledger",
                h2 { {l.pick("Pohyby poradce", "The adviser's ledger")} }
                match &*ledger.read() {
                    Some(Ok(Some(lines))) if lines.is_empty() => rsx! { p { class: "muted", {l.pick("Zatím žádné pohyby.", "No entries yet.")} } },
                    Some(Ok(Some(lines))) => rsx! {
                        table { class: "table", id: "ledger-table",
                            thead { tr {
                                th { {l.pick("Kdy", "When")} } th { {l.pick("Druh", "Kind")} } th { {l.pick("Zakázka", "Order")} }
                                th { class: "num", {l.pick("Částka", "Amount")} } th { {l.pick("Proč tato částka", "Why this amount")} }
                            } }
                            tbody {
                                for (id, e) in lines.iter().rev() {
                                    tr { key: "{id}", class: "ledger-line ledger-{e.kind}",
                                        td { class: "nowrap", {e.at.get(..10).unwrap_or(&e.at).to_owned()} }
                                        td { {CommissionKind::parse(&e.kind).map(|k| k.label(l)).unwrap_or(l.pick("jiné", "other"))} }
                                        td {
                                            if !e.order.is_empty() {
                                                a { href: "/office/orders/{e.order}", {l.pick("otevřít", "open")} }
                                            }
                                        }
                                        td { class: "num", {m(Money::from_haler(e.amount))} }
                                        td { class: "why", {if l == Lang::Cs { e.why_cs.clone() } else { e.why_en.clone() }} }
                                    }
                                }
                            }
                        }
                    },
                    Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Pohyby se nepodařilo načíst.", "Could not load the ledger.")} } },
                    _ => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                }
            }
        }
    }
}
