//! PITR (point-in-time recovery): the statements ([`Pitr`] and friends), their range unit,
//! what `SHOW PITR` returns ([`PitrInfo`]) and the manager.

mod builder;
mod info;
mod manager;
mod unit;

pub use builder::{AlterPitr, CreatePitr, DropPitr, PITR_RANGE, Pitr, ShowPitr};
pub use info::PitrInfo;
pub use manager::PitrManager;
pub use unit::PitrUnit;
