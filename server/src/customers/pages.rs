//! The customers' office pages: the list with its search and one customer's card.

pub mod card;
pub mod duplicates;
mod form;
mod history;
pub mod list;
