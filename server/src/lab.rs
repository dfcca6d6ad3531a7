//! The lens lab: its board (orders by lab state, days in state, overdue in red, bulk
//! moves, a box for a scanned order number) and the job sheet of an order (a print
//! view and a PDF).

pub mod pages;
pub mod sheet;
pub mod store;
