//! [`FieldStore`] on [`SqlStore`]: advisers, enrolment codes and devices, with
//! their rows.

use async_trait::async_trait;
use fieldcase_shared::{AdviserId, DeviceId, StoreId, UserId};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::field::store::{
    Adviser, AdviserFilter, Device, EnrolRefused, FieldStore, NewAdviser, NewDevice,
    NewEnrolmentCode,
};
use crate::store::actor::Actor;
use crate::store::audit::audit_in;
use crate::store::error::{StoreError, StoreResult};
use crate::store::sql::{Classify, SqlStore, now, on_db, one_row};

const ADVISER_SELECT: &str = "SELECT a.id, a.user_id, a.code, u.name, u.email, a.phone, a.region, \
     a.home_shop_id, s.name AS home_shop_name, a.active, a.created_at, \
     (SELECT COUNT(*) FROM clients c WHERE c.adviser_id = a.id) AS clients \
     FROM advisers a JOIN users u ON u.id = a.user_id JOIN shops s ON s.id = a.home_shop_id";

#[derive(sqlx::FromRow)]
struct AdviserRec {
    id: Uuid,
    user_id: Uuid,
    code: String,
    name: String,
    email: String,
    phone: String,
    region: String,
    home_shop_id: Uuid,
    home_shop_name: String,
    active: bool,
    created_at: OffsetDateTime,
    clients: i64,
}

impl From<AdviserRec> for Adviser {
    fn from(r: AdviserRec) -> Self {
        Adviser {
            id: AdviserId::from_uuid(r.id),
            user: UserId::from_uuid(r.user_id),
            code: r.code,
            name: r.name,
            email: r.email,
            phone: r.phone,
            region: r.region,
            home_shop: StoreId::from_uuid(r.home_shop_id),
            home_shop_name: r.home_shop_name,
            active: r.active,
            created_at: r.created_at,
            clients: r.clients,
        }
    }
}

#[derive(sqlx::FromRow)]
struct DeviceRec {
    id: Uuid,
    adviser_id: Uuid,
    name: String,
    created_at: OffsetDateTime,
    last_seen_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl From<DeviceRec> for Device {
    fn from(r: DeviceRec) -> Self {
        Device {
            id: DeviceId::from_uuid(r.id),
            adviser: AdviserId::from_uuid(r.adviser_id),
            name: r.name,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct CodeRec {
    expires_at: OffsetDateTime,
    used_at: Option<OffsetDateTime>,
    active: bool,
}

#[async_trait]
impl FieldStore for SqlStore {
    async fn create_adviser(&self, actor: &Actor, a: &NewAdviser) -> StoreResult<Adviser> {
        let id = AdviserId::new();
        let user = UserId::new();
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            sqlx::query(
                "INSERT INTO users (id, email, name, password_hash, role, shop_id, lang, active, failed_logins, created_at) \
                 VALUES ($1, $2, $3, $4, 'adviser', $5, 'cs', TRUE, 0, $6)",
            )
            .bind(user.as_uuid())
            .bind(&a.email)
            .bind(&a.name)
            .bind(&a.password_hash)
            .bind(a.home_shop.as_uuid())
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            sqlx::query(
                "INSERT INTO advisers (id, user_id, code, region, home_shop_id, phone, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)",
            )
            .bind(id.as_uuid())
            .bind(user.as_uuid())
            .bind(&a.code)
            .bind(&a.region)
            .bind(a.home_shop.as_uuid())
            .bind(&a.phone)
            .bind(now())
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "adviser.create", id.to_string(), format!("{} {} <{}>", a.code, a.name, a.email))?;
            tx.commit().await?;
        });
        self.get_adviser(id).await
    }

    async fn get_adviser(&self, id: AdviserId) -> StoreResult<Adviser> {
        let sql = format!("{ADVISER_SELECT} WHERE a.id = $1");
        let row: Option<AdviserRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?;
        row.map(Adviser::from)
            .ok_or(StoreError::NotFound("adviser"))
    }

    async fn list_advisers(&self, filter: &AdviserFilter) -> StoreResult<Vec<Adviser>> {
        let sql = format!(
            "{ADVISER_SELECT} WHERE ($1 OR a.active) AND ($2 IS NULL OR a.home_shop_id = $2) \
             AND ($3 = '' OR LOWER(u.name) LIKE $4 OR LOWER(u.email) LIKE $4 OR LOWER(a.code) LIKE $4 OR LOWER(a.region) LIKE $4) \
             ORDER BY u.name, a.code"
        );
        let text = filter.text.trim().to_lowercase();
        let like = format!("%{}%", text.replace(['\\', '%', '_'], ""));
        let rows: Vec<AdviserRec> = on_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(filter.include_inactive)
            .bind(filter.shop.map(|s| s.as_uuid()))
            .bind(&text)
            .bind(&like)
            .fetch_all(pool)
            .await
            .classify())?;
        Ok(rows.into_iter().map(Adviser::from).collect())
    }

    async fn update_adviser(
        &self,
        actor: &Actor,
        id: AdviserId,
        region: &str,
        home_shop: StoreId,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE advisers SET region = $2, home_shop_id = $3 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(region)
                .bind(home_shop.as_uuid())
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "adviser")?;
            audit_in!(&mut *tx, actor, "adviser.update", id.to_string(), format!("region={region} home_shop={home_shop}"))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn set_adviser_active(
        &self,
        actor: &Actor,
        id: AdviserId,
        active: bool,
    ) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let user: Option<Uuid> = sqlx::query_scalar("UPDATE advisers SET active = $2 WHERE id = $1 RETURNING user_id")
                .bind(id.as_uuid())
                .bind(active)
                .fetch_optional(&mut *tx)
                .await
                .classify()?;
            let user = user.ok_or(StoreError::NotFound("adviser"))?;
            sqlx::query("UPDATE users SET active = $2 WHERE id = $1").bind(user).bind(active).execute(&mut *tx).await?;
            if !active {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
                sqlx::query("UPDATE devices SET revoked_at = $2 WHERE adviser_id = $1 AND revoked_at IS NULL")
                    .bind(id.as_uuid())
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
            }
            let action = if active { "adviser.activate" } else { "adviser.deactivate" };
            audit_in!(&mut *tx, actor, action, id.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn create_enrolment_code(
        &self,
        actor: &Actor,
        code: &NewEnrolmentCode,
    ) -> StoreResult<()> {
        let by = actor.user.ok_or(StoreError::NotFound("acting user"))?;
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            // A new code replaces any unused one: only the latest code shown is valid.
            sqlx::query("UPDATE enrolment_codes SET expires_at = $2 WHERE adviser_id = $1 AND used_at IS NULL AND expires_at > $2")
                .bind(code.adviser.as_uuid())
                .bind(now())
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO enrolment_codes (code_hash, adviser_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&code.code_hash)
            .bind(code.adviser.as_uuid())
            .bind(by.as_uuid())
            .bind(now())
            .bind(code.expires_at)
            .execute(&mut *tx)
            .await
            .classify()?;
            audit_in!(&mut *tx, actor, "device.enrolment_code", code.adviser.to_string(), format!(
                "expires {}",
                code.expires_at
                    .format(time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC"))
                    .unwrap_or_default()
            ))?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn list_devices(&self, adviser: AdviserId) -> StoreResult<Vec<Device>> {
        let rows: Vec<DeviceRec> = on_db!(self, pool => sqlx::query_as(
            "SELECT id, adviser_id, name, created_at, last_seen_at, revoked_at FROM devices WHERE adviser_id = $1 ORDER BY created_at",
        )
        .bind(adviser.as_uuid())
        .fetch_all(pool)
        .await
        .classify())?;
        Ok(rows.into_iter().map(Device::from).collect())
    }

    async fn redeem_enrolment_code(
        &self,
        code_hash: &str,
        device: &NewDevice,
    ) -> StoreResult<Result<Device, EnrolRefused>> {
        let outcome = on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            // The UPDATE claims the code; only one of two racing redemptions can win.
            let claimed: Option<Uuid> = sqlx::query_scalar(
                "UPDATE enrolment_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                 AND adviser_id IN (SELECT id FROM advisers WHERE active) RETURNING adviser_id",
            )
            .bind(code_hash)
            .bind(device.at)
            .fetch_optional(&mut *tx)
            .await
            .classify()?;
            match claimed {
                None => {
                    let rec: Option<CodeRec> = sqlx::query_as(
                        "SELECT c.expires_at, c.used_at, a.active FROM enrolment_codes c \
                         JOIN advisers a ON a.id = c.adviser_id WHERE c.code_hash = $1",
                    )
                    .bind(code_hash)
                    .fetch_optional(&mut *tx)
                    .await
                    .classify()?;
                    tx.rollback().await?;
                    Err(match rec {
                        None => EnrolRefused::Unknown,
                        Some(r) if r.used_at.is_some() => EnrolRefused::Used,
                        Some(r) if !r.active => EnrolRefused::AdviserInactive,
                        Some(r) if r.expires_at <= device.at => EnrolRefused::Expired,
                        Some(_) => EnrolRefused::Unknown,
                    })
                }
                Some(adviser) => {
                    sqlx::query("INSERT INTO devices (id, adviser_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(device.id.as_uuid())
                        .bind(adviser)
                        .bind(&device.name)
                        .bind(&device.token_hash)
                        .bind(device.at)
                        .execute(&mut *tx)
                        .await
                        .classify()?;
                    let actor = Actor::system("enrolment");
                    audit_in!(&mut *tx, actor, "device.enrol", device.id.to_string(), format!("adviser={} name={}", AdviserId::from_uuid(adviser), device.name))?;
                    tx.commit().await?;
                    Ok(Device {
                        id: device.id,
                        adviser: AdviserId::from_uuid(adviser),
                        name: device.name.clone(),
                        created_at: device.at,
                        last_seen_at: None,
                        revoked_at: None,
                    })
                }
            }
        });
        Ok(outcome)
    }

    async fn device_by_token(&self, token_hash: &str) -> StoreResult<Option<Device>> {
        let row: Option<DeviceRec> = on_db!(self, pool => sqlx::query_as(
            "SELECT d.id, d.adviser_id, d.name, d.created_at, d.last_seen_at, d.revoked_at FROM devices d \
             JOIN advisers a ON a.id = d.adviser_id WHERE d.token_hash = $1 AND d.revoked_at IS NULL AND a.active",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await
        .classify())?;
        Ok(row.map(Device::from))
    }

    async fn revoke_device(&self, actor: &Actor, device: DeviceId) -> StoreResult<()> {
        on_db!(self, pool => {
            let mut tx = crate::store::sql::write_tx(pool).await?;
            let done = sqlx::query("UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(device.as_uuid())
                .bind(now())
                .execute(&mut *tx)
                .await
                .classify()?;
            one_row(done.rows_affected(), "device")?;
            audit_in!(&mut *tx, actor, "device.revoke", device.to_string(), "")?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn orders_arrive_after(&self, adviser: AdviserId) -> StoreResult<Option<OffsetDateTime>> {
        let at: Option<OffsetDateTime> = on_db!(self, pool => sqlx::query_scalar(
            "SELECT MIN(COALESCE(previous_seen_at, created_at)) FROM devices WHERE adviser_id = $1 AND revoked_at IS NULL",
        )
        .bind(adviser.as_uuid())
        .fetch_one(pool)
        .await
        .classify())?;
        Ok(at)
    }

    async fn touch_device(&self, device: DeviceId, at: OffsetDateTime) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query(
            "UPDATE devices SET previous_seen_at = COALESCE(last_seen_at, created_at), last_seen_at = $2 WHERE id = $1",
        )
            .bind(device.as_uuid())
            .bind(at)
            .execute(pool)
            .await
            .map(|_| ())
            .classify())?;
        Ok(())
    }

    async fn set_push_token(
        &self,
        device: DeviceId,
        platform: &str,
        token: &str,
    ) -> StoreResult<()> {
        on_db!(self, pool => sqlx::query(
            "INSERT INTO push_tokens (device_id, platform, token, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (device_id) DO UPDATE SET platform = excluded.platform, token = excluded.token, updated_at = excluded.updated_at",
        )
        .bind(device.as_uuid())
        .bind(platform)
        .bind(token)
        .bind(now())
        .execute(pool)
        .await
        .map(|_| ())
        .classify())?;
        Ok(())
    }

    async fn push_token(&self, device: DeviceId) -> StoreResult<Option<(String, String)>> {
        Ok(
            on_db!(self, pool => sqlx::query_as("SELECT platform, token FROM push_tokens WHERE device_id = $1")
            .bind(device.as_uuid())
            .fetch_optional(pool)
            .await
            .classify())?,
        )
    }

    async fn forget_push_token(&self, device: DeviceId, token: &str) -> StoreResult<bool> {
        let gone = on_db!(self, pool => sqlx::query("DELETE FROM push_tokens WHERE device_id = $1 AND token = $2")
            .bind(device.as_uuid())
            .bind(token)
            .execute(pool)
            .await
            .classify()?
            .rows_affected());
        Ok(gone == 1)
    }
}
