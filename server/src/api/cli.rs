//! `fieldcase api-key create | list | revoke`: staff API keys from the command line,
//! through the same service as the office's API keys page.

use anyhow::Context;
use clap::Subcommand;
use fieldcase_shared::Lang;

use crate::api::access;
use crate::api::keys::Scope;
use crate::service::ServiceError;
use crate::store::{Actor, Store};

/// `api-key` subcommands.
#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Make a key for a staff user; prints its secret (shown this once) on stdout.
    Create {
        /// The staff user's e-mail.
        #[arg(long)]
        email: String,
        /// What the key is for, e.g. "e-shop".
        #[arg(long)]
        name: String,
        /// Scopes, comma-separated: orders:read, orders:write, customers:read, customers:write.
        #[arg(long, default_value = "orders:read")]
        scopes: String,
    },
    /// List keys (never their secrets): one user's, or everyone's.
    List {
        /// Only this user's keys.
        #[arg(long)]
        email: Option<String>,
    },
    /// Revoke a key by its id; it stops working at once.
    Revoke {
        /// The key's id (from `api-key list`).
        #[arg(long)]
        id: uuid::Uuid,
    },
}

fn explain(err: ServiceError) -> anyhow::Error {
    match err {
        ServiceError::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| format!("--{}: {}", f.field, f.message(Lang::En)))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        ServiceError::Store(crate::store::StoreError::NotFound(what)) => {
            anyhow::anyhow!("no such {what}")
        }
        other => anyhow::anyhow!("{other}"),
    }
}

async fn user_by_email(store: &dyn Store, email: &str) -> anyhow::Result<crate::store::User> {
    Ok(store
        .find_login(email)
        .await?
        .with_context(|| format!("no user with e-mail {email:?}"))?
        .0)
}

/// Runs one `api-key` subcommand.
pub async fn run(store: &dyn Store, command: ApiKeyCommand) -> anyhow::Result<()> {
    let actor = Actor::system("cli");
    match command {
        ApiKeyCommand::Create {
            email,
            name,
            scopes,
        } => {
            let user = user_by_email(store, &email).await?;
            let scopes =
                Scope::parse_list(&scopes).map_err(|e| anyhow::anyhow!("--scopes: {e}"))?;
            let (key, secret) = access::create(store, &actor, user.id, &name, &scopes)
                .await
                .map_err(explain)?;
            eprintln!(
                "made key {} ({}) for {}: {}; the secret below is shown only now",
                key.id,
                key.name,
                key.user_email,
                Scope::join(&key.scopes)
            );
            println!("{secret}");
        }
        ApiKeyCommand::List { email } => {
            let user = match email {
                Some(email) => Some(user_by_email(store, &email).await?.id),
                None => None,
            };
            for key in store.list_api_keys(user).await? {
                println!(
                    "{}\t{}\t{}\t{}…\t{}\t{}",
                    key.id,
                    key.user_email,
                    key.name,
                    key.prefix,
                    Scope::join(&key.scopes),
                    if key.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "live"
                    }
                );
            }
        }
        ApiKeyCommand::Revoke { id } => {
            let key = access::revoke(store, &actor, None, id)
                .await
                .map_err(explain)?;
            println!("revoked {} ({}) of {}", key.id, key.name, key.user_email);
        }
    }
    Ok(())
}
