//! The customers' office pages: the list with its search and one customer's card,
//! the duplicate queue and the segments.

pub mod card;
pub mod duplicates;
mod form;
mod history;
pub mod list;
pub mod segments;
