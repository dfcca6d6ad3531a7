//! Login and logout: server-rendered, no live connection. The login form carries a
//! double-submit CSRF token (cookie + hidden field); logout needs the session's token.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use fieldcase_shared::Lang;
use serde::Deserialize;
use std::sync::atomic::Ordering;
use time::{Duration, OffsetDateTime};

use super::{cookies, current_session, lang_of, may_use_office, ui};
use crate::auth;
use crate::state::AppState;
use crate::store::NewSession;
use crate::throttle::{ClientAddr, Wait};

/// Largest form body the office accepts.
pub const MAX_FORM_BYTES: usize = 16 * 1024;
const MAX_EMAIL_LEN: usize = 254;

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    #[serde(default)]
    next: String,
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

/// Only same-site office paths are followed after login (no open redirect), and
/// only printable ASCII (a control character cannot go into a `Location` header).
fn safe_next(next: &str) -> &str {
    if next.starts_with("/office")
        && !next.contains("//")
        && !next.contains('\\')
        && next.bytes().all(|b| b.is_ascii_graphic())
    {
        next
    } else {
        "/office"
    }
}

fn secure(state: &AppState) -> bool {
    state.config.public_url().starts_with("https://")
}

fn render(lang: Lang, csrf: &str, next: &str, email: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| {
            format!(
                "<div class=\"alert alert-error\" role=\"alert\">{}</div>",
                ui::escape(e)
            )
        })
        .unwrap_or_default();
    let body = format!(
        r#"<div class="login-card">
  <div class="brand brand-login">field<b>case</b></div>
  <h1>{title}</h1>
  {error}
  <form method="post" action="/login" class="form">
    <input type="hidden" name="csrf" value="{csrf}">
    <input type="hidden" name="next" value="{next}">
    <label class="field"><span>{email_label}</span>
      <input type="email" name="email" autocomplete="username" required maxlength="254" value="{email}" autofocus></label>
    <label class="field"><span>{password_label}</span>
      <input type="password" name="password" autocomplete="current-password" required maxlength="256"></label>
    <button type="submit" class="btn btn-primary btn-block">{submit}</button>
  </form>
  <p class="lang-switch"><a href="/login?lang=cs&amp;next={next}">Česky</a> · <a href="/login?lang=en&amp;next={next}">English</a></p>
</div>"#,
        title = lang.pick("Přihlášení do kanceláře", "Office sign-in"),
        csrf = ui::escape(csrf),
        next = ui::escape(next),
        email = ui::escape(email),
        email_label = lang.pick("E-mail", "E-mail"),
        password_label = lang.pick("Heslo", "Password"),
        submit = lang.pick("Přihlásit se", "Sign in"),
    );
    ui::plain_page(lang, lang.pick("Přihlášení", "Sign in"), &body)
}

/// A fresh login form (with a fresh CSRF cookie).
fn form_response(
    state: &AppState,
    status: StatusCode,
    lang: Lang,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Response {
    let csrf = auth::new_token();
    let cookie = cookies::set(cookies::LOGIN_CSRF, &csrf, 3600, secure(state));
    (
        status,
        [(header::SET_COOKIE, cookie)],
        Html(render(lang, &csrf, safe_next(next), email, error)),
    )
        .into_response()
}

/// The form again with "sign-in is unavailable" (the database failed; details are logged).
fn unavailable(state: &AppState, lang: Lang, next: &str, email: &str) -> Response {
    let msg = lang.pick(
        "Přihlášení je dočasně nedostupné; zkuste to za chvíli.",
        "Sign-in is unavailable right now; try again shortly.",
    );
    form_response(
        state,
        StatusCode::SERVICE_UNAVAILABLE,
        lang,
        next,
        email,
        Some(msg),
    )
}

/// The form again with "too many attempts": the same answer for every account name,
/// known or not, and for a busy address.
fn throttled(state: &AppState, lang: Lang, next: &str, email: &str, wait: Wait) -> Response {
    let minutes = wait.minutes();
    let msg = match lang {
        Lang::Cs => format!(
            "Příliš mnoho neúspěšných pokusů o přihlášení; přihlášení je dočasně zamčeno, zkuste to za {minutes} min."
        ),
        Lang::En => format!(
            "Too many failed sign-ins; signing in is temporarily locked, try again in {minutes} min."
        ),
    };
    let mut response = form_response(
        state,
        StatusCode::TOO_MANY_REQUESTS,
        lang,
        next,
        email,
        Some(&msg),
    );
    if let Ok(v) = wait.seconds().to_string().parse() {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// `GET /login`.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let next = q.next.unwrap_or_default();
    if current_session(&state, &headers).await.is_some() {
        return Redirect::to(safe_next(&next)).into_response();
    }
    match q.lang.as_deref().and_then(Lang::from_code) {
        Some(lang) => {
            let mut response = form_response(&state, StatusCode::OK, lang, &next, "", None);
            if let Ok(v) =
                cookies::set(cookies::LANG, lang.code(), 365 * 86400, secure(&state)).parse()
            {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        None => form_response(
            &state,
            StatusCode::OK,
            lang_of(&headers, None),
            &next,
            "",
            None,
        ),
    }
}

/// `POST /login`.
#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    addr: ClientAddr,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let lang = lang_of(&headers, None);
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => {
            let (status, msg) = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    lang.pick(
                        "Odeslaný formulář je příliš velký.",
                        "The form sent is too large.",
                    ),
                )
            } else {
                (
                    StatusCode::BAD_REQUEST,
                    lang.pick(
                        "Formulář nebyl odeslán celý nebo správně; zkuste to znovu.",
                        "The form was incomplete or malformed; please try again.",
                    ),
                )
            };
            return form_response(&state, status, lang, "", "", Some(msg));
        }
    };
    let cookie_csrf = cookies::get(&headers, cookies::LOGIN_CSRF).unwrap_or_default();
    if cookie_csrf.is_empty() || !auth::constant_time_eq(&cookie_csrf, &form.csrf) {
        let msg = lang.pick(
            "Formulář vypršel; přihlaste se prosím znovu.",
            "The form expired; please sign in again.",
        );
        return form_response(
            &state,
            StatusCode::FORBIDDEN,
            lang,
            &form.next,
            &form.email,
            Some(msg),
        );
    }
    let email = form.email.trim().to_lowercase();
    if email.is_empty()
        || email.len() > MAX_EMAIL_LEN
        || form.password.is_empty()
        || form.password.len() > auth::MAX_PASSWORD_LEN
    {
        let msg = lang.pick(
            "Vyplňte e-mail a heslo (heslo nejvýše 256 znaků).",
            "Enter your e-mail and password (at most 256 characters).",
        );
        return form_response(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            &form.next,
            &email,
            Some(msg),
        );
    }
    let wrong = lang.pick("Nesprávný e-mail nebo heslo.", "Wrong e-mail or password.");
    // One attempt is taken from the account name and the address before the
    // password is checked, and given back only on success: parallel guesses count
    // each, and an unknown name is throttled exactly like a known one.
    let guards = &state.guards;
    let addr = addr.key();
    if let Err(wait) = guards.login_addresses.take(&addr) {
        return throttled(&state, lang, &form.next, &email, wait);
    }
    if let Err(wait) = guards.login_accounts.take(&email) {
        guards.login_addresses.give_back(&addr);
        return throttled(&state, lang, &form.next, &email, wait);
    }
    let give_back = || {
        guards.login_addresses.give_back(&addr);
        guards.login_accounts.give_back(&email);
    };
    let found = match state.store.find_login(&email).await {
        Ok(found) => found,
        Err(err) => {
            tracing::error!(%err, "login: store failed");
            give_back();
            return unavailable(&state, lang, &form.next, &email);
        }
    };
    let password = form.password.clone();
    let phc = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_owned());
    // argon2 is deliberately slow and takes ~19 MiB: a few dedicated threads run it.
    let Some(ok) = guards.verify_password(password, phc).await else {
        tracing::warn!("login: no free hashing thread; answering busy");
        give_back();
        return unavailable(&state, lang, &form.next, &email);
    };
    let user = match found {
        Some((user, _)) if ok => user,
        other => {
            state.metrics.failed_logins.fetch_add(1, Ordering::Relaxed);
            // The audit log notes a known account reaching the limit; the answer is the same.
            if let Some((user, _)) = other {
                if let Err(err) = state.store.record_failed_login(user.id, None).await {
                    tracing::error!(%err, "recording a failed login");
                }
                if guards.login_accounts.used(&email) == state.config.max_failed_logins {
                    let _ = state
                        .store
                        .audit(
                            &crate::store::Actor::system("login"),
                            "user.locked",
                            &user.id.to_string(),
                            &user.email,
                        )
                        .await;
                }
            }
            return form_response(
                &state,
                StatusCode::UNAUTHORIZED,
                lang,
                &form.next,
                &email,
                Some(wrong),
            );
        }
    };
    guards.login_accounts.clear(&email);
    let now = OffsetDateTime::now_utc();
    guards.login_addresses.give_back(&addr);
    let lang = user.lang;
    if !user.active {
        let msg = lang.pick(
            "Tento účet je deaktivovaný; obraťte se na správce.",
            "This account is deactivated; contact an administrator.",
        );
        return form_response(
            &state,
            StatusCode::FORBIDDEN,
            lang,
            &form.next,
            &email,
            Some(msg),
        );
    }
    if !may_use_office(user.role) {
        let msg = lang.pick(
            "Poradci pracují v mobilní aplikaci; kancelář je pro zaměstnance centrály a prodejen.",
            "Advisers work in the phone app; the office is for staff.",
        );
        return form_response(
            &state,
            StatusCode::FORBIDDEN,
            lang,
            &form.next,
            &email,
            Some(msg),
        );
    }
    let token = auth::new_token();
    let session = NewSession {
        token_hash: auth::token_hash(&token),
        user: user.id,
        csrf_token: auth::new_token(),
        created_at: now,
        expires_at: now + Duration::minutes(i64::from(state.config.session_minutes)),
    };
    let stored = async {
        state.store.record_good_login(user.id).await?;
        state.store.create_session(&session).await?;
        state
            .store
            .audit(
                &crate::store::Actor::user(&user),
                "user.login",
                &user.id.to_string(),
                "",
            )
            .await
    };
    if let Err(err) = stored.await {
        tracing::error!(%err, "creating a session");
        return unavailable(&state, lang, &form.next, &email);
    }
    let max_age = i64::from(state.config.session_minutes) * 60;
    let mut response = Redirect::to(safe_next(&form.next)).into_response();
    let h = response.headers_mut();
    for cookie in [
        cookies::set(cookies::SESSION, &token, max_age, secure(&state)),
        cookies::clear(cookies::LOGIN_CSRF),
    ] {
        if let Ok(v) = cookie.parse() {
            h.append(header::SET_COOKIE, v);
        }
    }
    response
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Response {
    let Some((session, hash)) = current_session(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let valid =
        matches!(&form, Ok(Form(f)) if auth::constant_time_eq(&f.csrf, &session.csrf_token));
    if !valid {
        let lang = session.user.lang;
        let body = format!(
            "<p>{}</p><p><a href=\"/office\">←</a></p>",
            lang.pick(
                "Odhlášení se nepodařilo ověřit; zkuste to znovu z aplikace.",
                "The sign-out could not be verified; try again from the app."
            )
        );
        return (
            StatusCode::FORBIDDEN,
            Html(ui::plain_page(lang, "403", &body)),
        )
            .into_response();
    }
    if let Err(err) = state.store.delete_session(&hash).await {
        tracing::error!(%err, "deleting a session");
    }
    let _ = state
        .store
        .audit(
            &crate::store::Actor::user(&session.user),
            "user.logout",
            &session.user.id.to_string(),
            "",
        )
        .await;
    (
        [(header::SET_COOKIE, cookies::clear(cookies::SESSION))],
        Redirect::to("/login"),
    )
        .into_response()
}
