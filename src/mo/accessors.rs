//! The managers: the seed's `client.snapshots()`, `client.clones()`, `client.restore()`,
//! `client.pitr()` and `client.moctl()`, and `client.branches()`, `client.publications()` and
//! `client.accounts()`, on [`crate::Client`] and on [`crate::Transaction`].
//!
//! Each is a thin, borrowed view over an [`crate::Executor`] that runs the typed statements of
//! [`crate::mo`] and adds what a single statement cannot: reading an object back after creating
//! it, "not found" as an error kind, and checking `mo_ctl`'s answer. Everything they do can
//! also be done with `executor.run(statement)`.
//!
//! MatrixOne refuses snapshot, restore and PITR statements inside an explicit transaction
//! (pkg/frontend/stmt_kind.go). On a [`crate::Transaction`], the managers follow that rule
//! ([`crate::mo::InTransaction`]): creating, dropping or restoring is refused before anything is
//! sent ([`crate::ErrorKind::NotAllowedInTransaction`]); listing and looking up snapshots and
//! PITRs read the catalog on another pooled connection; clones and `mo_ctl` run in the
//! transaction. Likewise for the newer ones: DATA BRANCH CREATE, DELETE and MERGE run in the
//! transaction and PICK is refused; account, user, role, grant and publication DDL is refused;
//! the listings run.

use crate::mo::vector::VectorIndexManager;
use crate::mo::{
    AccountManager, BranchManager, CloneManager, MoCtlManager, PitrManager, PublicationManager,
    RestoreManager, SnapshotManager,
};

/// The accessors, the same on `Client` and `Transaction`, async and blocking: the manager types
/// are named unqualified, so each caller gets the ones it imports (`crate::mo`'s here,
/// `crate::blocking`'s in blocking/managers.rs) and the two lists cannot drift apart.
macro_rules! manager_accessors {
    ($($ty:ty),+) => {$(
        impl $ty {
            /// Snapshots: create (and read back), list, get, exists, delete.
            pub fn snapshots(&self) -> SnapshotManager<'_, $ty> {
                SnapshotManager::new(self)
            }

            /// Database and table clones, now or at a snapshot.
            pub fn clones(&self) -> CloneManager<'_, $ty> {
                CloneManager::new(self)
            }

            /// Restores from snapshots and PITRs, in the grammar of the server's release line.
            pub fn restore(&self) -> RestoreManager<'_, $ty> {
                RestoreManager::new(self)
            }

            /// PITRs: create (and read back), list, get, exists, alter, delete.
            pub fn pitr(&self) -> PitrManager<'_, $ty> {
                PitrManager::new(self)
            }

            /// DATA BRANCH: create and delete branches, diff, merge and pick (MatrixOne 3.0.5+).
            pub fn branches(&self) -> BranchManager<'_, $ty> {
                BranchManager::new(self)
            }

            /// Publications and subscriptions (MatrixOne only).
            pub fn publications(&self) -> PublicationManager<'_, $ty> {
                PublicationManager::new(self)
            }

            /// Accounts, users, roles, grants and the session's identity (MatrixOne only).
            pub fn accounts(&self) -> AccountManager<'_, $ty> {
                AccountManager::new(self)
            }

            /// `mo_ctl` calls whose answer is checked.
            pub fn moctl(&self) -> MoCtlManager<'_, $ty> {
                MoCtlManager::new(self)
            }

            /// Vector indexes (IVF-FLAT, HNSW): create, drop, re-index, list.
            pub fn vector_indexes(&self) -> VectorIndexManager<'_, $ty> {
                VectorIndexManager::new(self)
            }
        }
    )+};
}

#[cfg(feature = "blocking")]
pub(crate) use manager_accessors;

manager_accessors!(crate::Client, crate::Transaction);
