//! Each account sees only its own databases. A database `db` of account `acc` is the
//! backend database `acc$db` (`$` cannot occur in an account name, so the split is
//! unambiguous); a subscription is a name for the publisher's backend database. A statement
//! from an account's session is mapped before anything else sees it: the database names it
//! writes become backend names, `SHOW DATABASES` lists the account's own, and `DATABASE()`
//! and `current_account_name()` answer with the account's view. Sessions of `sys` see the
//! backend's databases without `$`, as before accounts existed.

use crate::error::SqlError;
use crate::mo::account::Who;
use crate::sql::lexer::{Kind, Token};
use crate::sql::rewrite::{Edit, ident, is_system_db, splice, sql_str};
use crate::wire::backend::{Backend, cell};

/// The system databases an account sees, as MatrixOne lists them to a new account (those the
/// backend has).
const ACCOUNT_SYSTEM_DATABASES: [&str; 3] = ["information_schema", "mo_catalog", "mysql"];

/// The backend name of account `account`'s database `db`.
pub(crate) fn backend_name(account: &str, db: &str) -> String {
    if account == crate::mo::SYS { db.to_owned() } else { format!("{account}${db}") }
}

fn prefix(account: &str) -> String {
    format!("{account}$")
}

async fn all_databases(b: &mut Backend) -> Result<Vec<String>, SqlError> {
    let rows = b.query("SELECT schema_name FROM information_schema.schemata").await?;
    Ok(rows.rows.into_iter().filter_map(|r| r.into_iter().next().flatten()).collect())
}

/// The backend databases of account `account`.
pub(crate) async fn backend_databases(b: &mut Backend, account: &str) -> Result<Vec<String>, SqlError> {
    let p = prefix(account);
    Ok(all_databases(b).await?.into_iter().filter(|d| d.starts_with(&p)).collect())
}

/// `sys`'s user databases.
pub(crate) async fn sys_databases(b: &mut Backend) -> Result<Vec<String>, SqlError> {
    Ok(all_databases(b)
        .await?
        .into_iter()
        .filter(|d| !d.contains('$') && !is_system_db(d) && !crate::sql::guard::is_protected(d))
        .collect())
}

/// What one account's session can name.
#[derive(Debug, Default)]
pub(crate) struct Names {
    account: String,
    /// The account's own databases, by their names in the account.
    own: Vec<String>,
    /// Subscriptions: the name in the account, and the publisher's backend database.
    subs: Vec<(String, String)>,
    /// The subscriptions whose publication lists its tables, with the list.
    sub_tables: Vec<(String, Vec<String>)>,
    /// The columns of the `information_schema` views the statement reads (lower-case view
    /// name), filled by [`Names::load_views`].
    view_columns: Vec<(String, Vec<String>)>,
    /// `sys`'s databases: a qualifier naming one is mapped too (to a database the account
    /// does not have), so it cannot reach them.
    others: Vec<String>,
}

impl Names {
    /// Reads what account `account` can name, on mosim's connection `b`.
    pub(crate) async fn load(b: &mut Backend, account: &str) -> Result<Names, SqlError> {
        let p = prefix(account);
        let mut names = Names { account: account.to_owned(), ..Names::default() };
        for d in all_databases(b).await? {
            if let Some(own) = d.strip_prefix(&p) {
                names.own.push(own.to_owned());
            } else if !d.contains('$') && !is_system_db(&d) {
                names.others.push(d);
            }
        }
        for s in crate::mo::publication::subscribed(b, account).await? {
            if let Some(tables) = s.tables {
                names.sub_tables.push((s.name.clone(), tables));
            }
            names.subs.push((s.name, s.target));
        }
        Ok(names)
    }

    /// Whether the account has a database `db` (its own, a subscription, or a system one).
    pub(crate) fn has_database(&self, db: &str) -> bool {
        is_system_db(db) || self.own.iter().any(|d| d == db) || self.is_subscription(db)
    }

    /// Whether `db` (a name in the account) is a subscription.
    pub(crate) fn is_subscription(&self, db: &str) -> bool {
        self.subs.iter().any(|(s, _)| s == db)
    }

    /// Reads the columns of the `information_schema` views `toks` names, so that
    /// [`Names::map`] can show them as the account sees them.
    pub(crate) async fn load_views(&mut self, b: &mut Backend, toks: &[Token]) -> Result<(), SqlError> {
        let views = schema_views(toks);
        if views.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = views.iter().map(|v| sql_str(v)).collect();
        let rows = b
            .query(&format!(
                "SELECT LOWER(table_name), column_name FROM information_schema.columns \
                 WHERE table_schema = 'information_schema' AND LOWER(table_name) IN ({}) \
                 ORDER BY table_name, ordinal_position",
                list.join(", ")
            ))
            .await?;
        for r in rows.rows {
            let col = |i: usize| cell(&r, i);
            let (view, column) = (col(0), col(1));
            match self.view_columns.iter_mut().find(|(v, _)| *v == view) {
                Some((_, cols)) => cols.push(column),
                None => self.view_columns.push((view, vec![column])),
            }
        }
        Ok(())
    }

    /// `information_schema.<view>` as the account sees it: its databases (by its names), its
    /// subscriptions and the system databases.
    fn view_expr(&self, view: &str) -> Option<String> {
        let (_, cols) = self.view_columns.iter().find(|(v, _)| v == view)?;
        let p = prefix(&self.account);
        let k = p.chars().count();
        let schema_col =
            |c: &str| c.eq_ignore_ascii_case("schema_name") || c.to_ascii_uppercase().ends_with("_SCHEMA");
        let mapped = |c: &str| {
            let q = ident(c);
            let mut e = String::from("(CASE");
            for (name, target) in &self.subs {
                e.push_str(&format!(" WHEN {q} = {} THEN {}", sql_str(target), sql_str(name)));
            }
            e.push_str(&format!(
                " WHEN LEFT({q}, {k}) = {} THEN SUBSTRING({q}, {}) ELSE {q} END)",
                sql_str(&p),
                k + 1
            ));
            e
        };
        let list: Vec<String> = cols
            .iter()
            .map(|c| if schema_col(c) { format!("{} AS {}", mapped(c), ident(c)) } else { ident(c) })
            .collect();
        let primary = cols.iter().find(|c| schema_col(c))?;
        let q = ident(primary);
        let mut visible: Vec<String> = ACCOUNT_SYSTEM_DATABASES.iter().map(|d| sql_str(d)).collect();
        visible.extend(self.subs.iter().map(|(_, t)| sql_str(t)));
        Some(format!(
            "(SELECT {} FROM information_schema.{} WHERE LEFT({q}, {k}) = {} OR {q} IN ({}))",
            list.join(", "),
            ident(view),
            sql_str(&p),
            visible.join(", ")
        ))
    }

    /// Whether a subscription of the account publishes only some tables.
    pub(crate) fn has_table_lists(&self) -> bool {
        !self.sub_tables.is_empty()
    }

    /// Whether table `table` of database `db` (names in the account) is there for the
    /// account: anything but a table its subscription's publication does not list.
    pub(crate) fn publishes(&self, db: &str, table: &str) -> bool {
        self.sub_tables.iter().find(|(s, _)| s == db).is_none_or(|(_, list)| list.iter().any(|t| t == table))
    }

    /// `SHOW TABLES [FROM | IN d] [LIKE 'p']` for the account: the label names the account's
    /// database, and a subscription lists only the tables its publication names. `current`
    /// is the session's current database (backend name). `None`: another form.
    pub(crate) fn show_tables(&self, toks: &[Token], current: Option<&str>) -> Option<String> {
        let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
        if !(kw(0, "show") && kw(1, "tables")) {
            return None;
        }
        let mut i = 2;
        let db = if kw(i, "from") || kw(i, "in") {
            let d = toks.get(i + 1)?.ident()?.to_owned();
            i += 2;
            d
        } else {
            self.logical(current?)
        };
        let like = if kw(i, "like") {
            let Kind::Str(p) = &toks.get(i + 1)?.kind else { return None };
            i += 2;
            Some(p.clone())
        } else {
            None
        };
        while toks.get(i).is_some_and(|t| t.is(';')) {
            i += 1;
        }
        if i < toks.len() || db.contains('$') {
            return None;
        }
        let mut filter = format!("table_schema = {}", sql_str(&self.backend(&db)));
        if let Some(p) = like {
            filter.push_str(&format!(" AND table_name LIKE {}", sql_str(&p)));
        }
        if let Some((_, list)) = self.sub_tables.iter().find(|(s, _)| *s == db) {
            let l: Vec<String> = list.iter().map(|t| sql_str(t)).collect();
            filter.push_str(&format!(" AND table_name IN ({})", l.join(", ")));
        }
        Some(format!(
            "SELECT table_name AS {} FROM information_schema.tables WHERE {filter} ORDER BY table_name",
            ident(&format!("Tables_in_{db}"))
        ))
    }

    /// Whether the account has no subscriptions.
    pub(crate) fn subs_empty(&self) -> bool {
        self.subs.is_empty()
    }

    /// The backend name of database `db` of the account.
    pub(crate) fn backend(&self, db: &str) -> String {
        if is_system_db(db) {
            return db.to_owned();
        }
        if let Some((_, target)) = self.subs.iter().find(|(s, _)| s == db) {
            return target.clone();
        }
        backend_name(&self.account, db)
    }

    /// The account's name of backend database `db`.
    pub(crate) fn logical(&self, db: &str) -> String {
        if let Some((s, _)) = self.subs.iter().find(|(_, t)| t == db) {
            return s.clone();
        }
        db.strip_prefix(&prefix(&self.account)).unwrap_or(db).to_owned()
    }

    fn known(&self, db: &str) -> bool {
        self.own.iter().chain(&self.others).any(|d| d == db) || self.is_subscription(db)
    }

    /// The statement with the account's names mapped to the backend's.
    pub(crate) fn map(&self, sql: &[u8], toks: &[Token], who: &Who) -> Result<Vec<u8>, SqlError> {
        if let Some(text) = self.show_databases(toks) {
            return Ok(text.into_bytes());
        }
        let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
        let mut edits: Vec<Edit> = Vec::new();
        let mapped = |i: usize, always: bool, edits: &mut Vec<Edit>| -> Result<(), SqlError> {
            let Some(t) = toks.get(i) else { return Ok(()) };
            let Some(name) = t.ident() else { return Ok(()) };
            if name.contains('$') {
                return Err(crate::mo::account::no_privilege());
            }
            if is_system_db(name) || !(always || self.known(name)) {
                return Ok(());
            }
            edits.push((t.start, t.end, ident(&self.backend(name)).into_bytes()));
            Ok(())
        };
        // Statements that name a database by position.
        let named = match () {
            () if kw(0, "use") => Some(1),
            () if (kw(0, "create") || kw(0, "drop") || kw(0, "alter"))
                && (kw(1, "database") || kw(1, "schema")) =>
            {
                let mut j = 2;
                while ["if", "not", "exists"].iter().any(|k| kw(j, k)) {
                    j += 1;
                }
                Some(j)
            }
            () => None,
        };
        if let Some(j) = named {
            // MatrixOne's answers where MariaDB's would name the backend database.
            if let Some(db) =
                toks.get(j).and_then(Token::ident).filter(|d| !is_system_db(d) && !d.contains('$'))
            {
                let own = self.own.iter().any(|d| d == db);
                let guarded = !kw(2, "if");
                if kw(0, "use") && !self.has_database(db) {
                    return Err(SqlError {
                        code: 1049,
                        state: "42000".into(),
                        message: format!("Unknown database {db}"),
                    });
                }
                if kw(0, "create") && guarded && (own || self.is_subscription(db)) {
                    return Err(SqlError::new(1007, format!("database {db} already exists")));
                }
                if kw(0, "drop") && guarded && !own {
                    return Err(SqlError::new(
                        1008,
                        format!("Can't drop database '{db}'; database doesn't exist"),
                    ));
                }
            }
            mapped(j, true, &mut edits)?;
        }
        let show = kw(0, "show");
        for (i, t) in toks.iter().enumerate() {
            if let Some(view) = schema_view_at(toks, i)
                && let Some(mut text) = self.view_expr(&view)
            {
                if !crate::sql::rewrite::is_alias(toks.get(i + 3)) {
                    text.push_str(&format!(" AS {}", ident(&view)));
                }
                edits.push((t.start, toks[i + 2].end, text.into_bytes()));
                continue;
            }
            let next_dot = toks.get(i + 1).is_some_and(|n| n.is('.'));
            let prev_dot = i > 0 && toks[i - 1].is('.');
            if Some(i) == named {
                continue;
            }
            let qualifier = next_dot && !prev_dot;
            let after_keyword = !next_dot
                && i > 0
                && ((show && (toks[i - 1].is_kw("from") || toks[i - 1].is_kw("in")))
                    || toks[i - 1].is_kw("clone"));
            if t.ident().is_some() && (qualifier || after_keyword) {
                mapped(i, false, &mut edits)?;
            }
            if let Kind::Word(w) = &t.kind
                && toks.get(i + 1).is_some_and(|t| t.is('('))
                && toks.get(i + 2).is_some_and(|t| t.is(')'))
                && !prev_dot
            {
                let value = match w.to_ascii_lowercase().as_str() {
                    "database" | "schema" => Some(self.database_expr()),
                    "current_account_name" => Some(sql_str(&who.account)),
                    "current_user_name" => Some(sql_str(&who.user)),
                    "current_role_name" => Some(sql_str(&who.role)),
                    _ => None,
                };
                if let Some(mut text) = value {
                    let select_item = i > 0 && (toks[i - 1].is_kw("select") || toks[i - 1].is(','));
                    let aliased = toks
                        .get(i + 3)
                        .is_some_and(|t| t.is_kw("as") || t.ident().is_some() && !t.is_kw("from"));
                    if select_item && !aliased {
                        text = format!("{text} AS {}", ident(&format!("{w}()")));
                    }
                    edits.push((t.start, toks[i + 2].end, text.into_bytes()));
                }
            }
        }
        Ok(splice(sql, edits))
    }

    /// `DATABASE()` as the account names it.
    fn database_expr(&self) -> String {
        let mut s = String::from("(CASE");
        for (name, target) in &self.subs {
            s.push_str(&format!(" WHEN DATABASE() = {} THEN {}", sql_str(target), sql_str(name)));
        }
        let p = prefix(&self.account);
        s.push_str(&format!(
            " WHEN LEFT(DATABASE(), {n}) = {p} THEN SUBSTRING(DATABASE(), {m}) ELSE DATABASE() END)",
            n = p.chars().count(),
            p = sql_str(&p),
            m = p.chars().count() + 1
        ));
        s
    }

    /// `SHOW DATABASES [LIKE 'p']` for the account: its databases, its subscriptions and the
    /// system databases, in order.
    fn show_databases(&self, toks: &[Token]) -> Option<String> {
        let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
        if !(kw(0, "show") && (kw(1, "databases") || kw(1, "schemas"))) {
            return None;
        }
        let like = match toks.get(2) {
            None => None,
            Some(t) if t.is(';') => None,
            Some(t) if t.is_kw("like") => match toks.get(3).map(|t| &t.kind) {
                Some(Kind::Str(s)) => Some(s.clone()),
                _ => return None,
            },
            _ => return None,
        };
        let mut parts: Vec<String> = ACCOUNT_SYSTEM_DATABASES.iter().map(|d| sql_str(d)).collect();
        parts.extend(self.own.iter().map(|d| sql_str(d)));
        parts.extend(self.subs.iter().map(|(d, _)| sql_str(d)));
        let union = parts.iter().map(|p| format!("SELECT {p} AS d")).collect::<Vec<_>>().join(" UNION ALL ");
        let filter = like.map_or(String::new(), |p| format!(" WHERE d LIKE {}", sql_str(&p)));
        Some(format!("SELECT d AS `Database` FROM ({union}) AS __mo_databases{filter} ORDER BY d"))
    }
}

/// The `information_schema` views mosim shows per account.
const SCHEMA_VIEWS: [&str; 12] = [
    "schemata",
    "tables",
    "columns",
    "statistics",
    "views",
    "key_column_usage",
    "table_constraints",
    "referential_constraints",
    "check_constraints",
    "routines",
    "triggers",
    "partitions",
];

/// The view named by `information_schema . view` at token `i` (not part of a longer name).
fn schema_view_at(toks: &[Token], i: usize) -> Option<String> {
    let t = toks.get(i)?;
    if !t.ident()?.eq_ignore_ascii_case("information_schema") || (i > 0 && toks[i - 1].is('.')) {
        return None;
    }
    if !toks.get(i + 1)?.is('.') || toks.get(i + 3).is_some_and(|n| n.is('.')) {
        return None;
    }
    let view = toks.get(i + 2)?.ident()?.to_ascii_lowercase();
    SCHEMA_VIEWS.contains(&view.as_str()).then_some(view)
}

/// The `information_schema` views a statement names.
fn schema_views(toks: &[Token]) -> Vec<String> {
    let mut out: Vec<String> = (0..toks.len()).filter_map(|i| schema_view_at(toks, i)).collect();
    out.sort();
    out.dedup();
    out
}

/// `SHOW DATABASES` for `sys`: without the accounts' databases (`acc$db`).
pub(crate) fn sys_rewrite(sql: &[u8], toks: &[Token]) -> Option<Vec<u8>> {
    let kw = |i: usize, k: &str| toks.get(i).is_some_and(|t| t.is_kw(k));
    if !(kw(0, "show") && (kw(1, "databases") || kw(1, "schemas"))) {
        return None;
    }
    let hide: &[u8] = b"`Database` NOT LIKE '%$%'";
    let end = toks.iter().rposition(|t| !t.is(';')).map_or(sql.len(), |i| toks[i].end);
    let mut text = sql[..toks[1].end].to_vec();
    text.extend_from_slice(b" WHERE ");
    match toks.get(2) {
        None => {}
        Some(t) if t.is(';') => {}
        Some(t) if t.is_kw("like") => {
            text.extend_from_slice(b"`Database` LIKE ");
            text.extend_from_slice(&sql[toks.get(3)?.start..end]);
            text.extend_from_slice(b" AND ");
        }
        Some(t) if t.is_kw("where") => {
            text.push(b'(');
            text.extend_from_slice(&sql[toks.get(3)?.start..end]);
            text.extend_from_slice(b") AND ");
        }
        _ => return None,
    }
    text.extend_from_slice(hide);
    Some(text)
}
