//! The customers' office pages: the list with its search and one customer's card.

pub mod card;
mod form;
pub mod list;
