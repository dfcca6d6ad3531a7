//! How an order reaches the client: carrier and tracking number (checked by
//! `fieldcase_shared::carrier` before they get here, changed compare-and-set against
//! what the user saw, with a history event), and the unguessable token of the
//! order's public page (`/o/{token}`; issued, revoked, looked up).

use fieldcase_shared::OrderId;
use fieldcase_shared::carrier::Carrier;
use uuid::Uuid;

use crate::orders::store::history::{event_in, field, order_exists};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db};

/// Carrier and tracking number of an order (`None` / empty: not set).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Who delivers.
    pub carrier: Option<Carrier>,
    /// The carrier's number (as stored: normalised).
    pub number: String,
}

impl Delivery {
    /// As the history shows it: `PPL 40012345678`.
    pub fn text(&self) -> String {
        match self.carrier {
            None => String::new(),
            Some(c) => format!("{} {}", c.label(fieldcase_shared::Lang::Cs), self.number)
                .trim()
                .to_owned(),
        }
    }

    /// Read back from SQL (an unknown code reads as not set).
    pub(crate) fn from_sql(carrier: &str, number: String) -> Delivery {
        Delivery {
            carrier: carrier.parse().ok(),
            number,
        }
    }

    fn code(&self) -> &'static str {
        self.carrier.map(Carrier::code).unwrap_or("")
    }
}

impl SqlStore {
    /// Sets the delivery of `order` if it is still `seen`; StoreError::Stale when
    /// someone changed it meanwhile, NotFound when there is no such order.
    pub(crate) async fn write_delivery(
        &self,
        actor: &Actor,
        order: OrderId,
        seen: &Delivery,
        new: &Delivery,
    ) -> StoreResult<()> {
        let id = order.as_uuid();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query(
                "UPDATE orders SET carrier = $2, tracking_number = $3 WHERE id = $1 AND carrier = $4 AND tracking_number = $5",
            )
            .bind(id)
            .bind(new.code())
            .bind(&new.number)
            .bind(seen.code())
            .bind(&seen.number)
            .execute(&mut *tx)
            .await
            .classify()?;
            if done.rows_affected() == 0 {
                return Err(if order_exists!(tx, id) { StoreError::Stale("delivery") } else { StoreError::NotFound("order") });
            }
            event_in!(&mut *tx, id, actor.via, actor.user.map(|u| u.as_uuid()), &actor.label, field::TRACKING, seen.text(), new.text())?;
            audit_in!(&mut *tx, actor, "order.tracking", order.to_string(), new.text())?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The live public-page token of `order`, if it has one.
    pub(crate) async fn live_link(&self, order: OrderId) -> StoreResult<Option<String>> {
        on_db!(self, pool => sqlx::query_scalar("SELECT token FROM order_links WHERE order_id = $1 AND revoked_at IS NULL")
            .bind(order.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())
    }

    /// Revokes the live token of `order` (if any) and, when `issue`, creates a new
    /// one (`token`, from the caller's CSPRNG); one transaction.
    pub(crate) async fn replace_link(
        &self,
        actor: &Actor,
        order: OrderId,
        token: Option<&str>,
    ) -> StoreResult<()> {
        let id = order.as_uuid();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            if !order_exists!(tx, id) {
                return Err(StoreError::NotFound("order"));
            }
            let revoked = sqlx::query("UPDATE order_links SET revoked_at = $2 WHERE order_id = $1 AND revoked_at IS NULL")
                .bind(id)
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?
                .rows_affected();
            if let Some(token) = token {
                sqlx::query("INSERT INTO order_links (token, order_id, created_at) VALUES ($1, $2, $3)")
                    .bind(token)
                    .bind(id)
                    .bind(now())
                    .execute(&mut *tx)
                    .await
                    .classify()?;
            }
            let what = match (revoked > 0, token.is_some()) {
                (_, true) => "order.link.issue",
                (true, false) => "order.link.revoke",
                (false, false) => "order.link.none",
            };
            audit_in!(&mut *tx, actor, what, order.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The order whose live public-page token is `token`.
    pub(crate) async fn order_of_link(&self, token: &str) -> StoreResult<Option<OrderId>> {
        let id: Option<Uuid> = on_db!(self, pool => sqlx::query_scalar("SELECT order_id FROM order_links WHERE token = $1 AND revoked_at IS NULL")
            .bind(token)
            .fetch_optional(pool)
            .await
            .classify())?;
        Ok(id.map(OrderId::from_uuid))
    }
}
