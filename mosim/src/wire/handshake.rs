//! The server side of the connection phase: greeting, login, and the auth switch to
//! `mysql_native_password`, the only plugin MatrixOne offers (reference §10.1).

use std::io;

use crate::error::SqlError;
use crate::wire::caps::{
    CONNECT_WITH_DB, NATIVE_PASSWORD, PLUGIN_AUTH, PLUGIN_AUTH_LENENC, SERVER_CAPS, SSL, STATUS_AUTOCOMMIT,
};
use crate::wire::codec::Cursor;
use crate::wire::packet::PacketConn;

/// What the client sent in its handshake response.
#[derive(Debug)]
pub(crate) struct Login {
    /// Capabilities both sides have.
    pub(crate) caps: u32,
    /// The user name as sent (`root`, `sys:root`, `acc:user:role`, ...).
    pub(crate) user: String,
    /// The database named at connect time.
    pub(crate) db: Option<String>,
    /// The collation id (and so the character set) the client speaks.
    pub(crate) collation: u8,
    /// The greeting's scramble and the client's mysql_native_password answer to it, for
    /// the accounts whose passwords mosim checks (`mo::account::login`).
    pub(crate) nonce: [u8; 20],
    pub(crate) auth: Vec<u8>,
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("malformed client {what}"))
}

/// A 20-byte nonce without NUL bytes. The passwords of mosim's accounts are checked against
/// it (`mo::account::login`), so it varies with the time as well as the connection: a
/// recorded answer does not log in again.
fn scramble(seed: u32) -> [u8; 20] {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let seed = seed ^ nanos.rotate_left(7) ^ 0x5bd1_e995;
    let mut s = [0u8; 20];
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(0x9E37_79B9);
    for b in &mut s {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = (x % 94) as u8 + 33;
    }
    s
}

/// The answer to an SSL request: MySQL clients' own code for a failed TLS setup (2026).
pub(crate) fn tls_refusal() -> SqlError {
    SqlError {
        code: 2026,
        state: "08S01".into(),
        message: "SSL connection error: mosim does not support TLS; connect with \
                  ssl-mode=DISABLED (or PREFERRED)"
            .into(),
    }
}

/// Greets the client and reads its login; the caller answers with OK or ERR.
pub(crate) async fn accept(conn: &mut PacketConn, version: &str, conn_id: u32) -> io::Result<Login> {
    let nonce = scramble(conn_id);
    let mut p = vec![10u8];
    p.extend_from_slice(version.as_bytes());
    p.push(0);
    p.extend_from_slice(&conn_id.to_le_bytes());
    p.extend_from_slice(&nonce[..8]);
    p.push(0);
    p.extend_from_slice(&(SERVER_CAPS as u16).to_le_bytes());
    p.push(45); // utf8mb4_general_ci
    p.extend_from_slice(&STATUS_AUTOCOMMIT.to_le_bytes());
    p.extend_from_slice(&((SERVER_CAPS >> 16) as u16).to_le_bytes());
    p.push(21);
    p.extend_from_slice(&[0u8; 10]);
    p.extend_from_slice(&nonce[8..]);
    p.push(0);
    p.extend_from_slice(NATIVE_PASSWORD.as_bytes());
    p.push(0);
    conn.seq = 0;
    conn.write(&p).await?;
    conn.flush().await?;

    let resp = conn.read_required().await?;
    let mut c = Cursor::new(&resp);
    let client_caps = c.u32().ok_or_else(|| bad("handshake"))?;
    if client_caps & SSL != 0 {
        // A client that insists on TLS sends the short SSL request; tell it why it fails
        // rather than just closing, which clients report as a lost connection.
        conn.write(&tls_refusal().to_packet()).await?;
        conn.flush().await?;
        return Err(bad("SSL request (mosim does not offer TLS)"));
    }
    let caps = client_caps & SERVER_CAPS;
    c.take(4).ok_or_else(|| bad("handshake"))?;
    let collation = c.u8().ok_or_else(|| bad("handshake"))?;
    c.take(23).ok_or_else(|| bad("handshake"))?;
    let user = String::from_utf8_lossy(c.cstr()).into_owned();
    let mut auth = if caps & PLUGIN_AUTH_LENENC != 0 {
        let n = c.lenenc_int().ok_or_else(|| bad("auth data"))?;
        c.take(usize::try_from(n).map_err(|_| bad("auth data"))?).map(<[u8]>::to_vec)
    } else {
        let n = c.u8().unwrap_or(0);
        c.take(usize::from(n)).map(<[u8]>::to_vec)
    }
    .unwrap_or_default();
    let mut db = None;
    if caps & CONNECT_WITH_DB != 0 {
        let d = c.cstr();
        if !d.is_empty() {
            db = Some(String::from_utf8_lossy(d).into_owned());
        }
    }
    let plugin = if caps & PLUGIN_AUTH != 0 { c.cstr().to_vec() } else { Vec::new() };
    if !plugin.is_empty() && plugin != NATIVE_PASSWORD.as_bytes() {
        let mut switch = vec![0xFE];
        switch.extend_from_slice(NATIVE_PASSWORD.as_bytes());
        switch.push(0);
        switch.extend_from_slice(&nonce);
        switch.push(0);
        conn.write(&switch).await?;
        conn.flush().await?;
        auth = conn.read_required().await?;
    }
    Ok(Login { caps, user, db, collation, nonce, auth })
}
