//! Campaigns (issue 15, slice 5): an e-mail or text message to a saved segment
//! of customers (`customers::segment`). A campaign is written as a draft (its
//! text with `{first_name}` / `{last_name}`, the rate, the hold-out's share, the
//! days its effect is counted over; `rules.rs`); the launch draws its audience
//! — the segment's customers who consent to the channel now, one per address —
//! shuffles it, holds out the share (they are not sent, so what they buy
//! anyway is the yardstick) and puts the others' messages into the
//! notifications' outbox, each due at its turn of the rate, every one with its
//! own unsubscribe link (`public.rs`, `/u/{token}`: no login; it withdraws the
//! consent). The notification job sends them like any message (retries, the
//! SMS quiet hours) and skips one whose customer withdrew the consent
//! meanwhile. The report (`page.rs`, the API, the CLI) sets the orders and
//! turnover of the sent against the held-out within the days. This file is
//! the one path that checks and changes campaigns; `store.rs` keeps them.

pub mod api;
pub mod cli;
pub mod page;
pub mod public;
pub mod rules;
pub mod store;

use std::collections::HashSet;

use fieldcase_shared::{ClientId, Lang, Role};
use rand::seq::SliceRandom;
use time::OffsetDateTime;
use uuid::Uuid;

use self::rules::{Draft, Effect, Problem, Status};
use self::store::{Campaign, Progress, Recipient};
use crate::care::rules::{Channel, sms_number};
use crate::customers::segment;
use crate::store::Store;
use crate::store::actor::Actor;
use crate::store::error::StoreError;

/// Who writes, launches and stops campaigns: those who keep segments.
pub const MARKETERS: &[Role] = crate::customers::MARKETERS;

/// Why a campaign was not saved or changed.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("no such campaign")]
    NotFound,
    #[error("no such segment")]
    NoSegment,
    #[error("the draft: {0:?}")]
    Draft(Problem),
    /// Not in a state for this (launched already, or not launched).
    #[error("the campaign is {0:?}")]
    State(Option<Status>),
    #[error("this role may not")]
    Role,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl CampaignError {
    /// What a person is told.
    pub fn text(&self, l: Lang) -> String {
        match self {
            CampaignError::NotFound => l.pick("Taková kampaň není.", "No such campaign.").into(),
            CampaignError::NoSegment => l.pick("Takový segment není.", "No such segment.").into(),
            CampaignError::Draft(p) => p.text(l),
            CampaignError::State(s) => format!(
                "{} {}.",
                l.pick("To už nejde: kampaň je", "Not any more: the campaign is"),
                s.map(|s| s.label(l)).unwrap_or("?")
            ),
            CampaignError::Role => l
                .pick(
                    "Kampaně vedou kancelář a péče o zákazníky.",
                    "Campaigns are run by the office and customer service.",
                )
                .into(),
            CampaignError::Store(_) => l
                .pick(
                    "Kampaň teď nelze uložit; zkuste to prosím za chvíli.",
                    "The campaign cannot be saved now; please try again shortly.",
                )
                .into(),
        }
    }
}

fn may(role: Role) -> Result<(), CampaignError> {
    if MARKETERS.contains(&role) {
        Ok(())
    } else {
        Err(CampaignError::Role)
    }
}

/// Checks a draft and its segment: the segment's name.
async fn checked(store: &dyn Store, d: &mut Draft) -> Result<String, CampaignError> {
    d.check().map_err(CampaignError::Draft)?;
    let seg = store
        .segment(d.segment)
        .await?
        .ok_or(CampaignError::NoSegment)?;
    Ok(seg.name)
}

/// Saves a new draft.
pub async fn create(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    mut d: Draft,
) -> Result<Uuid, CampaignError> {
    may(role)?;
    let segment = checked(store, &mut d).await?;
    Ok(store.create_campaign(actor, &d, &segment).await?)
}

/// Changes a draft.
pub async fn update(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
    mut d: Draft,
) -> Result<(), CampaignError> {
    may(role)?;
    let segment = checked(store, &mut d).await?;
    match store.update_campaign(actor, id, &d, &segment).await {
        Ok(()) => Ok(()),
        Err(StoreError::Stale(_)) => Err(match store.campaign(id).await? {
            None => CampaignError::NotFound,
            Some(c) => CampaignError::State(c.state()),
        }),
        Err(e) => Err(e.into()),
    }
}

/// A campaign's audience as drawn: one per address (the first customer of
/// each), in random order; the first `holdout` of it held out.
fn draw(
    channel: Channel,
    people: Vec<(Uuid, String, String, String)>,
    holdout_pct: u32,
) -> (Vec<(ClientId, String, String, String)>, usize) {
    let mut seen = HashSet::new();
    let mut out: Vec<_> = people
        .into_iter()
        .filter_map(|(id, first, last, contact)| {
            let address = match channel {
                Channel::Sms => sms_number(&contact)?,
                _ => {
                    let a = contact.trim().to_owned();
                    a.contains('@').then_some(a)?
                }
            };
            seen.insert(address.to_lowercase())
                .then(|| (ClientId::from_uuid(id), first, last, address))
        })
        .collect();
    out.shuffle(&mut rand::rng());
    let held = rules::holdout_size(out.len(), holdout_pct);
    (out, held)
}

/// Launches a draft: draws its audience now, holds out its share, queues the
/// others' messages at the rate. How many are sent and held out.
pub async fn launch(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<(usize, usize), CampaignError> {
    may(role)?;
    let c = store.campaign(id).await?.ok_or(CampaignError::NotFound)?;
    if c.state() != Some(Status::Draft) {
        return Err(CampaignError::State(c.state()));
    }
    let d = c.draft().ok_or(CampaignError::NoSegment)?;
    let seg = store
        .segment(d.segment)
        .await?
        .ok_or(CampaignError::NoSegment)?;
    let channel = match d.channel {
        Channel::Sms => segment::Channel::Sms,
        _ => segment::Channel::Email,
    };
    let people = store.segment_audience(&seg.criteria, channel).await?;
    let (drawn, held) = draw(d.channel, people, d.holdout_pct);
    let times = rules::schedule(d.channel, now, drawn.len() - held, d.per_hour);
    let recipients: Vec<Recipient> = drawn
        .into_iter()
        .enumerate()
        .map(|(i, (client, first, last, address))| {
            let message = (i >= held).then(|| {
                let token = crate::auth::new_token();
                let (subject, body) = d.message(&first, &last, &format!("{public_url}/u/{token}"));
                (subject, body, token, times[i - held])
            });
            Recipient {
                client,
                address,
                message,
            }
        })
        .collect();
    let criteria =
        serde_json::to_string(&seg.criteria).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    if !store
        .launch_campaign(actor, id, &criteria, &recipients)
        .await?
    {
        let now = store.campaign(id).await?.and_then(|c| c.state());
        return Err(CampaignError::State(now));
    }
    Ok((recipients.len() - held, held))
}

/// Stops a launched campaign: what is not sent yet will not be.
pub async fn stop(
    store: &dyn Store,
    actor: &Actor,
    role: Role,
    id: Uuid,
) -> Result<(), CampaignError> {
    may(role)?;
    if store.stop_campaign(actor, id).await? {
        return Ok(());
    }
    Err(match store.campaign(id).await? {
        None => CampaignError::NotFound,
        Some(c) => CampaignError::State(c.state()),
    })
}

/// A campaign with where its messages are and its effect so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub campaign: Campaign,
    pub progress: Progress,
    /// None before the launch.
    pub effect: Option<Effect>,
    /// Whether the effect's days are over (the numbers are final).
    pub complete: bool,
}

/// A campaign's report as of `now`.
pub async fn report(
    store: &dyn Store,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<Report, CampaignError> {
    let campaign = store.campaign(id).await?.ok_or(CampaignError::NotFound)?;
    let progress = store.campaign_progress(id).await?;
    let (effect, complete) = match (campaign.launched_at, campaign.effect_until()) {
        (Some(from), Some(until)) => (
            Some(store.campaign_effect(id, from, until).await?),
            now >= until,
        ),
        _ => (None, false),
    };
    Ok(Report {
        campaign,
        progress,
        effect,
        complete,
    })
}

/// Whether a claimed campaign message may still go: its customer consents to
/// its channel now (else it is skipped, and false).
pub async fn may_send(store: &dyn Store, message: Uuid) -> anyhow::Result<bool> {
    if store.still_consents(message).await? {
        return Ok(true);
    }
    store
        .message_skipped(message, crate::care::rules::SKIP_REASONS[0].0)
        .await?;
    Ok(false)
}
