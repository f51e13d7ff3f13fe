//! The MariaDB side: one raw protocol connection per client, relaying responses byte for byte.

use std::io;

use sha1::{Digest, Sha1};
use tokio::net::TcpStream;

use crate::error::SqlError;
use crate::url::BackendUrl;
use crate::wire::caps::*;
use crate::wire::codec::Cursor;
use crate::wire::packet::PacketConn;
use crate::wire::response::{end_of_rows_status_offset, parse_err, parse_ok};
use crate::wire::wording::{self, Wording};

/// Why a backend connection could not be opened.
#[derive(Debug)]
pub(crate) enum ConnectError {
    /// The socket failed or the handshake was malformed.
    Io(io::Error),
    /// MariaDB refused (bad credentials, unknown database, ...).
    Sql(SqlError),
}

impl From<io::Error> for ConnectError {
    fn from(e: io::Error) -> Self {
        ConnectError::Io(e)
    }
}

/// How a relayed or internal command ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// OK packet or a complete result set.
    Done,
    /// An ERR packet (already forwarded when relaying).
    Failed(SqlError),
}

/// Rows of an internal text-protocol query.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    pub(crate) rows: Vec<Vec<Option<String>>>,
    pub(crate) affected: u64,
}

/// Column `i` of a row of [`Rows`] as text: empty for NULL or a missing column.
pub(crate) fn cell(row: &[Option<String>], i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

/// One authenticated connection to MariaDB.
pub(crate) struct Backend {
    conn: PacketConn,
    caps: u32,
    /// Status flags from the last OK/EOF the backend sent; tells whether a transaction is open.
    pub(crate) status: u16,
    /// MariaDB's id for this connection (its handshake's thread id), the target of KILL.
    pub(crate) thread_id: u32,
    /// For a client's connection: describes vector columns as MatrixOne does.
    pub(crate) vectors: Option<crate::mo::vector::wire::VectorDefs>,
    /// The backend answered an error after which MatrixOne rolls back the whole transaction
    /// ([`wording::rolls_back_whole_transaction`]); the session does so before the next
    /// command.
    whole_transaction_lost: bool,
    /// How MatrixOne words errors of the client's current statement; set by the session.
    pub(crate) wording: Wording,
}

fn malformed(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("malformed backend {what}"))
}

/// `SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw)))`, the mysql_native_password response.
fn native_scramble(password: &str, nonce: &[u8]) -> Vec<u8> {
    if password.is_empty() {
        return Vec::new();
    }
    let h1 = Sha1::digest(password.as_bytes());
    let h2 = Sha1::digest(h1);
    let mut h = Sha1::new();
    h.update(nonce);
    h.update(h2);
    let h3 = h.finalize();
    h1.iter().zip(h3.iter()).map(|(a, b)| a ^ b).collect()
}

impl Backend {
    /// Connects and authenticates; `caps` are the client's negotiated capabilities so the
    /// backend frames responses exactly as the client expects them, and `collation` is the
    /// client's, so MariaDB reads its bytes in the character set it sends them in.
    pub(crate) async fn connect(
        url: &BackendUrl,
        db: Option<&str>,
        caps: u32,
        collation: u8,
    ) -> Result<Self, ConnectError> {
        let stream = TcpStream::connect((url.host.as_str(), url.port)).await?;
        stream.set_nodelay(true)?;
        let mut conn = PacketConn::new(stream);
        let hs = conn.read_required().await?;
        if hs.first() == Some(&0xFF) {
            return Err(ConnectError::Sql(parse_err(&hs)));
        }
        let mut c = Cursor::new(&hs);
        let _protocol = c.u8();
        let _version = c.cstr();
        let thread_id = c.u32().unwrap_or(0);
        let auth1 = c.take(8).ok_or_else(|| malformed("handshake"))?.to_vec();
        let _filler = c.u8();
        let caps_lo = c.u16().unwrap_or(0);
        let _charset = c.u8();
        let _status = c.u16();
        let caps_hi = c.u16().unwrap_or(0);
        let server_caps = u32::from(caps_lo) | (u32::from(caps_hi) << 16);
        let auth_len = c.u8().unwrap_or(0);
        let _reserved = c.take(10);
        let part2_len = usize::from(auth_len).saturating_sub(8).max(13);
        let auth2 = c.take(part2_len).unwrap_or(&[]);
        let mut nonce = auth1;
        nonce.extend_from_slice(auth2.strip_suffix(&[0]).unwrap_or(auth2));

        let mut my_caps = (caps & !(CONNECT_ATTRS | SSL | CONNECT_WITH_DB))
            | PROTOCOL_41
            | SECURE_CONNECTION
            | PLUGIN_AUTH
            | PLUGIN_AUTH_LENENC
            | LONG_PASSWORD;
        if db.is_some() {
            my_caps |= CONNECT_WITH_DB;
        }
        my_caps &= server_caps | LONG_PASSWORD;

        let mut resp = Vec::new();
        resp.extend_from_slice(&my_caps.to_le_bytes());
        resp.extend_from_slice(&(16u32 << 20).to_le_bytes());
        resp.push(backend_collation(collation));
        resp.extend_from_slice(&[0u8; 23]);
        resp.extend_from_slice(url.user.as_bytes());
        resp.push(0);
        let auth = native_scramble(&url.password, &nonce);
        crate::wire::codec::put_lenenc_int(&mut resp, auth.len() as u64);
        resp.extend_from_slice(&auth);
        if let Some(db) = db {
            resp.extend_from_slice(db.as_bytes());
            resp.push(0);
        }
        resp.extend_from_slice(NATIVE_PASSWORD.as_bytes());
        resp.push(0);
        conn.write(&resp).await?;
        conn.flush().await?;

        loop {
            let p = conn.read_required().await?;
            match p.first() {
                Some(0x00) => {
                    let (_, status) = parse_ok(&p);
                    return Ok(Self {
                        conn,
                        caps: my_caps,
                        status,
                        thread_id,
                        vectors: None,
                        whole_transaction_lost: false,
                        wording: Wording::Other,
                    });
                }
                Some(0xFF) => return Err(ConnectError::Sql(parse_err(&p))),
                Some(0xFE) => {
                    let mut c = Cursor::new(&p);
                    let _ = c.u8();
                    let plugin = c.cstr();
                    if plugin != NATIVE_PASSWORD.as_bytes() {
                        return Err(ConnectError::Io(io::Error::other(format!(
                            "backend asks for unsupported auth plugin {}",
                            String::from_utf8_lossy(plugin)
                        ))));
                    }
                    let data = c.rest();
                    let data = data.strip_suffix(&[0]).unwrap_or(data);
                    let auth = native_scramble(&url.password, data);
                    conn.write(&auth).await?;
                    conn.flush().await?;
                }
                _ => return Err(ConnectError::Io(malformed("auth reply"))),
            }
        }
    }

    /// Sends one command packet (sequence id 0).
    pub(crate) async fn send(&mut self, payload: &[u8]) -> io::Result<()> {
        if let Some(v) = &mut self.vectors {
            v.sent(payload);
        }
        self.conn.seq = 0;
        self.conn.write(payload).await?;
        self.conn.flush().await
    }

    fn deprecate_eof(&self) -> bool {
        self.caps & DEPRECATE_EOF != 0
    }

    /// Forwards the response to a COM_QUERY or COM_STMT_EXECUTE, all result sets of it.
    ///
    /// `more` sets SERVER_MORE_RESULTS_EXISTS on the last packet, for when mosim itself
    /// sends further results after this one.
    pub(crate) async fn relay_result(&mut self, client: &mut PacketConn, more: bool) -> io::Result<Outcome> {
        self.relay_result_as(client, more, &[]).await
    }

    /// [`Backend::relay_result`], giving result column `i` the type code `types[i]` where it
    /// is `Some`: MatrixOne's own codes for results it builds itself (0xF1 for TEXT in a
    /// DATA BRANCH DIFF, reference §10.4).
    pub(crate) async fn relay_result_as(
        &mut self,
        client: &mut PacketConn,
        more: bool,
        types: &[Option<u8>],
    ) -> io::Result<Outcome> {
        loop {
            let mut p = self.conn.read_required().await?;
            match p.first().copied() {
                Some(0x00) => {
                    let (_, status) = parse_ok(&p);
                    self.status = status;
                    if status & STATUS_MORE_RESULTS == 0 && more {
                        let off = 1 + ok_ints_len(&p);
                        patch_status(&mut p, off, STATUS_MORE_RESULTS);
                    }
                    client.write(&p).await?;
                    if status & STATUS_MORE_RESULTS == 0 {
                        return Ok(Outcome::Done);
                    }
                }
                Some(0xFF) => return self.forward_err(client, &p).await,
                Some(_) => {
                    let n = Cursor::new(&p).lenenc_int().unwrap_or(0);
                    client.write(&p).await?;
                    let mut defs = Vec::new();
                    for i in 0..n {
                        let mut col = self.conn.read_required().await?;
                        if let Some(Some(t)) = types.get(i as usize) {
                            set_column_type(&mut col, *t);
                        }
                        defs.push(col);
                    }
                    let mut rows_fix = None;
                    if let Some(v) = &mut self.vectors {
                        rows_fix = v.fix(&mut defs).await;
                    }
                    for col in &defs {
                        client.write(col).await?;
                    }
                    if !self.deprecate_eof() {
                        let eof = self.conn.read_required().await?;
                        client.write(&eof).await?;
                    }
                    let status = loop {
                        let mut r = self.conn.read_required().await?;
                        match r.first() {
                            Some(0xFE) if r.len() < 0xFF_FFFF => {
                                let off = end_of_rows_status_offset(&r, self.caps)
                                    .ok_or_else(|| malformed("end of rows"))?;
                                let status = u16::from_le_bytes([r[off], r[off + 1]]);
                                if status & STATUS_MORE_RESULTS == 0 && more {
                                    patch_status(&mut r, off, STATUS_MORE_RESULTS);
                                }
                                client.write(&r).await?;
                                break status;
                            }
                            Some(0xFF) => return self.forward_err(client, &r).await,
                            _ => match &rows_fix {
                                Some(f) if r.len() < 0xFF_FFFF => client.write(&f.row(&r)).await?,
                                _ => client.write(&r).await?,
                            },
                        }
                    };
                    self.status = status;
                    if status & STATUS_MORE_RESULTS == 0 {
                        return Ok(Outcome::Done);
                    }
                }
                None => return Err(malformed("empty packet")),
            }
        }
    }

    /// Forwards an ERR packet, rewording parse errors the way MatrixOne words them.
    async fn forward_err(&mut self, client: &mut PacketConn, p: &[u8]) -> io::Result<Outcome> {
        let err = self.error_from(p);
        client.write(&err.to_packet()).await?;
        Ok(Outcome::Failed(err))
    }

    /// Forwards a COM_STMT_PREPARE response; returns the statement id and its parameter
    /// count on success.
    pub(crate) async fn relay_prepare(
        &mut self,
        client: &mut PacketConn,
    ) -> io::Result<Result<(u32, u16), SqlError>> {
        let p = self.conn.read_required().await?;
        if p.first() == Some(&0xFF) {
            return match self.forward_err(client, &p).await? {
                Outcome::Failed(e) => Ok(Err(e)),
                Outcome::Done => Err(malformed("prepare reply")),
            };
        }
        let mut c = Cursor::new(&p);
        let _ = c.u8();
        let id = c.u32().ok_or_else(|| malformed("prepare ok"))?;
        let cols = c.u16().unwrap_or(0);
        let params = c.u16().unwrap_or(0);
        client.write(&p).await?;
        for (k, n) in [params, cols].into_iter().enumerate() {
            let mut defs = Vec::new();
            for _ in 0..n {
                defs.push(self.conn.read_required().await?);
            }
            if k == 1
                && let Some(v) = &mut self.vectors
            {
                let _ = v.fix(&mut defs).await;
            }
            for d in &defs {
                client.write(d).await?;
            }
            if n > 0 && !self.deprecate_eof() {
                let d = self.conn.read_required().await?;
                client.write(&d).await?;
            }
        }
        Ok(Ok((id, params)))
    }

    /// Forwards a response that is exactly one packet (COM_INIT_DB, COM_STMT_RESET, ...).
    pub(crate) async fn relay_one(&mut self, client: &mut PacketConn) -> io::Result<Outcome> {
        let p = self.conn.read_required().await?;
        if p.first() == Some(&0xFF) {
            return self.forward_err(client, &p).await;
        }
        if p.first() == Some(&0x00) {
            self.status = parse_ok(&p).1;
        }
        client.write(&p).await?;
        Ok(Outcome::Done)
    }

    /// Forwards a COM_FIELD_LIST response: column definitions up to the EOF (or OK 0xFE),
    /// without the invisible period columns of the system versioning mosim adds.
    pub(crate) async fn relay_field_list(&mut self, client: &mut PacketConn) -> io::Result<Outcome> {
        loop {
            let p = self.conn.read_required().await?;
            match p.first() {
                Some(0xFF) => return self.forward_err(client, &p).await,
                // A column definition starts with the length of "def", never with 0xFE.
                Some(0xFE) if p.len() < 0xFF_FFFF => {
                    client.write(&p).await?;
                    return Ok(Outcome::Done);
                }
                _ => {
                    let mut c = Cursor::new(&p);
                    // catalog, schema, table, org_table, then the name.
                    let name = (0..5).map(|_| c.lenenc_str()).last().and_then(|n| n.ok().flatten());
                    if !matches!(name, Some(b"row_start" | b"row_end")) {
                        client.write(&p).await?;
                    }
                }
            }
        }
    }

    /// The error of an ERR packet, worded as MatrixOne words it, noting whether it cost the
    /// whole transaction.
    fn error_from(&mut self, p: &[u8]) -> SqlError {
        let err = wording::as_matrixone(parse_err(p), self.wording);
        self.whole_transaction_lost |= wording::rolls_back_whole_transaction(err.code);
        err
    }

    /// Whether an error since the last call means MatrixOne would have rolled back the whole
    /// transaction; clears the mark.
    pub(crate) fn take_whole_transaction_lost(&mut self) -> bool {
        std::mem::take(&mut self.whole_transaction_lost)
    }

    /// Runs an internal text-protocol statement and collects every row as text.
    pub(crate) async fn query(&mut self, sql: &str) -> Result<Rows, SqlError> {
        self.query_bytes(sql.as_bytes()).await
    }

    /// [`Backend::query`] of text in the session's character set, such as a client's own.
    pub(crate) async fn query_bytes(&mut self, sql: &[u8]) -> Result<Rows, SqlError> {
        self.query_io(sql).await.unwrap_or_else(|e| Err(SqlError::io(&e)))
    }

    async fn query_io(&mut self, sql: &[u8]) -> io::Result<Result<Rows, SqlError>> {
        let mut cmd = Vec::with_capacity(sql.len() + 1);
        cmd.push(0x03);
        cmd.extend_from_slice(sql);
        self.send(&cmd).await?;
        let mut out = Rows::default();
        loop {
            let p = self.conn.read_required().await?;
            let status = match p.first().copied() {
                Some(0x00) => {
                    let (affected, status) = parse_ok(&p);
                    out.affected += affected;
                    status
                }
                Some(0xFF) => return Ok(Err(self.error_from(&p))),
                Some(_) => {
                    let n = Cursor::new(&p).lenenc_int().unwrap_or(0);
                    for _ in 0..n {
                        self.conn.read_required().await?;
                    }
                    if !self.deprecate_eof() {
                        self.conn.read_required().await?;
                    }
                    loop {
                        let r = self.conn.read_required().await?;
                        match r.first() {
                            Some(0xFE) if r.len() < 0xFF_FFFF => {
                                let off = end_of_rows_status_offset(&r, self.caps)
                                    .ok_or_else(|| malformed("end of rows"))?;
                                break u16::from_le_bytes([r[off], r[off + 1]]);
                            }
                            Some(0xFF) => return Ok(Err(self.error_from(&r))),
                            _ => {
                                let mut c = Cursor::new(&r);
                                let mut row = Vec::with_capacity(n as usize);
                                for _ in 0..n {
                                    let v = c.lenenc_str().map_err(|_| malformed("row"))?;
                                    row.push(v.map(|b| String::from_utf8_lossy(b).into_owned()));
                                }
                                out.rows.push(row);
                            }
                        }
                    }
                }
                None => return Err(malformed("empty packet")),
            };
            self.status = status;
            if status & STATUS_MORE_RESULTS == 0 {
                return Ok(Ok(out));
            }
        }
    }

    /// Runs an internal statement whose rows, if any, are not needed.
    pub(crate) async fn exec(&mut self, sql: &str) -> Result<u64, SqlError> {
        self.query(sql).await.map(|r| r.affected)
    }

    /// Whether the backend session has an open transaction.
    pub(crate) fn in_transaction(&self) -> bool {
        self.status & STATUS_IN_TRANS != 0
    }
}

/// Sets the type code of a ColumnDefinition41 packet: after six length-encoded strings, the
/// 0x0C length, the character set (2) and the column length (4).
fn set_column_type(col: &mut [u8], t: u8) {
    let mut c = Cursor::new(col);
    for _ in 0..6 {
        if c.lenenc_str().is_err() {
            return;
        }
    }
    let off = col.len() - c.rest().len() + 1 + 2 + 4;
    if let Some(b) = col.get_mut(off) {
        *b = t;
    }
}

/// utf8mb4_general_ci: what mosim's own connections speak.
pub(crate) const UTF8MB4_GENERAL_CI: u8 = 45;

/// The collation to log in with for a client's: MariaDB 10.11 does not know MySQL 8's
/// default utf8mb4_0900_ai_ci (255) and would fall back to its server default, so that one
/// (and an unset 0) becomes utf8mb4_general_ci, the same character set.
pub(crate) fn backend_collation(client: u8) -> u8 {
    match client {
        0 | 255 => UTF8MB4_GENERAL_CI,
        id => id,
    }
}

/// Length of the two length-encoded integers after an OK header.
fn ok_ints_len(p: &[u8]) -> usize {
    let mut c = Cursor::new(p);
    let _ = c.u8();
    let _ = c.lenenc_int();
    let _ = c.lenenc_int();
    p.len() - c.rest().len() - 1
}

fn patch_status(p: &mut [u8], off: usize, flag: u16) {
    if off + 2 <= p.len() {
        let s = u16::from_le_bytes([p[off], p[off + 1]]) | flag;
        p[off..off + 2].copy_from_slice(&s.to_le_bytes());
    }
}
