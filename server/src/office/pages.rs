//! The office's pages, in navigation order: the one list that routing, the
//! navigation and the role gates read. Each page is a module in its domain's folder
//! (`<domain>/pages/`; the dashboard and the audit log are the shell's) that declares its
//! `PAGE` (slug, titles, roles, component; see `page.rs`); adding a page means
//! writing its module and one line in [`PAGES`]. Only the shell's entry
//! (`office.rs`) reads this list; the pages never import it.

mod audit;
mod dashboard;

use crate::api::pages::keys as api_keys;
use crate::bookings::page as bookings;
use crate::campaigns::page as campaigns;
use crate::care::page as notifications;
use crate::catalog::pages::{discounts, products};
use crate::commission::ledger as commission;
use crate::commission::page as commission_rules;
use crate::commission::payouts_page as payouts;
use crate::commission::report_page as commission_report;
use crate::complaints::page as complaints;
use crate::customers::pages::assignment;
use crate::customers::pages::duplicates;
use crate::customers::pages::fields;
use crate::customers::pages::list as customers;
use crate::customers::pages::reminders;
use crate::customers::pages::segments;
use crate::field::pages::advisers;
use crate::lab::pages::board as lab;
use crate::money::pages::{bank, invoices, receivables};
use crate::money::pohoda::page as pohoda;
use crate::money::till::page as till;
use crate::network::pages::{shops, users};
use crate::orders::pages::list as orders;
use crate::stock::pages::stock;

pub use advisers::ENROLMENT_CODE_MINUTES;

use super::page::PageSpec;

/// Every page of the office, in navigation order.
pub const PAGES: &[PageSpec] = &[
    dashboard::PAGE,
    orders::PAGE,
    customers::PAGE,
    duplicates::PAGE,
    segments::PAGE,
    campaigns::PAGE,
    reminders::PAGE,
    complaints::PAGE,
    bookings::PAGE,
    notifications::PAGE,
    assignment::PAGE,
    fields::PAGE,
    lab::PAGE,
    bank::PAGE,
    receivables::PAGE,
    invoices::PAGE,
    till::PAGE,
    pohoda::PAGE,
    commission::PAGE,
    commission_report::PAGE,
    payouts::PAGE,
    commission_rules::PAGE,
    products::PAGE,
    discounts::PAGE,
    stock::PAGE,
    advisers::PAGE,
    shops::PAGE,
    users::PAGE,
    api_keys::PAGE,
    audit::PAGE,
];

/// The page `/office` opens, and the one an unknown live page falls back to.
pub const HOME: &PageSpec = &dashboard::PAGE;

/// The page for a URL segment.
pub fn find(slug: &str) -> Option<&'static PageSpec> {
    PAGES.iter().find(|p| p.slug == slug)
}

#[cfg(test)]
mod tests {
    use fieldcase_shared::Role;

    use super::*;

    #[test]
    fn slugs_round_trip_and_advisers_see_nothing() {
        for (i, page) in PAGES.iter().enumerate() {
            assert_eq!(find(page.slug).map(|p| p.slug), Some(page.slug));
            assert_eq!(
                PAGES.iter().position(|p| p.slug == page.slug),
                Some(i),
                "one page per slug: {page:?}"
            );
            assert!(!page.may_open(Role::Adviser));
            assert!(page.may_open(Role::Admin) && page.may_edit(Role::Admin));
        }
        assert!(shops::PAGE.may_open(Role::Store) && !shops::PAGE.may_edit(Role::Store));
        assert!(!users::PAGE.may_open(Role::Office));
        assert_eq!(HOME.slug, "dashboard");
    }

    /// The whole gate as a table: which role may open (o) and edit (e) which page.
    #[test]
    fn who_may_open_and_edit_each_page() {
        use Role::*;
        let roles = [
            Adviser,
            Office,
            Store,
            Lab,
            Accounting,
            CustomerService,
            Admin,
        ];
        assert_eq!(roles, Role::ALL, "a new role needs its column here");
        let expected = [
            ("dashboard", ["-", "oe", "oe", "oe", "oe", "oe", "oe"]),
            ("orders", ["-", "oe", "oe", "oe", "oe", "oe", "oe"]),
            ("customers", ["-", "oe", "oe", "o", "o", "oe", "oe"]),
            ("duplicates", ["-", "oe", "oe", "o", "o", "oe", "oe"]),
            ("segments", ["-", "oe", "-", "-", "-", "oe", "oe"]),
            ("campaigns", ["-", "oe", "-", "-", "-", "oe", "oe"]),
            ("reminders", ["-", "oe", "o", "o", "o", "oe", "oe"]),
            ("complaints", ["-", "oe", "o", "o", "o", "oe", "oe"]),
            ("bookings", ["-", "oe", "oe", "-", "-", "oe", "oe"]),
            ("notifications", ["-", "oe", "-", "-", "-", "oe", "oe"]),
            ("assignment", ["-", "oe", "o", "o", "o", "o", "oe"]),
            ("fields", ["-", "o", "o", "o", "o", "o", "oe"]),
            ("lab", ["-", "oe", "oe", "oe", "-", "-", "oe"]),
            ("bank", ["-", "o", "-", "-", "oe", "-", "oe"]),
            ("receivables", ["-", "o", "-", "-", "oe", "-", "oe"]),
            ("invoices", ["-", "oe", "oe", "-", "oe", "-", "oe"]),
            ("till", ["-", "o", "oe", "-", "o", "-", "oe"]),
            ("pohoda", ["-", "-", "-", "-", "oe", "-", "oe"]),
            ("commission", ["-", "o", "-", "-", "oe", "-", "oe"]),
            ("commission-report", ["-", "o", "-", "-", "oe", "-", "oe"]),
            ("payouts", ["-", "o", "-", "-", "oe", "-", "oe"]),
            ("commission-rules", ["-", "o", "-", "-", "oe", "-", "oe"]),
            ("products", ["-", "oe", "oe", "oe", "oe", "oe", "oe"]),
            ("discounts", ["-", "oe", "o", "o", "o", "o", "oe"]),
            ("stock", ["-", "oe", "oe", "o", "o", "o", "oe"]),
            ("advisers", ["-", "oe", "-", "-", "-", "-", "oe"]),
            ("shops", ["-", "o", "o", "-", "-", "-", "oe"]),
            ("users", ["-", "-", "-", "-", "-", "-", "oe"]),
            ("api-keys", ["-", "oe", "oe", "oe", "oe", "oe", "oe"]),
            ("audit", ["-", "-", "-", "-", "-", "-", "oe"]),
        ];
        let actual: Vec<(&str, Vec<&str>)> = PAGES
            .iter()
            .map(|page| {
                let cells = roles
                    .iter()
                    .map(|r| match (page.may_open(*r), page.may_edit(*r)) {
                        (true, true) => "oe",
                        (true, false) => "o",
                        (false, true) => "e?",
                        (false, false) => "-",
                    })
                    .collect();
                (page.slug, cells)
            })
            .collect();
        let expected: Vec<(&str, Vec<&str>)> = expected
            .iter()
            .map(|(slug, cells)| (*slug, cells.to_vec()))
            .collect();
        assert_eq!(actual, expected);
    }
}
