//! Whom the planner can reach: the channels customers said no to (their latest
//! consent withdrawn) and the advisers' phones that take pushes.

use std::collections::HashMap;

use fieldcase_shared::DeviceId;
use uuid::Uuid;

use super::super::rules::Channel;
use crate::store::error::StoreResult;
use crate::store::sql::{Classify, SqlStore, on_db};

impl SqlStore {
    /// The channels each of `clients` said no to: the latest consent row of the
    /// channel withdraws it.
    pub(super) async fn refused_channels(
        &self,
        clients: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, Vec<Channel>>> {
        let mut out: HashMap<Uuid, Vec<Channel>> = HashMap::new();
        for chunk in clients.chunks(500) {
            let rows: Vec<(Uuid, String, bool)> = on_db!(self, pool => {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT k.client_id, k.channel, k.granted FROM customer_consents k WHERE NOT EXISTS ( \
                     SELECT 1 FROM customer_consents n WHERE n.client_id = k.client_id AND n.channel = k.channel \
                     AND (n.given_at > k.given_at OR (n.given_at = k.given_at AND n.id > k.id))) AND k.client_id IN (",
                );
                let mut list = q.separated(", ");
                for c in chunk {
                    list.push_bind(*c);
                }
                q.push(")");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            for (client, channel, granted) in rows {
                if let (false, Some(c)) = (granted, Channel::parse(&channel)) {
                    out.entry(client).or_default().push(c);
                }
            }
        }
        Ok(out)
    }

    /// The phones of each of `advisers` that take pushes: not revoked, with a token.
    pub(super) async fn push_phones(
        &self,
        advisers: &[Uuid],
    ) -> StoreResult<HashMap<Uuid, Vec<DeviceId>>> {
        let mut out: HashMap<Uuid, Vec<DeviceId>> = HashMap::new();
        for chunk in advisers.chunks(500) {
            let rows: Vec<(Uuid, Uuid)> = on_db!(self, pool => {
                let mut q = sqlx::QueryBuilder::new(
                    "SELECT d.adviser_id, d.id FROM devices d JOIN push_tokens p ON p.device_id = d.id \
                     WHERE d.revoked_at IS NULL AND d.adviser_id IN (",
                );
                let mut list = q.separated(", ");
                for a in chunk {
                    list.push_bind(*a);
                }
                q.push(") ORDER BY d.id");
                q.build_query_as().fetch_all(pool).await.classify()?
            });
            for (adviser, device) in rows {
                let phones = out.entry(adviser).or_default();
                if !phones.iter().any(|d| d.as_uuid() == device) {
                    phones.push(DeviceId::from_uuid(device));
                }
            }
        }
        Ok(out)
    }
}
