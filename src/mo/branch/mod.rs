//! DATA BRANCH, MatrixOne's "git for data" (3.0.5 and later): the statements ([`Branch`] and
//! friends), what DIFF returns ([`DiffRows`], [`DiffSummary`], ...), the typed conflict of MERGE
//! and PICK ([`BranchConflict`]) and the manager (`client.branches()`).
//!
//! Every statement needs MatrixOne 3.0.5 or later ([`crate::mo::Requires`]); on an older
//! MatrixOne, or on MySQL/MariaDB, it is refused before anything is sent
//! ([`crate::ErrorKind::UnsupportedServer`]).

mod builder;
mod conflict;
mod diff;
mod manager;

pub use builder::{
    Branch, BranchDiff, BranchDiffCount, BranchDiffFile, BranchDiffInto, BranchDiffSummary, BranchMerge,
    BranchPick, CreateBranch, DeleteBranch, OnConflict,
};
pub use conflict::BranchConflict;
pub use diff::{DiffFile, DiffFlag, DiffRow, DiffRows, DiffSide, DiffSummary, SideCounts};
pub use manager::BranchManager;
