//! Clients: the list with instant search, a client's detail, and the client form
//! (new or edit) with a duplicate warning.

use dioxus::prelude::*;
use fieldcase_shared::docs::catalog::fold;
use fieldcase_shared::docs::records::ClientRecord;
use fieldcase_shared::{ClientId, FieldError, OrderStatus};

use crate::open_client;
use crate::screens::Screen;
use crate::ui::{Ctx, FieldMessage, date, money, now_text, t, today, use_ctx};

/// Clients whose name, phone or town contain every word of `query` (case and
/// diacritics ignored), by last name.
pub fn search(
    clients: Vec<(ClientId, ClientRecord)>,
    query: &str,
) -> Vec<(ClientId, ClientRecord)> {
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
    let mut found: Vec<(String, (ClientId, ClientRecord))> = clients
        .into_iter()
        .filter_map(|(id, c)| {
            let text = fold(&format!(
                "{} {} {} {}",
                c.first_name, c.last_name, c.phone, c.city
            ));
            words
                .iter()
                .all(|w| text.contains(w.as_str()))
                .then(|| (fold(&format!("{} {}", c.last_name, c.first_name)), (id, c)))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.into_iter().map(|(_, c)| c).collect()
}

/// The client list: instant search over name, phone and town.
#[component]
pub(crate) fn Clients() -> Element {
    let Ctx {
        phone,
        mut screen,
        revision: _,
        l,
        ..
    } = use_ctx();
    let mut query = use_signal(String::new);
    let all = phone
        .device()
        .map(|d| d.listed_clients())
        .unwrap_or_default();
    let total = all.len();
    let clients = search(all, &query());
    let shown = clients.len().min(100);
    rsx! {
        h1 { {t(l, "Klienti", "Clients")} }
        div { class: "section",
            input {
                id: "search",
                r#type: "search",
                placeholder: t(l, "Hledat jméno, telefon, obec", "Search name, phone, town"),
                value: "{query}",
                oninput: move |e| query.set(e.value()),
            }
            div { class: "row",
                button { id: "new-client", onclick: move |_| screen.set(Screen::EditClient(None)),
                    {t(l, "+ Nový klient", "+ New client")}
                }
                span { class: "meta", "{clients.len()} / {total}" }
            }
        }
        div { class: "list", id: "client-list", "data-query": "{query}",
            onmounted: move |_| {
                if let Some(started) = phone.exit_on_client_list {
                    println!(
                        "fieldcase-mobile: client list shown {} ms after start ({total} clients)",
                        started.elapsed().as_millis()
                    );
                    std::process::exit(0);
                }
            },
            if clients.is_empty() {
                p { class: "empty", {t(l, "Žádní klienti.", "No clients.")} }
            }
            for (id, c) in clients.into_iter().take(shown) {
                button { class: "item client", key: "{id}",
                    onclick: move |_| open_client(screen, id),
                    div { class: "name", "{c.last_name} {c.first_name}" }
                    div { class: "meta", "{c.city} {c.phone}" }
                }
            }
        }
    }
}

/// A client: contacts with links, notes, prescriptions, orders.
#[component]
pub(crate) fn ClientDetail(id: ClientId) -> Element {
    let Ctx {
        phone,
        mut screen,
        revision: _,
        l,
        ..
    } = use_ctx();
    let Some(device) = phone.device() else {
        return rsx! {};
    };
    let Some((_, c)) = device.clients().into_iter().find(|(cid, _)| *cid == id) else {
        return rsx! { p { class: "empty", {t(l, "Klient nenalezen.", "Client not found.")} } };
    };
    let prescriptions = device.prescriptions(id);
    let mut orders: Vec<_> = device
        .orders()
        .into_iter()
        .filter(|(_, o)| o.client == id.to_string())
        .collect();
    orders.sort_by(|a, b| b.1.created_at.cmp(&a.1.created_at));
    let tel: String = c
        .phone
        .chars()
        .filter(|ch| ch.is_ascii_digit() || *ch == '+')
        .collect();
    let address = [c.street.as_str(), c.postal_code.as_str(), c.city.as_str()]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let map = format!(
        "https://mapy.cz/zakladni?q={}",
        address
            .chars()
            .map(|ch| if ch == ' ' { '+' } else { ch })
            .collect::<String>()
    );
    let merged_into = c.merged_into.parse::<ClientId>().ok();
    let custom = fieldcase_shared::custom_field::shown(
        &device.custom_fields(fieldcase_shared::custom_field::Entity::Customer),
        &c.custom,
        l,
    );
    rsx! {
        h1 { id: "client-name", "{c.first_name} {c.last_name}" }
        if let Some(into) = merged_into {
            div { class: "section", id: "client-merged",
                p { {t(l, "Kancelář tohoto klienta sloučila s jiným záznamem téže osoby.", "The office merged this client into another record of the same person.")} }
                button { id: "open-survivor", onclick: move |_| open_client(screen, into),
                    {t(l, "Otevřít sloučeného klienta", "Open the merged client")}
                }
            }
        }
        div { class: "links",
            if !tel.is_empty() {
                a { class: "button secondary", id: "call", href: "tel:{tel}", {t(l, "Volat", "Call")} }
            }
            if !c.email.is_empty() {
                a { class: "button secondary", id: "mail", href: "mailto:{c.email}", {t(l, "E-mail", "E-mail")} }
            }
            if !address.is_empty() {
                a { class: "button secondary", id: "map", href: "{map}", target: "_blank", {t(l, "Mapa", "Map")} }
            }
            button { class: "secondary", id: "edit-client",
                onclick: move |_| screen.set(Screen::EditClient(Some(id))),
                {t(l, "Upravit", "Edit")}
            }
        }
        dl {
            dt { {t(l, "Telefon", "Phone")} } dd { "{c.phone}" }
            dt { {t(l, "E-mail", "E-mail")} } dd { "{c.email}" }
            dt { {t(l, "Adresa", "Address")} } dd { "{address}" }
            if !c.note.is_empty() {
                dt { {t(l, "Poznámka", "Note")} } dd { "{c.note}" }
            }
            super::custom::CustomValues { rows: custom }
        }
        div { class: "links", style: "margin-top:12px",
            button { id: "new-prescription", onclick: move |_| screen.set(Screen::Prescription(id)),
                {t(l, "+ Refrakce", "+ Prescription")}
            }
            button { id: "new-order", onclick: move |_| screen.set(Screen::NewOrder(id)),
                {t(l, "+ Zakázka", "+ Order")}
            }
        }
        h2 { {t(l, "Refrakce", "Prescriptions")} }
        div { class: "list", id: "prescriptions",
            if prescriptions.is_empty() {
                p { class: "empty", {t(l, "Zatím žádná refrakce.", "No prescription yet.")} }
            }
            for rx in prescriptions {
                div { class: if rx.is_expired(today()) { "item bad" } else { "item" }, key: "{rx.id}",
                    div { class: "name",
                        "{date(l, rx.measured_on)} · {rx.measured_by}"
                    }
                    div { class: "meta",
                        "P {rx.right.sph.format(l)} / {rx.right.cyl.format(l)}"
                        " · L {rx.left.sph.format(l)} / {rx.left.cyl.format(l)}"
                    }
                    div { class: "meta",
                        if rx.is_expired(today()) {
                            {t(l, "Platnost skončila ", "Expired ")}
                        } else {
                            {t(l, "Platí do ", "Valid until ")}
                        }
                        "{date(l, rx.valid_until)}"
                    }
                }
            }
        }
        h2 { {t(l, "Zakázky", "Orders")} }
        div { class: "list", id: "orders",
            if orders.is_empty() {
                p { class: "empty", {t(l, "Zatím žádná zakázka.", "No order yet.")} }
            }
            for (oid, o) in orders {
                button { class: "item order", key: "{oid}",
                    onclick: move |_| screen.set(Screen::Order(oid.clone())),
                    div { class: "name",
                        "VS {o.variable_symbol} · "
                        {o.status.parse::<OrderStatus>().map(|s| s.label(l)).unwrap_or(o.status.as_str())}
                    }
                    div { class: "meta",
                        "{money(l, o.total())}"
                    }
                }
            }
        }
    }
}

/// The client form's fields, in order.
/// The form's fields, in order (the shared rules' names).
const FIELDS: [&str; 8] = fieldcase_shared::customer::CLIENT_FIELDS;

fn to_record(values: &[String; 8], created_at: String) -> ClientRecord {
    let v = |i: usize| values[i].trim().to_owned();
    ClientRecord {
        first_name: v(0),
        last_name: v(1),
        phone: v(2),
        email: v(3),
        street: v(4),
        city: v(5),
        postal_code: v(6),
        note: v(7),
        created_at,
        merged_into: String::new(),
        custom: Default::default(),
    }
}

/// New client (`id` = None) or edit one; warns when the phone or e-mail is
/// already another client's, and saves only after the adviser confirms.
#[component]
pub(crate) fn EditClient(id: Option<ClientId>) -> Element {
    let Ctx {
        phone,
        mut screen,
        revision,
        l,
        ..
    } = use_ctx();
    let existing = id.and_then(|id| {
        phone
            .device()?
            .clients()
            .into_iter()
            .find(|(cid, _)| *cid == id)
            .map(|(_, c)| c)
    });
    let created_at = existing.as_ref().map(|c| c.created_at.clone());
    // What the form showed when it opened: an edit writes only what changed from it.
    let seen = use_signal(|| existing.clone());
    let mut values = use_signal(|| {
        existing.as_ref().map_or_else(Default::default, |c| {
            [
                c.first_name.clone(),
                c.last_name.clone(),
                c.phone.clone(),
                c.email.clone(),
                c.street.clone(),
                c.city.clone(),
                c.postal_code.clone(),
                c.note.clone(),
            ]
        })
    });
    // The office's custom fields and their values (`custom.<key>` in errors).
    let custom = use_signal(|| {
        existing
            .as_ref()
            .map(|c| c.custom.clone())
            .unwrap_or_default()
    });
    let custom_fields = phone
        .device()
        .map(|d| d.custom_fields(fieldcase_shared::custom_field::Entity::Customer))
        .unwrap_or_default();
    let checked_fields = custom_fields.clone();
    let mut errors = use_signal(Vec::<FieldError>::new);
    let mut failure = use_signal(|| None::<String>);
    let the_id = use_signal(|| id.unwrap_or_default());
    let device = phone.device();
    let duplicates = device
        .as_ref()
        .map(|d| d.duplicates(the_id(), &to_record(&values(), String::new())))
        .unwrap_or_default();
    let has_duplicates = !duplicates.is_empty();
    let labels = [
        t(l, "Jméno", "First name"),
        t(l, "Příjmení", "Last name"),
        t(l, "Telefon", "Phone"),
        t(l, "E-mail", "E-mail"),
        t(l, "Ulice a číslo", "Street"),
        t(l, "Obec", "Town"),
        t(l, "PSČ", "Postal code"),
        t(l, "Poznámka", "Note"),
    ];
    let save = move |_evt: FormEvent| {
        let mut client = to_record(&values(), created_at.clone().unwrap_or_else(now_text));
        client.custom = custom();
        let mut problems = fieldcase_shared::customer::check_client(&mut client);
        problems.extend(fieldcase_shared::custom_field::check_all(
            &checked_fields,
            &mut client.custom,
        ));
        if !problems.is_empty() {
            errors.set(problems);
            return;
        }
        errors.set(Vec::new());
        let Some(device) = device.clone() else {
            return;
        };
        let cid = the_id();
        spawn(async move {
            let saved = match seen() {
                Some(seen) => device.edit_client(cid, &seen, &client).await,
                None => device
                    .save_client(cid, &client)
                    .await
                    .map(|()| Ok(Vec::new())),
            };
            match saved {
                Ok(Ok(_)) => {
                    revision.bump();
                    screen.set(Screen::Client(cid));
                }
                Ok(Err(stale)) => failure.set(Some(format!(
                    "{} {}",
                    t(
                        l,
                        "Mezitím to změnil někdo jiný (kancelář?) — nic se neuložilo, otevřete klienta znovu:",
                        "Someone else (the office?) changed this meanwhile; nothing was saved, open the client again:"
                    ),
                    stale
                        .fields
                        .iter()
                        .filter_map(|f| match FIELDS.iter().position(|x| x == f) {
                            Some(i) => Some(labels[i]),
                            None => (*f == "custom").then(|| t(l, "vlastní pole", "custom fields")),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
                Err(err) => failure.set(Some(format!(
                    "{} ({err})",
                    t(
                        l,
                        "Klienta se nepodařilo uložit.",
                        "Could not save the client."
                    )
                ))),
            }
        });
    };
    let kinds = [
        "text", "text", "tel", "email", "text", "text", "text", "text",
    ];
    rsx! {
        h1 {
            {if id.is_some() { t(l, "Upravit klienta", "Edit client") } else { t(l, "Nový klient", "New client") }}
        }
        if let Some(e) = failure() {
            p { class: "error", role: "alert", "{e}" }
        }
        form { id: "client-form", onsubmit: save,
            for (i, field) in FIELDS.iter().enumerate() {
                label { r#for: "{field}", "{labels[i]}" }
                input { id: "{field}", name: "{field}", r#type: kinds[i],
                    value: "{values.read()[i]}",
                    oninput: move |e| values.write()[i] = e.value() }
                FieldMessage { errors: errors(), field: field.to_string() }
            }
            super::custom::CustomInputs { fields: custom_fields, values: custom, errors: errors() }
            if has_duplicates {
                div { class: "warning", id: "duplicate-warning", role: "status",
                    {t(l, "Stejný telefon nebo e-mail už má:", "The same phone or e-mail already belongs to:")}
                    for (did, d) in duplicates {
                        div { key: "{did}",
                            button { class: "secondary", r#type: "button",
                                onclick: move |_| open_client(screen, did),
                                "{d.first_name} {d.last_name}, {d.city}"
                            }
                        }
                    }
                }
            }
            div { class: "row",
                button { r#type: "submit", id: "save-client",
                    {if has_duplicates { t(l, "Přesto uložit", "Save anyway") } else { t(l, "Uložit klienta", "Save client") }}
                }
                button { class: "secondary", r#type: "button",
                    onclick: move |_| screen.set(match id { Some(id) => Screen::Client(id), None => Screen::Clients }),
                    {t(l, "Zpět", "Back")}
                }
            }
        }
    }
}
