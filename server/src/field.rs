//! The field: advisers, their devices and how a device joins (enrolment).

pub mod api;
pub mod enrolment;
pub mod pages;
pub mod store;

/// The active adviser with number `code` (e.g. `P0001`, any case).
pub async fn adviser_by_code(
    store: &dyn crate::store::Store,
    code: &str,
) -> anyhow::Result<crate::store::Adviser> {
    use anyhow::Context;
    let filter = crate::store::AdviserFilter {
        text: code.to_owned(),
        ..Default::default()
    };
    store
        .list_advisers(&filter)
        .await?
        .into_iter()
        .find(|a| a.code.eq_ignore_ascii_case(code))
        .with_context(|| format!("no active adviser with number {code:?}"))
}
