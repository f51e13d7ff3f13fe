//! What mosim keeps about its client connections as a whole: the limits every session obeys,
//! the connection ids it advertised and the MariaDB threads they stand for, and KILL.
//!
//! mosim advertises the id of the MariaDB connection it opened before greeting the client,
//! so `KILL [QUERY] <id>` and COM_PROCESS_KILL reach the right thread as they are. Only when
//! the client's capabilities need a backend connection of their own does the id change; such
//! ids are remapped here, and KILL naming them is rewritten.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::TcpStream;

use crate::config::Config;
use crate::quirks::Quirks;
use crate::session::{Shared, open_backend};
use crate::sql::lexer::{Kind, tokenize};

/// How long mosim tries to stop an abandoned statement before giving up.
const KILL_TIMEOUT: Duration = Duration::from_secs(5);

/// Limits and the id map, shared by every session of one server.
#[derive(Debug)]
pub(crate) struct Conns {
    /// How long a client has to log in.
    pub(crate) handshake_timeout: Duration,
    /// How long a logged-in client may stay silent.
    pub(crate) idle_timeout: Duration,
    /// Largest command a logged-in client may send.
    pub(crate) max_packet: usize,
    /// The MatrixOne bugs every session reproduces.
    pub(crate) quirks: Quirks,
    /// Advertised id -> MariaDB thread id, for the sessions whose ids differ.
    remapped: Mutex<HashMap<u32, u32>>,
}

impl Conns {
    /// The limits of `config`, and no remapped ids.
    pub(crate) fn new(config: &Config) -> Self {
        Self {
            handshake_timeout: config.handshake_timeout,
            idle_timeout: config.idle_timeout,
            max_packet: config.max_packet,
            quirks: Quirks::of(config),
            remapped: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<u32, u32>> {
        // The map stays consistent whatever panicked while holding it.
        self.remapped.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records that `advertised` stands for MariaDB thread `thread`, until the guard drops.
    pub(crate) fn remap(self: &Arc<Self>, advertised: u32, thread: u32) -> Remapped {
        self.map().insert(advertised, thread);
        Remapped { conns: Arc::clone(self), advertised }
    }

    /// The MariaDB thread a KILL of `id` must name: the id itself unless it was remapped.
    pub(crate) fn thread_of(&self, id: u32) -> u32 {
        self.map().get(&id).copied().unwrap_or(id)
    }
}

/// Keeps one advertised id mapped while its session lives.
#[derive(Debug)]
pub(crate) struct Remapped {
    conns: Arc<Conns>,
    advertised: u32,
}

impl Drop for Remapped {
    fn drop(&mut self) {
        self.conns.map().remove(&self.advertised);
    }
}

/// `KILL [HARD | SOFT] [CONNECTION | QUERY] <id> [;]` as a whole text: the id's byte span and
/// value. Other forms (`KILL QUERY ID`, `KILL USER`, scripts) are left to MariaDB as sent.
pub(crate) fn kill_target(sql: &str) -> Option<(std::ops::Range<usize>, u32)> {
    let toks = tokenize(sql.as_bytes());
    let mut rest = toks.as_slice();
    if let [t, ..] = rest
        && t.is_kw("kill")
    {
        rest = &rest[1..];
    } else {
        return None;
    }
    if let [t, ..] = rest
        && (t.is_kw("hard") || t.is_kw("soft"))
    {
        rest = &rest[1..];
    }
    if let [t, ..] = rest
        && (t.is_kw("connection") || t.is_kw("query"))
    {
        rest = &rest[1..];
    }
    let (id, tail) = rest.split_first()?;
    if !tail.iter().all(|t| t.is(';')) {
        return None;
    }
    match &id.kind {
        Kind::Word(w) => Some((id.start..id.end, w.parse().ok()?)),
        _ => None,
    }
}

/// `sql` with a KILL's thread id remapped, or `None` when it needs no change.
pub(crate) fn remap_kill(conns: &Conns, sql: &str) -> Option<String> {
    let (span, id) = kill_target(sql)?;
    let thread = conns.thread_of(id);
    (thread != id).then(|| format!("{}{thread}{}", &sql[..span.start], &sql[span.end..]))
}

/// A second handle on a client's socket, to notice the client leaving while mosim waits on
/// the backend and so writes nothing that would fail.
#[derive(Debug)]
pub(crate) struct Watch(TcpStream);

impl Watch {
    /// Splits `stream` into the stream to serve and a watch on the same socket.
    pub(crate) fn split(stream: TcpStream) -> io::Result<(TcpStream, Watch)> {
        let std = stream.into_std()?;
        let dup = std.try_clone()?;
        Ok((TcpStream::from_std(std)?, Watch(TcpStream::from_std(dup)?)))
    }

    /// Resolves once the client has closed or reset its end. Pends while it stays open, and
    /// for good once it has sent more bytes (a pipelined command: the session reads it later).
    pub(crate) async fn closed(&self) {
        let mut byte = [0u8; 1];
        match self.0.peek(&mut byte).await {
            Ok(0) | Err(_) => {}
            Ok(_) => std::future::pending().await,
        }
    }
}

/// Ends MariaDB thread `thread` from a side connection: its client is gone, and MariaDB would
/// otherwise run the statement to the end and notice only when it writes the answer.
pub(crate) async fn kill_thread(shared: &Shared, thread: u32) {
    let kill = async {
        if let Ok(mut side) = open_backend(shared, None).await {
            let _ = side.exec(&format!("KILL CONNECTION {thread}")).await;
        }
    };
    let _ = tokio::time::timeout(KILL_TIMEOUT, kill).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_thread_id_of_a_kill() {
        assert_eq!(kill_target("KILL 12"), Some((5..7, 12)));
        assert_eq!(kill_target("kill query 7;").map(|t| t.1), Some(7));
        assert_eq!(kill_target("KILL HARD CONNECTION 9").map(|t| t.1), Some(9));
        assert_eq!(kill_target("KILL QUERY ID 9"), None);
        assert_eq!(kill_target("KILL USER root"), None);
        assert_eq!(kill_target("KILL 1; SELECT 1"), None);
        assert_eq!(kill_target("SELECT 1"), None);
    }

    #[test]
    fn rewrites_only_remapped_ids() {
        let conns = Arc::new(Conns::new(&Config::new("mysql://root@127.0.0.1:3306")));
        assert_eq!(remap_kill(&conns, "KILL QUERY 5"), None);
        let guard = conns.remap(5, 812);
        assert_eq!(remap_kill(&conns, "KILL QUERY 5 ;").as_deref(), Some("KILL QUERY 812 ;"));
        assert_eq!(conns.thread_of(6), 6);
        drop(guard);
        assert_eq!(conns.thread_of(5), 5);
    }
}
