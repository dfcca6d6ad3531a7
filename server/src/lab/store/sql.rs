//! [`LabStore`] on [`SqlStore`].

use async_trait::async_trait;
use fieldcase_shared::{OrderId, OrderStatus};
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::lab::store::{BoardCard, LabStore, SheetLine};
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, on_db, parse};

#[async_trait]
impl LabStore for SqlStore {
    async fn lab_board(
        &self,
        statuses: &[OrderStatus],
        limit: i64,
    ) -> StoreResult<(Vec<BoardCard>, Vec<(OrderStatus, i64)>)> {
        if statuses.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        type Row = (Uuid, String, String, String, OffsetDateTime);
        let (rows, counts): (Vec<Row>, Vec<(String, i64)>) = on_db!(self, pool => {
            // Since when: the order's last status event, else its last change (orders
            // seeded before the history existed).
            let mut q = QueryBuilder::new(
                "SELECT o.id, o.variable_symbol, c.last_name || ' ' || c.first_name, o.status, \
                 COALESCE((SELECT MAX(e.at) FROM order_events e WHERE e.order_id = o.id AND e.field IN ('status', 'created')), o.updated_at) AS since \
                 FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.status IN (",
            );
            let mut list = q.separated(", ");
            for s in statuses {
                list.push_bind(s.code());
            }
            q.push(") ORDER BY since LIMIT ");
            q.push_bind(limit.clamp(1, 5_000));
            let rows = q.build_query_as().fetch_all(pool).await.classify()?;
            let mut q = QueryBuilder::new("SELECT status, COUNT(*) FROM orders WHERE status IN (");
            let mut list = q.separated(", ");
            for s in statuses {
                list.push_bind(s.code());
            }
            q.push(") GROUP BY status");
            let counts = q.build_query_as().fetch_all(pool).await.classify()?;
            (rows, counts)
        });
        let cards = rows
            .into_iter()
            .map(|(id, vs, client, status, since)| {
                Ok(BoardCard {
                    id: OrderId::from_uuid(id),
                    variable_symbol: vs,
                    client_name: client,
                    status: parse("orders.status", &status)?,
                    since,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let counts = counts
            .into_iter()
            .map(|(s, n)| Ok((parse("orders.status", &s)?, n)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((cards, counts))
    }

    async fn sheet_lines(&self, order: OrderId) -> StoreResult<Vec<SheetLine>> {
        type Row = (
            String,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = on_db!(self, pool => sqlx::query_as(
            "SELECT l.text, l.quantity, p.kind, p.sku, p.brand, p.colour, p.size FROM order_lines l \
             LEFT JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 ORDER BY l.position",
        )
        .bind(order.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows
            .into_iter()
            .map(
                |(text, quantity, kind, sku, brand, colour, size)| SheetLine {
                    text,
                    quantity,
                    kind: kind.unwrap_or_default(),
                    sku: sku.unwrap_or_default(),
                    brand: brand.unwrap_or_default(),
                    colour: colour.unwrap_or_default(),
                    size: size.unwrap_or_default(),
                },
            )
            .collect())
    }

    async fn order_by_number(&self, variable_symbol: &str) -> StoreResult<Option<OrderId>> {
        let id: Option<Uuid> = on_db!(self, pool => sqlx::query_scalar("SELECT id FROM orders WHERE variable_symbol = $1")
            .bind(variable_symbol.trim())
            .fetch_optional(pool)
            .await
            .classify())?;
        Ok(id.map(OrderId::from_uuid))
    }
}
