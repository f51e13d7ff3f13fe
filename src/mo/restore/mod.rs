//! RESTORE from a snapshot or a PITR: the statement ([`Restore`]), the PITR timestamp it
//! takes ([`PitrTimestamp`]) and the manager.

mod builder;
mod manager;
mod timestamp;

pub use builder::Restore;
pub use manager::RestoreManager;
pub use timestamp::PitrTimestamp;
