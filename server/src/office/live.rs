//! Running one office page over its live WebSocket.

use std::sync::atomic::Ordering;

use axum::extract::ws::WebSocket;
use dioxus::dioxus_core::{DynamicNode, VComponent};
use dioxus::prelude::*;
use fieldcase_shared::Lang;

use super::page::PageSpec;
use super::ui::{Frame, Text};
use crate::state::AppState;
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
    pub page: &'static PageSpec,
    /// Every page, in navigation order (the shell's list, for the navigation).
    pub pages: &'static [PageSpec],
    /// The page's argument, from `/office/{page}/{arg}` (e.g. an order's id).
    pub arg: Option<String>,
}

impl Ctx {
    /// Re-checks on the hub that the session is still live and its user may use
    /// `page`; returns the actor for the store, or a message for the user.
    pub async fn authorize(&self, page: &PageSpec) -> Result<Actor, Text> {
        self.authorize_role(page).await.map(|(actor, _)| actor)
    }

    /// Like [`Ctx::authorize`], also returning the user's current role (for rules
    /// that depend on it, such as order status transitions).
    pub async fn authorize_role(
        &self,
        page: &PageSpec,
    ) -> Result<(Actor, fieldcase_shared::Role), Text> {
        self.authorize_user(page)
            .await
            .map(|user| (Actor::user(&user), user.role))
    }

    /// Like [`Ctx::authorize`], returning the user as they are now (their role and
    /// shop, for rules that depend on them).
    pub async fn authorize_user(&self, page: &PageSpec) -> Result<crate::store::User, Text> {
        self.live_user(page, true).await
    }

    /// Re-checks that the session is live and its user may still open `page`
    /// (not edit it): for steps whose service checks the role itself, such as a
    /// team marking its complaint task done. Returns the actor and role.
    pub async fn authorize_step(
        &self,
        page: &PageSpec,
    ) -> Result<(Actor, fieldcase_shared::Role), Text> {
        self.live_user(page, false)
            .await
            .map(|user| (Actor::user(&user), user.role))
    }

    async fn live_user(&self, page: &PageSpec, edit: bool) -> Result<crate::store::User, Text> {
        let now = time::OffsetDateTime::now_utc();
        match self.state.store.get_session(&self.token_hash, now).await {
            Ok(Some(session))
                if page.may_open(session.user.role)
                    && (!edit || page.may_edit(session.user.role)) =>
            {
                Ok(session.user)
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
    /// Turns true when the gate finds the session or the role gone.
    ended: tokio::sync::watch::Receiver<bool>,
}

fn root(props: Props) -> Element {
    use_context_provider(|| Signal::new(props.lang));
    let mut ended = use_signal(|| false);
    let watch = props.ended.clone();
    use_future(move || {
        let mut watch = watch.clone();
        async move {
            while watch.changed().await.is_ok() {
                if *watch.borrow() {
                    ended.set(true);
                }
            }
        }
    });
    // Whether there is a context never changes for a page: the hook order holds.
    if let Some(ctx) = &props.ctx {
        use_context_provider(|| ctx.clone());
    }
    match props.ctx {
        Some(ctx) if !ended() => {
            // The page's component from its spec: what `Frame { Orders {} }` would
            // draw, without the shell naming any page.
            let page = VComponent::new(ctx.page.component, (), ctx.page.slug);
            rsx! { Frame { {DynamicNode::Component(page)} } }
        }
        _ => {
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

/// Whether the session behind `token_hash` is still live and its user (with their
/// current role) may still use `page`.
async fn still_allowed(state: &AppState, token_hash: &str, page: &PageSpec) -> bool {
    let now = time::OffsetDateTime::now_utc();
    match state.store.get_session(token_hash, now).await {
        Ok(Some(session)) => page.may_open(session.user.role),
        Ok(None) => false,
        Err(err) => {
            tracing::warn!(%err, "live page: session check failed; closing the page");
            false
        }
    }
}

/// The page's socket with a gate on the way in: before the page sees a message
/// from the browser (a click, a keystroke in a search, the glue's ping every 30 s),
/// the session and the role are checked again. When either has ended, the message
/// is dropped and `ended` turns the page into "session ended": logout in another
/// tab, a deactivated or demoted user and an expired session stop an open page.
fn gated(
    socket: WebSocket,
    state: AppState,
    page: &'static PageSpec,
    token_hash: String,
    ended: tokio::sync::watch::Sender<bool>,
) -> impl dioxus_liveview::LiveViewSocket {
    use futures::StreamExt;
    let (sink, stream) = dioxus_liveview::axum_socket(socket).split();
    let ended = std::sync::Arc::new(ended);
    let stream = stream.filter_map(move |item| {
        let (state, token_hash, ended) = (state.clone(), token_hash.clone(), ended.clone());
        async move {
            match &item {
                // Empty frames only acknowledge drawn edits.
                Ok(bytes) if !bytes.is_empty() => {
                    if *ended.borrow() || !still_allowed(&state, &token_hash, page).await {
                        ended.send_replace(true);
                        return None;
                    }
                    Some(item)
                }
                _ => Some(item),
            }
        }
    });
    Gated {
        sink,
        stream: Box::pin(stream),
    }
}

/// A sink and a stream as one socket.
struct Gated<Si, St> {
    sink: Si,
    stream: std::pin::Pin<Box<St>>,
}

impl<Si, St> futures::Sink<Vec<u8>> for Gated<Si, St>
where
    Si: futures::Sink<Vec<u8>, Error = dioxus_liveview::LiveViewError> + Unpin,
{
    type Error = dioxus_liveview::LiveViewError;

    fn poll_ready(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::pin::Pin::new(&mut self.get_mut().sink).poll_ready(cx)
    }

    fn start_send(self: std::pin::Pin<&mut Self>, item: Vec<u8>) -> Result<(), Self::Error> {
        std::pin::Pin::new(&mut self.get_mut().sink).start_send(item)
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::pin::Pin::new(&mut self.get_mut().sink).poll_flush(cx)
    }

    fn poll_close(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::pin::Pin::new(&mut self.get_mut().sink).poll_close(cx)
    }
}

impl<Si: Unpin, St: futures::Stream> futures::Stream for Gated<Si, St> {
    type Item = St::Item;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.get_mut().stream.as_mut().poll_next(cx)
    }
}

/// Serves one live page (`page`, one of `pages`) until the browser goes away.
pub async fn run(
    state: AppState,
    socket: WebSocket,
    page: &'static PageSpec,
    pages: &'static [PageSpec],
    session: Option<(Session, String)>,
    lang: Lang,
    arg: Option<String>,
) {
    let ctx = session
        .filter(|(s, _)| page.may_open(s.user.role))
        .map(|(session, token_hash)| Ctx {
            state: state.clone(),
            session,
            token_hash,
            page,
            pages,
            arg,
        });
    let metrics = state.metrics.clone();
    metrics.live_sessions.fetch_add(1, Ordering::Relaxed);
    let gate = ctx.as_ref().map(|c| c.token_hash.clone());
    let (ended_tx, ended) = tokio::sync::watch::channel(false);
    let props = Props { ctx, lang, ended };
    let app = move || VirtualDom::new_with_props(root, props);
    let result = match gate {
        Some(token_hash) => {
            let socket = gated(socket, state.clone(), page, token_hash, ended_tx);
            state.live.launch_virtualdom(socket, app).await
        }
        // The "session ended" page shows nothing to guard.
        None => {
            state
                .live
                .launch_virtualdom(dioxus_liveview::axum_socket(socket), app)
                .await
        }
    };
    metrics.live_sessions.fetch_sub(1, Ordering::Relaxed);
    if let Err(err) = result {
        tracing::debug!(?err, "live page closed");
    }
}
