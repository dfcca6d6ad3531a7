//! Reading and writing the office's cookies.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The session cookie (a random token; the database keeps only its hash).
pub const SESSION: &str = "fc_session";
/// The pre-login CSRF cookie (double-submit with the login form).
pub const LOGIN_CSRF: &str = "fc_login_csrf";
/// Language chosen before logging in.
pub const LANG: &str = "fc_lang";

/// The value of cookie `name`, if sent.
pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when served over https.
pub fn set(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// A `Set-Cookie` value that deletes the cookie.
pub fn clear(name: &str) -> String {
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_named_cookie() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; fc_session=abc; b=2".parse().unwrap());
        assert_eq!(get(&h, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&h, "zzz"), None);
    }

    #[test]
    fn session_cookie_is_locked_down() {
        let c = set(SESSION, "t", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
    }
}
