//! GDPR: everything the hub holds about one customer, for their request to see it —
//! the card (contacts, address, adviser and store, consents with when and where,
//! prescriptions, the communication history), every order with its lines, notes
//! and history, the reminders and the price terms — as JSON (machine-readable)
//! and as a PDF (for the customer). Every export is audited (`customer.export`).

use fieldcase_shared::{ClientId, Lang, Role};
use serde::Serialize;
use utoipa::ToSchema;

use crate::customers::api::CustomerCardOut;
use crate::orders::api::OrderCardOut;
use crate::pdf::TextPdf;
use crate::state::AppState;
use crate::store::{Actor, StoreError};

/// A reminder in the export.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderOut {
    pub rule: String,
    pub due_on: String,
    pub planned_for: String,
    pub done_at: Option<String>,
    pub task: String,
}

/// Everything about one customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalData {
    /// When it was exported (RFC 3339) and by whom.
    pub exported_at: String,
    pub exported_by: String,
    pub customer: CustomerCardOut,
    /// Every order, with its lines, notes and history.
    pub orders: Vec<OrderCardOut>,
    pub reminders: Vec<ReminderOut>,
    /// The agreed price terms, if any.
    pub price_terms: Option<crate::catalog::api::TermsBody>,
}

/// Gathers everything about `client` for `actor` (audited); `None`: no such
/// customer.
pub async fn gather(
    state: &AppState,
    actor: &Actor,
    client: ClientId,
) -> Result<Option<PersonalData>, StoreError> {
    let store = state.store.as_ref();
    let Some(card) = store.customer_card(client).await? else {
        return Ok(None);
    };
    let mut orders = Vec::with_capacity(card.orders.len());
    for o in &card.orders {
        // Everything the hub holds, private staff notes too (the customer's right
        // covers them).
        if let Some(full) = store.order_card(o.id, Role::Admin).await? {
            orders.push(OrderCardOut::new(state, &full, Role::Admin));
        }
    }
    let reminders = store
        .reminders_of(client)
        .await?
        .into_iter()
        .map(|r| ReminderOut {
            rule: r.rule.code().to_owned(),
            due_on: r.due_on.to_string(),
            planned_for: r.planned_for,
            done_at: r.done_at.map(crate::store::sql::rfc3339),
            task: r.title,
        })
        .collect();
    let price_terms = store
        .customer_terms(&[client])
        .await?
        .into_values()
        .next()
        .map(Into::into);
    store
        .audit(
            actor,
            "customer.export",
            &client.to_string(),
            &format!("{} orders", orders.len()),
        )
        .await?;
    Ok(Some(PersonalData {
        exported_at: crate::store::sql::rfc3339(time::OffsetDateTime::now_utc()),
        exported_by: actor.label.clone(),
        customer: CustomerCardOut::from(&card),
        orders,
        reminders,
        price_terms,
    }))
}

/// The export as a PDF for the customer, in `l`.
pub fn pdf(data: &PersonalData, l: Lang) -> anyhow::Result<Vec<u8>> {
    let c = &data.customer;
    let f = &c.fields;
    let field = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut doc = TextPdf::new();
    doc.title(&format!(
        "{} {} {}",
        l.pick("Osobní údaje:", "Personal data:"),
        field(&f.first_name),
        field(&f.last_name)
    ));
    doc.text(&format!(
        "{} {} · {}",
        l.pick("Vydáno", "Exported"),
        data.exported_at,
        data.exported_by
    ));
    doc.heading(l.pick("Kontakty a adresa", "Contacts and address"));
    for (label, value) in [
        (l.pick("Telefon", "Phone"), field(&f.phone)),
        ("E-mail", field(&f.email)),
        (l.pick("Ulice", "Street"), field(&f.street)),
        (
            l.pick("Obec", "Town"),
            format!("{} {}", field(&f.postal_code), field(&f.city)),
        ),
        (l.pick("Poznámka", "Note"), field(&f.note)),
        (l.pick("Poradce", "Adviser"), c.adviser_name.clone()),
        (l.pick("Prodejna", "Store"), c.store.clone()),
        (
            l.pick("Zákazníkem od", "Customer since"),
            c.created_at.clone(),
        ),
    ] {
        doc.text(&format!("{label}: {value}"));
    }
    if let Some(custom) = f.custom.as_ref().filter(|c| !c.is_empty()) {
        doc.heading(l.pick("Vlastní pole", "Custom fields"));
        for (key, value) in custom {
            doc.text(&format!("{key}: {value}"));
        }
    }
    doc.heading(l.pick("Souhlas s marketingem", "Marketing consent"));
    for consent in [&c.email_consent, &c.sms_consent].into_iter().flatten() {
        doc.text(&format!(
            "{}: {} · {} · {} {}",
            consent.channel,
            if consent.granted {
                l.pick("souhlasí", "given")
            } else {
                l.pick("odvolán", "withdrawn")
            },
            consent.given_at,
            consent.place,
            consent.evidence
        ));
    }
    doc.heading(l.pick("Předpisy", "Prescriptions"));
    for p in &c.prescriptions {
        doc.text(&format!(
            "{} · {} · {} {}",
            p.measured_on,
            p.measured_by,
            l.pick("platí do", "valid until"),
            p.valid_until
        ));
    }
    doc.heading(l.pick("Objednávky", "Orders"));
    for o in &data.orders {
        doc.text(&format!(
            "{} · {} · {} · {}",
            o.number,
            o.status,
            o.created_at,
            fieldcase_shared::Money::from_haler(o.total).format(l)
        ));
        for line in &o.lines {
            doc.text(&format!("    {} × {}", line.quantity, line.text));
        }
        for note in &o.notes {
            doc.text(&format!("    {}: {}", note.author, note.body));
        }
    }
    doc.heading(l.pick("Komunikace", "Communication"));
    for n in &c.history {
        doc.text(&format!("{} · {} · {}: {}", n.at, n.kind, n.author, n.body));
    }
    doc.heading(l.pick("Připomínky", "Reminders"));
    for r in &data.reminders {
        doc.text(&format!("{} · {}", r.planned_for, r.task));
    }
    if let Some(t) = &data.price_terms {
        doc.heading(l.pick("Cenové podmínky", "Price terms"));
        doc.text(&format!(
            "{} {} % · {}",
            l.pick("sleva nejméně", "discount at least"),
            crate::catalog::terms::percent_text(t.min_discount_bp),
            t.tier
        ));
    }
    doc.finish()
}

/// The export's file for `format` (`json` or `pdf`): its name, media type and
/// bytes.
pub fn file(
    data: &PersonalData,
    format: &str,
    l: Lang,
) -> anyhow::Result<(String, &'static str, Vec<u8>)> {
    let name = format!("osobni-udaje-{}", data.customer.id);
    Ok(match format {
        "pdf" => (format!("{name}.pdf"), "application/pdf", pdf(data, l)?),
        _ => (
            format!("{name}.json"),
            "application/json",
            serde_json::to_vec_pretty(data)?,
        ),
    })
}

/// `GET /customers/{id}/personal-data?format=json|pdf`: the office's download, for
/// sessions of the roles that handle customers' requests (office, customer
/// service, admin).
pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/customers/{id}/personal-data",
        axum::routing::get(download),
    )
}

#[derive(Debug, serde::Deserialize)]
struct Params {
    format: Option<String>,
}

async fn download(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(p): axum::extract::Query<Params>,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;

    use crate::customers::export::{attachment, refuse};
    let Some((session, _)) = crate::office::current_session(&state, &headers).await else {
        return axum::response::Redirect::to("/login?next=/office/customers").into_response();
    };
    let lang = session.user.lang;
    if !crate::customers::MARKETERS.contains(&session.user.role) {
        return refuse(
            StatusCode::FORBIDDEN,
            lang,
            "Osobní údaje zákazníka vydává jen kancelář, zákaznický servis a správce.",
            "Only the office, customer service and admins export a customer's personal data.",
        );
    }
    let format = p.format.unwrap_or_else(|| "json".into());
    let (Ok(id), true) = (
        id.parse::<uuid::Uuid>(),
        ["json", "pdf"].contains(&format.as_str()),
    ) else {
        return refuse(
            StatusCode::NOT_FOUND,
            lang,
            "Takový zákazník není.",
            "No such customer.",
        );
    };
    let actor = Actor::user(&session.user);
    let made = match gather(&state, &actor, ClientId::from_uuid(id)).await {
        Ok(Some(data)) => file(&data, &format, lang).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e.into()),
    };
    attachment(
        made.map(|found| found.map(|(name, media, bytes)| (name, media.to_owned(), bytes))),
        lang,
        "personal data export",
        ("Takový zákazník není.", "No such customer."),
    )
}
