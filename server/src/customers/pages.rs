//! The customers' office pages: the list with its search and one customer's card,
//! the duplicate queue, the segments and the reminders; the card's price terms box.

pub mod assignment;
pub mod card;
pub mod custom;
pub mod duplicates;
mod erase_box;
pub mod fields;
mod form;
mod history;
pub mod list;
mod move_box;
pub mod reminders;
pub mod segments;
mod terms;
