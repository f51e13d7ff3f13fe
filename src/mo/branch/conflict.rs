//! [`BranchConflict`]: the row a MERGE or PICK stopped at, read from MatrixOne's error.

use crate::error::{Error, ErrorKind};
use crate::mo::DiffFlag;

/// A DATA BRANCH MERGE or PICK conflict: the same key changed on both sides with different
/// values, under `WHEN CONFLICT FAIL` (the default). Nothing was applied.
///
/// MatrixOne reports it as `internal error: conflict: <table> <FLAG> and <table> <FLAG> on
/// pk(<key>) with different values` (produced in pkg/frontend/data_branch_hashdiff.go and
/// data_branch_pick.go; seen in test/distributed/cases/git4data/branch/merge/merge_2.result).
/// The error's kind is [`ErrorKind::BranchConflict`]; [`BranchConflict::of`] reads the rest.
///
/// ```
/// use matrixone::{Error, ErrorKind};
/// use matrixone::mo::{BranchConflict, DiffFlag};
/// let err = Error::from_server(20101, "internal error: conflict: t2 INSERT and t1 INSERT on pk(1) with different values");
/// assert_eq!(err.kind(), ErrorKind::BranchConflict);
/// let conflict = BranchConflict::of(&err).unwrap();
/// assert_eq!(conflict.key, "1");
/// assert_eq!((conflict.source.as_str(), conflict.source_flag), ("t2", DiffFlag::Insert));
/// assert_eq!((conflict.target.as_str(), conflict.target_flag), ("t1", DiffFlag::Insert));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct BranchConflict {
    /// The first table the message names (the side whose change was being applied).
    pub source: String,
    /// How the row changed there.
    pub source_flag: DiffFlag,
    /// The second table the message names (the side the change met).
    pub target: String,
    /// How the row changed there.
    pub target_flag: DiffFlag,
    /// The primary key, as MatrixOne formatted it (a composite key as MatrixOne writes it, for
    /// example `(1,2)` or a quoted string).
    pub key: String,
}

impl BranchConflict {
    /// The conflict an error reports; `None` when the error is not a branch conflict.
    pub fn of(err: &Error) -> Option<BranchConflict> {
        if err.kind() != ErrorKind::BranchConflict {
            return None;
        }
        BranchConflict::parse(err.message())
    }

    /// Reads MatrixOne's conflict message (with or without its `internal error: ` prefix).
    pub fn parse(message: &str) -> Option<BranchConflict> {
        let at = message.find("conflict: ")?;
        let rest = &message[at + "conflict: ".len()..];
        let (sides, key) = rest.split_once(" on pk(")?;
        let key = key.strip_suffix(" with different values").unwrap_or(key);
        let key = key.strip_suffix(')')?;
        let (first, second) = sides.split_once(" and ")?;
        let side = |text: &str| -> Option<(String, DiffFlag)> {
            let (table, flag) = text.rsplit_once(' ')?;
            Some((table.to_owned(), DiffFlag::parse(flag)?))
        };
        let (source, source_flag) = side(first)?;
        let (target, target_flag) = side(second)?;
        Some(BranchConflict { source, source_flag, target, target_flag, key: key.to_owned() })
    }
}

impl std::fmt::Display for BranchConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:?} and {} {:?} on key {}",
            self.source, self.source_flag, self.target, self.target_flag, self.key
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_parse() {
        let c =
            BranchConflict::parse("conflict: dev UPDATE and main DELETE on pk('a b') with different values")
                .unwrap();
        assert_eq!(c.key, "'a b'");
        assert_eq!(c.source_flag, DiffFlag::Update);
        assert_eq!(c.target, "main");
        assert!(BranchConflict::parse("conflict: nonsense").is_none());
    }
}
