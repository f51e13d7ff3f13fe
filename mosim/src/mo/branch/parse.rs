//! Parses DATA BRANCH statements with MatrixOne's grammar (`branch_stmt`, `diff_columns_opt`,
//! `diff_output_opt`, `conflict_opt`, `pick_keys_clause` in
//! pkg/sql/parsers/dialect/mysql/mysql_sql.y). Table names may carry a `{SNAPSHOT = ...}`
//! hint, as MatrixOne's `table_name` does.

use std::ops::{Deref, DerefMut};

use crate::error::SqlError;
use crate::mo::branch::stmt::{BranchStmt, BranchTable, Conflict, DiffOutput, PickKeys, PickStmt};
use crate::sql::cursor::Cursor;
use crate::sql::lexer::{Kind, Token, lossy};
use crate::sql::parse::parse_hint_at;
use crate::sql::statement::TimeSpec;

/// Parses `toks` (the whole statement, starting at `DATA BRANCH`).
pub(crate) fn parse(sql: &[u8], toks: &[Token]) -> Result<BranchStmt, SqlError> {
    let mut p = P(Cursor::new(sql, toks, 0));
    p.expect_kw("data")?;
    p.expect_kw("branch")?;
    let stmt = if p.kw("create") {
        p.create()?
    } else if p.kw("delete") {
        if p.kw("table") {
            BranchStmt::DeleteTable(p.table_name()?)
        } else {
            p.expect_kw("database")?;
            BranchStmt::DeleteDatabase(p.ident()?)
        }
    } else if p.kw("diff") {
        let target = p.table()?;
        p.expect_kw("against")?;
        let base = p.table()?;
        let columns = if p.kw("columns") { Some(p.column_list()?) } else { None };
        let output = p.output()?;
        BranchStmt::Diff { target, base, columns, output }
    } else if p.kw("merge") {
        let src = p.table()?;
        p.expect_kw("into")?;
        let dst = p.table()?;
        BranchStmt::Merge { src, dst, conflict: p.conflict()? }
    } else if p.kw("pick") {
        let src = p.table()?;
        p.expect_kw("into")?;
        let dst = p.table()?;
        let between = if p.kw("between") {
            p.expect_kw("snapshot")?;
            let from = p.snapshot_name()?;
            p.expect_kw("and")?;
            let to = p.snapshot_name()?;
            Some((from, to))
        } else {
            None
        };
        let keys = if p.peek_kw("keys") {
            Some(p.keys()?)
        } else if between.is_none() {
            return Err(p.err());
        } else {
            None
        };
        BranchStmt::Pick(PickStmt { src, dst, between, keys, conflict: p.conflict()? })
    } else {
        return Err(p.err());
    };
    p.end()?;
    Ok(stmt)
}

/// The cursor DATA BRANCH's grammar reads with.
struct P<'a>(Cursor<'a>);

impl<'a> Deref for P<'a> {
    type Target = Cursor<'a>;

    fn deref(&self) -> &Cursor<'a> {
        &self.0
    }
}

impl DerefMut for P<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl P<'_> {
    /// `yylex.Error("OUTPUT LIMIT is out of range")`: MatrixOne's lexer reports the line and
    /// the column after the number, and quotes the text after the previous token
    /// (edge/branch_output_limit_range.result).
    fn out_of_range(&self, end: usize) -> SqlError {
        let from = if self.i == 0 { 0 } else { self.t[self.i - 1].end };
        let head = &self.sql[..end.min(self.sql.len())];
        let line = 1 + head.iter().filter(|&&b| b == b'\n').count();
        let column = end - head.iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1) + 1;
        SqlError::new(
            crate::error::ER_PARSE,
            format!(
                "SQL parser error: You have an error in your SQL syntax; check the manual that corresponds to \
                 your MatrixOne server version for the right syntax to use. OUTPUT LIMIT is out of range at \
                 line {line} column {column} near \"{}\";",
                lossy(&self.sql[from..])
            ),
        )
    }

    /// An optional `{...}` hint.
    fn hint(&mut self) -> Result<Option<TimeSpec>, SqlError> {
        if !self.peek().is_some_and(|t| t.is('{')) {
            return Ok(None);
        }
        let (spec, close) = parse_hint_at(self.sql, self.t, self.i)?;
        self.i = close + 1;
        Ok(Some(spec))
    }

    fn table(&mut self) -> Result<BranchTable, SqlError> {
        let name = self.table_name()?;
        let at = self.hint()?;
        Ok(BranchTable { name, at })
    }

    fn create(&mut self) -> Result<BranchStmt, SqlError> {
        if self.kw("table") {
            let dst = self.table_name()?;
            self.expect_kw("from")?;
            let src = self.table()?;
            let to_account = self.opt_to_account()?;
            return Ok(BranchStmt::CreateTable { dst, src, to_account });
        }
        self.expect_kw("database")?;
        let dst = self.ident()?;
        self.expect_kw("from")?;
        let src = self.ident()?;
        let at = self.hint()?;
        let to_account = self.opt_to_account()?;
        Ok(BranchStmt::CreateDatabase { dst, src, at, to_account })
    }

    fn column_list(&mut self) -> Result<Vec<String>, SqlError> {
        self.expect('(')?;
        let mut cols = vec![self.ident()?];
        while self.punct(',') {
            cols.push(self.ident()?);
        }
        self.expect(')')?;
        Ok(cols)
    }

    fn output(&mut self) -> Result<DiffOutput, SqlError> {
        if !self.kw("output") {
            return Ok(DiffOutput::Rows);
        }
        if self.kw("as") {
            return self.table_name().map(DiffOutput::As);
        }
        if self.kw("file") {
            return match self.peek().map(|t| &t.kind) {
                Some(Kind::Str(s)) => {
                    let s = s.clone();
                    self.i += 1;
                    Ok(DiffOutput::File(s))
                }
                _ => Err(self.err()),
            };
        }
        if self.kw("limit") {
            return match self.peek().map(|t| (&t.kind, t.end)) {
                Some((Kind::Word(w), end)) if w.bytes().all(|b| b.is_ascii_digit()) => {
                    // `util.GetInt64` in the grammar action: beyond int64 is a parse error.
                    let Ok(n) = w.parse::<i64>() else {
                        return Err(self.out_of_range(end));
                    };
                    self.i += 1;
                    Ok(DiffOutput::Limit(n.unsigned_abs()))
                }
                _ => Err(self.err()),
            };
        }
        if self.kw("count") {
            return Ok(DiffOutput::Count);
        }
        if self.kw("summary") {
            return Ok(DiffOutput::Summary);
        }
        Err(self.err())
    }

    fn conflict(&mut self) -> Result<Option<Conflict>, SqlError> {
        if !self.kw("when") {
            return Ok(None);
        }
        self.expect_kw("conflict")?;
        if self.kw("fail") {
            Ok(Some(Conflict::Fail))
        } else if self.kw("skip") {
            Ok(Some(Conflict::Skip))
        } else if self.kw("accept") {
            Ok(Some(Conflict::Accept))
        } else {
            Err(self.err())
        }
    }

    /// `BETWEEN SNAPSHOT` operands: an identifier (folded, as `GetDbOrTblName` does) or a
    /// string (verbatim).
    fn snapshot_name(&mut self) -> Result<String, SqlError> {
        match self.peek().map(|t| &t.kind) {
            Some(Kind::Str(s)) => {
                let s = s.clone();
                self.i += 1;
                Ok(s)
            }
            _ => self.ident().map(|s| s.to_lowercase()),
        }
    }

    /// `KEYS ( expression_list )` or `KEYS ( select )`, kept as the client's text.
    fn keys(&mut self) -> Result<PickKeys, SqlError> {
        self.expect_kw("keys")?;
        self.expect('(')?;
        let is_query = self.peek_kw("select") || self.peek_kw("with");
        let mut depth = 0usize;
        let mut items = Vec::new();
        let mut start = self.peek().map(|t| t.start).ok_or_else(|| self.err())?;
        loop {
            let Some(t) = self.peek() else { return Err(self.err()) };
            if t.is('(') {
                depth += 1;
            } else if t.is(')') {
                if depth == 0 {
                    items.push(lossy(&self.sql[start..t.start]).trim().to_owned());
                    self.i += 1;
                    break;
                }
                depth -= 1;
            } else if t.is(',') && depth == 0 && !is_query {
                items.push(lossy(&self.sql[start..t.start]).trim().to_owned());
                start = t.end;
            }
            self.i += 1;
        }
        if items.iter().any(String::is_empty) {
            return Err(self.err());
        }
        if is_query {
            return Ok(PickKeys::Query(items.concat()));
        }
        Ok(PickKeys::Values(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;
    use crate::sql::statement::TableName;

    fn p(sql: &str) -> Result<BranchStmt, SqlError> {
        parse(sql.as_bytes(), &tokenize(sql.as_bytes()))
    }

    #[test]
    fn forms_from_the_result_files() {
        // git4data/branch/merge/merge_4.sql, diff/diff_1.sql, privilege/branch_privilege.sql,
        // edge/branch_edge_cases.sql, pick/pick_10.sql, metadata/branch_metadata_tenant.sql.
        for sql in [
            "data branch create table t1 from t0{snapshot=\"sp0\"};",
            "data branch create table `quote'dst` from `quote'src`",
            "data branch create database br_to_acc from br_sys_src{snapshot=\"sp\"} to account `acc-branch`",
            "data branch diff t2{snapshot=\"sp2\"} against t1{snapshot=\"sp1\"}",
            "data branch diff br_diff.target against br_diff.base output count",
            "data branch diff wide_branch against wide_base output summary",
            "data branch diff child against base columns (id) output limit 0",
            "data branch diff br_diff.target against br_diff.base output as br_diff.diff_out",
            "data branch diff a against b output file '/tmp/'",
            "data branch merge merge_leaf into merge_base when conflict accept",
            "data branch pick src into dst keys(2, 4) when conflict accept",
            "data branch pick br_pick.src into br_pick.dst keys(select k from br_pick.pick_keys)",
            "data branch pick t1 into t2 between snapshot sp1 and sp2 when conflict fail",
            "data branch delete table br_meta_db.branch_tbl",
            "data branch delete database dst_db",
        ] {
            assert!(p(sql).is_ok(), "{sql}: {:?}", p(sql));
        }
    }

    #[test]
    fn forms_an_sdk_renders() {
        for sql in [
            "DATA BRANCH CREATE TABLE `db`.`t2` FROM `db`.`t1` {SNAPSHOT = 's1'} TO ACCOUNT `sys`",
            "DATA BRANCH CREATE DATABASE `d2` FROM `d1` {SNAPSHOT = 's1'}",
            "DATA BRANCH DIFF `db`.`t2` {SNAPSHOT = 's2'} AGAINST `db`.`t1` {MO_TS = 1700000000000000000} \
             COLUMNS (`a`, `b c`) OUTPUT LIMIT 10",
            "DATA BRANCH DIFF `t2` AGAINST `t1` {TIMESTAMP = '2026-01-02 03:04:05'} OUTPUT AS `db`.`out`",
            "DATA BRANCH DIFF `t2` AGAINST `t1` OUTPUT FILE '/tmp/x'",
            "DATA BRANCH MERGE `db`.`t2` INTO `db`.`t1` WHEN CONFLICT ACCEPT",
            "DATA BRANCH PICK `t2` INTO `t1` KEYS ('a''b', 'c') WHEN CONFLICT FAIL",
            "DATA BRANCH PICK `t2` INTO `t1` BETWEEN SNAPSHOT `s1` AND `s2` KEYS (SELECT `k` FROM `ks`)",
            "DATA BRANCH DELETE DATABASE `d2`",
        ] {
            assert!(p(sql).is_ok(), "{sql}: {:?}", p(sql));
        }
        let BranchStmt::Pick(pick) =
            p("DATA BRANCH PICK `t2` INTO `t1` BETWEEN SNAPSHOT `S1` AND 'S2'").unwrap()
        else {
            panic!()
        };
        assert_eq!(pick.between, Some(("s1".to_owned(), "S2".to_owned())));
    }

    #[test]
    fn pieces() {
        assert_eq!(
            p("data branch pick s into d keys((1, 'a'), (2, 'b')) when conflict skip").unwrap(),
            BranchStmt::Pick(PickStmt {
                src: BranchTable { name: TableName { db: None, table: "s".into() }, at: None },
                dst: BranchTable { name: TableName { db: None, table: "d".into() }, at: None },
                between: None,
                keys: Some(PickKeys::Values(vec!["(1, 'a')".into(), "(2, 'b')".into()])),
                conflict: Some(Conflict::Skip),
            })
        );
        let BranchStmt::Diff { target, columns, output, .. } =
            p("data branch diff t{snapshot = 'S1'} against u columns (a, b) output limit 3").unwrap()
        else {
            panic!()
        };
        assert_eq!(target.at, Some(TimeSpec::Snapshot("S1".into())));
        assert_eq!(columns, Some(vec!["a".into(), "b".into()]));
        assert_eq!(output, DiffOutput::Limit(3));
        assert_eq!(p("data branch merge a into b when conflict maybe").unwrap_err().code, 1064);
        // edge/branch_output_limit_range.result.
        assert_eq!(
            p("data branch diff issue_26038_missing_a against issue_26038_missing_b\noutput limit 9223372036854775808;")
                .unwrap_err()
                .message,
            "SQL parser error: You have an error in your SQL syntax; check the manual that corresponds to your \
             MatrixOne server version for the right syntax to use. OUTPUT LIMIT is out of range at line 2 column 33 \
             near \" 9223372036854775808;\";"
        );
        assert!(p("data branch diff a against b output limit 9223372036854775807").is_ok());
        assert_eq!(p("data branch pick a into b").unwrap_err().code, 1064);
        assert_eq!(p("data branch log t").unwrap_err().code, 1064);
    }
}
