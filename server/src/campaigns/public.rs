//! The unsubscribe link of a campaign's message, no login: `GET /u/{token}`
//! asks (a mail scanner that follows links unsubscribes nobody), `POST
//! /u/{token}` — the page's button, or a mail program's one-click unsubscribe
//! (RFC 8058) — withdraws the customer's consent to the campaign's channel and
//! says so; a second use says it was done already. An unknown token gets a 404.
//! Not indexed, not cached; the page speaks the campaign's language.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use dioxus::prelude::*;
use fieldcase_shared::Lang;

use super::store::LinkOwner;
use crate::care::rules::Channel;
use crate::orders::public::{respond, shell, well_formed};
use crate::state::AppState;

/// The route of the unsubscribe links.
pub fn router() -> Router<AppState> {
    Router::new().route("/u/{token}", get(ask).post(confirm))
}

/// The address shown, half hidden (the link may be forwarded).
fn masked(address: &str) -> String {
    match address.split_once('@') {
        Some((user, domain)) => {
            let first: String = user.chars().take(2).collect();
            format!("{first}…@{domain}")
        }
        None => {
            let digits: Vec<char> = address.chars().collect();
            let tail: String = digits[digits.len().saturating_sub(3)..].iter().collect();
            format!("…{tail}")
        }
    }
}

fn page(status: StatusCode, l: Lang, title: &str, body: Element) -> Response {
    respond(status, shell(l, title, dioxus::ssr::render_element(body)))
}

fn not_found() -> Response {
    let l = Lang::Cs;
    page(
        StatusCode::NOT_FOUND,
        l,
        "404",
        rsx! {
            div { class: "login-card", id: "unsubscribe-not-found",
                h1 { "Odkaz neplatí · This link is not valid" }
                p { "Odkaz pro odhlášení neznáme. Napište nám prosím, odhlásíme vás ručně." }
                p { "We do not know this unsubscribe link. Please write to us and we will unsubscribe you by hand." }
            }
        },
    )
}

fn unavailable() -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        Lang::Cs,
        "503",
        rsx! {
            div { class: "login-card", id: "unsubscribe-unavailable",
                h1 { "Zkuste to prosím za chvíli · Please try again shortly" }
            }
        },
    )
}

async fn owner(state: &AppState, token: &str) -> Result<LinkOwner, Response> {
    if !well_formed(token) {
        return Err(not_found());
    }
    match state.store.link_owner(token).await {
        Ok(Some(o)) => Ok(o),
        Ok(None) => Err(not_found()),
        Err(err) => {
            tracing::error!(%err, "an unsubscribe link");
            Err(unavailable())
        }
    }
}

fn what(o: &LinkOwner) -> &'static str {
    match o.channel {
        Channel::Sms => o.lang.pick("SMS s nabídkami", "offers by text message"),
        _ => o.lang.pick("e-maily s nabídkami", "offers by e-mail"),
    }
}

async fn ask(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let o = match owner(&state, &token).await {
        Ok(o) => o,
        Err(answer) => return answer,
    };
    let l = o.lang;
    let title = l.pick("Odhlášení odběru", "Unsubscribe");
    let address = masked(&o.address);
    page(
        StatusCode::OK,
        l,
        title,
        rsx! {
            div { class: "login-card", id: "unsubscribe",
                h1 { "{title}" }
                if o.unsubscribed {
                    p { id: "unsubscribe-done", {l.pick("Odběr je už odhlášený. Další vám nepošleme.", "You are unsubscribed already. We will send you no more.")} }
                } else {
                    p { {l.pick("Nechcete už dostávat ", "You no longer want ")} {what(&o)} " (" span { id: "unsubscribe-address", "{address}" } ")?" }
                    form { method: "post", action: "/u/{token}",
                        button { r#type: "submit", class: "btn btn-primary", id: "unsubscribe-confirm", {l.pick("Odhlásit odběr", "Unsubscribe")} }
                    }
                }
            }
        },
    )
}

async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let o = match owner(&state, &token).await {
        Ok(o) => o,
        Err(answer) => return answer,
    };
    let l = o.lang;
    let fresh = match state.store.unsubscribe(&token).await {
        Ok(fresh) => fresh,
        Err(crate::store::error::StoreError::NotFound(_)) => return not_found(),
        Err(err) => {
            tracing::error!(%err, "unsubscribing");
            return unavailable();
        }
    };
    let title = l.pick("Odhlášeno", "Unsubscribed");
    page(
        StatusCode::OK,
        l,
        title,
        rsx! {
            div { class: "login-card", id: "unsubscribe",
                h1 { "{title}" }
                p { id: "unsubscribe-done",
                    if fresh {
                        {l.pick("Hotovo: ", "Done: ")} {what(&o)} {l.pick(" vám už posílat nebudeme.", " will not be sent to you any more.")}
                    } else {
                        {l.pick("Odběr je už odhlášený. Další vám nepošleme.", "You are unsubscribed already. We will send you no more.")}
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn addresses_are_half_hidden() {
        assert_eq!(super::masked("jana.nova@example.cz"), "ja…@example.cz");
        assert_eq!(super::masked("+420601234567"), "…567");
    }
}
