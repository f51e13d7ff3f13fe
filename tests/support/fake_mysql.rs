//! A tiny MySQL-protocol server for tests that need answers no real server gives on demand:
//! MatrixOne's own column types (0xF1 TEXT, 0xF3 UUID, 0xF4 BOOL) with rows, and a type code
//! nobody knows (0xE0). It accepts any login (`mysql_native_password`), answers the SDK's
//! connect-time queries, and a few canned statements over the text and the binary protocol.
//! Listens on 127.0.0.1 only. Included with `#[path = "support/fake_mysql.rs"] mod fake_mysql;`.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

pub const TEXT: u8 = 0xF1;
pub const UUID: u8 = 0xF3;
pub const BOOL: u8 = 0xF4;
pub const UNKNOWN: u8 = 0xE0;
const VARCHAR: u8 = 0x0F;
const VAR_STRING: u8 = 0xFD;
const LONGLONG: u8 = 0x08;
const TIMESTAMP: u8 = 0x07;
const TINY: u8 = 0x01;

const UTF8: u16 = 33;
const BINARY: u16 = 63;

const PROTOCOL_41: u32 = 0x200;
const DEPRECATE_EOF: u32 = 0x0100_0000;
const MORE_RESULTS: u16 = 0x0008;
const AUTOCOMMIT: u16 = 0x0002;

pub const VERSION: &str = "8.0.30-MatrixOne-v4.2.0";

/// The JSON text the canned results carry in their TEXT columns.
pub const JSON_DOC: &str = r#"{"owner":"ops","tables":["t1","t2"],"n":3}"#;
/// The UUID the canned DATA BRANCH DIFF rows carry.
pub const A_UUID: &str = "0190f6a2-7c3e-7b1a-9d2e-3f4a5b6c7d8e";

pub struct FakeMySql {
    pub addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    cleartext_logins: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeMySql {
    /// Starts the server; `deprecate_eof` says whether it offers `CLIENT_DEPRECATE_EOF` (result
    /// sets without the EOF after the column definitions).
    pub async fn start(deprecate_eof: bool) -> FakeMySql {
        FakeMySql::start_with(deprecate_eof, "mysql_native_password").await
    }

    /// Starts a server whose login method is `plugin` (`mysql_clear_password`: the password is
    /// sent as it is).
    pub async fn start_with(deprecate_eof: bool, plugin: &'static str) -> FakeMySql {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        let cleartext_logins = Arc::new(AtomicUsize::new(0));
        let cleartext = cleartext_logins.clone();
        let ids = Arc::new(AtomicU32::new(100));
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let id = ids.fetch_add(1, Ordering::SeqCst);
                let cleartext = cleartext.clone();
                tokio::spawn(async move {
                    let _ = Session {
                        socket,
                        id,
                        offer_deprecate_eof: deprecate_eof,
                        deprecate_eof: false,
                        seq: 0,
                        plugin,
                        cleartext,
                    }
                    .serve()
                    .await;
                });
            }
        });
        FakeMySql { addr, accepted, cleartext_logins, task }
    }

    /// A URL for the SDK.
    pub fn url(&self) -> String {
        format!("mysql://root:any@{}/test", self.addr)
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Logins that carried the password (`any`) as it is.
    pub fn cleartext_logins(&self) -> usize {
        self.cleartext_logins.load(Ordering::SeqCst)
    }
}

impl Drop for FakeMySql {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A column of a canned result.
#[derive(Clone, Copy)]
struct Col {
    name: &'static str,
    code: u8,
    charset: u16,
    flags: u16,
}

const fn col(name: &'static str, code: u8) -> Col {
    let charset = match code {
        UUID | BOOL | LONGLONG | TIMESTAMP | TINY | UNKNOWN => BINARY,
        _ => UTF8,
    };
    // MatrixOne marks its UUID columns binary (setCharacter, pkg/frontend/mysql_protocol.go).
    let flags = if code == UUID { 128 } else { 0 };
    Col { name, code, charset, flags }
}

/// One result: columns and rows of text values (`None` is NULL).
struct Set {
    columns: Vec<Col>,
    rows: Vec<Vec<Option<String>>>,
}

enum Reply {
    Ok,
    Err(u16, String),
    Sets(Vec<Set>),
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// `SHOW PUBLICATIONS` as MatrixOne answers it (pkg/frontend/publication_subscription.go).
fn publications() -> Set {
    Set {
        columns: vec![
            col("publication", VARCHAR),
            col("database", VARCHAR),
            col("tables", TEXT),
            col("sub_account", TEXT),
            col("subscribed_accounts", TEXT),
            col("create_time", TIMESTAMP),
            col("update_time", TIMESTAMP),
            col("comments", TEXT),
        ],
        rows: vec![vec![
            s("pub1"),
            s("db1"),
            s("*"),
            s("acc1"),
            s(""),
            s("2026-01-02 03:04:05"),
            None,
            s(JSON_DOC),
        ]],
    }
}

/// A `DATA BRANCH DIFF` of a table with a UUID, a TEXT holding JSON and a BOOL column.
fn branch_diff() -> Set {
    Set {
        columns: vec![col("diff_t1_against_t2", VARCHAR), col("id", UUID), col("doc", TEXT), col("ok", BOOL)],
        rows: vec![
            vec![s("INSERT"), s(A_UUID), s(JSON_DOC), s("1")],
            vec![s("DELETE"), s(A_UUID), None, s("0")],
        ],
    }
}

fn with_unknown_type() -> Set {
    Set { columns: vec![col("sub_name", VARCHAR), col("weird", UNKNOWN)], rows: vec![vec![s("s1"), s("?")]] }
}

fn reply_to(sql: &str, id: u32) -> Reply {
    let sql = sql.trim().trim_end_matches(';');
    let one = |name: &'static str, code: u8, value: String| {
        Reply::Sets(vec![Set { columns: vec![col(name, code)], rows: vec![vec![Some(value)]] }])
    };
    match sql {
        _ if sql.starts_with("SET ") => Reply::Ok,
        "BEGIN" | "COMMIT" | "ROLLBACK" => Reply::Ok,
        "SELECT CONNECTION_ID(), VERSION(), @@SESSION.sql_mode" => Reply::Sets(vec![Set {
            columns: vec![col("id", LONGLONG), col("version", VAR_STRING), col("sql_mode", VAR_STRING)],
            rows: vec![vec![s(&id.to_string()), s(VERSION), s("")]],
        }]),
        "SELECT CONNECTION_ID()" => one("CONNECTION_ID()", LONGLONG, id.to_string()),
        "SHOW PUBLICATIONS" => Reply::Sets(vec![publications()]),
        "DATA BRANCH DIFF t1 AGAINST t2" => Reply::Sets(vec![branch_diff()]),
        // Two results, both with MatrixOne's TEXT.
        "SHOW CDC 'two' ALL" => Reply::Sets(vec![publications(), branch_diff()]),
        // A readable result, then one with a type nobody knows.
        "SHOW CDC 'bad' ALL" => Reply::Sets(vec![publications(), with_unknown_type(), branch_diff()]),
        "SHOW SUBSCRIPTIONS" => Reply::Sets(vec![with_unknown_type()]),
        "SELECT weird" => Reply::Sets(vec![with_unknown_type()]),
        _ => Reply::Err(1064, format!("SQL parser error: the fake server does not know {sql:?}")),
    }
}

struct Session {
    socket: TcpStream,
    id: u32,
    offer_deprecate_eof: bool,
    deprecate_eof: bool,
    seq: u8,
    plugin: &'static str,
    cleartext: Arc<AtomicUsize>,
}

impl Session {
    async fn serve(mut self) -> std::io::Result<()> {
        self.greet().await?;
        let (_, login) = self.read().await?;
        let client_caps = u32::from_le_bytes(login[..4].try_into().unwrap());
        if login.windows(4).any(|w| w == b"any\0") {
            self.cleartext.fetch_add(1, Ordering::SeqCst);
        }
        self.deprecate_eof = self.offer_deprecate_eof && client_caps & DEPRECATE_EOF != 0;
        self.seq = 2;
        self.send(&ok(0, AUTOCOMMIT)).await?;
        loop {
            let (_, packet) = match self.read().await {
                Ok(p) => p,
                Err(_) => return Ok(()),
            };
            self.seq = 1;
            match packet[0] {
                0x01 => return Ok(()),
                0x0E => self.send(&ok(0, AUTOCOMMIT)).await?,
                0x03 => {
                    let sql = String::from_utf8_lossy(&packet[1..]).into_owned();
                    let reply = reply_to(&sql, self.id);
                    self.reply(reply, false).await?;
                }
                // COM_STMT_PREPARE: the branch diff with one parameter, which MatrixOne types
                // by the column it is compared with (here TEXT, 0xF1).
                0x16 => {
                    let sql = String::from_utf8_lossy(&packet[1..]).into_owned();
                    if sql.trim() != "DATA BRANCH DIFF t1 AGAINST t2 WHERE doc = ?" {
                        self.send(&err(1064, "the fake server prepares one statement")).await?;
                        continue;
                    }
                    let columns = branch_diff().columns;
                    let mut p = vec![0x00];
                    p.extend_from_slice(&1u32.to_le_bytes());
                    p.extend_from_slice(&(columns.len() as u16).to_le_bytes());
                    p.extend_from_slice(&1u16.to_le_bytes());
                    p.extend_from_slice(&[0, 0, 0]);
                    self.send(&p).await?;
                    self.send(&definition(&col("?", TEXT))).await?;
                    self.eof_unless_deprecated().await?;
                    for c in &columns {
                        self.send(&definition(c)).await?;
                    }
                    self.eof_unless_deprecated().await?;
                }
                0x17 => self.reply(Reply::Sets(vec![branch_diff()]), true).await?,
                0x19 => {}
                _ => self.send(&err(1047, "unknown command")).await?,
            }
        }
    }

    async fn greet(&mut self) -> std::io::Result<()> {
        let caps: u32 = 0x1
            | 0x2
            | 0x8
            | PROTOCOL_41
            | 0x2000
            | 0x8000
            | 0x1_0000
            | 0x2_0000
            | 0x4_0000
            | 0x8_0000
            | 0x20_0000
            | if self.offer_deprecate_eof { DEPRECATE_EOF } else { 0 };
        let mut p = vec![10];
        p.extend_from_slice(VERSION.as_bytes());
        p.push(0);
        p.extend_from_slice(&self.id.to_le_bytes());
        p.extend_from_slice(b"abcdefgh");
        p.push(0);
        p.extend_from_slice(&(caps as u16).to_le_bytes());
        p.push(45);
        p.extend_from_slice(&AUTOCOMMIT.to_le_bytes());
        p.extend_from_slice(&((caps >> 16) as u16).to_le_bytes());
        p.push(21);
        p.extend_from_slice(&[0; 10]);
        p.extend_from_slice(b"ijklmnopqrst\0");
        p.extend_from_slice(self.plugin.as_bytes());
        p.push(0);
        self.seq = 0;
        self.send(&p).await
    }

    /// Sends `reply`; rows in the binary protocol when `binary`.
    async fn reply(&mut self, reply: Reply, binary: bool) -> std::io::Result<()> {
        match reply {
            Reply::Ok => self.send(&ok(0, AUTOCOMMIT)).await,
            Reply::Err(code, message) => self.send(&err(code, &message)).await,
            Reply::Sets(sets) => {
                let last = sets.len() - 1;
                for (i, set) in sets.into_iter().enumerate() {
                    let status = if i < last { AUTOCOMMIT | MORE_RESULTS } else { AUTOCOMMIT };
                    self.send(&lenenc_int(set.columns.len() as u64)).await?;
                    for c in &set.columns {
                        self.send(&definition(c)).await?;
                    }
                    self.eof_unless_deprecated().await?;
                    for row in &set.rows {
                        let p = if binary { binary_row(&set.columns, row) } else { text_row(row) };
                        self.send(&p).await?;
                    }
                    if self.deprecate_eof {
                        let mut end = ok(0, status);
                        end[0] = 0xFE;
                        self.send(&end).await?;
                    } else {
                        self.send(&eof(status)).await?;
                    }
                }
                Ok(())
            }
        }
    }

    async fn eof_unless_deprecated(&mut self) -> std::io::Result<()> {
        if self.deprecate_eof { Ok(()) } else { self.send(&eof(AUTOCOMMIT)).await }
    }

    async fn read(&mut self) -> std::io::Result<(u8, Vec<u8>)> {
        let mut header = [0u8; 4];
        self.socket.read_exact(&mut header).await?;
        let len = usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
        let mut payload = vec![0; len];
        self.socket.read_exact(&mut payload).await?;
        Ok((header[3], payload))
    }

    async fn send(&mut self, payload: &[u8]) -> std::io::Result<()> {
        let len = payload.len();
        let header = [len as u8, (len >> 8) as u8, (len >> 16) as u8, self.seq];
        self.seq = self.seq.wrapping_add(1);
        self.socket.write_all(&header).await?;
        self.socket.write_all(payload).await
    }
}

fn lenenc_int(v: u64) -> Vec<u8> {
    match v {
        0..=250 => vec![v as u8],
        251..=0xFFFF => vec![0xFC, v as u8, (v >> 8) as u8],
        _ => {
            let mut p = vec![0xFD];
            p.extend_from_slice(&(v as u32).to_le_bytes()[..3]);
            p
        }
    }
}

fn lenenc_str(p: &mut Vec<u8>, s: &[u8]) {
    p.extend(lenenc_int(s.len() as u64));
    p.extend_from_slice(s);
}

fn definition(c: &Col) -> Vec<u8> {
    let mut p = Vec::new();
    for field in ["def", "test", "t", "t", c.name, c.name] {
        lenenc_str(&mut p, field.as_bytes());
    }
    p.push(0x0C);
    p.extend_from_slice(&c.charset.to_le_bytes());
    p.extend_from_slice(&(if c.code == BOOL { 1u32 } else { 1024 }).to_le_bytes());
    p.push(c.code);
    p.extend_from_slice(&c.flags.to_le_bytes());
    p.extend_from_slice(&[0, 0, 0]);
    p
}

fn text_row(row: &[Option<String>]) -> Vec<u8> {
    let mut p = Vec::new();
    for v in row {
        match v {
            None => p.push(0xFB),
            Some(v) => lenenc_str(&mut p, v.as_bytes()),
        }
    }
    p
}

/// A binary-protocol row: header, NULL bitmap (offset 2), then the values: TINY (and BOOL, which
/// MatrixOne sends as TINY) as one byte, everything else here as length-encoded text.
fn binary_row(columns: &[Col], row: &[Option<String>]) -> Vec<u8> {
    let mut p = vec![0x00];
    let mut bitmap = vec![0u8; (columns.len() + 7 + 2) / 8];
    for (i, v) in row.iter().enumerate() {
        if v.is_none() {
            bitmap[(i + 2) / 8] |= 1 << ((i + 2) % 8);
        }
    }
    p.extend(bitmap);
    for (c, v) in columns.iter().zip(row) {
        let Some(v) = v else { continue };
        match c.code {
            TINY | BOOL => p.push(v.parse::<u8>().unwrap()),
            LONGLONG => p.extend_from_slice(&v.parse::<u64>().unwrap().to_le_bytes()),
            _ => lenenc_str(&mut p, v.as_bytes()),
        }
    }
    p
}

fn ok(affected: u64, status: u16) -> Vec<u8> {
    let mut p = vec![0x00];
    p.extend(lenenc_int(affected));
    p.push(0);
    p.extend_from_slice(&status.to_le_bytes());
    p.extend_from_slice(&[0, 0]);
    p
}

fn eof(status: u16) -> Vec<u8> {
    let mut p = vec![0xFE, 0, 0];
    p.extend_from_slice(&status.to_le_bytes());
    p
}

fn err(code: u16, message: &str) -> Vec<u8> {
    let mut p = vec![0xFF];
    p.extend_from_slice(&code.to_le_bytes());
    p.extend_from_slice(b"#42000");
    p.extend_from_slice(message.as_bytes());
    p
}
