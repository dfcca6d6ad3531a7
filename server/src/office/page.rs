//! What an office page declares to the shell: its URL segment, its title, who may
//! open it, who may change what it shows, and its component. Each page module
//! declares its `PAGE`; only the shell's list (`pages.rs`) names them all, so the
//! shell (routing, navigation, the role gates) never matches on a page.

use dioxus::prelude::*;
use fieldcase_shared::{Lang, Role};

/// Who may do something on a page.
#[derive(Debug, Clone, Copy)]
pub enum Roles {
    /// Everyone who may use the office: every role but the adviser (who uses the
    /// phone app).
    Staff,
    /// These roles only.
    Only(&'static [Role]),
}

impl Roles {
    /// Whether `role` is one of them.
    pub fn include(self, role: Role) -> bool {
        match self {
            Roles::Staff => role != Role::Adviser,
            Roles::Only(roles) => roles.contains(&role),
        }
    }
}

/// A page of the office, as its module declares it (`pub const PAGE: PageSpec`).
#[derive(Clone, Copy)]
pub struct PageSpec {
    /// URL segment: the page is `/office/{slug}`, its socket `/office/live/{slug}`.
    pub slug: &'static str,
    /// Title in the navigation and the header, in Czech.
    pub title_cs: &'static str,
    /// Title in the navigation and the header, in English.
    pub title_en: &'static str,
    /// Who may open the page. Checked when the page is served, when its socket
    /// opens and on every message from the browser (`live::gated`).
    pub open: Roles,
    /// Who may change what it shows, among those who may open it; every action
    /// checks it again (`live::Ctx::authorize`).
    pub edit: Roles,
    /// The page's component, drawn inside the office's frame.
    pub component: fn() -> Element,
}

impl PageSpec {
    /// Title in the navigation and the header.
    pub fn title(&self, lang: Lang) -> &'static str {
        lang.pick(self.title_cs, self.title_en)
    }

    /// Whether `role` may open the page.
    pub fn may_open(&self, role: Role) -> bool {
        self.open.include(role)
    }

    /// Whether `role` may change what the page shows.
    pub fn may_edit(&self, role: Role) -> bool {
        self.may_open(role) && self.edit.include(role)
    }
}

impl std::fmt::Debug for PageSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageSpec")
            .field("slug", &self.slug)
            .field("open", &self.open)
            .field("edit", &self.edit)
            .finish_non_exhaustive()
    }
}
