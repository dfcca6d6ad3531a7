//! The field: advisers, their devices and how a device joins (enrolment).

pub mod api;
pub mod enrolment;
pub mod pages;
pub mod store;

/// The adviser with number `code` (e.g. `P0001`, any case), if there is one.
pub async fn find_adviser(
    store: &dyn crate::store::Store,
    code: &str,
) -> crate::store::StoreResult<Option<crate::store::Adviser>> {
    let filter = crate::store::AdviserFilter {
        text: code.trim().to_owned(),
        ..Default::default()
    };
    Ok(store
        .list_advisers(&filter)
        .await?
        .into_iter()
        .find(|a| a.code.eq_ignore_ascii_case(code.trim())))
}

/// The adviser with number `code`, or an error naming it (the store's own error
/// kept apart from "no such adviser").
pub async fn adviser_by_code(
    store: &dyn crate::store::Store,
    code: &str,
) -> anyhow::Result<crate::store::Adviser> {
    use anyhow::Context;
    find_adviser(store, code)
        .await?
        .with_context(|| format!("no active adviser with number {code:?}"))
}
