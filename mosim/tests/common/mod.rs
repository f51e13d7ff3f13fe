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

/// CLIENT_MULTI_STATEMENTS, which sqlx always sets and [`RawClient`] sets only on request.
pub const MULTI_STATEMENTS: u32 = 1 << 16;
/// latin1_swedish_ci, MariaDB's latin1 default.
pub const LATIN1: u8 = 8;
/// utf8mb4_general_ci.
pub const UTF8MB4: u8 = 45;

/// One result of a command, as a [`RawClient`] read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// An OK packet; `more` is SERVER_MORE_RESULTS_EXISTS.
    Ok { affected: u64, more: bool },
    /// A text-protocol result set, values as raw bytes.
    Rows { rows: Vec<Vec<Option<Vec<u8>>>>, more: bool },
    /// An ERR packet.
    Err { code: u16, message: String },
}

impl Reply {
    /// The rows of a result set, as text (lossy), panicking on anything else.
    pub fn text_rows(&self) -> Vec<Vec<String>> {
        match self {
            Reply::Rows { rows, .. } => rows
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
                _ => panic!("login failed: {:?}", parse_err(&p)),
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
    pub async fn query(&mut self, sql: &[u8]) -> Vec<Reply> {
        self.command(0x03, sql).await;
        self.replies().await
    }

    /// COM_STMT_PREPARE: the statement id, or the error.
    pub async fn prepare(&mut self, sql: &[u8]) -> Result<u32, (u16, String)> {
        self.command(0x16, sql).await;
        let p = self.read().await;
        if p[0] == 0xFF {
            return Err(parse_err(&p));
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
    pub async fn execute(&mut self, id: u32) -> Reply {
        let mut body = id.to_le_bytes().to_vec();
        body.push(0); // CURSOR_TYPE_NO_CURSOR
        body.extend_from_slice(&1u32.to_le_bytes());
        self.command(0x17, &body).await;
        let p = self.read().await;
        match p[0] {
            0x00 => ok_reply(&p),
            0xFF => {
                let (code, message) = parse_err(&p);
                Reply::Err { code, message }
            }
            _ => panic!("the raw client executes only statements without rows"),
        }
    }

    async fn replies(&mut self) -> Vec<Reply> {
        let mut out = Vec::new();
        // Bounded: a text never has more results than this in these tests.
        for _ in 0..100 {
            let p = self.read().await;
            let reply = match p[0] {
                0x00 => ok_reply(&p),
                0xFF => {
                    let (code, message) = parse_err(&p);
                    Reply::Err { code, message }
                }
                _ => self.result_set(&p).await,
            };
            let more = matches!(reply, Reply::Ok { more: true, .. } | Reply::Rows { more: true, .. });
            out.push(reply);
            if !more {
                return out;
            }
        }
        panic!("more than 100 results");
    }

    async fn result_set(&mut self, head: &[u8]) -> Reply {
        let mut c = head;
        let n = lenenc(&mut c).expect("column count") as usize;
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
                return Reply::Rows { rows, more: status & 8 != 0 };
            }
            if p[0] == 0xFF {
                let (code, message) = parse_err(&p);
                return Reply::Err { code, message };
            }
            let mut c = &p[..];
            let row = (0..n)
                .map(|_| {
                    if c.first() == Some(&0xFB) {
                        c = &c[1..];
                        return None;
                    }
                    let len = lenenc(&mut c).expect("value length") as usize;
                    let (v, rest) = c.split_at(len);
                    c = rest;
                    Some(v.to_vec())
                })
                .collect();
            rows.push(row);
        }
    }
}

/// Reads a length-encoded integer off the front of `c`.
fn lenenc(c: &mut &[u8]) -> Option<u64> {
    let (&first, rest) = c.split_first()?;
    let (len, v) = match first {
        0xFC => (2, u64::from(u16::from_le_bytes([*rest.first()?, *rest.get(1)?]))),
        0xFD => (3, u64::from_le_bytes([*rest.first()?, *rest.get(1)?, *rest.get(2)?, 0, 0, 0, 0, 0])),
        0xFE => (8, u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)),
        b => (0, u64::from(b)),
    };
    *c = &rest[len..];
    Some(v)
}

fn ok_reply(p: &[u8]) -> Reply {
    let mut c = &p[1..];
    let affected = lenenc(&mut c).expect("affected rows");
    let _last_id = lenenc(&mut c);
    let status = u16::from_le_bytes([c[0], c[1]]);
    Reply::Ok { affected, more: status & 8 != 0 }
}

fn parse_err(p: &[u8]) -> (u16, String) {
    let code = u16::from_le_bytes([p[1], p[2]]);
    let msg = if p.get(3) == Some(&b'#') { &p[9..] } else { &p[3..] };
    (code, String::from_utf8_lossy(msg).into_owned())
}
