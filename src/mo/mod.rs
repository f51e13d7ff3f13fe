//! MatrixOne's own statements: snapshots, clones, restore, PITR and `mo_ctl`, as typed builders.

mod dialect;
mod statement;

pub use dialect::Dialect;
pub use statement::MoStatement;
