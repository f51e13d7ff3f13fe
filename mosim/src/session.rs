//! One client connection: login, then each command either relayed to its own MariaDB
//! session or carried out as a MatrixOne statement.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::net::TcpStream;

use crate::config::Dialect;
use crate::conns::{Conns, Watch, kill_thread, remap_kill};
use crate::error::SqlError;
use crate::mo::catalog::{current_database, table_exists};
use crate::mo::catalog_tables;
use crate::mo::pool::Pool;
use crate::mo::txn_rules::{self, Ended, Kind, TxnState};
use crate::mo::txn_undo::{self, Ddl, UndoLog};
use crate::mo::{self, Action, graveyard};
use crate::quirks::{self, NullShape};
use crate::sql::dialect::{self, result_types};
use crate::sql::guard::{Target, is_protected, no_privilege, write_targets};
use crate::sql::lexer::{Token, lossy, split_statements, tokenize};
use crate::sql::parse::{Parsed, parse, syntax_error};
use crate::sql::rewrite::{
    Edit, create_table, created_table, find_hints, ident, is_system_db, splice, static_edits,
};
use crate::sql::statement::MoStmt;
use crate::sql::variables::{self, Answer, Globals, SessionVars};
use crate::url::BackendUrl;
use crate::wire::backend::{Backend, ConnectError, Outcome, UTF8MB4_GENERAL_CI, backend_collation};
use crate::wire::caps::{
    CONNECT_ATTRS, DEPRECATE_EOF, EXPECTED_CLIENT_CAPS, SERVER_CAPS, SESSION_CAPS, STATUS_IN_TRANS,
    STATUS_MORE_RESULTS,
};
use crate::wire::codec::put_lenenc_str;
use crate::wire::handshake;
use crate::wire::packet::{PRE_AUTH_MAX_PACKET, PacketConn, PacketTooLarge, is_too_large};
use crate::wire::response::{column_def, column_def_flags, end_of_rows, eof_packet, ok_packet};
use crate::wire::wording::Wording;

/// What every connection shares: the backend, the version, the dialect, and mosim's own
/// connections for the catalog and the MatrixOne statements it carries out.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) url: BackendUrl,
    pub(crate) version: String,
    pub(crate) dialect: Dialect,
    pub(crate) next_id: AtomicU32,
    pub(crate) catalog: Pool,
    /// Server-wide values of the MatrixOne variables mosim keeps (`SET GLOBAL`).
    pub(crate) globals: Globals,
}

/// Session settings every backend connection gets: UTC, and ALTER allowed on versioned tables.
const SESSION_INIT: &str = "SET time_zone = '+00:00', system_versioning_alter_history = KEEP";

/// Opens an initialised backend connection for mosim's own use.
pub(crate) async fn open_backend(shared: &Shared, db: Option<&str>) -> Result<Backend, SqlError> {
    let caps = SERVER_CAPS & !CONNECT_ATTRS;
    let mut b = match Backend::connect(&shared.url, db, caps, UTF8MB4_GENERAL_CI).await {
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

/// Advertised ids of sessions whose backend connection could not be opened before the
/// greeting; the high bit keeps them clear of MariaDB's thread ids.
const FALLBACK_ID: u32 = 0x8000_0000;

/// Serves one client until it quits, idles out, leaves, or the connection fails.
pub(crate) async fn serve(stream: TcpStream, shared: Arc<Shared>, conns: Arc<Conns>) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let (stream, watch) = Watch::split(stream)?;
    let mut client = PacketConn::new(stream);
    // Nothing big is due before login: a huge claimed length is refused, not allocated.
    client.set_max_packet(PRE_AUTH_MAX_PACKET);
    // The backend connection comes first so the greeting can advertise its MariaDB thread id:
    // `KILL [QUERY] <id>` from any client, and CONNECTION_ID(), then agree with it.
    // Bounded, so a stalled backend delays the greeting no longer than a client may take.
    let early = tokio::time::timeout(
        conns.handshake_timeout,
        Backend::connect(&shared.url, None, EXPECTED_CLIENT_CAPS, UTF8MB4_GENERAL_CI),
    )
    .await
    .ok()
    .and_then(Result::ok);
    let conn_id = match &early {
        Some(b) => b.thread_id,
        None => FALLBACK_ID | shared.next_id.fetch_add(1, Ordering::Relaxed),
    };
    let login = match tokio::time::timeout(
        conns.handshake_timeout,
        handshake::accept(&mut client, &shared.version, conn_id),
    )
    .await
    {
        Ok(login) => login?,
        // A client that does not log in in time only holds a slot: close it, as MySQL does.
        Err(_) => return Ok(()),
    };
    // Accounts other than `sys` (`mo::account`): their password is checked, and their
    // databases are named `acc$db` on the backend.
    let mut login = login;
    let who = match mo::account::login::check(&shared.catalog, &login.user, &login.nonce, &login.auth).await {
        Ok(who) => who,
        Err(e) => {
            client.write(&e.to_packet()).await?;
            return client.flush().await;
        }
    };
    if let Some(w) = &who {
        login.db = login.db.map(|db| mo::account::namespace::backend_name(&w.account, &db));
    }
    // The early connection serves the client if it frames and treats statements as the
    // client asked, in the client's collation; otherwise the client gets its own, and its
    // advertised id is remapped.
    let early = early.filter(|_| {
        login.caps & SESSION_CAPS == EXPECTED_CLIENT_CAPS & SESSION_CAPS
            && backend_collation(login.collation) == UTF8MB4_GENERAL_CI
    });
    let connected = match early {
        Some(mut b) => match &login.db {
            Some(db) => b.exec(&format!("USE {}", ident(db))).await.map(|_| b).map_err(ConnectError::Sql),
            None => Ok(b),
        },
        None => Backend::connect(&shared.url, login.db.as_deref(), login.caps, login.collation).await,
    };
    let backend = match connected {
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
    let mut backend = backend;
    backend.vectors = Some(mo::vector::wire::VectorDefs::new(Arc::clone(&shared)));
    let _remapped = (backend.thread_id != conn_id).then(|| conns.remap(conn_id, backend.thread_id));
    client.set_max_packet(conns.max_packet);
    client.write(&ok_packet(0, backend.status)).await?;
    client.flush().await?;
    let mut session = Session {
        client,
        backend,
        vars: SessionVars::new(&shared.globals),
        shared,
        caps: login.caps,
        virtual_stmts: HashMap::new(),
        next_virtual: VIRTUAL_BASE,
        null_shape: conns.quirks.prepared_null_shape.then(NullShape::default),
        txn: TxnState::default(),
        undo: UndoLog::default(),
        who,
        prepared_reads: None,
    };
    if let Some(set) = variables::session_init(&session.vars)
        && let Err(e) = session.backend.exec(&set).await
    {
        session.client.write(&e.to_packet()).await?;
        return session.client.flush().await;
    }
    let served = session.run(&conns, &watch).await;
    // A client gone with a transaction open: MatrixOne rolls it back, DDL included.
    session.roll_back_for_good().await;
    served
}

/// How a statement will be answered.
enum Plan {
    /// Plain SQL for the backend (in the client's character set), and the table it creates
    /// (recorded once it succeeds).
    Forward(Vec<u8>, Option<(String, String)>),
    Mo(MoStmt),
}

struct Session {
    client: PacketConn,
    backend: Backend,
    shared: Arc<Shared>,
    caps: u32,
    virtual_stmts: HashMap<u32, MoStmt>,
    next_virtual: u32,
    /// MatrixOne #28138, when [`crate::Config::quirk_prepared_null_shape`] is on.
    null_shape: Option<NullShape>,
    /// MatrixOne's variables that MariaDB lacks, for this session.
    vars: SessionVars,
    /// The transaction as MatrixOne's rule sees it (`mo::txn_rules`).
    txn: TxnState,
    /// What ROLLBACK must undo of the DDL run in the open transaction (`mo::txn_undo`).
    undo: UndoLog,
    /// The account, user and role of a login to an account other than `sys`.
    who: Option<mo::account::Who>,
    /// While COM_STMT_PREPARE plans its statement: the kept variables it reads.
    prepared_reads: Option<Vec<variables::PreparedRead>>,
}

impl Session {
    /// Answers commands until the client quits, idles out or leaves. A client that leaves
    /// while its command runs gets its backend thread killed, so the statement stops too.
    async fn run(&mut self, conns: &Conns, watch: &Watch) -> io::Result<()> {
        loop {
            let p = match tokio::time::timeout(conns.idle_timeout, self.client.read()).await {
                // Silent past the idle timeout: closed without a word, as MariaDB does.
                Err(_) => return Ok(()),
                Ok(Ok(Some(p))) => p,
                Ok(Ok(None)) => return Ok(()),
                Ok(Err(e)) if is_too_large(&e) => {
                    let e =
                        SqlError { code: 1153, state: "08S01".into(), message: PacketTooLarge.to_string() };
                    self.client.write(&e.to_packet()).await?;
                    return self.client.flush().await;
                }
                Ok(Err(e)) => return Err(e),
            };
            let Some(&cmd) = p.first() else { continue };
            if cmd == 0x01 {
                if conns.quirks.ignore_quit {
                    return quirks::linger(&mut self.client, conns.idle_timeout).await;
                }
                return Ok(());
            }
            let thread = self.backend.thread_id;
            let work = async {
                let body = &p[1..];
                match cmd {
                    0x03 => {
                        // KILL's id is ASCII digits: a lossy view is enough to recognise it.
                        match remap_kill(conns, &String::from_utf8_lossy(body)) {
                            Some(kill) => {
                                let mut k = vec![0x03];
                                k.extend_from_slice(kill.as_bytes());
                                self.backend.send(&k).await?;
                                self.backend.relay_result(&mut self.client, false).await?;
                            }
                            None => self.on_query(body).await?,
                        }
                    }
                    // COM_FIELD_LIST: deprecated, but some clients still send it.
                    0x04 => {
                        self.backend.send(&p).await?;
                        self.backend.relay_field_list(&mut self.client).await?;
                    }
                    // COM_PROCESS_KILL names a thread by the id mosim advertised.
                    0x0C => {
                        let mut k = vec![0x0C];
                        k.extend_from_slice(&conns.thread_of(stmt_id(body)).to_le_bytes());
                        self.backend.send(&k).await?;
                        self.backend.relay_one(&mut self.client).await?;
                    }
                    0x16 => self.on_prepare(body).await?,
                    0x17 => self.execute_in_transaction(&p).await?,
                    0x18 | 0x19 => {
                        // SEND_LONG_DATA and CLOSE have no response.
                        let id = stmt_id(body);
                        if cmd == 0x19 {
                            self.txn.forget_prepared(Some(id));
                        }
                        if id >= VIRTUAL_BASE {
                            if cmd == 0x19 {
                                self.virtual_stmts.remove(&id);
                            }
                        } else {
                            if let (0x19, Some(shape)) = (cmd, &mut self.null_shape) {
                                shape.closed(id);
                            }
                            self.backend.send(&p).await?;
                        }
                    }
                    0x1A if stmt_id(body) >= VIRTUAL_BASE => {
                        self.client.write(&ok_packet(0, self.backend.status)).await?;
                    }
                    0x1F => {
                        // The reset deallocates every prepared statement, mosim's own too, and
                        // rolls back the transaction, DDL included.
                        self.virtual_stmts.clear();
                        if let Some(shape) = &mut self.null_shape {
                            shape.reset();
                        }
                        self.roll_back_for_good().await;
                        self.vars = SessionVars::new(&self.shared.globals);
                        let kept = variables::session_init(&self.vars);
                        self.backend.send(&p).await?;
                        self.backend.relay_one(&mut self.client).await?;
                        // The reset cleared the session settings mosim relies on.
                        let init = [Some(SESSION_INIT.to_owned()), kept];
                        for sql in init.iter().flatten() {
                            if let Err(e) = self.backend.exec(sql).await {
                                self.client.write(&e.to_packet()).await?;
                                break;
                            }
                        }
                    }
                    // COM_INIT_DB from an account's session names the account's database.
                    0x02 if self.who.is_some() => {
                        let db = String::from_utf8_lossy(body).into_owned();
                        if let Some(who) = self.who.clone() {
                            match mo::account::init_db(&self.shared.catalog, &who, &db).await {
                                Ok(name) => {
                                    let mut k = vec![0x02];
                                    k.extend_from_slice(name.as_bytes());
                                    self.backend.send(&k).await?;
                                    self.backend.relay_one(&mut self.client).await?;
                                }
                                Err(e) => self.client.write(&e.to_packet()).await?,
                            }
                        }
                    }
                    0x02 | 0x09 | 0x0E | 0x1A | 0x1B => {
                        self.backend.send(&p).await?;
                        self.backend.relay_one(&mut self.client).await?;
                    }
                    _ => {
                        let e =
                            SqlError { code: 1047, state: "08S01".into(), message: "Unknown command".into() };
                        self.client.write(&e.to_packet()).await?;
                    }
                }
                self.client.flush().await
            };
            let gone = tokio::select! {
                biased;
                done = work => {
                    done?;
                    false
                }
                () = watch.closed() => true,
            };
            if gone {
                kill_thread(&self.shared, thread).await;
                return Ok(());
            }
        }
    }

    /// Decides what to do with one statement; rewriting may consult the catalog. MatrixOne's
    /// transaction rule applies after parsing and the privilege check, before anything runs.
    async fn plan(&mut self, sql: &[u8], toks: &[Token], kind: &Kind) -> Result<Plan, SqlError> {
        let parsed = parse(sql, toks, self.shared.dialect)?;
        // Looked up at most once per statement: asking MariaDB resets the client's
        // ROW_COUNT() and warnings, so only statements that need it do.
        let mut current = None;
        // MatrixOne's own statements check their targets themselves (snapshot.rs, ...).
        let guarded = matches!(
            parsed,
            Parsed::Plain
                | Parsed::Mo(
                    MoStmt::DropTable { .. } | MoStmt::DropDatabase { .. } | MoStmt::CloneTable { .. }
                )
        );
        if guarded {
            self.refuse_catalog_writes(toks, &mut current).await?;
        }
        self.txn.check(kind)?;
        match parsed {
            Parsed::Mo(stmt) => Ok(Plan::Mo(stmt)),
            Parsed::Plain => {
                let creates = self.new_table(toks, &mut current).await?;
                let text = self.rewrite_plain(sql, toks, &mut current).await?;
                Ok(Plan::Forward(text, creates))
            }
        }
    }

    /// The session's current database, from `memo` if this statement already asked.
    async fn current_db(&mut self, memo: &mut Option<Option<String>>) -> Result<Option<String>, SqlError> {
        if let Some(db) = memo {
            return Ok(db.clone());
        }
        let db = current_database(&mut self.backend).await?;
        *memo = Some(db.clone());
        Ok(db)
    }

    /// MatrixOne's catalog databases are read-only to clients (see `sql::guard`). An
    /// unqualified name is resolved against the current database only for CREATE / DROP
    /// (which look it up anyway) and for names mosim's catalog tables could have.
    async fn refuse_catalog_writes(
        &mut self,
        toks: &[Token],
        current: &mut Option<Option<String>>,
    ) -> Result<(), SqlError> {
        let ddl = toks.first().is_some_and(|t| t.is_kw("create") || t.is_kw("drop"));
        for target in write_targets(toks) {
            let protected = match target {
                Target::Database(db) | Target::Object { db: Some(db), .. } => is_protected(&db),
                Target::Object { db: None, name } => {
                    let catalog_like = ["mo_", "dropped_"]
                        .iter()
                        .any(|p| name.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)));
                    (ddl || catalog_like) && self.current_db(current).await?.is_some_and(|d| is_protected(&d))
                }
            };
            if protected {
                return Err(no_privilege());
            }
        }
        Ok(())
    }

    /// The user table a plain statement will create: not one `IF NOT EXISTS` finds in place.
    async fn new_table(
        &mut self,
        toks: &[Token],
        current: &mut Option<Option<String>>,
    ) -> Result<Option<(String, String)>, SqlError> {
        let Some((db, table, if_not_exists)) = created_table(toks) else { return Ok(None) };
        let db = match db {
            Some(db) => db,
            None => match self.current_db(current).await? {
                Some(db) => db,
                None => return Ok(None),
            },
        };
        if is_system_db(&db) || (if_not_exists && table_exists(&mut self.backend, &db, &table).await?) {
            return Ok(None);
        }
        Ok(Some((db, table)))
    }

    /// Rewrites a plain statement for MariaDB, splicing bytes so that text in any character
    /// set (and `_binary` literals) reaches the backend exactly as the client sent it.
    async fn rewrite_plain(
        &mut self,
        sql: &[u8],
        toks: &[Token],
        current: &mut Option<Option<String>>,
    ) -> Result<Vec<u8>, SqlError> {
        let dialect = dialect::rewrite(sql, toks)?;
        // Vectors and fulltext (mo::vector::hooks).
        let db =
            if mo::vector::hooks::wants_current_db(toks) { self.current_db(current).await? } else { None };
        let (pool, cache) = (&self.shared.catalog, self.backend.vectors.as_mut());
        let vector_edits =
            match mo::vector::hooks::before(pool, cache, &self.vars, sql, toks, db.as_deref()).await? {
                mo::vector::hooks::Before::Replace(text) => return Ok(text),
                mo::vector::hooks::Before::Edits(edits) => edits,
            };
        let mut edits = static_edits(toks, &self.shared.version);
        edits.extend(variables::read_edits(
            toks,
            &self.vars,
            &self.shared.globals,
            self.prepared_reads.as_mut(),
        ));
        edits.extend(vector_edits);
        if !dialect.aggregates.is_empty() {
            edits.extend(self.aggregate_casts(&dialect, current).await?);
        }
        let hints = find_hints(sql, toks)?;
        let db = if hints.iter().any(|h| h.db.is_none()) { self.current_db(current).await? } else { None };
        edits.extend(mo::hint_edits(&self.shared.catalog, &mut self.backend, &hints, db.as_deref()).await?);
        if let Some(ct) = create_table(toks) {
            let db = match ct.db {
                Some(db) => Some(db),
                None => self.current_db(current).await?,
            };
            if db.is_none_or(|d| !is_system_db(&d)) {
                edits.extend(ct.edits);
            }
        }
        // After the versioning edits: at the same offset, `WITH SYSTEM VERSIONING` comes first.
        edits.extend(dialect.edits);
        Ok(splice(sql, edits))
    }

    /// Casts that give SUM / AVG of a column MatrixOne's result type (see
    /// `sql::dialect::result_types`). Best effort: if the column types cannot be read, the
    /// statement runs as written.
    async fn aggregate_casts(
        &mut self,
        d: &dialect::Rewrite,
        current: &mut Option<Option<String>>,
    ) -> Result<Vec<Edit>, SqlError> {
        let unqualified = d.tables.iter().any(|r| r.db.is_none() && r.table.is_some());
        let db = if unqualified { self.current_db(current).await.ok().flatten() } else { None };
        let wanted = result_types::tables_to_look_up(&d.tables, db.as_deref());
        match catalog_tables::column_types(&self.shared.catalog, &wanted).await {
            Ok(columns) => result_types::edits(&d.aggregates, &d.tables, &columns, db.as_deref()),
            Err(_) => Ok(Vec::new()),
        }
    }

    /// COM_QUERY. MatrixOne runs every statement of a text, whatever capabilities the client
    /// negotiated, and answers one result per statement with SERVER_MORE_RESULTS_EXISTS
    /// between them (pkg/frontend/mysql_cmd_executor.go, `doComQuery`). mosim splits every
    /// text itself the same way and stops at the first error, as MySQL does. Each statement
    /// is planned after the previous one ran, so it sees its effects (`USE d; CREATE TABLE t`
    /// creates `d.t`).
    async fn on_query(&mut self, sql: &[u8]) -> io::Result<()> {
        let toks = tokenize(sql);
        let segments = split_statements(&toks);
        if segments.len() <= 1 {
            return self.run_statement(sql, false).await.map(|_| ());
        }
        for (i, r) in segments.iter().enumerate() {
            // From after one `;` to before the next, so comments around a statement (and an
            // executable comment holding it) stay whole.
            let start = r.start.checked_sub(1).map_or(0, |sep| toks[sep].end);
            let end = toks.get(r.end).map_or(sql.len(), |sep| sep.start);
            if !self.run_statement(sql[start..end].trim_ascii(), i + 1 < segments.len()).await? {
                break;
            }
        }
        Ok(())
    }

    /// Answers one statement; `more` marks further results to come. Returns whether it
    /// succeeded (a multi-statement text stops at the first error, as in MySQL).
    async fn run_statement(&mut self, sql: &[u8], more: bool) -> io::Result<bool> {
        let toks = tokenize(sql);
        self.backend.wording = Wording::of(&toks);
        let kind = txn_rules::classify(&toks);
        let before = self.backend.status;
        let done = match self.undo.resume(&mut self.backend, txn_rules::reads_diagnostics(&toks)).await {
            Ok(()) => self.answer_in_account(sql, &toks, &kind, more).await?,
            Err(e) => {
                self.client.write(&e.to_packet()).await?;
                false
            }
        };
        self.after_statement(&kind, done, before).await;
        Ok(done)
    }

    /// Account, user, role, grant and publication statements, and an account's view of its
    /// databases (`mo::account::before_statement`), then [`Session::answer_statement`].
    async fn answer_in_account(
        &mut self,
        sql: &[u8],
        toks: &[Token],
        kind: &Kind,
        more: bool,
    ) -> io::Result<bool> {
        let who = self.who.clone();
        let hook =
            mo::account::before_statement(&self.shared.catalog, &mut self.backend, who.as_ref(), sql, toks)
                .await;
        let action = match hook {
            Ok(mo::account::Hook::Pass) => return self.answer_statement(sql, toks, kind, more).await,
            Ok(mo::account::Hook::Mapped(text)) => {
                let toks = tokenize(&text);
                return self.answer_statement(&text, &toks, kind, more).await;
            }
            Ok(mo::account::Hook::Done(action)) => Ok(action),
            Ok(mo::account::Hook::Role(role)) => self.txn.check(kind).map(|()| {
                if let Some(w) = &mut self.who {
                    w.role = role;
                }
                Action::Ok(0)
            }),
            Ok(mo::account::Hook::Run(stmt)) => match self.txn.check(kind) {
                Ok(()) => mo::account::execute(&self.shared.catalog, who.as_ref(), stmt).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        self.write_action(action, more).await
    }

    /// Brings the transaction state up to date after a statement ran (or failed), and keeps
    /// what a committed transaction's DDL set aside (`txn_undo`).
    async fn after_statement(&mut self, kind: &Kind, done: bool, before: u16) {
        if self.backend.take_whole_transaction_lost() {
            self.roll_back_whole_transaction().await;
            return;
        }
        let ended = self.txn.after(kind, done, before, self.backend.status, self.undo.reopening());
        if ended == Ended::Committed && !self.undo.is_empty() {
            self.undo.committed(&self.shared.catalog).await;
        }
    }

    /// Rolls back what the open transaction's DDL did, after MariaDB's own rollback: for a
    /// client that left or reset its session.
    async fn roll_back_for_good(&mut self) {
        if self.undo.is_empty() {
            self.txn.reset();
        } else {
            self.roll_back_whole_transaction().await;
        }
    }

    /// Rolls back the whole open transaction, what its DDL did included: after an error
    /// MatrixOne ends the transaction on (a lock wait timeout), and for
    /// [`Session::roll_back_for_good`].
    async fn roll_back_whole_transaction(&mut self) {
        let _ = self.backend.exec("ROLLBACK").await;
        if !self.undo.is_empty() {
            let _ = self.undo.rolled_back(&mut self.backend, &self.shared.catalog).await;
        }
        self.txn.reset();
    }

    /// The status flags of an answer mosim writes for a statement inside a transaction.
    fn status_in_transaction(&self, more: bool) -> u16 {
        let open = if self.txn.in_transaction(self.backend.status) { STATUS_IN_TRANS } else { 0 };
        self.backend.status | open | if more { STATUS_MORE_RESULTS } else { 0 }
    }

    /// Writes OK (with `affected`) or the error; returns whether it was OK.
    async fn write_outcome(&mut self, r: Result<u64, SqlError>, status: u16) -> io::Result<bool> {
        match r {
            Ok(n) => {
                self.client.write(&ok_packet(n, status)).await?;
                Ok(true)
            }
            Err(e) => {
                self.client.write(&e.to_packet()).await?;
                Ok(false)
            }
        }
    }

    /// Answers one statement, with MatrixOne's variables, transaction rule and DDL inside
    /// transactions.
    async fn answer_statement(
        &mut self,
        sql: &[u8],
        toks: &[Token],
        kind: &Kind,
        more: bool,
    ) -> io::Result<bool> {
        if let Some(stmt) = variables::parse(toks) {
            let answer = variables::answer(
                &mut self.backend,
                &mut self.vars,
                &self.shared.globals,
                &self.shared.version,
                sql,
                toks,
                stmt,
            )
            .await;
            return self.write_answer(answer, more).await;
        }
        if let Some(sp) = mo::savepoint::classify(toks) {
            let r = match sp {
                mo::savepoint::Savepoint::Ignored => Ok(0),
                mo::savepoint::Savepoint::RollbackTo => Err(mo::savepoint::rollback_to_refused()),
            };
            let status = self.status_in_transaction(more);
            return self.write_outcome(r, status).await;
        }
        if matches!(kind, Kind::End { rollback: true, .. }) && !self.undo.is_empty() {
            let r = match self.backend.query_bytes(sql).await {
                Ok(_) => self.undo.rolled_back(&mut self.backend, &self.shared.catalog).await.map(|()| 0),
                Err(e) => Err(e),
            };
            let status = self.backend.status | if more { STATUS_MORE_RESULTS } else { 0 };
            return self.write_outcome(r, status).await;
        }
        let in_transaction = self.txn.in_transaction(self.backend.status);
        if in_transaction && matches!(kind, Kind::Maintenance) {
            if let Err(e) = self.txn.check(kind) {
                self.client.write(&e.to_packet()).await?;
                return Ok(false);
            }
            let cat = &self.shared.catalog;
            if let Err(e) =
                txn_undo::before_committing_statement(&mut self.backend, cat, &mut self.undo).await
            {
                self.client.write(&e.to_packet()).await?;
                return Ok(false);
            }
            let done = self.forward(sql, more).await?;
            txn_undo::after_committing_statement(&self.backend, &mut self.undo, self.txn.begun());
            return Ok(done);
        }
        let ddl_here = in_transaction && matches!(kind, Kind::Ddl);
        let action = match self.plan(sql, toks, kind).await {
            Ok(Plan::Forward(text, _)) if ddl_here => {
                let ddl = Ddl::Plain { toks, text: &text };
                let cat = &self.shared.catalog;
                let r = txn_undo::run(&mut self.backend, cat, &mut self.undo, ddl, self.txn.begun()).await;
                let status = self.status_in_transaction(more);
                return self.write_outcome(r, status).await;
            }
            Ok(Plan::Mo(
                stmt @ (MoStmt::CloneTable { .. }
                | MoStmt::CloneDatabase { .. }
                | MoStmt::DropTable { .. }
                | MoStmt::DropDatabase { .. }
                | MoStmt::Branch(_)),
            )) if ddl_here => {
                let cat = &self.shared.catalog;
                let r =
                    txn_undo::run(&mut self.backend, cat, &mut self.undo, Ddl::Mo(stmt), self.txn.begun())
                        .await;
                let status = self.status_in_transaction(more);
                return self.write_outcome(r, status).await;
            }
            Ok(Plan::Forward(text, created)) => {
                let done = self.forward(&text, more).await?;
                // Best effort: without the record the table counts as always there.
                if done
                    && let Some((db, table)) = created
                    && let Ok(mut cat) = self.shared.catalog.get().await
                {
                    let _ = graveyard::record_created(&mut cat, &db, &table).await;
                    cat.release();
                }
                return Ok(done);
            }
            Ok(Plan::Mo(stmt)) => mo::execute(&mut self.backend, &self.shared.catalog, stmt).await,
            Err(e) => Err(e),
        };
        self.write_action(action, more).await
    }

    /// Sends the answer to one MatrixOne statement; returns whether it succeeded.
    async fn write_action(&mut self, action: Result<Action, SqlError>, more: bool) -> io::Result<bool> {
        let more_flag = if more { STATUS_MORE_RESULTS } else { 0 };
        match action {
            Ok(Action::Forward(text)) => return self.forward(text.as_bytes(), more).await,
            Ok(Action::ForwardAs(text, types)) => {
                return self.forward_as(text.as_bytes(), &types, more).await;
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

    /// Runs one statement on the backend as COM_QUERY and relays its answer; returns whether
    /// it succeeded.
    async fn forward(&mut self, text: &[u8], more: bool) -> io::Result<bool> {
        self.forward_as(text, &[], more).await
    }

    /// [`Session::forward`], with MatrixOne's type codes for some result columns.
    async fn forward_as(&mut self, text: &[u8], types: &[Option<u8>], more: bool) -> io::Result<bool> {
        let mut cmd = Vec::with_capacity(text.len() + 1);
        cmd.push(0x03);
        cmd.extend_from_slice(text);
        self.backend.send(&cmd).await?;
        let outcome = self.backend.relay_result_as(&mut self.client, more, types).await?;
        Ok(matches!(outcome, Outcome::Done))
    }

    /// Writes what `variables::answer` decided.
    async fn write_answer(&mut self, answer: Result<Answer, SqlError>, more: bool) -> io::Result<bool> {
        let more_flag = if more { STATUS_MORE_RESULTS } else { 0 };
        match answer {
            Ok(Answer::Ok) => {
                self.client.write(&ok_packet(0, self.backend.status | more_flag)).await?;
            }
            Ok(Answer::Rows(cols, rows)) => {
                let defs: Vec<Vec<u8>> =
                    cols.iter().map(|c| column_def_flags(&c.name, c.ty, 0, c.flags)).collect();
                self.write_defs_and_rows(&defs, &rows, more_flag).await?;
            }
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
        let defs: Vec<Vec<u8>> = cols.iter().map(|(name, ty)| column_def(name, *ty)).collect();
        self.write_defs_and_rows(&defs, rows, more_flag).await
    }

    /// Writes a result set from column definition packets and text rows.
    async fn write_defs_and_rows(
        &mut self,
        defs: &[Vec<u8>],
        rows: &[Vec<Option<String>>],
        more_flag: u16,
    ) -> io::Result<()> {
        let mut count = Vec::new();
        crate::wire::codec::put_lenenc_int(&mut count, defs.len() as u64);
        self.client.write(&count).await?;
        for def in defs {
            self.client.write(def).await?;
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
    async fn on_prepare(&mut self, sql: &[u8]) -> io::Result<()> {
        let toks = tokenize(sql);
        // An account's names are mapped here too (`mo::account`).
        let mapped;
        let (sql, toks) = match mo::account::prepared_text(
            &self.shared.catalog,
            &mut self.backend,
            self.who.as_ref(),
            sql,
            &toks,
        )
        .await
        {
            Ok(None) => (sql, toks),
            Ok(Some(text)) => {
                mapped = text;
                (&mapped[..], tokenize(&mapped))
            }
            Err(e) => return self.client.write(&e.to_packet()).await,
        };
        let wording = Wording::of(&toks);
        self.backend.wording = wording;
        if split_statements(&toks).len() > 1 {
            // pkg/frontend/mysql_cmd_executor.go, `doComQuery` under COM_STMT_PREPARE.
            let e = SqlError::not_supported("prepare multi statements");
            return self.client.write(&e.to_packet()).await;
        }
        if let Some(e) = self.unpreparable(sql, &toks) {
            return self.client.write(&e.to_packet()).await;
        }
        // COM_STMT_PREPARE is a PREPARE statement to MatrixOne's transaction rule.
        let inner = txn_rules::classify(&toks);
        let kind = Kind::Prepare { name: String::new(), inner: Box::new(inner.clone()) };
        self.prepared_reads = Some(Vec::new());
        let planned = self.plan(sql, &toks, &kind).await;
        let reads = self.prepared_reads.take().unwrap_or_default();
        let text = match planned {
            Ok(Plan::Forward(text, _)) => text,
            Ok(Plan::Mo(stmt)) => match stmt {
                MoStmt::ShowSnapshots { .. } | MoStmt::ShowPitr { .. } | MoStmt::MoCtl { .. } => {
                    match mo::execute(&mut self.backend, &self.shared.catalog, stmt).await {
                        Ok(Action::Forward(text)) => text.into_bytes(),
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
                    self.txn.remember_prepared(id, inner, (wording, Vec::new()), sql, &[]);
                    let mut ok = vec![0x00];
                    ok.extend_from_slice(&id.to_le_bytes());
                    ok.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0]);
                    return self.client.write(&ok).await;
                }
                _ => return self.client.write(&statement_error(sql).to_packet()).await,
            },
            Err(e) => return self.client.write(&e.to_packet()).await,
        };
        // The reads' user variables hold strings when the backend types the statement.
        if let Err(e) = self.set_prepared_reads(&reads).await {
            return self.client.write(&e.to_packet()).await;
        }
        let mut cmd = Vec::with_capacity(text.len() + 1);
        cmd.push(0x16);
        cmd.extend_from_slice(&text);
        self.backend.send(&cmd).await?;
        if let Ok((id, params)) = self.backend.relay_prepare(&mut self.client).await? {
            if let Some(shape) = &mut self.null_shape {
                shape.prepared(id, params);
            }
            self.txn.remember_prepared(id, inner, (wording, reads), sql, &text);
        }
        Ok(())
    }

    /// Statements outside MatrixOne's `prepareable_stmt` fail to parse as `PREPARE ... FROM`.
    fn unpreparable(&self, sql: &[u8], toks: &[Token]) -> Option<SqlError> {
        let first = toks.first()?;
        let refused =
            ["restore", "use", "begin", "commit", "rollback", "start"].iter().any(|k| first.is_kw(k))
                || (first.is_kw("data") && toks.get(1).is_some_and(|t| t.is_kw("branch")));
        if !refused {
            return None;
        }
        let prefix = b"prepare __mo_stmt_id_1 from ";
        Some(syntax_error(&[prefix.as_slice(), sql].concat(), prefix.len() - 1))
    }

    /// COM_STMT_EXECUTE under MatrixOne's transaction rule (an EXECUTE statement to it). A
    /// prepared DDL inside a transaction runs as its text, the way `txn_undo` runs DDL.
    async fn execute_in_transaction(&mut self, p: &[u8]) -> io::Result<()> {
        let id = stmt_id(&p[1..]);
        let prepared = self.txn.prepared(id).cloned();
        let inner = prepared.as_ref().map_or(Kind::Allowed, |p| p.kind.clone());
        self.backend.wording = prepared.as_ref().map_or(Wording::Other, |p| p.wording);
        let kind = Kind::Prepare { name: String::new(), inner: Box::new(inner.clone()) };
        if let Err(e) = self.txn.check(&kind) {
            return self.client.write(&e.to_packet()).await;
        }
        let before = self.backend.status;
        if let Err(e) = self.undo.resume(&mut self.backend, false).await {
            return self.client.write(&e.to_packet()).await;
        }
        let in_transaction = self.txn.in_transaction(self.backend.status);
        if in_transaction && inner == Kind::Ddl {
            let toks = prepared.as_ref().map(|p| tokenize(&p.sql)).unwrap_or_default();
            let ddl = match (self.virtual_stmts.get(&id).cloned(), &prepared) {
                (Some(stmt), _) => Some(Ddl::Mo(stmt)),
                // A DDL with parameters cannot run as text: MariaDB commits around it.
                (None, Some(p)) if !toks.iter().any(|t| t.is('?')) => {
                    Some(Ddl::Plain { toks: &toks, text: &p.text })
                }
                _ => None,
            };
            if let Some(ddl) = ddl {
                let cat = &self.shared.catalog;
                let r = txn_undo::run(&mut self.backend, cat, &mut self.undo, ddl, self.txn.begun()).await;
                let status = self.status_in_transaction(false);
                let done = self.write_outcome(r, status).await?;
                self.after_statement(&inner, done, before).await;
                return Ok(());
            }
        }
        // The kept variables it reads, as they are now.
        let reads = prepared.as_ref().map(|p| p.reads.as_slice()).unwrap_or_default();
        if let Err(e) = self.set_prepared_reads(reads).await {
            return self.client.write(&e.to_packet()).await;
        }
        self.on_execute(p).await?;
        // Whether it failed is not tracked here: MatrixOne keeps the transaction either way.
        self.after_statement(&inner, true, before).await;
        Ok(())
    }

    /// Sets the user variables that stand for a prepared statement's reads of kept variables
    /// to their current values (`variables::PreparedRead`).
    async fn set_prepared_reads(&mut self, reads: &[variables::PreparedRead]) -> Result<(), SqlError> {
        match variables::prepared_reads_set(reads, &self.vars, &self.shared.globals) {
            Some(set) => self.backend.exec(&set).await.map(|_| ()),
            None => Ok(()),
        }
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
        let rewritten = self.null_shape.as_mut().and_then(|shape| shape.apply(p));
        self.backend.send(rewritten.as_deref().unwrap_or(p)).await?;
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
fn statement_error(sql: &[u8]) -> SqlError {
    SqlError::internal(format!("statement: '{}'", lossy(sql).trim().trim_end_matches(';')))
}
