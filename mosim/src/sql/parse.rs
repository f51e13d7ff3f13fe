//! Recognises the MatrixOne-only statements (reference §1-5) and parses them with
//! MatrixOne's grammar; everything else is [`Parsed::Plain`] and goes to MariaDB.

use std::ops::{Deref, DerefMut};

use crate::config::Dialect;
use crate::error::SqlError;
use crate::sql::cursor::Cursor;
use crate::sql::lexer::{Kind, Token, lossy};
use crate::sql::statement::{MoStmt, RestoreTarget, Scope, TimeSpec};

/// The outcome of recognising one statement.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// A statement mosim carries out itself.
    Mo(MoStmt),
    /// Plain SQL for the backend (after hint rewriting).
    Plain,
}

/// Parses `sql` (already tokenized) if it is a MatrixOne-only statement.
pub(crate) fn parse(sql: &[u8], toks: &[Token], dialect: Dialect) -> Result<Parsed, SqlError> {
    let mut p = P { c: Cursor::new(sql, toks, 0), dialect };
    p.statement()
}

/// A MatrixOne parse error after byte `pos` of `sql`, which may be in any character set.
pub(crate) fn syntax_error(sql: &[u8], pos: usize) -> SqlError {
    let pos = pos.min(sql.len());
    let head = lossy(&sql[..pos]);
    SqlError::syntax(&format!("{head}{}", lossy(&sql[pos..])), head.len())
}

/// The cursor, with the dialect whose grammar applies.
struct P<'a> {
    c: Cursor<'a>,
    dialect: Dialect,
}

impl<'a> Deref for P<'a> {
    type Target = Cursor<'a>;

    fn deref(&self) -> &Cursor<'a> {
        &self.c
    }
}

impl DerefMut for P<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.c
    }
}

impl P<'_> {
    /// The text after WHERE up to a trailing `;`, as written.
    fn filter(&mut self) -> Result<Option<String>, SqlError> {
        if !self.kw("where") {
            self.end()?;
            return Ok(None);
        }
        let start = self.peek().map(|t| t.start).ok_or_else(|| self.err())?;
        let mut end = start;
        for t in &self.t[self.i..] {
            if !t.is(';') {
                end = t.end;
            }
        }
        self.i = self.t.len();
        Ok(Some(lossy(&self.sql[start..end])))
    }

    fn statement(&mut self) -> Result<Parsed, SqlError> {
        if self.peek_kw("data") && self.t.get(self.i + 1).is_some_and(|t| t.is_kw("branch")) {
            let stmt = crate::mo::branch::parse::parse(self.sql, &self.t[self.i..])?;
            return Ok(Parsed::Mo(MoStmt::Branch(Box::new(stmt))));
        }
        if let Some(what) = self.not_simulated() {
            return Ok(Parsed::Mo(MoStmt::NotSimulated(what)));
        }
        let stmt = if self.kw("create") {
            self.create()?
        } else if self.kw("drop") {
            self.drop()?
        } else if self.kw("alter") {
            if !self.kw("pitr") {
                return Ok(Parsed::Plain);
            }
            let if_exists = self.if_exists()?;
            let name = self.lower_ident()?;
            let (value, unit) = self.range()?;
            self.end()?;
            Some(MoStmt::AlterPitr { if_exists, name, value, unit })
        } else if self.kw("show") {
            if self.kw("snapshots") {
                Some(MoStmt::ShowSnapshots { filter: self.filter()? })
            } else if self.kw("pitr") {
                Some(MoStmt::ShowPitr { filter: self.filter()? })
            } else if self.kw("publications") {
                Some(MoStmt::ShowPublications)
            } else {
                None
            }
        } else if self.kw("restore") {
            Some(self.restore()?)
        } else if self.kw("select") {
            self.mo_ctl()?
        } else {
            None
        };
        Ok(stmt.map_or(Parsed::Plain, Parsed::Mo))
    }

    /// MatrixOne-only statements outside mosim's scope, recognised by their first words.
    fn not_simulated(&self) -> Option<&'static str> {
        let w = |i: usize, k: &str| self.t.get(self.i + i).is_some_and(|t| t.is_kw(k));
        if (w(0, "create") || w(0, "alter") || w(0, "drop")) && w(1, "publication") {
            Some("PUBLICATION")
        } else if w(0, "show") && w(1, "subscriptions") {
            Some("SHOW SUBSCRIPTIONS")
        } else if (w(0, "create") || w(0, "alter") || w(0, "drop")) && w(1, "account") {
            Some("ACCOUNT")
        } else if w(0, "show") && w(1, "accounts") {
            Some("SHOW ACCOUNTS")
        } else {
            None
        }
    }

    fn create(&mut self) -> Result<Option<MoStmt>, SqlError> {
        if self.kw("snapshot") {
            let if_not_exists = self.if_not_exists()?;
            let name = self.lower_ident()?;
            self.expect_kw("for")?;
            let scope = if self.kw("cluster") {
                Scope::Cluster
            } else if self.kw("account") {
                if self.peek().is_none() || self.peek_is(';') {
                    Scope::Account(None)
                } else {
                    Scope::Account(Some(self.lower_ident()?))
                }
            } else if self.kw("database") {
                Scope::Database(self.ident()?)
            } else if self.kw("table") {
                let db = self.ident()?;
                Scope::Table(db, self.ident()?)
            } else {
                return Err(self.err());
            };
            self.end()?;
            return Ok(Some(MoStmt::CreateSnapshot { if_not_exists, name, scope }));
        }
        if self.kw("pitr") {
            return self.create_pitr().map(Some);
        }
        if self.kw("database") || self.kw("schema") {
            let if_not_exists = self.if_not_exists()?;
            let dst = self.ident()?;
            if !self.kw("clone") {
                return Ok(None);
            }
            let src = self.ident()?;
            let at = self.hint()?;
            let to_account = self.opt_to_account()?;
            self.end()?;
            return Ok(Some(MoStmt::CloneDatabase { if_not_exists, dst, src, at, to_account }));
        }
        let _temporary = self.kw("temporary");
        if !self.kw("table") {
            return Ok(None);
        }
        let if_not_exists = self.if_not_exists()?;
        let Ok(dst) = self.table_name() else {
            return Ok(None);
        };
        if !self.kw("clone") {
            return Ok(None);
        }
        let src = self.table_name()?;
        let at = self.hint()?;
        if self.kw("copy") {
            self.expect_kw("grants")?;
        }
        let to_account = self.opt_to_account()?;
        self.end()?;
        Ok(Some(MoStmt::CloneTable { if_not_exists, dst, src, at, to_account }))
    }

    fn create_pitr(&mut self) -> Result<MoStmt, SqlError> {
        let if_not_exists = self.if_not_exists()?;
        let name = self.lower_ident()?;
        let scope = if self.kw("for") {
            if self.kw("cluster") {
                Scope::Cluster
            } else if self.kw("account") {
                if self.peek_kw("range") {
                    Scope::Account(None)
                } else {
                    Scope::Account(Some(self.lower_ident()?))
                }
            } else if self.kw("database") {
                let db = self.ident()?;
                if self.kw("table") { Scope::Table(db, self.ident()?) } else { Scope::Database(db) }
            } else if self.kw("table") {
                let db = self.ident()?;
                Scope::Table(db, self.ident()?)
            } else {
                return Err(self.err());
            }
        } else {
            Scope::Account(None)
        };
        let (value, unit) = self.range()?;
        let _ = self.kw("internal");
        self.end()?;
        Ok(MoStmt::CreatePitr { if_not_exists, name, scope, value, unit })
    }

    fn range(&mut self) -> Result<(u64, String), SqlError> {
        self.expect_kw("range")?;
        let value = self.integer()?;
        let unit = self.string()?;
        Ok((value, unit))
    }

    fn drop(&mut self) -> Result<Option<MoStmt>, SqlError> {
        if self.kw("snapshot") {
            let if_exists = self.if_exists()?;
            let name = self.lower_ident()?;
            self.end()?;
            return Ok(Some(MoStmt::DropSnapshot { if_exists, name }));
        }
        if self.kw("pitr") {
            let if_exists = self.if_exists()?;
            let name = self.lower_ident()?;
            let _ = self.kw("internal");
            self.end()?;
            return Ok(Some(MoStmt::DropPitr { if_exists, name }));
        }
        // Plain DROPs that mosim intercepts to keep history; anything it does not
        // understand stays plain SQL for MariaDB. mosim's catalog keeps names as UTF-8, so
        // a name in another character set is left to MariaDB (its history is not kept).
        let Ok(text) = std::str::from_utf8(self.sql) else {
            return Ok(None);
        };
        let original = text.trim().trim_end_matches(';').to_owned();
        let start = self.i;
        if self.kw("table") {
            let if_exists = self.if_exists().unwrap_or(false);
            let mut tables = Vec::new();
            while let Ok(t) = self.table_name() {
                tables.push(t);
                if !self.punct(',') {
                    break;
                }
            }
            let _ = self.kw("restrict") || self.kw("cascade");
            if !tables.is_empty() && self.end().is_ok() {
                return Ok(Some(MoStmt::DropTable { if_exists, tables, original }));
            }
        } else if self.kw("database") || self.kw("schema") {
            let _ = self.if_exists();
            if let Ok(name) = self.ident()
                && self.end().is_ok()
            {
                return Ok(Some(MoStmt::DropDatabase { name, original }));
            }
        }
        self.i = start;
        Ok(None)
    }

    /// An optional `{...}` table hint (reference §1a `table_snapshot_opt`).
    fn hint(&mut self) -> Result<Option<TimeSpec>, SqlError> {
        if !self.punct('{') {
            return Ok(None);
        }
        let spec = parse_hint_body(self)?;
        self.expect('}')?;
        Ok(Some(spec))
    }

    /// The v4 restore clause `{SNAPSHOT = name}`; the name is lower-cased in both forms.
    fn restore_snapshot(&mut self) -> Result<String, SqlError> {
        self.expect('{')?;
        self.expect_kw("snapshot")?;
        self.expect('=')?;
        let name = match self.peek().map(|t| &t.kind) {
            Some(Kind::Str(_)) => self.string()?,
            _ => self.ident()?,
        };
        self.expect('}')?;
        Ok(name.to_lowercase())
    }

    fn pitr_tail(&mut self, target: RestoreTarget) -> Result<MoStmt, SqlError> {
        self.expect_kw("pitr")?;
        let pitr = self.lower_ident()?;
        let ts = self.string()?;
        let mut source_account = None;
        if matches!(target, RestoreTarget::Account(Some(_))) && !self.peek_is(';') && self.peek().is_some() {
            let _ = self.kw("as");
            source_account = Some(self.lower_ident()?);
        }
        self.end()?;
        Ok(MoStmt::RestorePitr { target, pitr, ts, source_account })
    }

    fn v3_snapshot_tail(&mut self, target: RestoreTarget) -> Result<MoStmt, SqlError> {
        self.expect_kw("snapshot")?;
        let snapshot = self.lower_ident()?;
        let to_account =
            if matches!(target, RestoreTarget::Account(_)) { self.opt_to_account()? } else { None };
        self.end()?;
        Ok(MoStmt::RestoreSnapshot { target, snapshot, to_account })
    }

    fn restore(&mut self) -> Result<MoStmt, SqlError> {
        let v4 = self.dialect == Dialect::V4;
        if self.kw("cluster") {
            if v4 && self.peek_is('{') {
                let snapshot = self.restore_snapshot()?;
                self.end()?;
                return Ok(MoStmt::RestoreSnapshot {
                    target: RestoreTarget::Cluster,
                    snapshot,
                    to_account: None,
                });
            }
            self.expect_kw("from")?;
            if !v4 && self.peek_kw("snapshot") {
                return self.v3_snapshot_tail(RestoreTarget::Cluster);
            }
            return self.pitr_tail(RestoreTarget::Cluster);
        }
        if self.kw("account") {
            let account = self.lower_ident()?;
            if v4 && self.peek_is('{') {
                let snapshot = self.restore_snapshot()?;
                let to_account = self.opt_to_account()?;
                self.end()?;
                let target = RestoreTarget::Account(Some(account));
                return Ok(MoStmt::RestoreSnapshot { target, snapshot, to_account });
            }
            if self.kw("database") {
                let db = self.ident()?;
                let table = if self.kw("table") { Some(self.ident()?) } else { None };
                let target = match table {
                    Some(table) => RestoreTarget::Table { account: Some(account), db, table },
                    None => RestoreTarget::Database { account: Some(account), db },
                };
                self.expect_kw("from")?;
                if !v4 && self.peek_kw("snapshot") {
                    return self.v3_snapshot_tail(target);
                }
                if !v4 {
                    // `RESTORE ACCOUNT a DATABASE d ... FROM PITR` arrived in v4.2 (reference §5a).
                    return Err(self.err());
                }
                return self.pitr_tail(target);
            }
            self.expect_kw("from")?;
            let target = RestoreTarget::Account(Some(account));
            if !v4 && self.peek_kw("snapshot") {
                return self.v3_snapshot_tail(target);
            }
            return self.pitr_tail(target);
        }
        if self.kw("database") {
            let first = self.ident()?;
            if v4 && (self.peek_is('.') || self.peek_is('{')) {
                let (account, db) =
                    if self.punct('.') { (Some(first.to_lowercase()), self.ident()?) } else { (None, first) };
                let snapshot = self.restore_snapshot()?;
                let to_account = self.opt_to_account()?;
                self.end()?;
                return Ok(MoStmt::RestoreSnapshot {
                    target: RestoreTarget::Database { account, db },
                    snapshot,
                    to_account,
                });
            }
            let target = if self.kw("table") {
                RestoreTarget::Table { account: None, db: first, table: self.ident()? }
            } else {
                RestoreTarget::Database { account: None, db: first }
            };
            self.expect_kw("from")?;
            return self.pitr_tail(target);
        }
        if v4 && self.kw("table") {
            let a = self.ident()?;
            self.expect('.')?;
            let b = self.ident()?;
            let (account, db, table) =
                if self.punct('.') { (Some(a.to_lowercase()), b, self.ident()?) } else { (None, a, b) };
            let snapshot = self.restore_snapshot()?;
            let to_account = self.opt_to_account()?;
            self.end()?;
            return Ok(MoStmt::RestoreSnapshot {
                target: RestoreTarget::Table { account, db, table },
                snapshot,
                to_account,
            });
        }
        self.expect_kw("from")?;
        self.pitr_tail(RestoreTarget::Account(None))
    }

    /// `SELECT mo_ctl(...)`: only the exact constant form is MatrixOne's; anything else after
    /// `SELECT` is plain SQL.
    fn mo_ctl(&mut self) -> Result<Option<MoStmt>, SqlError> {
        if !(self.peek_kw("mo_ctl") && self.t.get(self.i + 1).is_some_and(|t| t.is('('))) {
            return Ok(None);
        }
        self.i += 2;
        let mut args = Vec::new();
        loop {
            match self.peek().map(|t| &t.kind) {
                Some(Kind::Str(s)) => {
                    args.push(s.clone());
                    self.i += 1;
                }
                _ => return Err(SqlError::invalid_input("mo_ctl can only be called with const args")),
            }
            if self.punct(')') {
                break;
            }
            self.expect(',')?;
        }
        if self.end().is_err() || args.len() != 3 {
            // mo_ctl inside a larger SELECT, or with another arity: not something mosim imitates.
            return Err(SqlError::invalid_input("mo_ctl can only be called with const args"));
        }
        let mut it = args.into_iter();
        let (service, method, param) = (it.next(), it.next(), it.next());
        Ok(Some(MoStmt::MoCtl {
            service: service.unwrap_or_default(),
            method: method.unwrap_or_default(),
            param: param.unwrap_or_default(),
        }))
    }
}

/// The inside of a `{...}` hint, after `{` (shared with the rewriter).
fn parse_hint_body(p: &mut P<'_>) -> Result<TimeSpec, SqlError> {
    if p.kw("snapshot") {
        p.expect('=')?;
        return match p.peek().map(|t| &t.kind) {
            // The string form is matched verbatim (reference §1a); the ident form folds.
            Some(Kind::Str(_)) => p.string().map(TimeSpec::Snapshot),
            _ => p.lower_ident().map(TimeSpec::Snapshot),
        };
    }
    if p.kw("as") {
        p.expect_kw("of")?;
        p.expect_kw("timestamp")?;
        return p.string().map(TimeSpec::Utc);
    }
    let is_ts = p.kw("timestamp");
    if !is_ts && !p.kw("mo_ts") {
        return Err(p.err());
    }
    p.expect('=')?;
    let negative = p.punct('-');
    match p.peek().map(|t| t.kind.clone()) {
        Some(Kind::Str(s)) => {
            p.i += 1;
            // `{MO_TS = 'physical-logical'}` is the debug form: keep the physical part.
            if !is_ts
                && let Some((phys, _)) = s.split_once('-')
                && let Ok(n) = phys.parse::<i128>()
            {
                return Ok(TimeSpec::Nanos(n));
            }
            Ok(TimeSpec::Utc(s))
        }
        Some(Kind::Word(w)) if w.bytes().all(|b| b.is_ascii_digit()) => {
            p.i += 1;
            let n: i128 = w.parse().map_err(|_| p.err())?;
            Ok(TimeSpec::Nanos(if negative { -n } else { n }))
        }
        _ => Err(p.err()),
    }
}

/// Parses a `{...}` hint whose `{` is `toks[at]`; returns the spec and the index of `}`.
pub(crate) fn parse_hint_at(sql: &[u8], toks: &[Token], at: usize) -> Result<(TimeSpec, usize), SqlError> {
    let mut p = P { c: Cursor::new(sql, toks, at + 1), dialect: Dialect::V4 };
    let spec = parse_hint_body(&mut p)?;
    if !p.peek_is('}') {
        return Err(p.err());
    }
    Ok((spec, p.i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::lexer::tokenize;

    fn mo(sql: &str, d: Dialect) -> Result<Parsed, SqlError> {
        parse(sql.as_bytes(), &tokenize(sql.as_bytes()), d)
    }

    #[test]
    fn snapshot_forms() {
        assert_eq!(
            mo("create snapshot if not exists `SP1` for table db t;", Dialect::V4).unwrap(),
            Parsed::Mo(MoStmt::CreateSnapshot {
                if_not_exists: true,
                name: "sp1".into(),
                scope: Scope::Table("db".into(), "t".into())
            })
        );
        let e = mo("create snapshot s for account a database db03;", Dialect::V4).unwrap_err();
        assert_eq!(e.code, 1064);
        assert!(e.message.ends_with("near \" database db03;\";"), "{}", e.message);
    }

    #[test]
    fn restore_grammar_depends_on_dialect() {
        let v4 = "restore table db.t{snapshot='SP'}";
        assert!(matches!(mo(v4, Dialect::V4), Ok(Parsed::Mo(MoStmt::RestoreSnapshot { .. }))));
        assert_eq!(mo(v4, Dialect::V3).unwrap_err().code, 1064);
        let v3 = "restore account sys database db table t from snapshot sp";
        assert!(matches!(mo(v3, Dialect::V3), Ok(Parsed::Mo(MoStmt::RestoreSnapshot { .. }))));
        assert_eq!(mo(v3, Dialect::V4).unwrap_err().code, 1064);
    }

    #[test]
    fn every_form_the_sdk_renders_parses() {
        let both = [
            "ALTER PITR IF EXISTS `p1` RANGE 1 'd'",
            "CREATE DATABASE `db4` CLONE `db1` {SNAPSHOT = 'sp0'} TO ACCOUNT `acc1`",
            "CREATE DATABASE `x``y` CLONE `prod`",
            "CREATE PITR IF NOT EXISTS `p1` FOR ACCOUNT RANGE 1 'h'",
            "CREATE PITR `p02` FOR ACCOUNT `acc01` RANGE 1 'd'",
            "CREATE PITR `p1` FOR TABLE `test` `users` RANGE 3 'mo'",
            "CREATE SNAPSHOT `s1` FOR ACCOUNT `a``b`",
            "CREATE SNAPSHOT `s1` FOR TABLE `d`` FROM SNAPSHOT ``s_old`` -- ` `t`",
            "CREATE TABLE IF NOT EXISTS `my.db`.`t` CLONE `src`.`t.1`",
            "CREATE TABLE IF NOT EXISTS `test`.`backup_t` CLONE `test`.`source_t` {SNAPSHOT = 's1'} TO ACCOUNT `acc1`",
            "DROP PITR IF EXISTS `p1`",
            "DROP SNAPSHOT IF EXISTS `s1`",
            "RESTORE ACCOUNT `acc1` FROM PITR `p1` '2026-01-02 03:04:05' `acc2`",
            "RESTORE CLUSTER FROM PITR `p1` '2026-01-02 03:04:05'",
            "RESTORE DATABASE `test` TABLE `users` FROM PITR `p1` '2026-01-02 03:04:05'",
            "RESTORE FROM PITR `p1` '2026-01-02 03:04:05'",
        ];
        let v4 = [
            "RESTORE ACCOUNT `acc1` DATABASE `test` TABLE `users` FROM PITR `p1` '2026-01-02 03:04:05'",
            "RESTORE ACCOUNT `acc1` {SNAPSHOT = 's1'} TO ACCOUNT `acc2`",
            "RESTORE CLUSTER {SNAPSHOT = 's1'}",
            "RESTORE DATABASE `acc1`.`test` {SNAPSHOT = 's1'} TO ACCOUNT `acc2`",
            "RESTORE TABLE `acc1`.`test`.`users` {SNAPSHOT = 's1'}",
            "RESTORE TABLE `test`.`users` {SNAPSHOT = 's1'} TO ACCOUNT `acc2`",
        ];
        let v3 = [
            "RESTORE ACCOUNT `a` DATABASE `d`` FROM SNAPSHOT ``s_old`` -- ` TABLE `t` FROM SNAPSHOT `s1`",
            "RESTORE ACCOUNT `acc1` FROM SNAPSHOT `s1` TO ACCOUNT `acc2`",
            "RESTORE CLUSTER FROM SNAPSHOT `s1`",
        ];
        for (sql, d) in both
            .iter()
            .flat_map(|s| [(s, Dialect::V4), (s, Dialect::V3)])
            .chain(v4.iter().map(|s| (s, Dialect::V4)))
            .chain(v3.iter().map(|s| (s, Dialect::V3)))
        {
            assert!(matches!(mo(sql, d), Ok(Parsed::Mo(_))), "{sql} ({d:?}): {:?}", mo(sql, d));
        }
        for sql in v4 {
            assert_eq!(mo(sql, Dialect::V3).unwrap_err().code, 1064, "{sql}");
        }
        for sql in v3 {
            assert_eq!(mo(sql, Dialect::V4).unwrap_err().code, 1064, "{sql}");
        }
    }

    #[test]
    fn plain_sql_is_plain() {
        for sql in [
            "select 1",
            "create table t (a int)",
            "create database d",
            "drop temporary table t",
            "show tables",
        ] {
            assert_eq!(mo(sql, Dialect::V4).unwrap(), Parsed::Plain, "{sql}");
        }
    }
}
