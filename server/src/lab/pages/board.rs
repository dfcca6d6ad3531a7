//! The lab board: a column per lab state with its count, each order with its days in
//! the state (red once over `lab_overdue_days`); orders ticked and moved together
//! (each move checked against the user's role and the status they saw); a box where
//! a scanned order number (a keyboard-wedge scanner types it and Enter) opens the order.

use std::collections::BTreeSet;

use dioxus::prelude::*;
use fieldcase_shared::{Lang, OrderId, OrderStatus, Role, allowed_targets};
use time::OffsetDateTime;

use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Notice, NoticeBar, Text, form_text};
use crate::orders::pages::status;

/// The lab board: the lab, the office and admins (every move is checked per role).
pub const PAGE: PageSpec = PageSpec {
    slug: "lab",
    title_cs: "Laboratoř",
    title_en: "Lab",
    open: Roles::Only(&[Role::Lab, Role::Office, Role::Store, Role::Admin]),
    edit: Roles::Only(&[Role::Lab, Role::Office, Role::Store, Role::Admin]),
    component: Board,
};

/// The board's columns, in workflow order.
pub const COLUMNS: [OrderStatus; 6] = [
    OrderStatus::Confirmed,
    OrderStatus::LensesOrdered,
    OrderStatus::InLab,
    OrderStatus::QualityCheck,
    OrderStatus::ReadyForPickup,
    OrderStatus::Shipped,
];

/// Most orders drawn on the board at once (the oldest in their state first).
const SHOWN: i64 = 600;

/// Whole days from `since` to `now`.
pub fn days_in_state(since: OffsetDateTime, now: OffsetDateTime) -> i64 {
    (now - since).whole_days().max(0)
}

#[component]
fn Board() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let mut picked = use_signal(BTreeSet::<OrderId>::new);
    let store = ctx.state.store.clone();
    let board = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move { store.lab_board(&COLUMNS, SHOWN).await }
    });
    let l = lang();
    let role = ctx.session.user.role;
    let overdue = i64::from(ctx.state.config.lab_overdue_days);
    let now = OffsetDateTime::now_utc();

    let scan_ctx = ctx.clone();
    let scan = move |evt: FormEvent| {
        let ctx = scan_ctx.clone();
        spawn(async move {
            let number: String = form_text(&evt, "scan")
                .chars()
                .filter(char::is_ascii_digit)
                .take(10)
                .collect();
            match ctx.state.store.order_by_number(&number).await {
                Ok(Some(id)) => {
                    // The scanner's Enter opens the order's card.
                    let js = format!("window.location.assign('/office/orders/{id}')");
                    let _ = document::eval(&js).await;
                }
                Ok(None) => notice.set(Some(Notice::err(
                    format!("Objednávka s číslem „{number}“ neexistuje."),
                    format!("There is no order numbered \"{number}\"."),
                ))),
                Err(err) => notice.set(Some(Notice::Err(crate::office::ui::failed(&err)))),
            }
        });
    };
    let move_ctx = ctx.clone();
    let bulk = move |evt: FormEvent| {
        let ctx = move_ctx.clone();
        spawn(async move {
            let Ok(to) = form_text(&evt, "to").parse::<OrderStatus>() else {
                return notice.set(Some(Notice::err(
                    "Vyberte cílový stav.",
                    "Choose the target status.",
                )));
            };
            let chosen = picked();
            let cards = match &*board.peek() {
                Some(Ok((cards, _))) => cards.clone(),
                _ => Vec::new(),
            };
            let mut moved = 0usize;
            let mut refused: Vec<Text> = Vec::new();
            for card in cards.iter().filter(|c| chosen.contains(&c.id)) {
                match status::change(
                    &ctx,
                    ctx.page,
                    card.id,
                    &card.variable_symbol,
                    card.status,
                    to,
                )
                .await
                {
                    Notice::Ok(_) => moved += 1,
                    Notice::Err(why) => refused.push(why),
                }
            }
            picked.write().clear();
            notice.set(Some(if refused.is_empty() {
                Notice::ok(
                    format!("Přesunuto: {moved} → „{}“.", to.label(Lang::Cs)),
                    format!("Moved: {moved} → \"{}\".", to.label(Lang::En)),
                )
            } else {
                Notice::Err(Text::new(
                    format!(
                        "Přesunuto: {moved}. Nepřesunuto: {}. {}",
                        refused.len(),
                        refused[0].get(Lang::Cs)
                    ),
                    format!(
                        "Moved: {moved}. Not moved: {}. {}",
                        refused.len(),
                        refused[0].get(Lang::En)
                    ),
                ))
            }));
            reload += 1;
        });
    };
    // Every move out of a column, for anyone: the hub checks each ticked order against
    // the user's role and says who may make a move the user may not.
    let targets: Vec<OrderStatus> = OrderStatus::ALL
        .into_iter()
        .filter(|to| {
            COLUMNS.iter().any(|from| {
                Role::ALL
                    .iter()
                    .any(|r| allowed_targets(*r, *from).contains(to))
            })
        })
        .collect();
    let may_move = COLUMNS
        .iter()
        .any(|from| !allowed_targets(role, *from).is_empty());

    rsx! {
        NoticeBar { notice: notice() }
        section { class: "card toolbar",
            form { class: "inline-form", id: "scan-form", onsubmit: scan,
                input { r#type: "text", name: "scan", id: "scan", autofocus: true, autocomplete: "off", placeholder: l.pick("Naskenujte číslo objednávky…", "Scan an order number…") }
                button { class: "btn", r#type: "submit", {l.pick("Otevřít", "Open")} }
            }
            if may_move {
                form { class: "inline-form", id: "bulk-form", onsubmit: bulk,
                    span { class: "muted", {l.pick("Vybrané: ", "Ticked: ")} "{picked().len()}" }
                    select { name: "to",
                        for t in targets.iter() {
                            option { key: "{t.code()}", value: t.code(), "→ {t.label(l)}" }
                        }
                    }
                    button { class: "btn btn-primary", r#type: "submit", disabled: picked().is_empty(), {l.pick("Přesunout vybrané", "Move ticked")} }
                }
            }
        }
        match &*board.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Tabuli se nepodařilo načíst.", "Could not load the board.")} } },
            Some(Ok((cards, counts))) => rsx! {
                div { class: "board", id: "lab-board",
                    for column in COLUMNS {
                        section { key: "{column.code()}", class: "board-col", "data-status": column.code(),
                            h2 {
                                "{column.label(l)} "
                                span { class: "pill count", {counts.iter().find(|(s, _)| *s == column).map(|(_, n)| *n).unwrap_or(0).to_string()} }
                            }
                            for card in cards.iter().filter(|c| c.status == column).cloned() {
                                {
                                    let days = days_in_state(card.since, now);
                                    let late = days > overdue;
                                    let id = card.id;
                                    rsx! {
                                        div { key: "{card.id}", class: if late { "board-card overdue" } else { "board-card" }, "data-vs": "{card.variable_symbol}",
                                            label { class: "check",
                                                input { r#type: "checkbox", checked: picked().contains(&id),
                                                    onchange: move |e: FormEvent| {
                                                        if e.checked() { picked.write().insert(id); } else { picked.write().remove(&id); }
                                                    },
                                                }
                                                a { href: "/office/orders/{card.id}", class: "mono", "{card.variable_symbol}" }
                                            }
                                            div { class: "small", "{card.client_name}" }
                                            div { class: "small days", {l.pick("dní ve stavu: ", "days in state: ")} "{days}" }
                                        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_whole_and_never_negative() {
        let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(10);
        assert_eq!(days_in_state(now - time::Duration::hours(47), now), 1);
        assert_eq!(days_in_state(now - time::Duration::days(4), now), 4);
        assert_eq!(days_in_state(now + time::Duration::hours(1), now), 0);
    }
}
