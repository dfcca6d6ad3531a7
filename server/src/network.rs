//! The network: shops and the staff who work in them (office, stores, lab,
//! accounting, customer service).

pub mod cli;
pub mod pages;
pub mod staff;
pub mod store;
