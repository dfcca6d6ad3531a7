//! The orders' office pages: the list with its status moves.

pub mod list;
