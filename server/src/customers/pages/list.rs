//! Customers: find a customer by name (with or without diacritics), phone however
//! written, e-mail, street, town or postal code, narrow by adviser, store, consent
//! or a saved segment (`segments.rs`), page through; `/office/customers/{id}` is one
//! customer's card (`card.rs`).

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use crate::customers::pages::card;
use crate::customers::pages::form::CustomerForm;
use crate::customers::store::{CustomerCursor, CustomerFilter, CustomerSort};
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Marked, Notice, NoticeBar, Pager, StoreAdviserFilters, count, datetime};

/// Customers: every office role may look a customer up.
pub const PAGE: PageSpec = PageSpec {
    slug: "customers",
    title_cs: "Zákazníci",
    title_en: "Customers",
    open: Roles::Staff,
    edit: Roles::Only(crate::customers::EDITORS),
    component: Customers,
};

/// Rows per page.
const PAGE_SIZE: i64 = 50;

#[component]
pub fn Customers() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut filter = use_signal(|| CustomerFilter {
        limit: PAGE_SIZE,
        ..CustomerFilter::default()
    });
    // The cursors of the pages before this one (keyset pages go forward).
    let mut pages = use_signal(Vec::<Option<CustomerCursor>>::new);
    let notice = use_signal(|| None::<Notice>);
    // The customer just created here (a link to their card).
    let mut created = use_signal(|| None::<fieldcase_shared::ClientId>);
    let mut reload = use_signal(|| 0u32);
    let may_edit = ctx.page.may_edit(ctx.session.user.role);
    // The saved segments, for the roles that keep them: picking one lists its customers.
    let marketer = crate::customers::MARKETERS.contains(&ctx.session.user.role);
    let store = ctx.state.store.clone();
    let segments = use_resource(move || {
        let store = store.clone();
        async move {
            if marketer {
                crate::store::SegmentStore::segments(store.as_ref()).await
            } else {
                Ok(Vec::new())
            }
        }
    });
    let store = ctx.state.store.clone();
    let customers = use_resource(move || {
        let store = store.clone();
        let f = filter();
        let _ = reload();
        async move {
            let list = store.list_customers(&f).await?;
            let n = store.count_customers(&f).await?;
            Ok::<_, crate::store::StoreError>((list, n))
        }
    });
    let l = lang();
    if let Some(arg) = ctx.arg.clone() {
        return rsx! { card::Card { arg } };
    }
    // Any change of the filter starts again at the first page.
    let mut refilter = move |edit: &dyn Fn(&mut CustomerFilter)| {
        pages.write().clear();
        let mut f = filter.write();
        edit(&mut f);
        f.after = None;
    };
    let searching = !fieldcase_shared::search::terms(&filter().text).is_empty();

    rsx! {
        NoticeBar { notice: notice() }
        if let Some(id) = created() {
            p { a { href: "/office/customers/{id}", id: "new-customer-link", {l.pick("Otevřít kartu nového zákazníka →", "Open the new customer's card →")} } }
        }
        if may_edit {
            details { class: "card", id: "add-customer",
                summary { class: "strong", {l.pick("Nový zákazník", "New customer")} }
                CustomerForm {
                    client: None,
                    seen: None,
                    notice,
                    saved: move |id| {
                        created.set(Some(id));
                        reload += 1;
                    },
                }
            }
            details { class: "card", id: "import-customers",
                summary { class: "strong", {l.pick("Nahrát zákazníky ze souboru", "Import customers from a file")} }
                p { class: "small muted", {l.pick(
                    "CSV (UTF-8 nebo Windows-1250, oddělovač ; nebo ,) nebo XLSX se záhlavím: příjmení (povinné), jméno, telefon, e-mail, ulice, obec, PSČ, poznámka. Platné řádky se uloží najednou jako zákazníci kanceláře, chybné dostanete vypsané po řádcích; možné duplicity půjdou do fronty.",
                    "CSV (UTF-8 or Windows-1250, separated by ; or ,) or XLSX with a header: surname (required), first name, phone, e-mail, street, town, postal code, note. The valid rows are saved together as the office's customers, the invalid ones are listed line by line; possible duplicates go to the queue.",
                )} }
                form { class: "form", id: "import-form", method: "post", action: "/customers/import", enctype: "multipart/form-data", "data-native": "true",
                    input { r#type: "hidden", name: "csrf", value: "{ctx.session.csrf_token}" }
                    input { r#type: "file", name: "file", accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", required: true }
                    button { class: "btn btn-primary", r#type: "submit", {l.pick("Nahrát", "Import")} }
                }
            }
        }
        section { class: "card",
            div { class: "toolbar",
                input {
                    r#type: "search",
                    name: "q",
                    autofocus: true,
                    placeholder: l.pick("Hledat jméno, telefon, e-mail, ulici, obec, PSČ…", "Search name, phone, e-mail, street, town, postal code…"),
                    oninput: move |e| refilter(&|f| f.text = e.value()),
                }
                select {
                    name: "sort",
                    disabled: searching,
                    title: if searching { l.pick("Hledání řadí nejnovější zákazníky první.", "A search lists the newest customers first.") } else { "" },
                    onchange: move |e| refilter(&|f| f.sort = match e.value().as_str() {
                        "name-desc" => CustomerSort::NameDesc,
                        "newest" => CustomerSort::Newest,
                        "oldest" => CustomerSort::Oldest,
                        _ => CustomerSort::NameAsc,
                    }),
                    option { value: "name", {l.pick("Jméno A–Z", "Name A–Z")} }
                    option { value: "name-desc", {l.pick("Jméno Z–A", "Name Z–A")} }
                    option { value: "newest", {l.pick("Nejnovější", "Newest")} }
                    option { value: "oldest", {l.pick("Nejstarší", "Oldest")} }
                }
            }
            div { class: "toolbar filters",
                StoreAdviserFilters {
                    on_shop: move |shop| refilter(&|f| f.criteria.shop = shop),
                    on_adviser: move |adviser| refilter(&|f| f.criteria.adviser = adviser),
                }
                select { name: "consent",
                    onchange: move |e| refilter(&|f| {
                        (f.criteria.email_consent, f.criteria.sms_consent) = match e.value().as_str() {
                            "email" => (Some(true), None),
                            "no-email" => (Some(false), None),
                            "sms" => (None, Some(true)),
                            "no-sms" => (None, Some(false)),
                            _ => (None, None),
                        };
                    }),
                    option { value: "", {l.pick("Se souhlasem i bez", "Any consent")} }
                    option { value: "email", {l.pick("Souhlas s e-maily", "Consents to e-mail")} }
                    option { value: "no-email", {l.pick("Bez souhlasu s e-maily", "No e-mail consent")} }
                    option { value: "sms", {l.pick("Souhlas se SMS", "Consents to SMS")} }
                    option { value: "no-sms", {l.pick("Bez souhlasu se SMS", "No SMS consent")} }
                }
                if let Some(Ok(saved)) = &*segments.read() {
                    if !saved.is_empty() {
                        select { name: "segment",
                            onchange: {
                                let saved = saved.clone();
                                move |e: FormEvent| {
                                    let picked = saved.iter().find(|s| s.id.to_string() == e.value()).map(|s| s.criteria.clone());
                                    refilter(&|f| f.criteria = picked.clone().unwrap_or_default());
                                }
                            },
                            option { value: "", {l.pick("Všechny segmenty", "Any segment")} }
                            for s in saved.iter() { option { key: "{s.id}", value: "{s.id}", "{s.name}" } }
                        }
                    }
                }
            }
            match &*customers.read() {
                None => rsx! { p { class: "muted", {l.pick("Načítám…", "Loading…")} } },
                Some(Err(_)) => rsx! { div { class: "alert alert-error", {l.pick("Seznam se nepodařilo načíst.", "Could not load the list.")} } },
                Some(Ok((list, n))) => {
                    let last = list.last().map(|c| c.cursor());
                    let full = list.len() as i64 >= PAGE_SIZE;
                    let query = filter().text;
                    rsx! {
                        p { class: "muted", id: "page-info",
                            span { id: "customer-count",
                                if n.more {
                                    {l.pick("více než 1 000 zákazníků", "more than 1,000 customers")}
                                } else {
                                    {count(l, n.n as usize, ["zákazník", "zákazníci", "zákazníků"], ["customer", "customers"])}
                                }
                            }
                            if searching { " · " {l.pick("nejnovější první", "newest first")} }
                            " · " {l.pick("strana ", "page ")} "{pages().len() + 1}"
                        }
                        if list.is_empty() {
                            p { class: "muted", id: "no-customers", {l.pick("Nikdo takový.", "No such customer.")} }
                        }
                        div { class: "table-wrap",
                            table { class: "table", id: "customers-table",
                                thead { tr {
                                    th { {l.pick("Jméno", "Name")} }
                                    th { {l.pick("Kontakt", "Contact")} }
                                    th { {l.pick("Adresa", "Address")} }
                                    th { {l.pick("Poradce a prodejna", "Adviser and store")} }
                                    th { class: "num", {l.pick("Objednávky", "Orders")} }
                                } }
                                tbody {
                                    for c in list.iter().cloned() {
                                        tr { key: "{c.id}",
                                            td { a { href: "/office/customers/{c.id}", class: "customer-link strong",
                                                Marked { text: format!("{} {}", c.last_name, c.first_name), query: query.clone() }
                                            } }
                                            td {
                                                div { class: "nowrap", Marked { text: c.phone.clone(), query: query.clone(), phone: true } }
                                                div { class: "muted small", Marked { text: c.email.clone(), query: query.clone() } }
                                            }
                                            td { Marked { text: format!("{} {}", c.postal_code, c.city).trim().to_owned(), query: query.clone() } }
                                            td { div { "{c.adviser_name}" } div { class: "muted small", "{c.shop_name}" } }
                                            td { class: "num",
                                                "{c.orders}"
                                                if let Some(at) = c.last_order {
                                                    div { class: "muted small", {l.pick("naposled ", "last ")} "{datetime(at)}" }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        Pager {
                            has_prev: !pages().is_empty(),
                            has_next: full,
                            on_prev: move |_| {
                                let back = pages.write().pop().flatten();
                                filter.write().after = back;
                            },
                            on_next: move |_| {
                                let here = filter().after.clone();
                                pages.write().push(here);
                                filter.write().after = last.clone();
                            },
                        }
                    }
                },
            }
        }
    }
}
