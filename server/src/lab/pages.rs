//! The lab's office pages: the board.

pub mod board;
