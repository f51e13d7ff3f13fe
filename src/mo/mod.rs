//! MatrixOne's own statements: snapshots, clones, restore, PITR and `mo_ctl`, as typed builders.

mod dialect;

pub use dialect::Dialect;
