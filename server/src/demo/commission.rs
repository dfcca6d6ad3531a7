//! The demo's commission rules and levels: frames 10 % (a senior's 12 %),
//! lenses and coatings 8 %, everything else 5 %, a team lead's override of 2 %
//! and an autumn campaign on Ray-Ban frames; the first advisers senior, P0001 a
//! team lead over the next four. Valid from the demo's day, so the two years of
//! history earn nothing (the ledger stays as it was) and orders taken from
//! today on earn as the rules say. The first ten advisers have payout accounts
//! (made-up numbers that pass the bank's check).

use time::Date;
use uuid::Uuid;

use crate::commission::payout::check_account;
use crate::commission::rules::{Campaign, Level, Rule};
use crate::commission::store::payouts::PayoutAccount;
use crate::commission::store::rules::AdviserLevel;
use crate::store::{Actor, Store};
use fieldcase_shared::{AdviserId, Money};

/// Writes the rules and levels.
pub(super) async fn seed(
    store: &dyn Store,
    actor: &Actor,
    advisers: &[AdviserId],
    today: Date,
) -> anyhow::Result<()> {
    let rule = |group: Option<&str>, level: Option<Level>, rate_bp: i64| Rule {
        id: Uuid::now_v7(),
        version: 1,
        group: group.map(str::to_owned),
        level,
        campaign: None,
        rate_bp,
        valid_from: today,
        valid_to: None,
    };
    let mut campaign = rule(Some("frame"), None, 200);
    campaign.campaign = Some(Campaign {
        name: "Podzim s Ray-Ban".into(),
        sku: None,
        bonus: Money::from_czk(50),
    });
    campaign.valid_to = today.checked_add(time::Duration::days(60));
    for r in [
        rule(None, None, 500),
        rule(Some("frame"), None, 1_000),
        rule(Some("frame"), Some(Level::Senior), 1_200),
        rule(Some("lens"), None, 800),
        rule(Some("coating"), None, 800),
        rule(None, Some(Level::Lead), 200),
        campaign,
    ] {
        let problems = store.put_commission_rule(actor, &r).await?;
        anyhow::ensure!(problems.is_empty(), "a demo rule was refused: {problems:?}");
    }
    let Some((&lead, rest)) = advisers.split_first() else {
        return Ok(());
    };
    let mut levels = vec![(lead, Level::Lead, None)];
    for (i, a) in rest.iter().take(10).enumerate() {
        let level = if i < 4 { Level::Senior } else { Level::Junior };
        levels.push((*a, level, (i < 4).then_some(lead)));
    }
    let mut number = 2_000_000_000u64;
    for adviser in advisers.iter().take(10) {
        let (account, bank_code) = loop {
            number += 7;
            if let Ok(ok) = check_account(&number.to_string(), "0800") {
                break ok;
            }
        };
        let a = PayoutAccount {
            adviser: *adviser,
            account,
            bank_code,
            self_employed: false,
            ico: String::new(),
            dic: String::new(),
            street: String::new(),
            city: String::new(),
            postal_code: String::new(),
            vat_payer: false,
        };
        store.set_payout_account(actor, &a).await?;
    }
    for (adviser, level, team_lead) in levels {
        store
            .set_adviser_level(
                actor,
                &AdviserLevel {
                    adviser,
                    valid_from: today,
                    level,
                    team_lead,
                },
            )
            .await?;
    }
    Ok(())
}
