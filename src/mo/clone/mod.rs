//! Database and table clones: the statement ([`Clone`]) and the manager.

mod builder;
mod manager;

pub use builder::Clone;
pub use manager::CloneManager;
