//! `mo_ctl`: the call ([`MoCtl`]), its parsed answer ([`MoCtlResponse`]) and the manager.

mod builder;
mod manager;
mod response;

pub use builder::MoCtl;
pub use manager::MoCtlManager;
pub use response::MoCtlResponse;
