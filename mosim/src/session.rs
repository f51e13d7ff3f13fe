//! One client connection: login, then each command either relayed to its own MariaDB
//! session or carried out as a MatrixOne statement.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::net::TcpStream;

use crate::config::Dialect;
use crate::error::SqlError;
use crate::mo::catalog::{current_database, table_exists};
use crate::mo::pool::Pool;
use crate::mo::{self, Action, graveyard};
use crate::sql::lexer::{Token, split_statements, tokenize};
use crate::sql::parse::{Parsed, parse};
use crate::sql::rewrite::{create_table, created_table, find_hints, is_system_db, splice, static_edits};
use crate::sql::statement::MoStmt;
use crate::url::BackendUrl;
use crate::wire::backend::{Backend, ConnectError, Outcome};
use crate::wire::caps::{CONNECT_ATTRS, DEPRECATE_EOF, SERVER_CAPS, STATUS_MORE_RESULTS};
use crate::wire::codec::put_lenenc_str;
use crate::wire::handshake;
use crate::wire::packet::PacketConn;
use crate::wire::response::{column_def, end_of_rows, eof_packet, ok_packet};

/// What every connection shares: the backend, the version, the dialect, and mosim's own
/// connections for the catalog and the MatrixOne statements it carries out.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) url: BackendUrl,
    pub(crate) version: String,
    pub(crate) dialect: Dialect,
    pub(crate) next_id: AtomicU32,
    pub(crate) catalog: Pool,
}

/// Session settings every backend connection gets: UTC, and ALTER allowed on versioned tables.
const SESSION_INIT: &str = "SET time_zone = '+00:00', system_versioning_alter_history = KEEP";

/// Opens an initialised backend connection for mosim's own use.
pub(crate) async fn open_backend(shared: &Shared, db: Option<&str>) -> Result<Backend, SqlError> {
    let mut b = match Backend::connect(&shared.url, db, SERVER_CAPS & !CONNECT_ATTRS).await {
        Ok(b) => b,
        Err(ConnectError::Sql(e)) => return Err(e),
        Err(ConnectError::Io(e)) => return Err(SqlError::io(&e)),
    };
    b.exec(SESSION_INIT).await?;
    Ok(b)
}

/// Statement ids mosim hands out for prepared MatrixOne statements it runs itself; far above
/// MariaDB's per-connection counter.
const VIRTUAL_BASE: u32 = 0x7000_0000;

/// Serves one client until it quits or the connection fails.
pub(crate) async fn serve(stream: TcpStream, shared: Arc<Shared>) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut client = PacketConn::new(stream);
    let conn_id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let login = handshake::accept(&mut client, &shared.version, conn_id).await?;
    if let Some(e) = check_login(&login.user) {
        client.write(&e.to_packet()).await?;
        return client.flush().await;
    }
    let backend = match Backend::connect(&shared.url, login.db.as_deref(), login.caps).await {
        Ok(mut b) => match b.exec(SESSION_INIT).await {
            Ok(_) => b,
            Err(e) => {
                client.write(&e.to_packet()).await?;
                return client.flush().await;
            }
        },
        Err(ConnectError::Sql(e)) => {
            client.write(&e.to_packet()).await?;
            return client.flush().await;
        }
        Err(ConnectError::Io(e)) => {
            client.write(&SqlError::io(&e).to_packet()).await?;
            return client.flush().await;
        }
    };
    client.write(&ok_packet(0, backend.status)).await?;
    client.flush().await?;
    let mut session = Session {
        client,
        backend,
        shared,
        caps: login.caps,
        virtual_stmts: HashMap::new(),
        next_virtual: VIRTUAL_BASE,
    };
    session.run().await
}

/// MatrixOne's login forms `acc:user[:role]` / `acc#user[#role]` (reference §8d): only
/// account `sys` exists here.
fn check_login(user: &str) -> Option<SqlError> {
    let user = user.split('?').next().unwrap_or(user).replace("%3A", ":").replace("%3a", ":");
    let delim = if user.contains(':') {
        ':'
    } else if user.contains('#') {
        '#'
    } else {
        return None;
    };
    let account = user.split(delim).next().unwrap_or("").trim().to_lowercase();
    if account == mo::SYS {
        return None;
    }
    Some(SqlError {
        code: 1045,
        state: "28000".into(),
        message: format!("Access denied for user {user}. internal error: there is no tenant {account}"),
    })
}

/// How a statement will be answered.
enum Plan {
    /// Plain SQL for the backend, and the tables it creates (recorded once it succeeds).
    Forward(String, Vec<(String, String)>),
    Mo(MoStmt),
}

struct Session {
    client: PacketConn,
    backend: Backend,
    shared: Arc<Shared>,
    caps: u32,
    virtual_stmts: HashMap<u32, MoStmt>,
    next_virtual: u32,
}

impl Session {
    async fn run(&mut self) -> io::Result<()> {
        while let Some(p) = self.client.read().await? {
            let Some(&cmd) = p.first() else { continue };
            let body = &p[1..];
            match cmd {
                0x01 => break,
                0x03 => self.on_query(&String::from_utf8_lossy(body)).await?,
                0x16 => self.on_prepare(&String::from_utf8_lossy(body)).await?,
                0x17 => self.on_execute(&p).await?,
                0x18 | 0x19 => {
                    // SEND_LONG_DATA and CLOSE have no response.
                    let id = stmt_id(body);
                    if id >= VIRTUAL_BASE {
                        if cmd == 0x19 {
                            self.virtual_stmts.remove(&id);
                        }
                    } else {
                        self.backend.send(&p).await?;
                    }
                }
                0x1A if stmt_id(body) >= VIRTUAL_BASE => {
                    self.client.write(&ok_packet(0, self.backend.status)).await?;
                }
                0x1F => {
                    self.backend.send(&p).await?;
                    self.backend.relay_one(&mut self.client).await?;
                    // The reset cleared the session settings mosim relies on.
                    if let Err(e) = self.backend.exec(SESSION_INIT).await {
                        self.client.write(&e.to_packet()).await?;
                    }
                }
                0x02 | 0x09 | 0x0C | 0x0E | 0x1A | 0x1B => {
                    self.backend.send(&p).await?;
                    self.backend.relay_one(&mut self.client).await?;
                }
                _ => {
                    let e = SqlError { code: 1047, state: "08S01".into(), message: "Unknown command".into() };
                    self.client.write(&e.to_packet()).await?;
                }
            }
            self.client.flush().await?;
        }
        Ok(())
    }

    /// Decides what to do with one statement; rewriting may consult the catalog.
    async fn plan(&mut self, sql: &str, toks: &[Token]) -> Result<Plan, SqlError> {
        match parse(sql, toks, self.shared.dialect)? {
            Parsed::Mo(stmt) => Ok(Plan::Mo(stmt)),
            Parsed::Plain => {
                let creates = self.new_tables(toks).await?;
                let text = self.rewrite_plain(sql, toks).await?;
                Ok(Plan::Forward(text, creates))
            }
        }
    }

    /// The user tables a plain script will create: not those `IF NOT EXISTS` finds in place.
    async fn new_tables(&mut self, toks: &[Token]) -> Result<Vec<(String, String)>, SqlError> {
        let mut out = Vec::new();
        for range in split_statements(toks) {
            let Some((db, table, if_not_exists)) = created_table(&toks[range]) else { continue };
            let db = match db {
                Some(db) => db,
                None => match current_database(&mut self.backend).await? {
                    Some(db) => db,
                    None => continue,
                },
            };
            if is_system_db(&db) || (if_not_exists && table_exists(&mut self.backend, &db, &table).await?) {
                continue;
            }
            out.push((db, table));
        }
        Ok(out)
    }

    async fn rewrite_plain(&mut self, sql: &str, toks: &[Token]) -> Result<String, SqlError> {
        let mut edits = static_edits(toks, &self.shared.version);
        let hints = find_hints(sql, toks)?;
        edits.extend(mo::hint_edits(&mut self.backend, &self.shared.catalog, &hints).await?);
        // Each statement of a multi-statement script may create a table.
        for range in split_statements(toks) {
            let Some(ct) = create_table(&toks[range]) else { continue };
            let db = match ct.db {
                Some(db) => Some(db),
                None => current_database(&mut self.backend).await?,
            };
            if db.is_none_or(|d| !is_system_db(&d)) {
                edits.extend(ct.edits);
            }
        }
        Ok(splice(sql, edits))
    }

    /// COM_QUERY. A multi-statement text that contains MatrixOne statements runs one
    /// statement at a time, each answering as one result of the multi-result response;
    /// otherwise the whole text goes to MariaDB at once (stored-program bodies stay intact).
    async fn on_query(&mut self, sql: &str) -> io::Result<()> {
        let toks = tokenize(sql);
        let segments = split_statements(&toks);
        let dialect = self.shared.dialect;
        let has_mo = segments.len() > 1
            && segments.iter().any(|r| !matches!(parse(sql, &toks[r.clone()], dialect), Ok(Parsed::Plain)));
        if !has_mo {
            return self.run_statement(sql, false).await.map(|_| ());
        }
        for (i, r) in segments.iter().enumerate() {
            let text = &sql[toks[r.start].start..toks[r.end - 1].end];
            if !self.run_statement(text, i + 1 < segments.len()).await? {
                break;
            }
        }
        Ok(())
    }

    /// Answers one statement; `more` marks further results to come. Returns whether it
    /// succeeded (a multi-statement text stops at the first error, as in MySQL).
    async fn run_statement(&mut self, sql: &str, more: bool) -> io::Result<bool> {
        let toks = tokenize(sql);
        let mut creates = Vec::new();
        let action = match self.plan(sql, &toks).await {
            Ok(Plan::Forward(text, c)) => {
                creates = c;
                Ok(Action::Forward(text))
            }
            Ok(Plan::Mo(stmt)) => mo::execute(&mut self.backend, &self.shared.catalog, stmt).await,
            Err(e) => Err(e),
        };
        let more_flag = if more { STATUS_MORE_RESULTS } else { 0 };
        match action {
            Ok(Action::Forward(text)) => {
                let mut cmd = Vec::with_capacity(text.len() + 1);
                cmd.push(0x03);
                cmd.extend_from_slice(text.as_bytes());
                self.backend.send(&cmd).await?;
                let outcome = self.backend.relay_result(&mut self.client, more).await?;
                let done = matches!(outcome, Outcome::Done);
                if done && !creates.is_empty() {
                    // Best effort: without the record the table counts as always there.
                    if let Ok(mut cat) = self.shared.catalog.get().await {
                        for (db, table) in &creates {
                            let _ = graveyard::record_created(&mut cat, db, table).await;
                        }
                        cat.release();
                    }
                }
                return Ok(done);
            }
            Ok(Action::Ok(n)) => {
                let status = self.backend.status | more_flag;
                self.client.write(&ok_packet(n, status)).await?;
            }
            Ok(Action::Rows(cols, rows)) => self.write_rows(&cols, &rows, more_flag).await?,
            Err(e) => {
                self.client.write(&e.to_packet()).await?;
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Writes a text-protocol result set mosim built itself.
    async fn write_rows(
        &mut self,
        cols: &[(&str, u8)],
        rows: &[Vec<Option<String>>],
        more_flag: u16,
    ) -> io::Result<()> {
        let mut count = Vec::new();
        crate::wire::codec::put_lenenc_int(&mut count, cols.len() as u64);
        self.client.write(&count).await?;
        for (name, ty) in cols {
            self.client.write(&column_def(name, *ty)).await?;
        }
        if self.caps & DEPRECATE_EOF == 0 {
            self.client.write(&eof_packet(self.backend.status)).await?;
        }
        for row in rows {
            let mut p = Vec::new();
            for v in row {
                match v {
                    Some(s) => put_lenenc_str(&mut p, s.as_bytes()),
                    None => p.push(0xFB),
                }
            }
            self.client.write(&p).await?;
        }
        let status = self.backend.status | more_flag;
        self.client.write(&end_of_rows(self.caps, status)).await
    }

    /// COM_STMT_PREPARE, with MatrixOne's rule of which statements can be prepared (§10.2).
    async fn on_prepare(&mut self, sql: &str) -> io::Result<()> {
        let toks = tokenize(sql);
        if let Some(e) = self.unpreparable(sql, &toks) {
            return self.client.write(&e.to_packet()).await;
        }
        let text = match self.plan(sql, &toks).await {
            Ok(Plan::Forward(text, _)) => text,
            Ok(Plan::Mo(stmt)) => match stmt {
                MoStmt::ShowSnapshots { .. } | MoStmt::ShowPitr { .. } | MoStmt::MoCtl { .. } => {
                    match mo::execute(&mut self.backend, &self.shared.catalog, stmt).await {
                        Ok(Action::Forward(text)) => text,
                        Ok(_) => return self.client.write(&statement_error(sql).to_packet()).await,
                        Err(e) => return self.client.write(&e.to_packet()).await,
                    }
                }
                MoStmt::CreatePitr { .. }
                | MoStmt::DropPitr { .. }
                | MoStmt::CloneTable { .. }
                | MoStmt::DropTable { .. }
                | MoStmt::DropDatabase { .. } => {
                    let id = self.next_virtual;
                    self.next_virtual = self.next_virtual.wrapping_add(1).max(VIRTUAL_BASE);
                    self.virtual_stmts.insert(id, stmt);
                    let mut ok = vec![0x00];
                    ok.extend_from_slice(&id.to_le_bytes());
                    ok.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0]);
                    return self.client.write(&ok).await;
                }
                _ => return self.client.write(&statement_error(sql).to_packet()).await,
            },
            Err(e) => return self.client.write(&e.to_packet()).await,
        };
        let mut cmd = Vec::with_capacity(text.len() + 1);
        cmd.push(0x16);
        cmd.extend_from_slice(text.as_bytes());
        self.backend.send(&cmd).await?;
        let _prepared = self.backend.relay_prepare(&mut self.client).await?;
        Ok(())
    }

    /// Statements outside MatrixOne's `prepareable_stmt` fail to parse as `PREPARE ... FROM`.
    fn unpreparable(&self, sql: &str, toks: &[Token]) -> Option<SqlError> {
        let first = toks.first()?;
        let refused =
            ["restore", "use", "begin", "commit", "rollback", "start"].iter().any(|k| first.is_kw(k))
                || (first.is_kw("data") && toks.get(1).is_some_and(|t| t.is_kw("branch")));
        if !refused {
            return None;
        }
        let prefix = "prepare __mo_stmt_id_1 from";
        Some(SqlError::syntax(&format!("{prefix} {sql}"), prefix.len()))
    }

    async fn on_execute(&mut self, p: &[u8]) -> io::Result<()> {
        let id = stmt_id(&p[1..]);
        let flags = p.get(5).copied().unwrap_or(0);
        if flags != 0 {
            let e = SqlError::invalid_input(format!("unsupported Prepare flag '{flags}'"));
            return self.client.write(&e.to_packet()).await;
        }
        if id >= VIRTUAL_BASE {
            let reply = match self.virtual_stmts.get(&id).cloned() {
                Some(stmt) => match mo::execute(&mut self.backend, &self.shared.catalog, stmt).await {
                    Ok(Action::Ok(n)) => ok_packet(n, self.backend.status),
                    Ok(Action::Forward(text)) => {
                        // Prepared DROPs end as plain SQL whose answer is OK or ERR, the
                        // same packets in both protocols.
                        let mut cmd = vec![0x03];
                        cmd.extend_from_slice(text.as_bytes());
                        self.backend.send(&cmd).await?;
                        self.backend.relay_result(&mut self.client, false).await?;
                        return Ok(());
                    }
                    Ok(_) => ok_packet(0, self.backend.status),
                    Err(e) => e.to_packet(),
                },
                None => SqlError {
                    code: 1243,
                    state: "HY000".into(),
                    message: format!("Unknown prepared statement handler ({id}) given to mysql_stmt_execute"),
                }
                .to_packet(),
            };
            return self.client.write(&reply).await;
        }
        self.backend.send(p).await?;
        self.backend.relay_result(&mut self.client, false).await?;
        Ok(())
    }
}

fn stmt_id(body: &[u8]) -> u32 {
    match body.get(..4) {
        Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        None => 0,
    }
}

/// PREPARE of a statement `plan.BuildPlan` does not handle (pkg/sql/plan/build.go).
fn statement_error(sql: &str) -> SqlError {
    SqlError::internal(format!("statement: '{}'", sql.trim().trim_end_matches(';')))
}
