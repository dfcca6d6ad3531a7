//! fieldcase-server — the hub: sync with the advisers' phones, the office web app
//! and the JSON API, on SQLite (embedded) or PostgreSQL.

pub mod api;
pub mod auth;
pub mod blobs;
pub mod bookings;
pub mod campaigns;
pub mod care;
pub mod catalog;
pub mod cli;
pub mod commission;
pub mod complaints;
pub mod config;
pub mod customers;
pub mod demo;
pub mod error;
pub mod field;
pub mod http;
pub mod integrations;
pub mod lab;
pub mod money;
pub mod network;
pub mod office;
pub mod orders;
pub mod pdf;
pub mod service;
pub mod state;
pub mod stock;
pub mod store;
pub mod sync;
pub mod throttle;
pub mod xml;

pub use config::Config;
pub use http::serve;
pub use state::AppState;
pub use store::{SqlStore, Store};
