//! Moving an order's status from an office page (the list, the card): through the
//! hub's one path, for the status the user saw, with a message either way.

use fieldcase_shared::{Lang, OrderId, OrderStatus};

use crate::office::live::Ctx;
use crate::office::page::PageSpec;
use crate::office::ui::{Notice, Text};
use crate::sync::StatusChangeError;

/// Moves `order` (variable symbol `vs`, seen in status `seen`) to `to` for the user
/// of `ctx` on `page`; the message to show.
pub async fn change(
    ctx: &Ctx,
    page: &PageSpec,
    order: OrderId,
    vs: &str,
    seen: OrderStatus,
    to: OrderStatus,
) -> Notice {
    let (actor, role) = match ctx.authorize_role(page).await {
        Ok(pair) => pair,
        Err(msg) => return Notice::Err(msg),
    };
    let result = ctx
        .state
        .sync
        .change_order_status(&actor, role, order, seen, to)
        .await;
    match result {
        Ok(()) => Notice::ok(
            format!("Objednávka {vs}: stav změněn na „{}“.", to.label(Lang::Cs)),
            format!("Order {vs}: status changed to \"{}\".", to.label(Lang::En)),
        ),
        Err(StatusChangeError::Denied(denied)) => Notice::Err(Text::new(
            denied.message(Lang::Cs),
            denied.message(Lang::En),
        )),
        Err(StatusChangeError::Stale { now, .. }) => Notice::err(
            format!(
                "Objednávku {vs} mezitím někdo přesunul do stavu „{}“; nic se nezměnilo. Zobrazení je obnovené, zkuste to znovu.",
                now.label(Lang::Cs)
            ),
            format!(
                "Someone moved order {vs} to \"{}\" meanwhile; nothing was changed. The view is refreshed, please try again.",
                now.label(Lang::En)
            ),
        ),
        Err(
            StatusChangeError::NotFound
            | StatusChangeError::Store(crate::store::StoreError::NotFound(_)),
        ) => Notice::err(
            "Objednávku mezitím někdo změnil; zobrazení je obnovené, zkuste to znovu.",
            "The order was changed meanwhile; the view is refreshed, please try again.",
        ),
        Err(err) => {
            tracing::error!(%err, "changing an order's status");
            Notice::err(
                "Stav se nepodařilo změnit; zkuste to za chvíli.",
                "Could not change the status; try again shortly.",
            )
        }
    }
}
