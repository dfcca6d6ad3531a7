//! Duplicates: the review queue of customers who may be one person (found on create,
//! edit and import, and by the scan of the whole base), most alike first. An editor
//! merges a pair (choosing which record stays, after a confirmation that says what
//! moves) or says they are different people; the scan runs in the background and
//! its progress shows here.

use dioxus::prelude::*;
use fieldcase_shared::{ClientId, Lang};

use crate::customers::merge::merge;
use crate::customers::store::{CustomerSummary, DuplicatePair};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, datetime, failed};

/// The duplicate queue: every office role may look; editors of customers act.
pub const PAGE: PageSpec = PageSpec {
    slug: "duplicates",
    title_cs: "Duplicity",
    title_en: "Duplicates",
    open: Roles::Staff,
    edit: Roles::Only(crate::customers::EDITORS),
    component: Duplicates,
};

/// Pairs per page.
const PAGE_SIZE: i64 = 25;

#[component]
pub fn Duplicates() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    let mut offset = use_signal(|| 0i64);
    // The merge waiting for confirmation: (merged away, survivor).
    let mut confirm = use_signal(|| None::<(CustomerSummary, CustomerSummary)>);
    let may_edit = ctx.page.may_edit(ctx.session.user.role);
    let store = ctx.state.store.clone();
    let queue = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        let at = offset();
        async move {
            let scan = store.latest_scan().await?;
            let (pairs, open) = store.open_duplicates(PAGE_SIZE, at).await?;
            Ok::<_, crate::store::StoreError>((scan, pairs, open))
        }
    });
    let scanning =
        move || matches!(&*queue.read(), Some(Ok((Some(s), _, _))) if s.finished_at.is_none());
    let running = scanning();
    // While a scan runs, its progress is read again every second.
    use_future(move || async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            if scanning() {
                reload += 1;
            }
        }
    });
    let l = lang();
    let start_scan = {
        let ctx = ctx.clone();
        move |_| {
            act(ctx.clone(), notice, reload, |ctx, actor| async move {
                match crate::customers::scan::start(ctx.state.store.clone(), &actor.label).await {
                    Ok(_) => Notice::ok(
                        "Hledání duplicit běží na pozadí.",
                        "The duplicate scan runs in the background.",
                    ),
                    Err(crate::store::StoreError::Stale(_)) => {
                        Notice::err("Hledání už běží.", "A scan is running already.")
                    }
                    Err(err) => Notice::Err(failed(&err)),
                }
            })
        }
    };
    let do_merge = {
        let ctx = ctx.clone();
        move |(m, s): (ClientId, ClientId)| {
            act(ctx.clone(), notice, reload, move |ctx, actor| async move {
                confirm.set(None);
                match merge(&ctx.state, &actor, m, s).await {
                    Ok(done) => Notice::ok(
                        format!(
                            "Sloučeno: přesunuto zakázek {}, předpisů {}, záznamů historie {}.",
                            done.orders, done.prescriptions, done.notes
                        ),
                        format!(
                            "Merged: {} orders, {} prescriptions, {} history entries moved.",
                            done.orders, done.prescriptions, done.notes
                        ),
                    ),
                    Err(err) => Notice::err(err.text(Lang::Cs), err.text(Lang::En)),
                }
            })
        }
    };
    let different = {
        let ctx = ctx.clone();
        move |(a, b): (ClientId, ClientId)| {
            act(ctx.clone(), notice, reload, move |ctx, actor| async move {
                match ctx.state.store.not_duplicates(&actor, a, b).await {
                    Ok(()) => {
                        Notice::ok("Označeno jako různé osoby.", "Marked as different people.")
                    }
                    Err(err) => Notice::Err(failed(&err)),
                }
            })
        }
    };

    rsx! {
        NoticeBar { notice: notice() }
        match &*queue.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Frontu duplicit se nepodařilo načíst.", "Could not load the duplicate queue.")} } },
            Some(Ok((scan, pairs, open))) => {
                let (scan, pairs, open) = (scan.clone(), pairs.clone(), *open);
                rsx! {
                    section { class: "card", id: "duplicate-scan",
                        div { class: "card-head",
                            h2 { {l.pick("Hledání v celé databázi", "Scan of the whole base")} }
                            if may_edit {
                                button { class: "btn", id: "start-scan", disabled: running, onclick: start_scan, {l.pick("Prohledat", "Scan")} }
                            }
                        }
                        match scan {
                            None => rsx! { p { class: "muted", {l.pick("Ještě neproběhlo.", "Not run yet.")} } },
                            Some(s) => rsx! {
                                p { id: "scan-status",
                                    {l.pick("Spuštěno ", "Started ")} "{datetime(s.started_at)} ({s.author}) · "
                                    if let Some(err) = &s.error {
                                        span { class: "status status-cancelled", {l.pick("chyba: ", "error: ")} "{err}" }
                                    } else if let Some(done) = s.finished_at {
                                        span { class: "status status-delivered", id: "scan-done",
                                            {l.pick("hotovo ", "done ")} "{datetime(done)} · " {l.pick("nalezeno párů: ", "pairs found: ")} "{s.found}"
                                        }
                                    } else {
                                        span { class: "status status-ready", id: "scan-running", "{s.percent()} %" }
                                    }
                                }
                                if s.finished_at.is_none() {
                                    progress { max: "100", value: "{s.percent()}" }
                                }
                            },
                        }
                    }
                    if let Some((m, s)) = confirm() {
                        section { class: "card alert", id: "merge-confirm",
                            h2 { {l.pick("Sloučit zákazníky?", "Merge the customers?")} }
                            p {
                                {l.pick("Zůstane ", "Stays: ")} strong { "{s.first_name} {s.last_name}" }
                                {l.pick(". Zanikne ", ". Goes away: ")} strong { "{m.first_name} {m.last_name}" }
                                {l.pick(": jeho zakázky (", ": their orders (")} "{m.orders}"
                                {l.pick("), předpisy, poznámky a souhlasy přejdou k zůstávajícímu; prázdné údaje se doplní. Telefony poradců to uvidí po synchronizaci.",
                                    "), prescriptions, notes and consents move to the one that stays; its empty fields are filled in. The advisers' phones show it after their sync.")}
                            }
                            div { class: "actions",
                                button { class: "btn btn-danger", id: "merge-yes", onclick: move |_| do_merge((m.id, s.id)), {l.pick("Sloučit", "Merge")} }
                                button { class: "btn", id: "merge-no", onclick: move |_| confirm.set(None), {l.pick("Zpět", "Cancel")} }
                            }
                        }
                    }
                    section { class: "card", id: "duplicate-queue",
                        h2 { {l.pick("Možné duplicity", "Possible duplicates")} " " span { class: "muted", id: "open-pairs", "({open})" } }
                        if pairs.is_empty() {
                            p { class: "muted", {l.pick("Žádný otevřený pár.", "No open pair.")} }
                        }
                        table { class: "table",
                            tbody {
                                for p in pairs.iter().cloned() {
                                    PairRow { key: "{p.a.id}-{p.b.id}", pair: p.clone(), may_edit,
                                        keep: move |(m, s): (CustomerSummary, CustomerSummary)| confirm.set(Some((m, s))),
                                        different: { let different = different.clone(); move |ids| different(ids) },
                                    }
                                }
                            }
                        }
                        div { class: "pager",
                            if offset() > 0 {
                                button { class: "btn", onclick: move |_| offset.set((offset() - PAGE_SIZE).max(0)), {l.pick("← Předchozí", "← Previous")} }
                            }
                            if offset() + PAGE_SIZE < open {
                                button { class: "btn", id: "next-pairs", onclick: move |_| offset += PAGE_SIZE, {l.pick("Další →", "Next →")} }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One pair: both customers side by side, why they look alike, and the actions.
#[component]
fn PairRow(
    pair: DuplicatePair,
    may_edit: bool,
    keep: EventHandler<(CustomerSummary, CustomerSummary)>,
    different: EventHandler<(ClientId, ClientId)>,
) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let why: Vec<&str> = pair.likeness.matches.iter().map(|m| m.label(l)).collect();
    let (a, b) = (pair.a.clone(), pair.b.clone());
    rsx! {
        tr { class: "duplicate-pair",
            td { Person { c: a.clone() } }
            td { Person { c: b.clone() } }
            td {
                span { class: "pill", "{pair.likeness.score}" } " " span { class: "muted small", {why.join(", ")} }
            }
            if may_edit {
                td { class: "actions",
                    button { class: "btn keep-left", onclick: { let (a, b) = (a.clone(), b.clone()); move |_| keep.call((b.clone(), a.clone())) }, {l.pick("Ponechat levého", "Keep left")} }
                    button { class: "btn keep-right", onclick: { let (a, b) = (a.clone(), b.clone()); move |_| keep.call((a.clone(), b.clone())) }, {l.pick("Ponechat pravého", "Keep right")} }
                    button { class: "btn btn-ghost not-duplicate", onclick: move |_| different.call((a.id, b.id)), {l.pick("Různé osoby", "Different people")} }
                }
            }
        }
    }
}

/// A customer as the pair shows them.
#[component]
fn Person(c: CustomerSummary) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let place = format!("{} {}", c.postal_code, c.city);
    let address = [c.street.trim(), place.trim()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    rsx! {
        a { href: "/office/customers/{c.id}", class: "strong customer-link", "{c.last_name} {c.first_name}" }
        div { class: "small", "{c.phone} {c.email}" }
        div { class: "small muted", "{address}" }
        div { class: "small muted",
            if c.adviser_name.is_empty() { {l.pick("bez poradce", "no adviser")} } else { "{c.adviser_name}" }
            " · " {l.pick("zakázek ", "orders ")} "{c.orders}"
        }
    }
}

/// Runs `act` for the signed-in user if they may still edit this page (else the
/// refusal shows); its notice shows and the page reads the queue again.
fn act<F, Fut>(ctx: Ctx, mut notice: Signal<Option<Notice>>, mut reload: Signal<u32>, act: F)
where
    F: FnOnce(Ctx, crate::store::Actor) -> Fut + 'static,
    Fut: std::future::Future<Output = Notice> + 'static,
{
    spawn(async move {
        let actor = match ctx.authorize(ctx.page).await {
            Ok(actor) => actor,
            Err(msg) => return notice.set(Some(Notice::Err(msg))),
        };
        notice.set(Some(act(ctx.clone(), actor).await));
        reload += 1;
    });
}
