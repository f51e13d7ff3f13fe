//! One relayed connection: the driver on a loopback socket, the server on a direct one, and two
//! loops copying packets between them. The driver-to-server loop notes what each command expects
//! back; the server-to-driver loop reads each answer by that layout and rewrites column
//! definitions ([`super::coldef`]). Rows and everything else pass unchanged.

use std::io;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlSslMode};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader, BufWriter};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};

use super::coldef::{self, Rewrite};
use super::wire::{self, Logical};
use super::{UNKNOWN_TYPE_CODE, UNKNOWN_TYPE_PREFIX};
use crate::error::{Error, ErrorKind, Result};

// Capability flags (MySQL's include/mysql_com.h).
const CLIENT_COMPRESS: u32 = 0x0000_0020;
const CLIENT_PROTOCOL_41: u32 = 0x0000_0200;
const CLIENT_SSL: u32 = 0x0000_0800;
const CLIENT_DEPRECATE_EOF: u32 = 0x0100_0000;
const CLIENT_OPTIONAL_RESULTSET_METADATA: u32 = 0x0200_0000;
const CLIENT_ZSTD_COMPRESSION: u32 = 0x0400_0000;
/// Capabilities that change packet layouts in ways the relay does not follow; hidden from the
/// driver (which does not use them anyway), and a connection that still has one is copied blind.
const UNFOLLOWED: u32 = CLIENT_COMPRESS | CLIENT_OPTIONAL_RESULTSET_METADATA | CLIENT_ZSTD_COMPRESSION;

const SERVER_MORE_RESULTS_EXISTS: u16 = 0x0008;

/// MySQL's client error for a login the authentication plugin refused.
const CR_AUTH_PLUGIN_ERR: u16 = 2061;

/// Whether a greeting or an auth switch request names `mysql_clear_password`.
fn asks_for_cleartext(packet: &[u8]) -> bool {
    const CLEAR: &[u8] = b"mysql_clear_password";
    packet.windows(CLEAR.len()).any(|w| w == CLEAR)
}

/// Phases of a relayed connection, shared by its two loops.
const CONNECTING: u8 = 0;
const COMMANDS: u8 = 1;
/// Copying bytes without looking: a command whose answer the relay does not know how to read.
const BLIND: u8 = 2;

/// How the answer to one command is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// `COM_QUERY`, `COM_STMT_EXECUTE`: OK, ERR, or result sets, possibly several.
    Results,
    /// `COM_STMT_PREPARE`: ERR, or PREPARE_OK with parameter and column definitions.
    Prepared,
    /// One packet: OK, ERR or EOF (`COM_PING`, `COM_INIT_DB`, `COM_STMT_RESET`, ...).
    Single,
    /// Anything else: from here on the relay copies bytes blind.
    Unknown,
}

/// What a command (the first packet the driver sends after the login) expects back; `None` when
/// it has no answer.
fn answer_to(command: &[u8]) -> Option<Answer> {
    let Some(&code) = command.first() else { return Some(Answer::Unknown) };
    match code {
        0x03 => Some(Answer::Results),
        // An execute that opens a cursor (flags at offset 5) is answered in parts, by
        // COM_STMT_FETCH: not followed (the driver never asks for one).
        0x17 if command.get(5).is_some_and(|flags| flags & 0x0F != 0) => Some(Answer::Unknown),
        0x17 => Some(Answer::Results),
        0x16 => Some(Answer::Prepared),
        // COM_QUIT, COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE.
        0x01 | 0x18 | 0x19 => None,
        // COM_INIT_DB, COM_PING, COM_STMT_RESET, COM_SET_OPTION, COM_RESET_CONNECTION.
        0x02 | 0x0E | 0x1A | 0x1B | 0x1F => Some(Answer::Single),
        _ => Some(Answer::Unknown),
    }
}

/// Opens a driver connection to the server at `direct`'s address through a relay of its own:
/// the SDK connects to the server, listens on a fresh loopback port for exactly one connection,
/// and lets the driver log in through it. `within` bounds the wait for the driver.
pub(crate) async fn connect(direct: &MySqlConnectOptions, within: Duration) -> Result<MySqlConnection> {
    let (host, port) = (direct.get_host(), direct.get_port());
    let server = TcpStream::connect((host, port)).await.map_err(|e| {
        Error::new(ErrorKind::Connection, format!("cannot connect to {host}:{port} for the relay: {e}"))
    })?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.map_err(|e| {
        Error::new(ErrorKind::Connection, format!("cannot listen on a loopback port for the relay: {e}"))
    })?;
    let local = listener.local_addr().map_err(|e| Error::new(ErrorKind::Connection, e.to_string()))?;
    let relay = tokio::spawn(async move {
        // One connection, the driver's, then the port closes.
        let Ok(Ok((driver, peer))) = tokio::time::timeout(within, listener.accept()).await else { return };
        drop(listener);
        if !peer.ip().is_loopback() {
            return;
        }
        if let Err(e) = relay(driver, server).await {
            tracing::debug!(target: "matrixone::relay", error = %e, "relayed connection ended");
        }
    });
    // Plain TCP to the relay: it hides CLIENT_SSL anyway (see the module documentation).
    let to_relay = direct.clone().host("127.0.0.1").port(local.port()).ssl_mode(MySqlSslMode::Disabled);
    match MySqlConnection::connect_with(&to_relay).await {
        Ok(conn) => Ok(conn),
        Err(e) => {
            relay.abort();
            Err(e.into())
        }
    }
}

/// Copies one connection's packets both ways until either side closes it.
async fn relay(driver: TcpStream, server: TcpStream) -> io::Result<()> {
    let _ = driver.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (driver_read, driver_write) = driver.into_split();
    let (server_read, server_write) = server.into_split();
    let phase = Arc::new(AtomicU8::new(CONNECTING));
    let (answers, expected) = mpsc::unbounded_channel();
    let (caps_tx, caps_rx) = oneshot::channel();
    let up = Upstream {
        from: BufReader::new(driver_read),
        to: BufWriter::new(server_write),
        answers,
        phase: phase.clone(),
    };
    let down = Downstream {
        from: BufReader::new(server_read),
        to: BufWriter::new(driver_write),
        expected,
        phase,
        deprecate_eof: false,
    };
    tokio::select! {
        r = up.run(caps_tx) => r,
        r = down.run(caps_rx) => r,
    }
}

/// Driver to server: forwards every packet, and notes what each command expects back before the
/// server can see it.
struct Upstream {
    from: BufReader<OwnedReadHalf>,
    to: BufWriter<OwnedWriteHalf>,
    answers: mpsc::UnboundedSender<Answer>,
    phase: Arc<AtomicU8>,
}

impl Upstream {
    async fn run(mut self, caps: oneshot::Sender<u32>) -> io::Result<()> {
        // The login request: its capability flags say how the server will lay out its answers.
        let Some(login) = self.read().await? else { return Ok(()) };
        let head = login.head();
        let flags = head.get(..4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let _ = caps.send(flags);
        wire::write(&mut self.to, &login).await?;
        loop {
            // Wait for bytes before reading the phase: a command is sent only after the OK that
            // ended the login, and that OK is passed on after the phase changed.
            if self.from.buffer().is_empty() {
                self.to.flush().await?;
            }
            if self.from.fill_buf().await?.is_empty() {
                return self.to.flush().await;
            }
            let phase = self.phase.load(Ordering::SeqCst);
            if phase == BLIND {
                return blind(&mut self.from, &mut self.to).await;
            }
            let Some(packet) = self.read().await? else { return self.to.flush().await };
            // A command starts a new exchange (sequence id 0); later packets of one (LOCAL INFILE
            // data, login steps) are passed on as they are.
            let command =
                (phase == COMMANDS && packet.seq() == 0 && !packet.is_long()).then(|| packet.head());
            if let Some(answer) = command.and_then(answer_to) {
                if answer == Answer::Unknown {
                    self.phase.store(BLIND, Ordering::SeqCst);
                }
                if self.answers.send(answer).is_err() {
                    return Ok(());
                }
            }
            wire::write(&mut self.to, &packet).await?;
        }
    }

    async fn read(&mut self) -> io::Result<Option<Logical>> {
        wire::read(&mut self.from).await
    }
}

/// Server to driver: reads each answer by the layout its command expects, rewriting column
/// definitions on the way.
struct Downstream {
    from: BufReader<OwnedReadHalf>,
    to: BufWriter<OwnedWriteHalf>,
    expected: mpsc::UnboundedReceiver<Answer>,
    phase: Arc<AtomicU8>,
    deprecate_eof: bool,
}

impl Downstream {
    async fn run(mut self, caps: oneshot::Receiver<u32>) -> io::Result<()> {
        let Some(server_caps) = self.greeting().await? else { return Ok(()) };
        // The login: packets both ways until the server's OK (0x00) or ERR (0xFF).
        loop {
            let packet = self.read("the login").await?;
            match packet.first_byte() {
                Some(0x00) => {
                    let client_caps = caps.await.unwrap_or(0);
                    let caps = client_caps & server_caps;
                    self.deprecate_eof = caps & CLIENT_DEPRECATE_EOF != 0;
                    let followed = client_caps & CLIENT_PROTOCOL_41 != 0 && caps & UNFOLLOWED == 0;
                    self.phase.store(if followed { COMMANDS } else { BLIND }, Ordering::SeqCst);
                    wire::write(&mut self.to, &packet).await?;
                    if !followed {
                        return blind(&mut self.from, &mut self.to).await;
                    }
                    break;
                }
                Some(0xFF) => {
                    wire::write(&mut self.to, &packet).await?;
                    return self.to.flush().await;
                }
                // An auth switch to the plugin that sends the password as it is.
                Some(0xFE) if asks_for_cleartext(packet.head()) => {
                    return self.refuse_cleartext(packet.seq()).await;
                }
                _ => wire::write(&mut self.to, &packet).await?,
            }
        }
        loop {
            self.to.flush().await?;
            let answer = tokio::select! {
                biased;
                answer = self.expected.recv() => match answer {
                    Some(answer) => answer,
                    None => return Ok(()),
                },
                // Something nobody asked for (an ERR before the server closes the connection).
                closed = async { self.from.fill_buf().await.map(|b| b.is_empty()) } => {
                    if closed? {
                        return Ok(());
                    }
                    let packet = self.read("a packet").await?;
                    wire::write(&mut self.to, &packet).await?;
                    continue;
                }
            };
            match answer {
                Answer::Results => self.results().await?,
                Answer::Prepared => self.prepared().await?,
                Answer::Single => {
                    let packet = self.read("an answer").await?;
                    wire::write(&mut self.to, &packet).await?;
                }
                Answer::Unknown => {
                    self.to.flush().await?;
                    return blind(&mut self.from, &mut self.to).await;
                }
            }
        }
    }

    /// Passes on the server's greeting without `CLIENT_SSL` and the capabilities the relay does
    /// not follow, and returns the server's capabilities; `None` when the server refused the
    /// connection (an ERR, passed on).
    async fn greeting(&mut self) -> io::Result<Option<u32>> {
        let mut packet = self.read("the server's greeting").await?;
        if asks_for_cleartext(packet.head()) {
            self.refuse_cleartext(packet.seq()).await?;
            return Ok(None);
        }
        let mut caps = None;
        if let Some(p) = packet.head_mut().filter(|p| p.first() == Some(&10)) {
            // Protocol 10: version, server version (NUL-terminated), connection id (4),
            // auth data (8), filler (1), capabilities low (2), charset (1), status (2),
            // capabilities high (2).
            if let Some(nul) = p.iter().skip(1).position(|&b| b == 0) {
                let low = 1 + nul + 1 + 4 + 8 + 1;
                if p.len() >= low + 7 {
                    let high = low + 5;
                    let flags = u32::from(u16::from_le_bytes([p[low], p[low + 1]]))
                        | u32::from(u16::from_le_bytes([p[high], p[high + 1]])) << 16;
                    let shown = flags & !(CLIENT_SSL | UNFOLLOWED);
                    p[low..low + 2].copy_from_slice(&(shown as u16).to_le_bytes());
                    p[high..high + 2].copy_from_slice(&((shown >> 16) as u16).to_le_bytes());
                    caps = Some(shown);
                }
            }
        }
        wire::write(&mut self.to, &packet).await?;
        match caps {
            Some(caps) => Ok(Some(caps)),
            None => {
                // An ERR, or a greeting the relay cannot read: pass the rest on unchanged.
                self.phase.store(BLIND, Ordering::SeqCst);
                blind(&mut self.from, &mut self.to).await.map(|()| None)
            }
        }
    }

    /// The answer to a query or an execute: OK, ERR, or result sets; more follow while the
    /// status says `SERVER_MORE_RESULTS_EXISTS`. A result with a type the driver cannot read is
    /// replaced by an ERR, and the rest of the answer is dropped: the driver stops reading at an
    /// ERR.
    async fn results(&mut self) -> io::Result<()> {
        let mut dropping = false;
        loop {
            let first = self.read("an answer").await?;
            let more = match first.first_byte() {
                Some(0x00) => {
                    self.pass(&first, dropping).await?;
                    wire::ok_status(first.head()).ok_or_else(|| wire::malformed("OK packet"))?
                        & SERVER_MORE_RESULTS_EXISTS
                        != 0
                }
                Some(0xFF) => return self.pass(&first, dropping).await,
                // LOCAL INFILE: the driver sends the file, then the server answers as above.
                Some(0xFB) => {
                    self.pass(&first, dropping).await?;
                    true
                }
                Some(_) => self.result_set(first, &mut dropping).await?,
                None => return Err(wire::malformed("empty answer")),
            };
            if !more {
                return Ok(());
            }
        }
    }

    /// One result set after its column count; returns whether more results follow.
    async fn result_set(&mut self, count: Logical, dropping: &mut bool) -> io::Result<bool> {
        let (columns, _) = wire::lenenc(count.head()).ok_or_else(|| wire::malformed("column count"))?;
        let mut definitions = Vec::new();
        let mut unknown = None;
        for _ in 0..columns {
            let mut def = self.read("column definitions").await?;
            if let Some(Rewrite::Unknown { column, code }) = def.head_mut().map(|p| coldef::rewrite(p, false))
            {
                unknown.get_or_insert((column, code));
            }
            definitions.push(def);
        }
        if !self.deprecate_eof {
            definitions.push(self.read("column definitions").await?);
        }
        if !*dropping {
            match unknown {
                None => {
                    wire::write(&mut self.to, &count).await?;
                    for def in &definitions {
                        wire::write(&mut self.to, def).await?;
                    }
                }
                Some((column, code)) => {
                    let message = format!(
                        "{UNKNOWN_TYPE_PREFIX}column {column:?} has type {code:#04x}, which neither MySQL \
                         nor the SDK knows, so it cannot be decoded"
                    );
                    let err = wire::err_packet(UNKNOWN_TYPE_CODE, &message);
                    wire::write_one(&mut self.to, count.seq(), &err).await?;
                    *dropping = true;
                }
            }
        }
        // Rows, unchanged, until the packet that ends them.
        loop {
            let row = self.read("rows").await?;
            match row.first_byte() {
                Some(0xFE) if !row.is_long() && (self.deprecate_eof || row.head().len() < 9) => {
                    self.pass(&row, *dropping).await?;
                    let status = if self.deprecate_eof {
                        wire::ok_status(row.head())
                    } else {
                        wire::eof_status(row.head())
                    };
                    let status = status.ok_or_else(|| wire::malformed("end of rows"))?;
                    return Ok(status & SERVER_MORE_RESULTS_EXISTS != 0);
                }
                Some(0xFF) => {
                    self.pass(&row, *dropping).await?;
                    return Ok(false);
                }
                _ => self.pass(&row, *dropping).await?,
            }
        }
    }

    /// The answer to a prepare: ERR, or PREPARE_OK (statement id, column and parameter counts)
    /// followed by the parameter and the column definitions, each list ended by an EOF unless
    /// `CLIENT_DEPRECATE_EOF`. The driver parses them without using their types for rows (an
    /// execute sends the columns again), so an unknown type becomes a binary BLOB here.
    async fn prepared(&mut self) -> io::Result<()> {
        let ok = self.read("a prepare answer").await?;
        wire::write(&mut self.to, &ok).await?;
        if ok.first_byte() != Some(0x00) {
            return Ok(());
        }
        let head = ok.head();
        let count = |at: usize| head.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let (columns, params) = count(5).zip(count(7)).ok_or_else(|| wire::malformed("PREPARE_OK packet"))?;
        for n in [params, columns] {
            for _ in 0..n {
                let mut def = self.read("definitions").await?;
                if let Some(payload) = def.head_mut() {
                    coldef::rewrite(payload, true);
                }
                wire::write(&mut self.to, &def).await?;
            }
            if n > 0 && !self.deprecate_eof {
                let eof = self.read("definitions").await?;
                wire::write(&mut self.to, &eof).await?;
            }
        }
        Ok(())
    }

    /// Ends a login that would send the password in clear: the driver, on plain TCP to the relay,
    /// would do so, and so would the relay to a server that may have offered TLS.
    async fn refuse_cleartext(&mut self, seq: u8) -> io::Result<()> {
        let message = "the server asks for the password in clear (mysql_clear_password), and the SDK's \
                       relay for MatrixOne's column types does not speak TLS: refused";
        wire::write_one(&mut self.to, seq, &wire::err_packet(CR_AUTH_PLUGIN_ERR, message)).await?;
        self.to.flush().await
    }

    /// Passes a packet on, unless the rest of the answer is being dropped.
    async fn pass(&mut self, packet: &Logical, dropping: bool) -> io::Result<()> {
        if dropping { Ok(()) } else { wire::write(&mut self.to, packet).await }
    }

    /// Reads the next packet the server sends; what was passed on so far goes out first when
    /// nothing more is buffered (rows are forwarded in batches, not packet by packet).
    async fn read(&mut self, what: &str) -> io::Result<Logical> {
        if self.from.buffer().is_empty() {
            self.to.flush().await?;
        }
        wire::expect(&mut self.from, what).await
    }
}

/// Copies the rest of a stream unchanged.
async fn blind(from: &mut BufReader<OwnedReadHalf>, to: &mut BufWriter<OwnedWriteHalf>) -> io::Result<()> {
    to.flush().await?;
    tokio::io::copy_buf(from, to.get_mut()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_read_by_their_layout() {
        assert_eq!(answer_to(b"\x03SELECT 1"), Some(Answer::Results));
        assert_eq!(answer_to(&[0x17, 1, 0, 0, 0, 0x00, 1, 0, 0, 0]), Some(Answer::Results));
        assert_eq!(answer_to(&[0x17, 1, 0, 0, 0, 0x01, 1, 0, 0, 0]), Some(Answer::Unknown), "a cursor");
        assert_eq!(answer_to(b"\x16SELECT ?"), Some(Answer::Prepared));
        assert_eq!(answer_to(&[0x0E]), Some(Answer::Single));
        assert_eq!(answer_to(&[0x19, 1, 0, 0, 0]), None, "COM_STMT_CLOSE has no answer");
        assert_eq!(answer_to(&[0x01]), None);
        assert_eq!(answer_to(&[0x11]), Some(Answer::Unknown), "COM_CHANGE_USER is not followed");
        assert_eq!(answer_to(&[]), Some(Answer::Unknown));
    }
}
