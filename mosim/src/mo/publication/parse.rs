//! The publication and subscription statements (mysql_sql.y: `create_publication_stmt`,
//! `alter_publication_stmt`, `drop_publication_stmt`, `show_publications_stmt`,
//! `show_create_publication`, `subscription_opt` of `create_database_stmt`,
//! `show_subscriptions_stmt`).

use crate::error::SqlError;
use crate::sql::cursor::Cursor;

/// The accounts a publication is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Accounts {
    All,
    List(Vec<String>),
}

/// A publication or subscription statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PubStmt {
    Create {
        if_not_exists: bool,
        name: String,
        db: String,
        tables: Vec<String>,
        accounts: Accounts,
        comment: Option<String>,
    },
    Alter {
        if_exists: bool,
        name: String,
        /// `ACCOUNT ...`: set, `ADD` (true) or `DROP` (false).
        accounts: Option<(Option<bool>, Accounts)>,
        db: Option<String>,
        tables: Option<Vec<String>>,
        comment: Option<String>,
    },
    Drop {
        if_exists: bool,
        name: String,
    },
    Show {
        like: Option<String>,
    },
    ShowCreate {
        name: String,
    },
    Subscribe {
        if_not_exists: bool,
        db: String,
        account: String,
        publication: String,
    },
    ShowSubscriptions {
        all: bool,
        like: Option<String>,
    },
}

fn accounts(c: &mut Cursor<'_>) -> Result<Accounts, SqlError> {
    if c.kw("all") { Ok(Accounts::All) } else { c.name_list().map(Accounts::List) }
}

fn tables(c: &mut Cursor<'_>) -> Result<Vec<String>, SqlError> {
    let mut out = vec![c.name()?];
    while c.punct(',') {
        out.push(c.name()?);
    }
    Ok(out)
}

/// Parses a publication or subscription statement at the cursor's start.
pub(crate) fn parse(c: &mut Cursor<'_>) -> Result<Option<PubStmt>, SqlError> {
    let w = |i: usize, k: &str| c.t.get(i).is_some_and(|t| t.is_kw(k));
    if w(0, "create") && w(1, "publication") {
        c.i = 2;
        let if_not_exists = c.if_not_exists()?;
        let name = c.name()?;
        c.expect_kw("database")?;
        let db = if c.punct('*') { "*".to_owned() } else { c.name()? };
        let tables = if c.kw("table") { tables(c)? } else { Vec::new() };
        c.expect_kw("account")?;
        let accounts = accounts(c)?;
        let comment = if c.kw("comment") { Some(c.string()?) } else { None };
        c.end()?;
        return Ok(Some(PubStmt::Create { if_not_exists, name, db, tables, accounts, comment }));
    }
    if w(0, "alter") && w(1, "publication") {
        c.i = 2;
        let if_exists = c.if_exists()?;
        let name = c.name()?;
        let accounts = if c.kw("account") {
            let mode = if c.kw("add") {
                Some(true)
            } else if c.kw("drop") {
                Some(false)
            } else {
                None
            };
            Some((mode, accounts(c)?))
        } else {
            None
        };
        let db = if c.kw("database") { Some(c.name()?) } else { None };
        let tables = if c.kw("table") { Some(tables(c)?) } else { None };
        let comment = if c.kw("comment") { Some(c.string()?) } else { None };
        c.end()?;
        return Ok(Some(PubStmt::Alter { if_exists, name, accounts, db, tables, comment }));
    }
    if w(0, "drop") && w(1, "publication") {
        c.i = 2;
        let if_exists = c.if_exists()?;
        let name = c.name()?;
        c.end()?;
        return Ok(Some(PubStmt::Drop { if_exists, name }));
    }
    if w(0, "show") && w(1, "publications") {
        c.i = 2;
        return Ok(Some(PubStmt::Show { like: c.like_end()? }));
    }
    if w(0, "show") && w(1, "create") && w(2, "publication") {
        c.i = 3;
        let name = c.name()?;
        c.end()?;
        return Ok(Some(PubStmt::ShowCreate { name }));
    }
    if w(0, "show") && w(1, "subscriptions") {
        c.i = 2;
        let all = c.kw("all");
        return Ok(Some(PubStmt::ShowSubscriptions { all, like: c.like_end()? }));
    }
    // `CREATE DATABASE [IF NOT EXISTS] d FROM acc PUBLICATION p`: FROM right after the name.
    let from_at = if w(2, "if") { 6 } else { 3 };
    if w(0, "create") && (w(1, "database") || w(1, "schema")) && w(from_at, "from") {
        c.i = 2;
        let if_not_exists = c.if_not_exists()?;
        let db = c.name()?;
        c.expect_kw("from")?;
        let account = c.lower_name()?;
        c.expect_kw("publication")?;
        let publication = c.name()?;
        c.end()?;
        return Ok(Some(PubStmt::Subscribe { if_not_exists, db, account, publication }));
    }
    Ok(None)
}
