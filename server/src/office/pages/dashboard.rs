//! Dashboard: the network at a glance.

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use time::{Duration, OffsetDateTime};

use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::datetime;

/// The dashboard: every office role.
pub const PAGE: PageSpec = PageSpec {
    slug: "dashboard",
    title_cs: "Přehled",
    title_en: "Dashboard",
    open: Roles::Staff,
    edit: Roles::Staff,
    component: Dashboard,
};

#[component]
pub fn Dashboard() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let has_payee = ctx.state.config.has_payee();
    let data = use_resource(move || {
        let store = ctx.state.store.clone();
        async move {
            let since = OffsetDateTime::now_utc() - Duration::days(30);
            let dash = store.dashboard(since).await?;
            let recent = store.recent_orders(10).await?;
            Ok::<_, crate::store::StoreError>((dash, recent))
        }
    });
    let l = lang();
    let guard = data.read();
    let Some(result) = guard.as_ref() else {
        return rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } };
    };
    let (dash, recent) = match result {
        Ok(v) => v,
        Err(err) => {
            tracing::error!(%err, "dashboard");
            return rsx! { div { class: "alert alert-error", {l.pick("Data se nepodařilo načíst.", "Could not load the data.")} } };
        }
    };
    let cards = [
        (l.pick("Prodejny", "Shops"), dash.shops.to_string()),
        (
            l.pick("Aktivní poradci", "Active advisers"),
            dash.advisers.to_string(),
        ),
        (l.pick("Klienti", "Clients"), dash.clients.to_string()),
        (
            l.pick("Produkty v katalogu", "Catalog products"),
            dash.products.to_string(),
        ),
        (
            l.pick("Objednávky za 30 dní", "Orders, last 30 days"),
            dash.recent_orders.to_string(),
        ),
        (
            l.pick("Obrat za 30 dní", "Turnover, last 30 days"),
            dash.recent_turnover.format(l),
        ),
    ];
    rsx! {
        if !has_payee {
            div { class: "alert alert-error", id: "no-payee", role: "alert",
                {l.pick(
                    "Není nastaven účet pro platby (payee_iban, payee_name v fieldcase.toml): poradci klientům neukážou QR platbu, jen variabilní symbol.",
                    "No payment account is set (payee_iban, payee_name in fieldcase.toml): advisers show clients no QR payment, only the variable symbol.",
                )}
            }
        }
        div { class: "cards",
            for (label, value) in cards {
                div { class: "card stat", key: "{label}",
                    div { class: "stat-value", "{value}" }
                    div { class: "stat-label", "{label}" }
                }
            }
        }
        div { class: "grid-2",
            section { class: "card",
                h2 { {l.pick("Objednávky podle stavu", "Orders by status")} }
                table { class: "table",
                    tbody {
                        for (status, count) in dash.orders_by_status.iter() {
                            tr { key: "{status.code()}",
                                td { span { class: "status status-{status.code()}", "{status.label(l)}" } }
                                td { class: "num", "{count}" }
                            }
                        }
                    }
                }
            }
            section { class: "card",
                h2 { {l.pick("Poslední objednávky", "Latest orders")} }
                table { class: "table",
                    thead { tr {
                        th { "VS" }
                        th { {l.pick("Klient", "Client")} }
                        th { {l.pick("Poradce", "Adviser")} }
                        th { {l.pick("Stav", "Status")} }
                        th { class: "num", {l.pick("Částka", "Amount")} }
                        th { {l.pick("Vytvořeno", "Created")} }
                    } }
                    tbody {
                        for o in recent.iter() {
                            tr { key: "{o.id}",
                                td { "{o.variable_symbol}" }
                                td { "{o.client_name}" }
                                td { "{o.adviser_name}" }
                                td { span { class: "status status-{o.status.code()}", "{o.status.label(l)}" } }
                                td { class: "num", "{o.total.format(l)}" }
                                td { "{datetime(o.created_at)}" }
                            }
                        }
                    }
                }
            }
        }
    }
}
