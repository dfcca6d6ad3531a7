//! Writing a commission rule: the one path of the Commission rules page, the API
//! and the CLI. Checks who (accounting, administrators) and what was entered (the
//! group, the level, the rate as a percentage, the dates, the campaign's bonus),
//! builds the rule — new, or the next version of one — and lets the store check
//! it against the other rules in its writing transaction. Advisers' levels
//! likewise (`set_level`).

use fieldcase_shared::{FieldError, Lang, Money, Problem, Role};
use time::Date;
use uuid::Uuid;

use super::rules::{Campaign, Level, Rule};
use super::store::rules::AdviserLevel;
use crate::store::{Actor, Store, StoreError};

/// Who writes commission rules and advisers' levels.
pub const RULE_EDITORS: &[Role] = &[Role::Accounting, Role::Admin];

/// Who reads them.
pub const RULE_READERS: &[Role] = &[Role::Office, Role::Accounting, Role::Admin];

/// The product kinds a rule may be for.
pub const GROUPS: [&str; 6] = [
    "frame",
    "lens",
    "coating",
    "contact_lens",
    "accessory",
    "service",
];

/// A rule as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleInput {
    /// The rule to version (none: a new rule).
    pub id: Option<Uuid>,
    /// A percentage (`8`, `7,5`).
    pub rate: String,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD` or empty.
    pub valid_to: String,
    /// A product kind or empty (every kind).
    pub group: String,
    /// `junior`, `senior`, `lead` or empty (every level).
    pub level: String,
    /// A campaign's name or empty.
    pub campaign: String,
    pub sku: String,
    /// CZK per piece, or empty.
    pub bonus: String,
}

/// Why a rule was not written.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("only accounting and administrators write commission rules")]
    Forbidden,
    #[error("no such rule")]
    NotFound,
    #[error("invalid")]
    Invalid(Vec<FieldError>),
    #[error("the rule changed meanwhile")]
    Changed,
    #[error(transparent)]
    Store(StoreError),
}

impl RuleError {
    /// What the user reads, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            RuleError::Forbidden => l
                .pick(
                    "Provizní pravidla píše účtárna a administrátor.",
                    "Accounting and administrators write commission rules.",
                )
                .into(),
            RuleError::NotFound => l
                .pick("Takové pravidlo neexistuje.", "No such rule.")
                .into(),
            RuleError::Invalid(problems) => {
                let list: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message(l)))
                    .collect();
                format!("{} {}", l.pick("Zkontrolujte:", "Check:"), list.join("; "))
            }
            RuleError::Changed => l
                .pick(
                    "Pravidlo se mezitím změnilo; načtěte ho znovu.",
                    "The rule changed meanwhile; load it again.",
                )
                .into(),
            RuleError::Store(_) => l
                .pick(
                    "Uložení se nepovedlo; zkuste to znovu.",
                    "Saving failed; try again.",
                )
                .into(),
        }
    }
}

fn day(field: &str, text: &str, problems: &mut Vec<FieldError>) -> Option<Date> {
    let day = fieldcase_shared::calendar::parse_day(text);
    if day.is_none() {
        problems.push(FieldError::new(field, Problem::Invalid));
    }
    day
}

/// Writes `input` for `actor`: the rule's id and version.
pub async fn put(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    input: &RuleInput,
) -> Result<(Uuid, i32), RuleError> {
    if !RULE_EDITORS.contains(&role) {
        return Err(RuleError::Forbidden);
    }
    let mut problems = Vec::new();
    let group = input.group.trim();
    if !group.is_empty() && !GROUPS.contains(&group) {
        problems.push(FieldError::new(
            "group",
            Problem::NotAllowed(fieldcase_shared::validate::reason::NOT_A_CHOICE.into()),
        ));
    }
    let level = match input.level.trim() {
        "" => None,
        code => Level::from_code(code).or_else(|| {
            problems.push(FieldError::new(
                "level",
                Problem::NotAllowed(fieldcase_shared::validate::reason::NOT_A_CHOICE.into()),
            ));
            None
        }),
    };
    // A percentage with two decimals is basis points, read like an amount.
    let rate_bp = Money::parse(&input.rate)
        .map(|m| m.haler())
        .map_err(|_| problems.push(FieldError::new("rate", Problem::Invalid)))
        .ok();
    let valid_from = day("valid_from", &input.valid_from, &mut problems);
    let valid_to = if input.valid_to.trim().is_empty() {
        None
    } else {
        day("valid_to", &input.valid_to, &mut problems)
    };
    let bonus = if input.bonus.trim().is_empty() {
        Some(Money::ZERO)
    } else {
        Money::parse(&input.bonus)
            .map_err(|_| problems.push(FieldError::new("bonus", Problem::Invalid)))
            .ok()
    };
    let campaign = input.campaign.trim();
    if campaign.is_empty() && (!input.sku.trim().is_empty() || bonus.is_some_and(|b| !b.is_zero()))
    {
        problems.push(FieldError::new("campaign", Problem::Required));
    }
    let (Some(rate_bp), Some(valid_from), Some(bonus), true) =
        (rate_bp, valid_from, bonus, problems.is_empty())
    else {
        return Err(RuleError::Invalid(problems));
    };
    let (id, version) = match input.id {
        None => (Uuid::now_v7(), 1),
        Some(id) => {
            let current = store
                .commission_rules(false)
                .await
                .map_err(RuleError::Store)?;
            let found = current
                .iter()
                .find(|r| r.rule.id == id)
                .ok_or(RuleError::NotFound)?;
            (id, found.rule.version + 1)
        }
    };
    let rule = Rule {
        id,
        version,
        group: (!group.is_empty()).then(|| group.to_owned()),
        level,
        campaign: (!campaign.is_empty()).then(|| Campaign {
            name: campaign.to_owned(),
            sku: Some(input.sku.trim().to_owned()).filter(|s| !s.is_empty()),
            bonus,
        }),
        rate_bp,
        valid_from,
        valid_to,
    };
    match store.put_commission_rule(actor, &rule).await {
        Ok(problems) if problems.is_empty() => Ok((id, version)),
        Ok(problems) => Err(RuleError::Invalid(problems)),
        Err(StoreError::Stale(_)) => Err(RuleError::Changed),
        Err(e) => Err(RuleError::Store(e)),
    }
}

/// Sets the level of the adviser numbered `adviser` (and their team lead, by
/// number) from `from` on: the one path of the rules page, the API and the CLI.
pub async fn set_level(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    adviser: &str,
    level: &str,
    lead: &str,
    from: &str,
) -> Result<AdviserLevel, RuleError> {
    if !RULE_EDITORS.contains(&role) {
        return Err(RuleError::Forbidden);
    }
    let mut problems = Vec::new();
    let find = async |field: &str, code: &str, problems: &mut Vec<FieldError>| {
        match crate::field::adviser_by_code(store, code.trim()).await {
            Ok(a) => Some(a.id),
            Err(_) => {
                problems.push(FieldError::new(field, Problem::Invalid));
                None
            }
        }
    };
    let adviser = find("adviser", adviser, &mut problems).await;
    let team_lead = if lead.trim().is_empty() {
        None
    } else {
        find("lead", lead, &mut problems).await
    };
    let level = Level::from_code(level.trim()).or_else(|| {
        problems.push(FieldError::new(
            "level",
            Problem::NotAllowed(fieldcase_shared::validate::reason::NOT_A_CHOICE.into()),
        ));
        None
    });
    let valid_from = day("valid_from", from, &mut problems);
    let (Some(adviser), Some(level), Some(valid_from), true) =
        (adviser, level, valid_from, problems.is_empty())
    else {
        return Err(RuleError::Invalid(problems));
    };
    if team_lead == Some(adviser) {
        return Err(RuleError::Invalid(vec![FieldError::new(
            "lead",
            Problem::Invalid,
        )]));
    }
    let set = AdviserLevel {
        adviser,
        valid_from,
        level,
        team_lead,
    };
    match store.set_adviser_level(actor, &set).await {
        Ok(()) => Ok(set),
        Err(StoreError::Duplicate { .. }) => Err(RuleError::Invalid(vec![FieldError::new(
            "valid_from",
            Problem::NotAllowed(fieldcase_shared::validate::reason::TAKEN.into()),
        )])),
        Err(e) => Err(RuleError::Store(e)),
    }
}
