//! Snapshots: the statements ([`Snapshot`] and friends), what `SHOW SNAPSHOTS` returns
//! ([`SnapshotInfo`]), reads at a snapshot ([`SnapshotRead`], the hints), and the manager.

mod builder;
mod info;
mod manager;
mod read;

pub use builder::{CreateSnapshot, DropSnapshot, ShowSnapshots, Snapshot};
pub use info::{SnapshotInfo, SnapshotLevel};
pub use manager::SnapshotManager;
pub use read::{ReadAt, ReadTimestamp, SnapshotRead, mo_ts_hint, snapshot_hint, timestamp_hint};
