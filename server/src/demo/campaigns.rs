//! The demo's campaign: a saved segment (customers with no order in 18 months
//! who consent to e-mail) and a draft to it, ready to be read, changed and
//! launched on the Campaigns page.

use fieldcase_shared::Lang;

use crate::campaigns::rules::Draft;
use crate::care::rules::Channel;
use crate::customers::segment::Criteria;
use crate::store::{Actor, Store};

/// Seeds the segment and the draft.
pub async fn seed(store: &dyn Store, actor: &Actor) -> anyhow::Result<()> {
    let criteria = Criteria {
        email_consent: Some(true),
        no_order_months: Some(18),
        ..Criteria::default()
    };
    let segment = store
        .create_segment(actor, "Bez objednávky 18 měsíců", &criteria)
        .await?;
    let draft = Draft {
        name: "Zimní kolekce obrub".into(),
        segment,
        channel: Channel::Email,
        lang: Lang::Cs,
        subject: "{first_name}, máme pro vás novou kolekci".into(),
        body: "Dobrý den, {first_name} {last_name},\n\ndo vzorkovnice našich poradců přibyla zimní kolekce obrub. Váš poradce vás rád navštíví i s ní.\n\nS pozdravem\nFieldcase Optika".into(),
        per_hour: 1_000,
        holdout_pct: 10,
        effect_days: 30,
    };
    store
        .create_campaign(actor, &draft, "Bez objednávky 18 měsíců")
        .await?;
    Ok(())
}
