//! `fieldcase money shifts | z-report`: the tills' shifts and a shift's Z report
//! as the 80-mm PDF, for accounting's scripts (read as an administrator would).

use anyhow::{Context, bail};
use fieldcase_shared::{Lang, Role};

use super::service::Clerk;
use super::store::ShiftFilter;
use crate::config::Config;
use crate::store::{Actor, Store};

/// The operator at the command line: reads every shop's till.
fn operator() -> Clerk {
    Clerk {
        actor: Actor::system("cli"),
        role: Role::Admin,
        shop: None,
    }
}

/// Shifts, newest first: id, shop, opened, closed, float, expected, counted,
/// difference (CZK), one per line.
pub async fn shifts(
    store: &dyn Store,
    shop: Option<&str>,
    date: Option<&str>,
) -> anyhow::Result<String> {
    let mut filter = ShiftFilter {
        limit: 1000,
        ..ShiftFilter::default()
    };
    if let Some(code) = shop {
        filter.shop = Some(
            super::service::shop_by_code(store, code)
                .await
                .map_err(|e| anyhow::anyhow!(e.text(Lang::En)))?,
        );
    }
    if let Some(date) = date {
        let (from, to) = super::day_bounds(date)
            .with_context(|| format!("--date {date:?} is not YYYY-MM-DD"))?;
        filter.from = Some(from);
        filter.to = Some(to);
    }
    let money =
        |m: Option<fieldcase_shared::Money>| m.map(|m| m.to_decimal_string()).unwrap_or_default();
    let mut out = String::new();
    for s in store.shifts(&filter).await? {
        out += &format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            s.id,
            s.shop_code,
            crate::store::sql::rfc3339(s.opened_at),
            s.closed_at
                .map(crate::store::sql::rfc3339)
                .unwrap_or_default(),
            s.float.to_decimal_string(),
            money(s.expected),
            money(s.counted),
            money(s.difference),
        );
    }
    Ok(out)
}

/// Writes shift `id`'s Z report to `out`.
pub async fn z_report(
    store: &dyn Store,
    config: &Config,
    id: &str,
    out: &std::path::Path,
) -> anyhow::Result<String> {
    let id =
        uuid::Uuid::parse_str(id.trim()).with_context(|| format!("{id:?} is not a shift id"))?;
    let Some((name, bytes)) =
        super::documents::shift_pdf(store, config, &operator(), id, Lang::Cs).await?
    else {
        bail!("no such shift: {id}");
    };
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(format!("{name} → {}\n", out.display()))
}
