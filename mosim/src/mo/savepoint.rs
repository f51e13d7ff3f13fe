//! Savepoints as MatrixOne answers them. `executeStmtWithWorkspace`
//! (pkg/frontend/mysql_cmd_executor.go) returns before running SAVEPOINT and RELEASE SAVEPOINT,
//! so they answer OK and do nothing (RELEASE of a savepoint never made included), and fails
//! ROLLBACK TO SAVEPOINT with `internal error: savepoint has not been implemented yet. please
//! rollback the transaction.`; the transaction stays open
//! (test/distributed/cases/pessimistic_transaction/savepoint.result). Forms as in
//! pkg/sql/parsers/dialect/mysql/mysql_sql.y (`savepoint_stmt`, `release_savepoint_stmt`,
//! `rollback_to_savepoint_stmt`); anything else goes to the backend, which reports its syntax.

use crate::error::SqlError;
use crate::sql::lexer::Token;

/// A savepoint statement, as MatrixOne treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Savepoint {
    /// `SAVEPOINT s` / `RELEASE SAVEPOINT s`: OK, nothing done.
    Ignored,
    /// `ROLLBACK [WORK] TO [SAVEPOINT] s`: refused.
    RollbackTo,
}

/// The savepoint statement `toks` is, if it is one in MatrixOne's grammar.
pub(crate) fn classify(toks: &[Token]) -> Option<Savepoint> {
    let words = |kws: &[&str]| toks.len() == kws.len() + 1 && toks.iter().zip(kws).all(|(t, kw)| t.is_kw(kw));
    toks.last()?.ident()?;
    if words(&["savepoint"]) || words(&["release", "savepoint"]) {
        return Some(Savepoint::Ignored);
    }
    let rollback_to = [
        &["rollback", "to"][..],
        &["rollback", "to", "savepoint"],
        &["rollback", "work", "to"],
        &["rollback", "work", "to", "savepoint"],
    ];
    rollback_to.iter().any(|kws| words(kws)).then_some(Savepoint::RollbackTo)
}

/// MatrixOne's answer to ROLLBACK TO SAVEPOINT.
pub(crate) fn rollback_to_refused() -> SqlError {
    SqlError::internal("savepoint has not been implemented yet. please rollback the transaction.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    fn of(sql: &str) -> Option<Savepoint> {
        classify(&tokenize(sql.as_bytes()))
    }

    #[test]
    fn the_grammar_forms() {
        assert_eq!(of("SAVEPOINT a"), Some(Savepoint::Ignored));
        assert_eq!(of("release savepoint `b c`"), Some(Savepoint::Ignored));
        for sql in
            ["ROLLBACK TO a", "rollback to savepoint a", "ROLLBACK WORK TO a", "ROLLBACK WORK TO SAVEPOINT a"]
        {
            assert_eq!(of(sql), Some(Savepoint::RollbackTo), "{sql}");
        }
        for sql in
            ["SAVEPOINT", "ROLLBACK", "ROLLBACK WORK", "RELEASE SAVEPOINT", "SAVEPOINT a b", "SELECT 1"]
        {
            assert_eq!(of(sql), None, "{sql}");
        }
    }
}
