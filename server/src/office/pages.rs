//! The office's pages: which roles see them, their titles, and the dispatch to
//! each page's component.

mod advisers;
mod audit;
mod dashboard;
mod orders;
mod shops;
mod users;

pub use advisers::ENROLMENT_CODE_MINUTES;

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Role};

use super::ui::Frame;

/// A page of the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// Numbers at a glance.
    Dashboard,
    /// Orders and their statuses.
    Orders,
    /// Field advisers and their devices.
    Advisers,
    /// Shops of the network.
    Shops,
    /// Staff users.
    Users,
    /// Who changed what, when.
    Audit,
}

impl Page {
    /// Every page, in navigation order.
    pub const ALL: [Page; 6] = [
        Page::Dashboard,
        Page::Orders,
        Page::Advisers,
        Page::Shops,
        Page::Users,
        Page::Audit,
    ];

    /// URL segment.
    pub fn slug(self) -> &'static str {
        match self {
            Page::Dashboard => "dashboard",
            Page::Orders => "orders",
            Page::Advisers => "advisers",
            Page::Shops => "shops",
            Page::Users => "users",
            Page::Audit => "audit",
        }
    }

    /// The page for a URL segment.
    pub fn from_slug(slug: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.slug() == slug)
    }

    /// Title in the navigation and the header.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Page::Dashboard => lang.pick("Přehled", "Dashboard"),
            Page::Orders => lang.pick("Objednávky", "Orders"),
            Page::Advisers => lang.pick("Poradci", "Advisers"),
            Page::Shops => lang.pick("Prodejny", "Shops"),
            Page::Users => lang.pick("Uživatelé", "Users"),
            Page::Audit => lang.pick("Auditní záznam", "Audit log"),
        }
    }

    /// Whether `role` may open the page.
    pub fn allowed(self, role: Role) -> bool {
        match self {
            Page::Dashboard | Page::Orders => role != Role::Adviser,
            Page::Advisers => matches!(role, Role::Admin | Role::Office),
            Page::Shops => matches!(role, Role::Admin | Role::Office | Role::Store),
            Page::Users | Page::Audit => role == Role::Admin,
        }
    }

    /// Whether `role` may change what the page shows.
    pub fn may_edit(self, role: Role) -> bool {
        match self {
            Page::Shops => role == Role::Admin,
            other => other.allowed(role),
        }
    }
}

/// The page's component inside the common frame.
#[component]
pub fn PageView(page: Page) -> Element {
    rsx! {
        Frame {
            match page {
                Page::Dashboard => rsx! { dashboard::Dashboard {} },
                Page::Orders => rsx! { orders::Orders {} },
                Page::Advisers => rsx! { advisers::Advisers {} },
                Page::Shops => rsx! { shops::Shops {} },
                Page::Users => rsx! { users::Users {} },
                Page::Audit => rsx! { audit::Audit {} },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_advisers_see_nothing() {
        for page in Page::ALL {
            assert_eq!(Page::from_slug(page.slug()), Some(page));
            assert!(!page.allowed(Role::Adviser));
            assert!(page.allowed(Role::Admin) && page.may_edit(Role::Admin));
        }
        assert!(Page::Shops.allowed(Role::Store) && !Page::Shops.may_edit(Role::Store));
        assert!(!Page::Users.allowed(Role::Office));
    }
}
