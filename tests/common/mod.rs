//! Helpers shared by the integration tests (each test crate uses a subset).
#![allow(dead_code)]

pub mod builtins;
pub mod corpus;
pub mod engines;
pub mod random_program;
