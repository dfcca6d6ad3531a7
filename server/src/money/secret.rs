//! Secrets at rest (the banks' API tokens): sealed with ChaCha20-Poly1305 under the
//! hub's secret key, which is never in the database. The key is 32 bytes written as
//! 64 hex digits, taken from `FIELDCASE_SECRET_KEY` or else from the key file
//! (`secret_key_file`, by default `{data_dir}/secret.key`; made with a random key,
//! readable by its owner only, the first time the hub needs it). A sealed value is
//! the 12-byte nonce followed by the ciphertext; the record's id is the associated
//! data, so a sealed token copied onto another account does not open.

use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use zeroize::Zeroizing;

/// The environment variable that carries the key (64 hex digits).
pub const KEY_VARIABLE: &str = "FIELDCASE_SECRET_KEY";

const NONCE: usize = 12;

/// Why the key or a sealed value cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The key given is not 64 hex digits.
    #[error("the secret key ({0}) is not 64 hexadecimal digits")]
    BadKey(String),
    /// The key file cannot be read or written.
    #[error("the secret key file {path}: {error}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        error: String,
    },
    /// The value was sealed under another key, or altered.
    #[error("a stored secret does not open with this hub's secret key (was the key changed?)")]
    WrongKey,
}

/// The hub's secret key.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl SecretKey {
    /// From 64 hex digits.
    pub fn from_hex(text: &str, source: &str) -> Result<SecretKey, SecretError> {
        let mut key = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text.trim(), key.as_mut_slice())
            .map_err(|_| SecretError::BadKey(source.to_owned()))?;
        Ok(SecretKey(key))
    }

    /// A new random key.
    pub fn random() -> SecretKey {
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(
            ChaCha20Poly1305::generate_key(&mut chacha20poly1305::aead::OsRng).as_slice(),
        );
        SecretKey(key)
    }

    /// The key from `FIELDCASE_SECRET_KEY`, else from `file` (created with a
    /// random key when missing).
    pub fn load(file: &Path) -> Result<SecretKey, SecretError> {
        if let Ok(text) = std::env::var(KEY_VARIABLE)
            && !text.trim().is_empty()
        {
            return SecretKey::from_hex(&text, KEY_VARIABLE);
        }
        let fail = |error: std::io::Error| SecretError::File {
            path: file.to_owned(),
            error: error.to_string(),
        };
        match std::fs::read_to_string(file) {
            Ok(text) => SecretKey::from_hex(&text, &file.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::random();
                if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(fail)?;
                }
                write_private(file, &Zeroizing::new(hex::encode(key.0.as_slice())))
                    .map_err(fail)?;
                tracing::info!(file = %file.display(), "made a new secret key for the banks' tokens; back it up with the database");
                Ok(key)
            }
            Err(e) => Err(fail(e)),
        }
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(Key::from_slice(self.0.as_slice()))
    }

    /// `plain` sealed for the record `id`.
    pub fn seal(&self, id: &[u8], plain: &[u8]) -> Vec<u8> {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut chacha20poly1305::aead::OsRng);
        let mut out = nonce.to_vec();
        // Encryption fails only for messages of gigabytes.
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: id,
                },
            )
            .unwrap_or_default();
        out.extend(sealed);
        out
    }

    /// What [`SecretKey::seal`] sealed for `id`.
    pub fn open(&self, id: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, SecretError> {
        if sealed.len() <= NONCE {
            return Err(SecretError::WrongKey);
        }
        let (nonce, text) = sealed.split_at(NONCE);
        self.cipher()
            .decrypt(Nonce::from_slice(nonce), Payload { msg: text, aad: id })
            .map(Zeroizing::new)
            .map_err(|_| SecretError::WrongKey)
    }
}

#[cfg(unix)]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(file, text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sealed_opens_only_with_its_key_and_record() {
        let key = SecretKey::random();
        let sealed = key.seal(b"account-1", b"token-text");
        assert!(!sealed.windows(10).any(|w| w == b"token-text"));
        assert_eq!(
            key.open(b"account-1", &sealed).unwrap().as_slice(),
            b"token-text"
        );
        assert!(matches!(
            key.open(b"account-2", &sealed),
            Err(SecretError::WrongKey)
        ));
        assert!(matches!(
            SecretKey::random().open(b"account-1", &sealed),
            Err(SecretError::WrongKey)
        ));
        assert!(matches!(
            key.open(b"account-1", &sealed[..5]),
            Err(SecretError::WrongKey)
        ));
    }

    #[test]
    fn a_key_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keys").join("secret.key");
        let first = SecretKey::load(&file).unwrap();
        let again = SecretKey::load(&file).unwrap();
        let sealed = first.seal(b"a", b"t");
        assert_eq!(again.open(b"a", &sealed).unwrap().as_slice(), b"t");
        std::fs::write(&file, "not hex").unwrap();
        assert!(matches!(
            SecretKey::load(&file),
            Err(SecretError::BadKey(_))
        ));
    }
}
