//! Running one office page over its live WebSocket.

use std::sync::atomic::Ordering;

use axum::extract::ws::WebSocket;
use dioxus::prelude::*;
use fieldcase_shared::Lang;

use super::pages::{Page, PageView};
use super::ui::Text;
use crate::http::AppState;
use crate::store::{Actor, Session};

/// What every component of a live page can reach.
#[derive(Clone)]
pub struct Ctx {
    /// The hub.
    pub state: AppState,
    /// The session as it was when the page connected.
    pub session: Session,
    /// Hash of the session token, to re-check the session before each action.
    pub token_hash: String,
    /// The page shown.
    pub page: Page,
}

impl Ctx {
    /// Re-checks on the hub that the session is still live and its user may use
    /// `page`; returns the actor for the store, or a message for the user.
    pub async fn authorize(&self, page: Page) -> Result<Actor, Text> {
        self.authorize_role(page).await.map(|(actor, _)| actor)
    }

    /// Like [`Ctx::authorize`], also returning the user's current role (for rules
    /// that depend on it, such as order status transitions).
    pub async fn authorize_role(
        &self,
        page: Page,
    ) -> Result<(Actor, fieldcase_shared::Role), Text> {
        let now = time::OffsetDateTime::now_utc();
        match self.state.store.get_session(&self.token_hash, now).await {
            Ok(Some(session))
                if page.allowed(session.user.role) && page.may_edit(session.user.role) =>
            {
                Ok((Actor::user(&session.user), session.user.role))
            }
            Ok(Some(_)) => Err(Text::new(
                "K této akci nemáte oprávnění.",
                "You are not allowed to do this.",
            )),
            Ok(None) => Err(Text::new(
                "Vaše přihlášení vypršelo; obnovte stránku a přihlaste se znovu.",
                "Your session has ended; reload the page and sign in again.",
            )),
            Err(err) => Err(super::ui::failed(&err)),
        }
    }
}

#[derive(Clone)]
struct Props {
    ctx: Option<Ctx>,
    lang: Lang,
}

fn root(props: Props) -> Element {
    use_context_provider(|| Signal::new(props.lang));
    match props.ctx {
        Some(ctx) => {
            use_context_provider(|| ctx.clone());
            rsx! { PageView { page: ctx.page } }
        }
        None => {
            let l = props.lang;
            rsx! {
                main { class: "plain-main",
                    div { class: "login-card",
                        h1 { {l.pick("Přihlášení vypršelo", "Your session has ended")} }
                        p { a { href: "/login", {l.pick("Přihlásit se znovu", "Sign in again")} } }
                    }
                }
            }
        }
    }
}

/// Serves one live page until the browser goes away.
pub async fn run(
    state: AppState,
    socket: WebSocket,
    page: Page,
    session: Option<(Session, String)>,
    lang: Lang,
) {
    let ctx = session
        .filter(|(s, _)| page.allowed(s.user.role))
        .map(|(session, token_hash)| Ctx {
            state: state.clone(),
            session,
            token_hash,
            page,
        });
    let metrics = state.metrics.clone();
    metrics.live_sessions.fetch_add(1, Ordering::Relaxed);
    let props = Props { ctx, lang };
    let result = state
        .live
        .launch_virtualdom(dioxus_liveview::axum_socket(socket), move || {
            VirtualDom::new_with_props(root, props)
        })
        .await;
    metrics.live_sessions.fetch_sub(1, Ordering::Relaxed);
    if let Err(err) = result {
        tracing::debug!(?err, "live page closed");
    }
}
