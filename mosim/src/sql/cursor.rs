//! A cursor over a statement's tokens, shared by mosim's parsers (the MatrixOne statements in
//! [`crate::sql::parse`], DATA BRANCH, and the account and publication statements): it
//! accepts keywords, punctuation, names and literals, and reports a syntax error positioned
//! after the last accepted token, as MatrixOne reports it.

use crate::error::SqlError;
use crate::sql::lexer::{Kind, Token};
use crate::sql::parse::syntax_error;
use crate::sql::statement::TableName;

/// A position in `t`, the tokens of `sql`.
pub(crate) struct Cursor<'a> {
    pub(crate) sql: &'a [u8],
    pub(crate) t: &'a [Token],
    pub(crate) i: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at token `i` of `t`.
    pub(crate) fn new(sql: &'a [u8], t: &'a [Token], i: usize) -> Self {
        Cursor { sql, t, i }
    }

    pub(crate) fn peek(&self) -> Option<&Token> {
        self.t.get(self.i)
    }

    pub(crate) fn peek_kw(&self, kw: &str) -> bool {
        self.peek().is_some_and(|t| t.is_kw(kw))
    }

    pub(crate) fn peek_is(&self, c: char) -> bool {
        self.peek().is_some_and(|t| t.is(c))
    }

    pub(crate) fn kw(&mut self, kw: &str) -> bool {
        let hit = self.peek_kw(kw);
        if hit {
            self.i += 1;
        }
        hit
    }

    pub(crate) fn punct(&mut self, c: char) -> bool {
        let hit = self.peek_is(c);
        if hit {
            self.i += 1;
        }
        hit
    }

    /// A syntax error positioned after the last accepted token, as MatrixOne reports it.
    pub(crate) fn err(&self) -> SqlError {
        let pos = if self.i == 0 { 0 } else { self.t[self.i - 1].end };
        syntax_error(self.sql, pos)
    }

    pub(crate) fn expect_kw(&mut self, kw: &str) -> Result<(), SqlError> {
        if self.kw(kw) { Ok(()) } else { Err(self.err()) }
    }

    pub(crate) fn expect(&mut self, c: char) -> Result<(), SqlError> {
        if self.punct(c) { Ok(()) } else { Err(self.err()) }
    }

    /// An identifier, bare or backquoted, as written.
    pub(crate) fn ident(&mut self) -> Result<String, SqlError> {
        match self.peek().and_then(Token::ident) {
            Some(s) if !s.is_empty() => {
                let s = s.to_owned();
                self.i += 1;
                Ok(s)
            }
            _ => Err(self.err()),
        }
    }

    /// An identifier folded to lower case (a snapshot, PITR or account name).
    pub(crate) fn lower_ident(&mut self) -> Result<String, SqlError> {
        self.ident().map(|s| s.to_lowercase())
    }

    /// An identifier (bare or backquoted) or, where MatrixOne allows it, a string.
    pub(crate) fn name(&mut self) -> Result<String, SqlError> {
        match self.peek().map(|t| &t.kind) {
            Some(Kind::Word(s) | Kind::Quoted(s) | Kind::Str(s)) if !s.is_empty() => {
                let s = s.clone();
                self.i += 1;
                Ok(s)
            }
            _ => Err(self.err()),
        }
    }

    /// An account, user or role name: MatrixOne lower-cases and trims it.
    pub(crate) fn lower_name(&mut self) -> Result<String, SqlError> {
        self.name().map(|s| s.trim().to_lowercase())
    }

    /// `name [, name ...]`, lower-cased.
    pub(crate) fn name_list(&mut self) -> Result<Vec<String>, SqlError> {
        let mut out = vec![self.lower_name()?];
        while self.punct(',') {
            out.push(self.lower_name()?);
        }
        Ok(out)
    }

    pub(crate) fn string(&mut self) -> Result<String, SqlError> {
        match self.peek().map(|t| &t.kind) {
            Some(Kind::Str(s)) => {
                let s = s.clone();
                self.i += 1;
                Ok(s)
            }
            _ => Err(self.err()),
        }
    }

    pub(crate) fn integer(&mut self) -> Result<u64, SqlError> {
        match self.peek().map(|t| &t.kind) {
            Some(Kind::Word(w)) if w.bytes().all(|b| b.is_ascii_digit()) => {
                let v = w.parse().map_err(|_| self.err())?;
                self.i += 1;
                Ok(v)
            }
            _ => Err(self.err()),
        }
    }

    /// Skips trailing `;`s and tells whether nothing else is left.
    pub(crate) fn at_end(&mut self) -> bool {
        while self.punct(';') {}
        self.i >= self.t.len()
    }

    pub(crate) fn end(&mut self) -> Result<(), SqlError> {
        if self.at_end() { Ok(()) } else { Err(self.err()) }
    }

    /// `LIKE 'pattern'` or nothing, then the end.
    pub(crate) fn like_end(&mut self) -> Result<Option<String>, SqlError> {
        let like = if self.kw("like") { Some(self.string()?) } else { None };
        self.end()?;
        Ok(like)
    }

    pub(crate) fn if_not_exists(&mut self) -> Result<bool, SqlError> {
        if self.kw("if") {
            self.expect_kw("not")?;
            self.expect_kw("exists")?;
            return Ok(true);
        }
        Ok(false)
    }

    pub(crate) fn if_exists(&mut self) -> Result<bool, SqlError> {
        if self.kw("if") {
            self.expect_kw("exists")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// `[db.]table`.
    pub(crate) fn table_name(&mut self) -> Result<TableName, SqlError> {
        let first = self.ident()?;
        if self.punct('.') {
            let table = self.ident()?;
            return Ok(TableName { db: Some(first), table });
        }
        Ok(TableName { db: None, table: first })
    }

    /// `TO ACCOUNT name` or nothing.
    pub(crate) fn opt_to_account(&mut self) -> Result<Option<String>, SqlError> {
        if self.kw("to") {
            self.expect_kw("account")?;
            return self.lower_ident().map(Some);
        }
        Ok(None)
    }
}
