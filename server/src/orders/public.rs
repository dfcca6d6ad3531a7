//! The order's public page, `/o/{token}`: no login, server-rendered, for the client
//! who got the link. It shows the status timeline, the items, the notes for the
//! customer, the tracking link and what is left to pay with its QR payment code;
//! of personal data only the first name and the town; and the order's complaints
//! with the form to open one (`POST /o/{token}/complaint`, multipart: the items,
//! the reason, photos; `complaints/public.rs` draws it, `complaints.rs` checks and
//! opens it). Not indexed, not cached; an unknown, malformed or revoked token gets
//! the same 404.

use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use dioxus::prelude::*;
use fieldcase_shared::order::notes::NoteKind;
use fieldcase_shared::spayd::Spayd;
use fieldcase_shared::{Lang, Money, OrderStatus, Role};
use time::OffsetDateTime;

use crate::complaints::public::{Draft, section as complaints_section};
use crate::complaints::rules::{MAX_PHOTO_BYTES, MAX_PHOTOS};
use crate::complaints::store::{ComplaintFilter, ComplaintRow};
use crate::complaints::{About, ComplaintError, Opener, Upload};
use crate::office::ui::datetime;
use crate::orders::store::OrderCard;
use crate::state::AppState;

/// Routes of the public order pages.
pub fn router() -> Router<AppState> {
    Router::new().route("/o/{token}", get(page)).route(
        "/o/{token}/complaint",
        post(complain).layer(axum::extract::DefaultBodyLimit::max(COMPLAINT_BODY_MAX)),
    )
}

/// The largest complaint form taken: six photos of 8 MB and the text.
const COMPLAINT_BODY_MAX: usize = MAX_PHOTOS * MAX_PHOTO_BYTES + 256 * 1024;

/// What the page shows beside the order: a complaint just sent, or a refused form.
#[derive(Debug, Default, serde::Deserialize)]
struct Shown {
    /// The number of a complaint just opened.
    #[serde(default)]
    reklamace: Option<String>,
}

/// Whether `token` can be one the hub issued (256-bit URL-safe base64).
pub(crate) fn well_formed(token: &str) -> bool {
    (20..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(shown): Query<Shown>,
) -> Response {
    let lang = crate::office::lang_of(&headers, None);
    let sent = shown
        .reklamace
        .filter(|n| n.len() <= 40 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    answer(&state, &token, lang, None, sent.as_deref()).await
}

/// The page for `token`, with a refused complaint form or a complaint just sent.
async fn answer(
    state: &AppState,
    token: &str,
    lang: Lang,
    draft: Option<&Draft>,
    sent: Option<&str>,
) -> Response {
    let card = if well_formed(token) {
        match state.store.order_by_link(token).await {
            // Read as the customer may see it: no private notes.
            Ok(Some(id)) => state.store.order_card(id, Role::Store).await,
            Ok(None) => Ok(None),
            Err(err) => Err(err),
        }
    } else {
        Ok(None)
    };
    let complaints = match &card {
        Ok(Some(card)) => {
            let filter = ComplaintFilter {
                order: Some(card.id),
                ..ComplaintFilter::default()
            };
            state.store.complaints(filter, 50).await
        }
        _ => Ok(Vec::new()),
    };
    let card = card.and_then(|c| complaints.map(|list| c.map(|c| (c, list))));
    let (status, html) = match card {
        Ok(Some((card, complaints))) => {
            let status = if draft.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            let part = Complaints {
                token,
                list: &complaints,
                draft,
                sent,
            };
            (status, render(state, &card, &part, lang))
        }
        Ok(None) => (StatusCode::NOT_FOUND, not_found(lang)),
        Err(err) => {
            tracing::error!(%err, "public order page");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                shell(
                    lang,
                    "fieldcase",
                    dioxus::ssr::render_element(rsx! {
                        p { {lang.pick("Stránku teď nelze zobrazit; zkuste to za chvíli.", "The page cannot be shown now; try again shortly.")} }
                    }),
                ),
            )
        }
    };
    respond(status, html)
}

/// A public page's answer: not cached, no referrer, not indexed.
pub(crate) fn respond(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
            (
                header::HeaderName::from_static("x-robots-tag"),
                "noindex, nofollow",
            ),
        ],
        Html(html),
    )
        .into_response()
}

/// A public page: the head (not indexed) and `body`.
pub(crate) fn shell(lang: Lang, title: &str, body: String) -> String {
    let head = dioxus::ssr::render_element(rsx! {
        meta { charset: "utf-8" }
        meta { name: "viewport", content: "width=device-width, initial-scale=1" }
        meta { name: "robots", content: "noindex, nofollow" }
        title { "{title}" }
        link { rel: "stylesheet", href: "/assets/office.css" }
    });
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head>{head}</head><body class=\"plain\"><main class=\"public-main\">{body}</main></body></html>",
        lang.code()
    )
}

fn not_found(lang: Lang) -> String {
    shell(
        lang,
        "404",
        dioxus::ssr::render_element(rsx! {
            div { class: "login-card", id: "public-not-found",
                h1 { {lang.pick("Stránka nenalezena", "Page not found")} }
                p { {lang.pick("Odkaz neplatí. Požádejte prosím svého poradce o nový.", "This link is not valid. Please ask your adviser for a new one.")} }
            }
        }),
    )
}

/// The QR payment code for what is left to pay, as SVG (none without a payee
/// account or with nothing to pay).
fn qr_svg(state: &AppState, card: &OrderCard) -> Option<String> {
    let to_pay = card.to_pay();
    if !state.config.has_payee() || to_pay <= Money::ZERO {
        return None;
    }
    let text = Spayd {
        iban: state.config.payee_iban.clone(),
        amount: to_pay,
        variable_symbol: card.variable_symbol.clone(),
        recipient: state.config.payee_name.clone(),
        message: format!("Objednavka {}", card.variable_symbol),
    }
    .text()
    .ok()?;
    crate::office::ui::qr_svg(&text, 220)
}

/// The statuses the order went through, with when.
fn timeline(card: &OrderCard) -> Vec<(OffsetDateTime, OrderStatus)> {
    let mut out = card.status_steps();
    if out.is_empty() {
        out.push((card.created_at, card.status));
    }
    out
}

/// The complaints part of the page.
struct Complaints<'a> {
    token: &'a str,
    list: &'a [ComplaintRow],
    draft: Option<&'a Draft>,
    sent: Option<&'a str>,
}

/// The customer's complaint form: its parts read, the complaint opened, and the
/// page again (a 303 to it with the new number; a refusal shows the form filled in).
async fn complain(
    State(state): State<AppState>,
    headers: HeaderMap,
    addr: crate::throttle::ClientAddr,
    Path(token): Path<String>,
    multipart: Multipart,
) -> Response {
    let lang = crate::office::lang_of(&headers, None);
    if let Err(wait) = state.guards.public_forms.take(&addr.key()) {
        let draft = Draft {
            error: format!(
                "{} {} min.",
                lang.pick(
                    "Příliš mnoho odeslaných formulářů; zkuste to znovu za",
                    "Too many forms sent; try again in"
                ),
                wait.minutes()
            ),
            ..Draft::default()
        };
        let mut answer = answer(&state, &token, lang, Some(&draft), None).await;
        *answer.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return answer;
    }
    let order = if well_formed(&token) {
        state.store.order_by_link(&token).await
    } else {
        Ok(None)
    };
    let order = match order {
        Ok(Some(order)) => order,
        Ok(None) => return answer(&state, &token, lang, None, None).await,
        Err(err) => {
            tracing::error!(%err, "a customer's complaint: the order");
            return answer(&state, &token, lang, None, None).await;
        }
    };
    let (mut draft, uploads) = match read_complaint(multipart).await {
        Ok(read) => read,
        Err(draft) => {
            let draft = Draft {
                error: lang
                    .pick(
                        "Soubory jsou dohromady příliš velké (nejvýš 6 fotek po 8 MB); zkuste menší.",
                        "The files are too big together (at most 6 photos of 8 MB); try smaller ones.",
                    )
                    .to_owned(),
                ..draft
            };
            return answer(&state, &token, lang, Some(&draft), None).await;
        }
    };
    let customer = crate::store::Actor {
        user: None,
        label: "zákazník".into(),
        via: crate::store::Via::Hub,
    };
    match crate::complaints::open(
        state.store.as_ref(),
        &state.blobs(),
        &customer,
        Opener::Customer,
        About {
            order,
            lines: &draft.items,
            reason: &draft.reason,
            photos: &uploads,
        },
    )
    .await
    {
        Ok((_, number)) => {
            crate::complaints::follow_up(&state, &customer, order, None).await;
            Redirect::to(&format!("/o/{token}?reklamace={number}#complaints")).into_response()
        }
        Err(err) => {
            if matches!(err, ComplaintError::Store(_) | ComplaintError::Blob(_)) {
                tracing::error!(%err, "a customer's complaint");
            }
            draft.error = err.text(lang);
            answer(&state, &token, lang, Some(&draft), None).await
        }
    }
}

/// The form's fields and files; what was read so far when the body is too big.
async fn read_complaint(mut multipart: Multipart) -> Result<(Draft, Vec<Upload>), Draft> {
    let mut draft = Draft::default();
    let mut uploads = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok((draft, uploads)),
            Err(_) => return Err(draft),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file = field.file_name().map(str::to_owned);
        let Ok(bytes) = field.bytes().await else {
            return Err(draft);
        };
        match name.as_str() {
            "reason" => draft.reason = String::from_utf8_lossy(&bytes).into_owned(),
            "item" => {
                if let Ok(id) = String::from_utf8_lossy(&bytes).trim().parse() {
                    draft.items.push(id);
                }
            }
            // A file input left empty still sends a part with no name and no bytes.
            "photo" if !bytes.is_empty() => uploads.push(Upload {
                name: file.unwrap_or_default(),
                bytes: bytes.to_vec(),
            }),
            _ => {}
        }
    }
}

fn render(state: &AppState, card: &OrderCard, part: &Complaints<'_>, l: Lang) -> String {
    let title = format!("{} {}", l.pick("Objednávka", "Order"), card.variable_symbol);
    let tracking = card
        .delivery
        .carrier
        .map(|c| (c, state.config.tracking_url(c, &card.delivery.number)));
    let qr = qr_svg(state, card);
    let notes: Vec<_> = card
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Customer)
        .collect();
    let steps = timeline(card);
    let lines: Vec<(uuid::Uuid, String)> = card
        .lines
        .iter()
        .map(|l| (l.id.as_uuid(), l.text.clone()))
        .collect();
    let c = card;
    let body = dioxus::ssr::render_element(rsx! {
        div { class: "public-card", id: "public-order",
            h1 { "{title}" }
            p { class: "muted",
                {l.pick("Dobrý den", "Hello")} ", " span { id: "public-name", "{c.client.first_name}" }
                if !c.client.city.is_empty() { " · " span { id: "public-town", "{c.client.city}" } }
            }
            p { {l.pick("Stav: ", "Status: ")} span { class: "status status-{c.status.code()}", id: "public-status", "{c.status.label(l)}" } }
            h2 { {l.pick("Průběh", "Progress")} }
            ol { class: "timeline", id: "public-timeline",
                for (i, (at, s)) in steps.iter().enumerate() {
                    li { key: "{i}", span { class: "strong", "{s.label(l)}" } " " span { class: "muted small", "{datetime(*at)}" } }
                }
            }
            h2 { {l.pick("Položky", "Items")} }
            table { class: "table", id: "public-items",
                tbody {
                    for line in c.lines.iter() {
                        tr { key: "{line.id}",
                            td { "{line.text}" }
                            td { class: "num", "{line.quantity}×" }
                        }
                    }
                    tr { class: "strong", td { {l.pick("Celkem", "Total")} } td { class: "num", {c.total.format(l)} } }
                }
            }
            if !notes.is_empty() {
                h2 { {l.pick("Vzkaz pro vás", "A note for you")} }
                for (i, n) in notes.iter().enumerate() {
                    p { key: "{i}", class: "note-body public-note", "{n.body}" }
                }
            }
            if let Some((carrier, url)) = &tracking {
                h2 { {l.pick("Doprava", "Delivery")} }
                p {
                    "{carrier.label(l)}"
                    if !url.is_empty() {
                        " · "
                        a { id: "public-tracking", href: "{url}", rel: "noopener noreferrer", target: "_blank", {l.pick("Sledovat zásilku", "Track the parcel")} }
                    }
                }
            }
            h2 { {l.pick("Zbývá zaplatit", "Left to pay")} }
            p { class: "stat-value", id: "public-to-pay", {c.to_pay().format(l)} }
            if let Some(svg) = qr {
                p { class: "muted small", {l.pick("Naskenujte v bankovní aplikaci (QR Platba), variabilní symbol ", "Scan in your banking app (QR payment), variable symbol ")} "{c.variable_symbol}" }
                div { class: "qr", id: "public-qr", dangerous_inner_html: "{svg}" }
            }
            if crate::complaints::rules::may_complain(c.status) || !part.list.is_empty() {
                {complaints_section(part.token, &lines, part.list, part.draft, part.sent, l)}
            }
        }
    });
    shell(l, &title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_issued_shapes_are_looked_up() {
        assert!(well_formed(&crate::auth::new_token()));
        for bad in [
            "",
            "abc",
            "../../etc",
            &"a".repeat(65),
            "a b c d e f g h i j k l m n",
        ] {
            assert!(!well_formed(bad), "{bad:?}");
        }
    }
}
