//! The network's command line: `fieldcase user add`.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use clap::Subcommand;
use fieldcase_shared::{Lang, Role};

use crate::store::{Actor, Store};

/// `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff user. The password is read from standard input (one line) or
    /// from FIELDCASE_NEW_PASSWORD.
    Add {
        /// Login e-mail.
        #[arg(long)]
        email: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Role: office, store, lab, accounting, customer_service or admin.
        #[arg(long)]
        role: String,
        /// Shop code for the store role (e.g. PHA1).
        #[arg(long)]
        shop: Option<String>,
    },
}

/// `fieldcase user add`: the office's Users page rules (one service), the password
/// from FIELDCASE_NEW_PASSWORD or one line of standard input.
pub async fn add_user(
    store: &dyn Store,
    email: &str,
    name: &str,
    role: &str,
    shop: Option<&str>,
) -> anyhow::Result<()> {
    if role.parse::<Role>()? == Role::Adviser {
        bail!("advisers are created in the office (Advisers page), not with `user add`");
    }
    let shop = match shop {
        None => None,
        Some(code) => {
            let shops = store.list_shops().await?;
            let found = shops.iter().find(|s| s.code.eq_ignore_ascii_case(code));
            Some(
                found
                    .with_context(|| format!("no shop with code {code:?}"))?
                    .id,
            )
        }
    };
    let password = match std::env::var("FIELDCASE_NEW_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            if std::io::stdin().is_terminal() {
                eprint!("password for {email}: ");
            }
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\n', '\r']).to_owned()
        }
    };
    let input = crate::network::staff::NewStaff {
        email: email.to_owned(),
        name: name.to_owned(),
        role: role.to_owned(),
        shop,
        password,
        lang: Lang::Cs,
    };
    // The same rules as the office's Users page: one service.
    let user = crate::network::staff::create(store, &Actor::system("cli"), input)
        .await
        .map_err(|err| match err {
            crate::service::ServiceError::Invalid(fields) => anyhow::anyhow!(
                "{}",
                fields
                    .iter()
                    .map(|f| match &f.problem {
                        fieldcase_shared::Problem::NotAllowed(why)
                            if why == fieldcase_shared::validate::reason::EMAIL_TAKEN =>
                        {
                            format!("a user with e-mail {email} already exists")
                        }
                        _ => format!("--{}: {}", f.field, f.message(Lang::En)),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => other.into(),
        })?;
    println!("created {} ({}) {}", user.email, user.role.code(), user.id);
    Ok(())
}
