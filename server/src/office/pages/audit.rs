//! Audit log: who changed what and when, filterable.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Role};

use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::datetime;
use crate::store::AuditFilter;

/// The audit log: admins only.
pub const PAGE: PageSpec = PageSpec {
    slug: "audit",
    title_cs: "Auditní záznam",
    title_en: "Audit log",
    open: Roles::Only(&[Role::Admin]),
    edit: Roles::Only(&[Role::Admin]),
    component: Audit,
};

#[component]
pub fn Audit() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut filter = use_signal(|| AuditFilter {
        limit: 200,
        ..AuditFilter::default()
    });
    let store = ctx.state.store.clone();
    let entries = use_resource(move || {
        let store = store.clone();
        let f = filter();
        async move { store.list_audit(&f).await }
    });
    let l = lang();
    rsx! {
        section { class: "card",
            div { class: "toolbar",
                input { r#type: "search", name: "actor", placeholder: l.pick("Kdo (e-mail)", "Who (e-mail)"),
                    oninput: move |e| filter.write().actor = e.value() }
                input { r#type: "search", name: "action", placeholder: l.pick("Akce, např. adviser.", "Action, e.g. adviser."),
                    oninput: move |e| filter.write().action = e.value() }
                input { r#type: "search", name: "text", placeholder: l.pick("Text", "Text"),
                    oninput: move |e| filter.write().text = e.value() }
            }
            match &*entries.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Záznam se nepodařilo načíst.", "Could not load the log.")} } },
                Some(Ok(list)) if list.is_empty() => rsx! { p { class: "muted", {l.pick("Nic nenalezeno.", "Nothing found.")} } },
                Some(Ok(list)) => rsx! {
                    table { class: "table", id: "audit-table",
                        thead { tr {
                            th { {l.pick("Kdy", "When")} }
                            th { {l.pick("Kdo", "Who")} }
                            th { {l.pick("Akce", "Action")} }
                            th { {l.pick("Předmět", "Subject")} }
                            th { {l.pick("Podrobnosti", "Details")} }
                        } }
                        tbody {
                            for e in list.iter() {
                                tr { key: "{e.id}",
                                    td { class: "nowrap", "{datetime(e.at)}" }
                                    td { "{e.actor}" }
                                    td { code { "{e.action}" } }
                                    td { class: "mono small", "{e.subject}" }
                                    td { "{e.detail}" }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
