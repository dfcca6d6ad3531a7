//! The demo's people: shops, staff logins and advisers, and the Czech names and
//! phone numbers of everyone the demo invents.

use fieldcase_shared::{AdviserId, Lang, Role, StoreId};
use indicatif::ProgressBar;
use rand::Rng;
use rand::rngs::StdRng;

use super::names::{FEMALE_NAMES, MALE_NAMES, REGIONS, SHOPS, SURNAMES};
use super::{DEMO_PASSWORD, DEMO_STAFF, Scale, pick};
use crate::auth;
use crate::store::{Actor, AdviserFilter, NewAdviser, NewShop, NewUser, Store};

/// Shops, staff and advisers. Created once; a rerun after an interrupted seed reuses them.
pub(super) async fn seed_people(
    store: &dyn Store,
    actor: &Actor,
    scale: Scale,
    rng: &mut StdRng,
    bar: &ProgressBar,
) -> anyhow::Result<(Vec<StoreId>, Vec<(AdviserId, StoreId)>)> {
    let mut shops = store.list_shops().await?;
    if shops.is_empty() {
        for (code, name, street, city, psc, phone) in SHOPS {
            let shop = NewShop {
                code: code.into(),
                name: name.into(),
                street: street.into(),
                city: city.into(),
                postal_code: psc.into(),
                phone: phone.into(),
                email: format!("{}@demo.fieldcase.cz", code.to_lowercase()),
            };
            shops.push(store.create_shop(actor, &shop).await?);
        }
    }
    let shop_ids: Vec<StoreId> = shops.iter().map(|s| s.id).collect();
    let existing = store
        .list_advisers(&AdviserFilter {
            include_inactive: true,
            ..Default::default()
        })
        .await?;
    if !existing.is_empty() {
        bar.inc(scale.advisers as u64);
        let mut advisers: Vec<_> = existing
            .into_iter()
            .map(|a| (a.code, a.id, a.home_shop))
            .collect();
        advisers.sort();
        return Ok((
            shop_ids,
            advisers
                .into_iter()
                .map(|(_, id, shop)| (id, shop))
                .collect(),
        ));
    }
    // One argon2 hash for every demo login: hashing 256 passwords would cost ~10 s.
    let hash = tokio::task::spawn_blocking(|| auth::hash_password(DEMO_PASSWORD)).await??;
    for (email, role, name) in DEMO_STAFF {
        let shop = (role == Role::Store).then(|| shop_ids[0]);
        let user = NewUser {
            email: email.into(),
            name: name.into(),
            password_hash: hash.clone(),
            role,
            shop,
            lang: Lang::Cs,
        };
        store.create_user(actor, &user).await?;
    }
    let mut advisers = Vec::with_capacity(scale.advisers);
    for i in 0..scale.advisers {
        let (first, last) = person_name(rng);
        let shop_index = i % shops.len();
        let new = NewAdviser {
            code: format!("P{:04}", i + 1),
            name: format!("{first} {last}"),
            email: format!("poradce{:03}@demo.fieldcase.cz", i + 1),
            phone: phone(rng),
            region: REGIONS[shop_index % REGIONS.len()].into(),
            home_shop: shop_ids[shop_index],
            password_hash: hash.clone(),
        };
        let a = store.create_adviser(actor, &new).await?;
        advisers.push((a.id, a.home_shop));
        bar.inc(1);
    }
    Ok((shop_ids, advisers))
}

pub(super) fn phone(rng: &mut StdRng) -> String {
    let prefix = *pick(
        rng,
        &[
            601, 602, 603, 604, 605, 606, 607, 608, 702, 721, 731, 736, 739, 774, 777, 776,
        ],
    );
    format!(
        "+420 {prefix} {:03} {:03}",
        rng.random_range(0..1000),
        rng.random_range(0..1000)
    )
}

pub(super) fn person_name(rng: &mut StdRng) -> (&'static str, String) {
    if rng.random_bool(0.55) {
        let (_, female) = *pick(rng, SURNAMES);
        (*pick(rng, FEMALE_NAMES), female.to_string())
    } else {
        let (male, _) = *pick(rng, SURNAMES);
        (*pick(rng, MALE_NAMES), male.to_string())
    }
}

/// The clients' marketing consents: about half consent to e-mail (where and when
/// they were met), one in ten of them withdrew it later; a third consent to SMS.
pub(super) fn consents(
    clients: &[crate::store::ClientRow],
    now: time::OffsetDateTime,
    rng: &mut StdRng,
) -> Vec<(
    fieldcase_shared::ClientId,
    crate::customers::store::NewConsent,
)> {
    use crate::customers::store::{ConsentChannel, NewConsent};
    const PLACES: [&str; 3] = ["návštěva poradce", "prodejna", "web"];
    let mut out = Vec::new();
    for c in clients {
        let days = (now - c.created_at).whole_days().max(1);
        let at = |rng: &mut StdRng, from: i64| {
            c.created_at + time::Duration::days(rng.random_range(from.min(days - 1)..days))
        };
        let consent = |channel, granted, given_at, place: &str| NewConsent {
            channel,
            granted,
            given_at,
            place: place.into(),
            evidence: String::new(),
        };
        if rng.random_bool(0.5) {
            let given = at(rng, 0);
            out.push((
                c.id,
                consent(
                    ConsentChannel::Email,
                    true,
                    given,
                    pick::<&str>(rng, &PLACES),
                ),
            ));
            if rng.random_bool(0.1) {
                let after = (given - c.created_at).whole_days() + 1;
                out.push((
                    c.id,
                    consent(ConsentChannel::Email, false, at(rng, after), "telefonát"),
                ));
            }
        }
        if rng.random_bool(0.33) {
            out.push((
                c.id,
                consent(
                    ConsentChannel::Sms,
                    true,
                    at(rng, 0),
                    pick::<&str>(rng, &PLACES),
                ),
            ));
        }
    }
    out
}
