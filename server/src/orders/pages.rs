//! The orders' office pages: the list with its status moves, and one order's card.

pub mod card;
mod custom_box;
mod delivery;
pub mod list;
pub(crate) mod status;
