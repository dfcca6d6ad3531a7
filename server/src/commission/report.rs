//! The commission report: commission (accruals, reversals and adjustments) against
//! turnover (the totals of orders taken, cancelled ones left out), per month in
//! Prague and per adviser, per store or for the whole network. Pure: the store
//! sums per hour (`store/statement.rs`), this groups the hours into months.

use std::collections::BTreeMap;

use fieldcase_shared::Lang;
use fieldcase_shared::statement::Month;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::commission::store::statement::{ReportCell, ReportData};

/// What a row of the report stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// One row per month and adviser.
    #[default]
    Adviser,
    /// One row per month and store.
    Store,
    /// One row per month.
    Month,
}

impl By {
    /// Reads `adviser`, `store` or `month`.
    pub fn parse(text: &str) -> Option<By> {
        match text.trim() {
            "adviser" => Some(By::Adviser),
            "store" => Some(By::Store),
            "month" => Some(By::Month),
            _ => None,
        }
    }

    /// Its code.
    pub fn code(self) -> &'static str {
        match self {
            By::Adviser => "adviser",
            By::Store => "store",
            By::Month => "month",
        }
    }

    /// Its name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            By::Adviser => lang.pick("po poradcích", "by adviser"),
            By::Store => lang.pick("po prodejnách", "by store"),
            By::Month => lang.pick("po měsících", "by month"),
        }
    }
}

/// One row: a month and what it groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub month: Month,
    /// The adviser's or store's code; empty for a month's row.
    pub code: String,
    /// The adviser's or store's name.
    pub name: String,
    /// Haléře.
    pub commission: i64,
    /// Haléře.
    pub turnover: i64,
}

impl Row {
    /// Commission as a share of turnover, in basis points (none without turnover).
    pub fn cost_bp(&self) -> Option<i64> {
        cost_bp(self.commission, self.turnover)
    }

    /// The share as people read it: `4,25 %` / `4.25 %`, or `–`.
    pub fn cost_text(&self, lang: Lang) -> String {
        cost_text(self.commission, self.turnover, lang)
    }
}

/// `commission` as a share of `turnover` (haléře), in basis points (none
/// without turnover).
pub fn cost_bp(commission: i64, turnover: i64) -> Option<i64> {
    (turnover > 0).then(|| {
        let bp = i128::from(commission) * 10_000 / i128::from(turnover);
        i64::try_from(bp).unwrap_or(i64::MAX)
    })
}

/// The share as people read it: `4,25 %` / `4.25 %`, or `–`.
pub fn cost_text(commission: i64, turnover: i64, lang: Lang) -> String {
    match cost_bp(commission, turnover) {
        None => "–".into(),
        Some(bp) => {
            let sep = lang.pick(",", ".");
            let sign = if bp < 0 { "-" } else { "" };
            format!("{sign}{}{sep}{:02} %", bp.abs() / 100, bp.abs() % 100)
        }
    }
}

/// The months `from`–`to` (`YYYY-MM`) as a span of at most 36 months, or the
/// field at fault and why.
pub fn span(from: &str, to: &str) -> Result<(Month, Month), (&'static str, &'static str)> {
    let a = Month::parse(from).ok_or(("from", "a month is written YYYY-MM"))?;
    let b = Month::parse(to).ok_or(("to", "a month is written YYYY-MM"))?;
    if b < a {
        return Err(("to", "the last month is before the first"));
    }
    let months =
        (b.year - a.year) * 12 + i32::from(u8::from(b.month)) - i32::from(u8::from(a.month));
    if months >= 36 {
        return Err(("to", "a report spans at most 36 months"));
    }
    Ok((a, b))
}

/// The report's rows, by month, then code.
pub fn rows(data: &ReportData, by: By) -> Vec<Row> {
    let key = |c: &ReportCell| -> (Month, String, String) {
        let month = Month::of(c.hour);
        match by {
            By::Adviser => (month, c.adviser_code.clone(), c.adviser_name.clone()),
            By::Store => (month, c.shop_code.clone(), c.shop_name.clone()),
            By::Month => (month, String::new(), String::new()),
        }
    };
    let mut out: BTreeMap<(Month, String), Row> = BTreeMap::new();
    let mut add = |c: &ReportCell, commission: bool| {
        let (month, code, name) = key(c);
        let row = out.entry((month, code.clone())).or_insert_with(|| Row {
            month,
            code,
            name,
            commission: 0,
            turnover: 0,
        });
        if commission {
            row.commission += c.amount;
        } else {
            row.turnover += c.amount;
        }
    };
    for c in &data.commission {
        add(c, true);
    }
    for c in &data.turnover {
        add(c, false);
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn cell(hour: time::OffsetDateTime, adviser: &str, shop: &str, amount: i64) -> ReportCell {
        ReportCell {
            hour,
            adviser_code: adviser.into(),
            adviser_name: format!("Name {adviser}"),
            shop_code: shop.into(),
            shop_name: format!("Shop {shop}"),
            amount,
        }
    }

    #[test]
    fn hours_make_prague_months_and_shares() {
        let data = ReportData {
            commission: vec![
                cell(datetime!(2026-10-31 22:00 UTC), "P1", "BRN", 1_000),
                // 23:00 UTC on 31 October is November in Prague.
                cell(datetime!(2026-10-31 23:00 UTC), "P1", "BRN", 500),
                cell(datetime!(2026-11-10 10:00 UTC), "P2", "PRG", 700),
            ],
            turnover: vec![
                cell(datetime!(2026-10-05 10:00 UTC), "P1", "BRN", 20_000),
                cell(datetime!(2026-11-05 10:00 UTC), "P1", "BRN", 10_000),
                cell(datetime!(2026-11-06 10:00 UTC), "P2", "PRG", 0),
            ],
        };
        let by_adviser = rows(&data, By::Adviser);
        let seen: Vec<(String, &str, i64, i64)> = by_adviser
            .iter()
            .map(|r| {
                (
                    r.month.to_string(),
                    r.code.as_str(),
                    r.commission,
                    r.turnover,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("2026-10".into(), "P1", 1_000, 20_000),
                ("2026-11".into(), "P1", 500, 10_000),
                ("2026-11".into(), "P2", 700, 0),
            ]
        );
        assert_eq!(by_adviser[0].cost_text(Lang::Cs), "5,00 %");
        assert_eq!(by_adviser[2].cost_text(Lang::En), "–");
        let by_month = rows(&data, By::Month);
        assert_eq!(by_month.len(), 2);
        assert_eq!(
            (by_month[1].commission, by_month[1].turnover),
            (1_200, 10_000)
        );
        assert_eq!(by_month[1].cost_bp(), Some(1_200));
        let by_store = rows(&data, By::Store);
        assert_eq!(by_store.iter().filter(|r| r.code == "PRG").count(), 1);
    }
}
