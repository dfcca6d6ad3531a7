//! One order's card (`/office/orders/{id}`): client, the prescription used, lines
//! with the VAT breakdown, what is left to pay, the status moves the user's role may
//! make, the three kinds of notes and the order's whole history.

use dioxus::prelude::*;
use fieldcase_shared::order::notes::{NoteKind, check_note};
use fieldcase_shared::{EyeRx, Lang, OrderId, OrderStatus, Prescription, allowed_targets};

use crate::office::live::Ctx;
use crate::office::ui::{Notice, NoticeBar, datetime, form_text};
use crate::orders::pages::{delivery, status};
use crate::orders::store::OrderCard;
use crate::orders::store::card::{line_gross, vat_breakdown};
use crate::store::actor::Via;

/// The card of the order whose id is `arg`.
#[component]
pub fn Card(arg: String) -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut reload = use_signal(|| 0u32);
    let mut notice = use_signal(|| None::<Notice>);
    let role = ctx.session.user.role;
    let id = arg.parse::<uuid::Uuid>().ok().map(OrderId::from_uuid);
    let store = ctx.state.store.clone();
    let card = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            match id {
                Some(id) => store.order_card(id, role).await,
                None => Ok(None),
            }
        }
    });
    // Every order field ever defined: a withdrawn one's value still shows.
    let store = ctx.state.store.clone();
    let fields = use_resource(move || {
        let store = store.clone();
        async move {
            crate::customers::fields::defined(
                store.as_ref(),
                fieldcase_shared::custom_field::Entity::Order,
            )
            .await
        }
    });
    let l = lang();

    let move_ctx = ctx.clone();
    let change = move |(order, vs, seen, to): (OrderId, String, OrderStatus, OrderStatus)| {
        let ctx = move_ctx.clone();
        spawn(async move {
            notice.set(Some(
                status::change(&ctx, ctx.page, order, &vs, seen, to).await,
            ));
            reload += 1;
        });
    };
    let note_ctx = ctx.clone();
    let add_note = move |(order, evt): (OrderId, FormEvent)| {
        let ctx = note_ctx.clone();
        spawn(async move {
            let kind = form_text(&evt, "kind").parse::<NoteKind>();
            let body = check_note(&form_text(&evt, "body"));
            let actor = match ctx.authorize_role(ctx.page).await {
                Ok((actor, role)) => match &kind {
                    Ok(k) if k.may_read(role) => actor,
                    _ => {
                        return notice.set(Some(Notice::err(
                            "Tento druh poznámky nemůžete psát.",
                            "You may not write this kind of note.",
                        )));
                    }
                },
                Err(msg) => return notice.set(Some(Notice::Err(msg))),
            };
            let (Ok(kind), Ok(body)) = (kind, body.clone()) else {
                if let Err((cs, en)) = body {
                    notice.set(Some(Notice::err(cs, en)));
                }
                return;
            };
            let result = ctx
                .state
                .store
                .add_order_note(&actor, order, kind, &body)
                .await;
            notice.set(Some(match result {
                Ok(()) => Notice::ok("Poznámka uložena.", "Note saved."),
                Err(err) => {
                    tracing::error!(%err, "adding an order note");
                    Notice::Err(crate::office::ui::failed(&err))
                }
            }));
            reload += 1;
        });
    };

    rsx! {
        NoticeBar { notice: notice() }
        p { a { href: "/office/orders", id: "back-to-orders", {l.pick("← Zpět na objednávky", "← Back to orders")} } }
        match &*card.read() {
            None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
            Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Objednávku se nepodařilo načíst.", "Could not load the order.")} } },
            Some(Ok(None)) => rsx! { div { class: "alert alert-error", id: "order-not-found", {l.pick("Taková objednávka neexistuje.", "There is no such order.")} } },
            Some(Ok(Some(c))) => {
                let c = c.clone();
                let readable: Vec<NoteKind> = NoteKind::ALL.into_iter().filter(|k| k.may_read(role)).collect();
                rsx! {
                    section { class: "card", id: "order-card",
                        div { class: "card-head",
                            h2 { {l.pick("Objednávka ", "Order ")} span { class: "mono", id: "order-vs", "{c.variable_symbol}" } }
                            span { class: "status status-{c.status.code()}", id: "order-status", "{c.status.label(l)}" }
                        }
                        p { class: "muted small",
                            {l.pick("Vytvořeno ", "Created ")} "{datetime(c.created_at)}"
                            " · " {l.pick("Poradce ", "Adviser ")} "{c.adviser_name}"
                            if !c.shop_name.is_empty() { " · " {l.pick("Prodejna ", "Store ")} "{c.shop_name}" }
                        }
                        p { class: "small",
                            a { href: "/lab/sheet/{c.id}", id: "job-sheet-link", target: "_blank", {l.pick("Zakázkový list (tisk)", "Job sheet (print)")} }
                            " · "
                            a { href: "/lab/sheet/{c.id}/pdf", id: "job-sheet-pdf", target: "_blank", "PDF" }
                        }
                        div { class: "actions", id: "status-moves",
                            for to in allowed_targets(role, c.status) {
                                button {
                                    key: "{to.code()}",
                                    class: "btn btn-small",
                                    "data-to": to.code(),
                                    onclick: {
                                        let change = change.clone();
                                        let vs = c.variable_symbol.clone();
                                        let (id, seen) = (c.id, c.status);
                                        move |_| change((id, vs.clone(), seen, to))
                                    },
                                    "→ {to.label(l)}"
                                }
                            }
                        }
                    }
                    div { class: "grid-2",
                        section { class: "card", id: "order-client",
                            h2 { {l.pick("Klient", "Client")} }
                            p { class: "strong", a { href: "/office/customers/{c.client.id}", id: "order-customer-link", "{c.client.first_name} {c.client.last_name}" } }
                            p { "{c.client.phone}" br {} "{c.client.email}" }
                            p { class: "muted", "{c.client.street}" br {} "{c.client.postal_code} {c.client.city}" }
                        }
                        section { class: "card", id: "order-prescription",
                            h2 { {l.pick("Předpis", "Prescription")} }
                            match &c.prescription {
                                None => rsx! { p { class: "muted", {l.pick("Bez předpisu.", "No prescription.")} } },
                                Some(rx) => rsx! { RxTable { rx: rx.clone() } },
                            }
                        }
                    }
                    section { class: "card", id: "order-lines",
                        h2 { {l.pick("Položky", "Lines")} }
                        LinesTable { card: c.clone() }
                    }
                    crate::money::pages::payments::OrderPayments { order: c.id, payment: c.payment() }
                    crate::money::pages::order_invoices::OrderInvoices { order: c.id }
                    crate::commission::order_box::OrderCommission { order: c.id }
                    crate::stock::pages::order_box::StockBox { order: c.id, status: c.status, reload }
                    crate::care::order_box::OrderNotifications { order: c.id, reload }
                    crate::complaints::order_box::OrderComplaints { card: c.clone(), reload, notice }
                    delivery::DeliveryBox { card: c.clone(), reload, notice }
                    section { class: "card", id: "order-notes",
                        h2 { {l.pick("Poznámky", "Notes")} }
                        if !c.note.is_empty() {
                            p { span { class: "pill", {l.pick("Poradce", "Adviser")} } " {c.note}" }
                        }
                        crate::customers::pages::custom::CustomValues { fields: fields.read().clone().unwrap_or_default(), values: c.custom.clone() }
                        super::custom_box::CustomBox { order: c.id, values: c.custom.clone(), reload, notice }
                        ul { class: "notes",
                            for (i, n) in c.notes.iter().enumerate() {
                                li { key: "{i}", class: "note note-{n.kind.code()}",
                                    span { class: "pill", "{n.kind.label(l)}" }
                                    " " span { class: "note-body", "{n.body}" }
                                    div { class: "muted small", "{n.author} · {datetime(n.at)}" }
                                }
                            }
                        }
                        form { class: "form note-form", id: "note-form",
                            onsubmit: {
                                let add_note = add_note.clone();
                                let id = c.id;
                                move |evt: FormEvent| add_note((id, evt))
                            },
                            select { name: "kind",
                                for k in readable {
                                    option { key: "{k.code()}", value: k.code(), "{k.label(l)}" }
                                }
                            }
                            textarea { name: "body", rows: "3", maxlength: "4000", placeholder: l.pick("Text poznámky…", "Note…") }
                            button { class: "btn btn-primary", r#type: "submit", {l.pick("Přidat poznámku", "Add note")} }
                        }
                    }
                    section { class: "card", id: "order-history",
                        h2 { {l.pick("Historie", "History")} }
                        div { class: "table-wrap",
                            table { class: "table",
                                thead { tr {
                                    th { {l.pick("Kdy", "When")} }
                                    th { {l.pick("Kdo", "Who")} }
                                    th { {l.pick("Odkud", "From")} }
                                    th { {l.pick("Co", "What")} }
                                    th { {l.pick("Změna", "Change")} }
                                } }
                                tbody {
                                    for (i, e) in c.history.iter().enumerate() {
                                        tr { key: "{i}", class: "event event-{e.via.code()}",
                                            td { class: "nowrap", "{datetime(e.at)}" }
                                            td { class: "event-actor", "{e.actor}" }
                                            td { class: "event-via", {via_label(e.via, l)} }
                                            td { {e.what(l)} }
                                            td { class: "event-change",
                                                if !e.old.is_empty() { span { class: "muted", {e.show(&e.old, l)} } " → " }
                                                span { {e.show(&e.new, l)} }
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
}

fn via_label(via: Via, l: Lang) -> &'static str {
    match via {
        Via::Phone => l.pick("telefon", "phone"),
        Via::Office => l.pick("kancelář", "office"),
        Via::Cli => l.pick("příkazová řádka", "command line"),
        Via::Api => "API",
        Via::Hub => l.pick("hub", "hub"),
    }
}

/// Both eyes of a prescription, with who measured it and when.
#[component]
pub(crate) fn RxTable(rx: Prescription) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let pd = rx.pd_binocular_mm.map(|p| p.format(l)).unwrap_or_default();
    rsx! {
        table { class: "table rx",
            thead { tr {
                th {} th { "SPH" } th { "CYL" } th { {l.pick("Osa", "Axis")} } th { "ADD" }
                th { {l.pick("Prizma", "Prism")} } th { "PD" } th { {l.pick("Výška", "Height")} }
            } }
            tbody {
                EyeRow { eye: "OD", rx: rx.right.clone() }
                EyeRow { eye: "OS", rx: rx.left.clone() }
            }
        }
        p { class: "muted small",
            if !pd.is_empty() { "PD " "{pd}" " · " }
            {l.pick("Změřil(a) ", "Measured by ")} "{rx.measured_by}" " · " "{rx.measured_on}"
            " · " {l.pick("platí do ", "valid until ")} "{rx.valid_until}"
        }
    }
}

#[component]
fn EyeRow(eye: &'static str, rx: EyeRx) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let opt = |v: Option<String>| v.unwrap_or_else(|| "–".to_owned());
    rsx! {
        tr { class: "eye-{eye}",
            th { "{eye}" }
            td { class: "num", {rx.sph.format(l)} }
            td { class: "num", {rx.cyl.format(l)} }
            td { class: "num", {opt(rx.axis.map(|a| format!("{a}°")))} }
            td { class: "num", {opt(rx.add.map(|a| a.format(l)))} }
            td { class: "num", {opt(rx.prism.map(|p| format!("{} {}", p.amount.format(l), p.base.label(l))))} }
            td { class: "num", {opt(rx.pd_mono_mm.map(|p| p.format(l)))} }
            td { class: "num", {opt(rx.fitting_height_mm.map(|p| p.format(l)))} }
        }
    }
}

#[component]
fn LinesTable(card: OrderCard) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let store = use_context::<Ctx>().state.store.clone();
    let code = card.coupon.clone();
    // The coupon's message (its terms, a greeting) shows with the order.
    let message = use_resource(move || {
        let (store, code) = (store.clone(), code.clone());
        async move {
            if code.is_empty() {
                return String::new();
            }
            let found = store.coupons_by_code(std::slice::from_ref(&code)).await;
            found
                .ok()
                .and_then(|m| m.get(&code).map(|c| c.message.clone()))
                .unwrap_or_default()
        }
    });
    let message = message.read().clone().unwrap_or_default();
    let c = card;
    rsx! {
        if !message.is_empty() {
            p { class: "muted small", id: "coupon-message", {l.pick("Ke kupónu: ", "With the coupon: ")} "{message}" }
        }
        div { class: "table-wrap",
            table { class: "table",
                thead { tr {
                    th { {l.pick("Položka", "Item")} }
                    th { class: "num", {l.pick("Ks", "Qty")} }
                    th { class: "num", {l.pick("Cena/ks", "Unit price")} }
                    th { class: "num", "DPH" }
                    th { class: "num", {l.pick("Sleva", "Discount")} }
                    th { class: "num", {l.pick("Celkem", "Total")} }
                } }
                tbody {
                    for line in c.lines.iter() {
                        tr { key: "{line.id}",
                            td { "{line.text}" }
                            td { class: "num", "{line.quantity}" }
                            td { class: "num", {line.unit_price.format(l)} }
                            td { class: "num", "{line.vat_bp / 100} %" }
                            td { class: "num", {line.discount.format(l)} }
                            td { class: "num", {line_gross(line).format(l)} }
                        }
                    }
                }
            }
        }
        table { class: "table totals", id: "order-totals",
            tbody {
                for (bp, base, vat) in vat_breakdown(&c.lines) {
                    tr { key: "{bp}", class: "vat-row",
                        td { {l.pick("Základ ", "Base ")} "{bp / 100} %" }
                        td { class: "num", {base.format(l)} }
                        td { {l.pick("DPH ", "VAT ")} "{bp / 100} %" }
                        td { class: "num", {vat.format(l)} }
                    }
                }
                if c.discount_pct > 0 {
                    tr { td { colspan: "3", {l.pick("Sleva poradce", "Adviser's discount")} } td { class: "num", "{c.discount_pct} %" } }
                }
                if !c.coupon.is_empty() {
                    tr { td { colspan: "3", {l.pick("Kupón ", "Coupon ")} "{c.coupon}" } td { class: "num", "−" {c.coupon_discount.format(l)} } }
                }
                tr { class: "strong", td { colspan: "3", {l.pick("Celkem", "Total")} } td { class: "num", id: "order-total", {c.total.format(l)} } }
                tr { td { colspan: "3", {l.pick("Záloha", "Deposit")} } td { class: "num", {c.deposit.format(l)} } }
                if !c.settled.is_zero() {
                    tr { td { colspan: "3", {l.pick("Platby z banky", "Bank payments")} } td { class: "num", {c.settled.format(l)} } }
                }
                tr { class: "strong", td { colspan: "3", {l.pick("Zbývá zaplatit", "Left to pay")} } td { class: "num", id: "order-to-pay", {c.to_pay().format(l)} } }
            }
        }
    }
}
