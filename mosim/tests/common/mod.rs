//! Shared helpers for mosim's integration tests: an in-process server on the local MariaDB,
//! plain sqlx connections (never the SDK), and error extraction.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::mysql::{MySqlConnection, MySqlDatabaseError, MySqlRow};
use sqlx::{AssertSqlSafe, Connection, Executor, Row};

/// Where MariaDB runs; the tests fail (not skip) when it is unreachable.
pub const BACKEND: &str = "mysql://root@127.0.0.1:3306";

/// Starts mosim in front of the local MariaDB.
pub async fn server() -> mosim::Server {
    mosim::Server::start(BACKEND).await.expect("mosim needs MariaDB at 127.0.0.1:3306")
}

/// A name unique to this process and call, so tests can run in parallel and be re-run.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("{prefix}_{}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed), nanos % 100_000)
}

/// Connects a plain sqlx client to mosim.
pub async fn connect(server: &mosim::Server, db: &str) -> MySqlConnection {
    MySqlConnection::connect(&server.url(db)).await.expect("connect to mosim")
}

/// A fresh database of its own, and a connection using it.
pub async fn fresh_db(server: &mosim::Server, prefix: &str) -> (MySqlConnection, String) {
    let db = unique(prefix);
    let mut c = connect(server, "test").await;
    exec(&mut c, &format!("CREATE DATABASE {db}")).await;
    exec(&mut c, &format!("USE {db}")).await;
    (c, db)
}

/// Runs text-protocol SQL (COM_QUERY), panicking on error.
pub async fn exec(c: &mut MySqlConnection, sql: &str) {
    c.execute(AssertSqlSafe(sql.to_owned())).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Runs text-protocol SQL and returns its rows.
pub async fn rows(c: &mut MySqlConnection, sql: &str) -> Vec<MySqlRow> {
    c.fetch_all(AssertSqlSafe(sql.to_owned())).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The `a` column (INT) of `SELECT a FROM ... ORDER BY a`, as text protocol.
pub async fn ints(c: &mut MySqlConnection, sql: &str) -> Vec<i32> {
    rows(c, sql).await.iter().map(|r| r.get::<i32, _>(0)).collect()
}

/// Runs text-protocol SQL that must fail; returns the MySQL error number and message.
pub async fn err(c: &mut MySqlConnection, sql: &str) -> (u16, String) {
    match c.execute(AssertSqlSafe(sql.to_owned())).await {
        Ok(_) => panic!("expected an error from {sql}"),
        Err(e) => db_error(e),
    }
}

/// The number and message of a database error.
pub fn db_error(e: sqlx::Error) -> (u16, String) {
    match e {
        sqlx::Error::Database(d) => {
            let my = d.downcast_ref::<MySqlDatabaseError>();
            (my.number(), my.message().to_owned())
        }
        other => panic!("expected a database error, got {other}"),
    }
}

/// Removes what a test made (snapshots and PITRs first, so the databases' tables need no
/// graveyard copy), leaving the shared backend tidy for the next run.
pub async fn cleanup(c: &mut MySqlConnection, dbs: &[&str], snapshots: &[&str], pitrs: &[&str]) {
    for s in snapshots {
        exec(c, &format!("DROP SNAPSHOT IF EXISTS {s}")).await;
    }
    for p in pitrs {
        exec(c, &format!("DROP PITR IF EXISTS {p}")).await;
    }
    for d in dbs {
        exec(c, &format!("DROP DATABASE IF EXISTS {d}")).await;
    }
}

/// MariaDB itself, for checks mosim must not sit in the middle of (its process list).
pub async fn direct() -> MySqlConnection {
    MySqlConnection::connect(&format!("{BACKEND}/test")).await.expect("MariaDB at 127.0.0.1:3306")
}

/// Bounded poll: runs `check` every 100 ms until it holds or `limit` passes; returns whether
/// it held.
pub async fn eventually<F, Fut>(limit: std::time::Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    loop {
        if check().await {
            return true;
        }
        if start.elapsed() >= limit {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// How many statements on MariaDB (other than the asking one) contain `marker`.
pub async fn running_with(direct: &mut MySqlConnection, marker: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST \
         WHERE ID <> CONNECTION_ID() AND INFO LIKE CONCAT('%', ?, '%')",
    )
    .bind(marker)
    .fetch_one(direct)
    .await
    .expect("read MariaDB's process list")
}

/// Capability bits the raw client uses.
pub mod caps {
    pub const LONG_PASSWORD: u32 = 1;
    pub const FOUND_ROWS: u32 = 1 << 1;
    pub const CONNECT_WITH_DB: u32 = 1 << 3;
    pub const IGNORE_SPACE: u32 = 1 << 8;
    pub const PROTOCOL_41: u32 = 1 << 9;
    pub const SSL: u32 = 1 << 11;
    pub const TRANSACTIONS: u32 = 1 << 13;
    pub const SECURE_CONNECTION: u32 = 1 << 15;
    pub const MULTI_STATEMENTS: u32 = 1 << 16;
    pub const MULTI_RESULTS: u32 = 1 << 17;
    pub const PS_MULTI_RESULTS: u32 = 1 << 18;
    pub const PLUGIN_AUTH: u32 = 1 << 19;
    pub const PLUGIN_AUTH_LENENC: u32 = 1 << 21;
    pub const DEPRECATE_EOF: u32 = 1 << 24;
    /// What sqlx asks for (without TLS).
    pub const SQLX: u32 = LONG_PASSWORD
        | FOUND_ROWS
        | IGNORE_SPACE
        | PROTOCOL_41
        | TRANSACTIONS
        | SECURE_CONNECTION
        | MULTI_STATEMENTS
        | MULTI_RESULTS
        | PS_MULTI_RESULTS
        | PLUGIN_AUTH
        | PLUGIN_AUTH_LENENC
        | DEPRECATE_EOF;
    /// An older client's set: legacy EOF packets, no multi-statements, no FOUND_ROWS.
    pub const LEGACY: u32 =
        LONG_PASSWORD | PROTOCOL_41 | TRANSACTIONS | SECURE_CONNECTION | MULTI_RESULTS | PLUGIN_AUTH;
}

/// A hand-driven MySQL client over TCP, for protocol details sqlx does not expose.
pub struct Raw {
    pub stream: tokio::net::TcpStream,
    /// Sequence id of the next packet written.
    pub seq: u8,
    /// Capabilities sent at login.
    pub caps: u32,
    /// The connection id the greeting advertised.
    pub conn_id: u32,
}

/// What a text-protocol command answered.
#[derive(Debug, PartialEq)]
pub enum Reply {
    Ok,
    Rows(Vec<Vec<Option<String>>>),
    Err(u16, String),
}

/// Reads a length-encoded integer at `*pos`.
pub fn lenenc(p: &[u8], pos: &mut usize) -> u64 {
    let b = p[*pos];
    *pos += 1;
    let n = match b {
        0xFC => 2,
        0xFD => 3,
        0xFE => 8,
        v => return u64::from(v),
    };
    let mut v = 0u64;
    for i in 0..n {
        v |= u64::from(p[*pos + i]) << (8 * i);
    }
    *pos += n;
    v
}

/// The code and message of an ERR packet.
pub fn parse_err_packet(p: &[u8]) -> (u16, String) {
    let code = u16::from_le_bytes([p[1], p[2]]);
    let rest = if p.get(3) == Some(&b'#') { &p[9..] } else { &p[3..] };
    (code, String::from_utf8_lossy(rest).into_owned())
}

impl Raw {
    /// Connects and reads the greeting.
    pub async fn connect(addr: std::net::SocketAddr) -> Raw {
        let stream = tokio::net::TcpStream::connect(addr).await.expect("connect to mosim");
        let mut raw = Raw { stream, seq: 0, caps: 0, conn_id: 0 };
        let greeting = raw.read().await.expect("a greeting");
        assert_eq!(greeting[0], 10, "protocol 10 greeting: {greeting:?}");
        let nul = greeting[1..].iter().position(|&b| b == 0).unwrap();
        let at = 1 + nul + 1;
        raw.conn_id = u32::from_le_bytes(greeting[at..at + 4].try_into().unwrap());
        raw
    }

    /// Connects and logs in as `root` (mosim takes any password) with `caps`.
    pub async fn login(addr: std::net::SocketAddr, db: Option<&str>, caps: u32) -> Raw {
        let mut raw = Raw::connect(addr).await;
        let caps = if db.is_some() { caps | caps::CONNECT_WITH_DB } else { caps };
        raw.caps = caps;
        let mut p = caps.to_le_bytes().to_vec();
        p.extend_from_slice(&(16u32 << 20).to_le_bytes());
        p.push(45);
        p.extend_from_slice(&[0u8; 23]);
        p.extend_from_slice(b"root\0");
        p.push(0); // empty auth response
        if let Some(db) = db {
            p.extend_from_slice(db.as_bytes());
            p.push(0);
        }
        p.extend_from_slice(b"mysql_native_password\0");
        raw.write(&p).await;
        let ok = raw.read().await.expect("a login answer");
        assert_eq!(ok[0], 0, "login failed: {:?}", parse_err_packet(&ok));
        raw
    }

    /// Reads one physical packet; `None` on EOF or reset.
    pub async fn read(&mut self) -> Option<Vec<u8>> {
        use tokio::io::AsyncReadExt;
        let mut h = [0u8; 4];
        self.stream.read_exact(&mut h).await.ok()?;
        let len = usize::from(h[0]) | usize::from(h[1]) << 8 | usize::from(h[2]) << 16;
        self.seq = h[3].wrapping_add(1);
        let mut p = vec![0u8; len];
        self.stream.read_exact(&mut p).await.ok()?;
        Some(p)
    }

    /// Writes one logical packet, split into 16 MiB chunks as the protocol requires.
    pub async fn write(&mut self, payload: &[u8]) {
        use tokio::io::AsyncWriteExt;
        let mut rest = payload;
        loop {
            let n = rest.len().min(0xFF_FFFF);
            let h = [n as u8, (n >> 8) as u8, (n >> 16) as u8, self.seq];
            self.seq = self.seq.wrapping_add(1);
            self.stream.write_all(&h).await.unwrap();
            self.stream.write_all(&rest[..n]).await.unwrap();
            rest = &rest[n..];
            if n < 0xFF_FFFF {
                return;
            }
        }
    }

    /// Sends a command packet (sequence id 0).
    pub async fn command(&mut self, payload: &[u8]) {
        self.seq = 0;
        self.write(payload).await;
    }

    /// Reads a text-protocol answer: OK, ERR, or one result set of text rows.
    pub async fn reply(&mut self) -> Reply {
        let first = self.read().await.expect("an answer");
        match first[0] {
            0x00 => return Reply::Ok,
            0xFF => {
                let (code, msg) = parse_err_packet(&first);
                return Reply::Err(code, msg);
            }
            _ => {}
        }
        let n = lenenc(&first, &mut 0);
        for _ in 0..n {
            self.read().await.expect("a column definition");
        }
        if self.caps & caps::DEPRECATE_EOF == 0 {
            self.read().await.expect("an EOF");
        }
        let mut rows = Vec::new();
        loop {
            let p = self.read().await.expect("a row");
            match p[0] {
                0xFE if p.len() < 0xFF_FFFF => return Reply::Rows(rows),
                0xFF => {
                    let (code, msg) = parse_err_packet(&p);
                    return Reply::Err(code, msg);
                }
                _ => {}
            }
            let mut pos = 0;
            let mut row = Vec::new();
            for _ in 0..n {
                if p[pos] == 0xFB {
                    pos += 1;
                    row.push(None);
                } else {
                    let len = lenenc(&p, &mut pos) as usize;
                    row.push(Some(String::from_utf8_lossy(&p[pos..pos + len]).into_owned()));
                    pos += len;
                }
            }
            rows.push(row);
        }
    }

    /// COM_QUERY and its answer.
    pub async fn query(&mut self, sql: &str) -> Reply {
        let mut p = vec![0x03];
        p.extend_from_slice(sql.as_bytes());
        self.command(&p).await;
        self.reply().await
    }

    /// Waits (at most `limit`) for the server to close the connection; true if it did.
    pub async fn closed_within(&mut self, limit: std::time::Duration) -> bool {
        use tokio::io::AsyncReadExt;
        let mut buf = [0u8; 256];
        let drain = async {
            loop {
                match self.stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        };
        tokio::time::timeout(limit, drain).await.is_ok()
    }
}

/// Bounded poll of MariaDB's process list until exactly `count` statements contain `marker`;
/// returns whether that happened within `limit`.
pub async fn wait_running(marker: &str, count: i64, limit: std::time::Duration) -> bool {
    let d = tokio::sync::Mutex::new(direct().await);
    eventually(limit, || async { running_with(&mut *d.lock().await, marker).await == count }).await
}

/// CLIENT_MULTI_STATEMENTS, which sqlx always sets and [`RawClient`] sets only on request.
pub const MULTI_STATEMENTS: u32 = 1 << 16;
/// latin1_swedish_ci, MariaDB's latin1 default.
pub const LATIN1: u8 = 8;
/// utf8mb4_general_ci.
pub const UTF8MB4: u8 = 45;

/// One result of a command, as a [`RawClient`] read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawReply {
    /// An OK packet; `more` is SERVER_MORE_RESULTS_EXISTS.
    Ok { affected: u64, more: bool },
    /// A text-protocol result set, values as raw bytes.
    Rows { rows: Vec<Vec<Option<Vec<u8>>>>, more: bool },
    /// An ERR packet.
    Err { code: u16, message: String },
}

impl RawReply {
    /// The rows of a result set, as text (lossy), panicking on anything else.
    pub fn text_rows(&self) -> Vec<Vec<String>> {
        match self {
            RawReply::Rows { rows, .. } => rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|v| String::from_utf8_lossy(v.as_deref().unwrap_or(b"NULL")).into_owned())
                        .collect()
                })
                .collect(),
            other => panic!("expected rows, got {other:?}"),
        }
    }
}

/// A bare MySQL-protocol client for what sqlx cannot do: send bytes that are not UTF-8, log
/// in with another collation, or leave CLIENT_MULTI_STATEMENTS out. It speaks the legacy
/// EOF framing (no CLIENT_DEPRECATE_EOF), which mosim must then honour too.
pub struct RawClient {
    stream: tokio::net::TcpStream,
    seq: u8,
}

/// How long any single read may take before the test fails instead of hanging.
const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

impl RawClient {
    /// Logs in to `db` as root (any password) with `collation`; `extra_caps` adds
    /// capabilities such as [`MULTI_STATEMENTS`].
    pub async fn connect(server: &mosim::Server, db: &str, collation: u8, extra_caps: u32) -> RawClient {
        let stream = tokio::net::TcpStream::connect(server.addr()).await.expect("connect to mosim");
        let mut c = RawClient { stream, seq: 0 };
        let greeting = c.read().await;
        assert_eq!(greeting[0], 10, "protocol version");
        // LONG_PASSWORD, LONG_FLAG, CONNECT_WITH_DB, PROTOCOL_41, TRANSACTIONS,
        // SECURE_CONNECTION, MULTI_RESULTS, PLUGIN_AUTH, PLUGIN_AUTH_LENENC_DATA.
        let caps: u32 = 1 | 4 | 8 | 512 | 8192 | 32768 | (1 << 17) | (1 << 19) | (1 << 21) | extra_caps;
        let mut resp = Vec::new();
        resp.extend_from_slice(&caps.to_le_bytes());
        resp.extend_from_slice(&(1u32 << 24).to_le_bytes());
        resp.push(collation);
        resp.extend_from_slice(&[0; 23]);
        resp.extend_from_slice(b"root\0");
        resp.push(0); // no auth data: mosim accepts any password
        resp.extend_from_slice(db.as_bytes());
        resp.push(0);
        resp.extend_from_slice(b"mysql_native_password\0");
        c.write(&resp).await;
        for _ in 0..3 {
            let p = c.read().await;
            match p[0] {
                0x00 => return c,
                0xFE => c.write(&[]).await, // auth switch: still no password
                _ => panic!("login failed: {:?}", parse_err_packet(&p)),
            }
        }
        panic!("login did not finish");
    }

    async fn write(&mut self, payload: &[u8]) {
        use tokio::io::AsyncWriteExt;
        assert!(payload.len() < 0xFF_FFFF, "the raw client sends single packets");
        let n = payload.len();
        let mut p = vec![n as u8, (n >> 8) as u8, (n >> 16) as u8, self.seq];
        p.extend_from_slice(payload);
        self.seq = self.seq.wrapping_add(1);
        self.stream.write_all(&p).await.expect("write to mosim");
    }

    async fn read(&mut self) -> Vec<u8> {
        use tokio::io::AsyncReadExt;
        let read = async {
            let mut header = [0u8; 4];
            self.stream.read_exact(&mut header).await.expect("read from mosim");
            let n = usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
            self.seq = header[3].wrapping_add(1);
            let mut p = vec![0u8; n];
            self.stream.read_exact(&mut p).await.expect("read from mosim");
            p
        };
        tokio::time::timeout(READ_TIMEOUT, read).await.expect("mosim did not answer in time")
    }

    async fn command(&mut self, cmd: u8, body: &[u8]) {
        self.seq = 0;
        let mut p = vec![cmd];
        p.extend_from_slice(body);
        self.write(&p).await;
    }

    /// COM_QUERY with `sql` as raw bytes: every result up to the last (or the first error).
    pub async fn query(&mut self, sql: &[u8]) -> Vec<RawReply> {
        self.command(0x03, sql).await;
        self.replies().await
    }

    /// COM_STMT_PREPARE: the statement id, or the error.
    pub async fn prepare(&mut self, sql: &[u8]) -> Result<u32, (u16, String)> {
        self.command(0x16, sql).await;
        let p = self.read().await;
        if p[0] == 0xFF {
            return Err(parse_err_packet(&p));
        }
        let id = u32::from_le_bytes([p[1], p[2], p[3], p[4]]);
        let cols = u16::from_le_bytes([p[5], p[6]]);
        let params = u16::from_le_bytes([p[7], p[8]]);
        for n in [params, cols] {
            for _ in 0..n {
                self.read().await;
            }
            if n > 0 {
                self.read().await; // EOF
            }
        }
        Ok(id)
    }

    /// COM_STMT_EXECUTE of a statement without parameters that returns no rows.
    pub async fn execute(&mut self, id: u32) -> RawReply {
        let mut body = id.to_le_bytes().to_vec();
        body.push(0); // CURSOR_TYPE_NO_CURSOR
        body.extend_from_slice(&1u32.to_le_bytes());
        self.command(0x17, &body).await;
        let p = self.read().await;
        match p[0] {
            0x00 => ok_reply(&p),
            0xFF => {
                let (code, message) = parse_err_packet(&p);
                RawReply::Err { code, message }
            }
            _ => panic!("the raw client executes only statements without rows"),
        }
    }

    async fn replies(&mut self) -> Vec<RawReply> {
        let mut out = Vec::new();
        // Bounded: a text never has more results than this in these tests.
        for _ in 0..100 {
            let p = self.read().await;
            let reply = match p[0] {
                0x00 => ok_reply(&p),
                0xFF => {
                    let (code, message) = parse_err_packet(&p);
                    RawReply::Err { code, message }
                }
                _ => self.result_set(&p).await,
            };
            let more = matches!(reply, RawReply::Ok { more: true, .. } | RawReply::Rows { more: true, .. });
            out.push(reply);
            if !more {
                return out;
            }
        }
        panic!("more than 100 results");
    }

    async fn result_set(&mut self, head: &[u8]) -> RawReply {
        let n = lenenc(head, &mut 0) as usize;
        for _ in 0..n {
            self.read().await;
        }
        let eof = self.read().await;
        assert_eq!(eof[0], 0xFE, "EOF after the column definitions");
        let mut rows = Vec::new();
        loop {
            let p = self.read().await;
            if p[0] == 0xFE && p.len() < 9 {
                let status = u16::from_le_bytes([p[3], p[4]]);
                return RawReply::Rows { rows, more: status & 8 != 0 };
            }
            if p[0] == 0xFF {
                let (code, message) = parse_err_packet(&p);
                return RawReply::Err { code, message };
            }
            let mut pos = 0;
            let row = (0..n)
                .map(|_| {
                    if p[pos] == 0xFB {
                        pos += 1;
                        return None;
                    }
                    let len = lenenc(&p, &mut pos) as usize;
                    pos += len;
                    Some(p[pos - len..pos].to_vec())
                })
                .collect();
            rows.push(row);
        }
    }
}

fn ok_reply(p: &[u8]) -> RawReply {
    let mut pos = 1;
    let affected = lenenc(p, &mut pos);
    let _last_id = lenenc(p, &mut pos);
    let status = u16::from_le_bytes([p[pos], p[pos + 1]]);
    RawReply::Ok { affected, more: status & 8 != 0 }
}

/// The first column of the first row, as an integer (COUNT(*) and the like).
pub async fn count(c: &mut MySqlConnection, sql: &str) -> i64 {
    rows(c, sql).await[0].get::<i64, _>(0)
}

/// Rows that mosim's graveyard holds for database `db` (tables it buried there).
pub async fn buried_count(c: &mut MySqlConnection, db: &str) -> i64 {
    count(c, &format!("SELECT COUNT(*) FROM mo_catalog.mo_dropped WHERE database_name = '{db}'")).await
}

/// Runs `sql`, failing the test if it takes longer than `secs` seconds; returns its result.
pub async fn within(
    secs: u64,
    c: &mut MySqlConnection,
    sql: &str,
) -> Result<sqlx::mysql::MySqlQueryResult, sqlx::Error> {
    let run = c.execute(AssertSqlSafe(sql.to_owned()));
    match tokio::time::timeout(std::time::Duration::from_secs(secs), run).await {
        Ok(r) => r,
        Err(_) => panic!("{sql} took more than {secs} s"),
    }
}
