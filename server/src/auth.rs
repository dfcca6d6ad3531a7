//! Passwords (argon2id), random tokens and their hashes, browser sessions.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Longest password accepted: hashing is deliberately slow, so cap its input.
pub const MAX_PASSWORD_LEN: usize = 256;
/// Shortest password a user may set.
pub const MIN_PASSWORD_LEN: usize = 8;

/// Hashes a password into a PHC string (argon2id, random salt).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt =
        SaltString::encode_b64(&random_bytes::<16>()).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Whether `password` matches the stored PHC string; a malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the user does not exist, so a login for an unknown
/// e-mail costs the same time as one for a known e-mail.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

/// `N` bytes from the OS-seeded CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A 256-bit random token, URL-safe base64.
pub fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// SHA-256 in hex: how tokens and codes are stored, so a database leak reveals none.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A one-time enrolment code people can read out and type: 10 characters from an
/// alphabet without look-alikes (no 0/O, 1/I/L), shown as `ABCDE-FGHJK`.
pub fn new_enrolment_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let bytes = random_bytes::<10>();
    let chars: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// The bearer token from `Authorization: Bearer …`, or `?token=` for clients that
/// cannot set headers on a WebSocket (browsers, automerge-repo's JS adapter).
pub fn bearer(
    headers: &axum::http::HeaderMap,
    query: &std::collections::HashMap<String, String>,
) -> Option<String> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .or_else(|| query.get("token").cloned())
        .filter(|t| !t.is_empty() && t.len() <= 256)
}

/// Compares two secrets without leaking where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let hash = hash_password("správné heslo").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("správné heslo", &hash));
        assert!(!verify_password("spravne heslo", &hash));
        assert!(!verify_password("x", "garbage"));
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        assert_ne!(new_token(), new_token());
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn enrolment_codes_are_readable() {
        let code = new_enrolment_code();
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        assert!(
            code.chars()
                .all(|c| c == '-' || (c.is_ascii_alphanumeric() && !"01OIL".contains(c)))
        );
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
