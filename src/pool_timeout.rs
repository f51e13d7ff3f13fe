//! Explaining a pool time-out: "every connection is busy" or "the server cannot be reached".
//!
//! A time-out is explained from the pool's own state when it can be (every connection exists and
//! is checked out). Otherwise the pool could have opened a connection and did not, and one direct
//! connect attempt finds out why; callers that time out in the same burst share that attempt's
//! answer, so a pile-up of time-outs never becomes a storm of handshakes against a struggling
//! server.

use std::time::{Duration, Instant};

use sqlx::Connection as _;
use sqlx::mysql::MySqlConnection;

use crate::error::{Error, ErrorKind};
use crate::options::ConnectOptions;

/// How long one probe's answer explains later time-outs.
const PROBE_ANSWER_LIFETIME: Duration = Duration::from_secs(5);

/// How one direct connect attempt ended.
pub(crate) enum ConnectAttempt {
    Connected,
    Failed(Error),
    TimedOut,
}

/// Opens (and closes) one connection outside the pool, within the connect time-out.
pub(crate) async fn try_connect(opts: &ConnectOptions) -> Result<ConnectAttempt, Error> {
    let sqlx_opts = opts.to_sqlx()?;
    Ok(match tokio::time::timeout(opts.connect_timeout, MySqlConnection::connect_with(&sqlx_opts)).await {
        Ok(Ok(conn)) => {
            // The attempt has answered its question; a failing QUIT changes nothing.
            let _ = conn.close().await;
            ConnectAttempt::Connected
        }
        Ok(Err(e)) => ConnectAttempt::Failed(Error::from(e)),
        Err(_) => ConnectAttempt::TimedOut,
    })
}

/// The last probe's answer, shared by the callers that time out while it is fresh.
#[derive(Default)]
pub(crate) struct ProbeCache {
    last: tokio::sync::Mutex<Option<(Instant, Answer)>>,
}

/// What a probe found, kept so that later callers can be told the same.
#[derive(Clone)]
enum Answer {
    Connected,
    Failed { kind: ErrorKind, code: Option<u16>, message: String },
    TimedOut,
}

impl ProbeCache {
    /// The [`ErrorKind::PoolTimedOut`] error for a caller that waited `opts.acquire_timeout`.
    pub(crate) async fn explain(&self, pool: &sqlx::MySqlPool, opts: &ConnectOptions) -> Error {
        let waited = opts.acquire_timeout;
        if pool.size() >= opts.max_connections {
            return busy(waited, opts.max_connections);
        }
        let answer = {
            // Holding the lock while probing makes the callers of one burst wait for one probe.
            let mut last = self.last.lock().await;
            match last.as_ref() {
                Some((at, answer)) if at.elapsed() < PROBE_ANSWER_LIFETIME => answer.clone(),
                _ => {
                    let answer = match try_connect(opts).await {
                        Ok(ConnectAttempt::Connected) => Answer::Connected,
                        Ok(ConnectAttempt::Failed(e)) => {
                            Answer::Failed { kind: e.kind(), code: e.code(), message: e.message().to_owned() }
                        }
                        Ok(ConnectAttempt::TimedOut) => Answer::TimedOut,
                        Err(e) => return e,
                    };
                    *last = Some((Instant::now(), answer.clone()));
                    answer
                }
            }
        };
        match answer {
            Answer::Connected => busy(waited, opts.max_connections),
            Answer::Failed { kind, code, message } => {
                let cause = match code {
                    Some(code) => Error::from_server(code, message),
                    None => Error::new(kind, message),
                };
                Error::new(
                    ErrorKind::PoolTimedOut,
                    format!("no connection within {waited:?}; the last connect attempt failed: {cause}"),
                )
                .with_source(cause)
            }
            Answer::TimedOut => Error::new(
                ErrorKind::PoolTimedOut,
                format!(
                    "no connection within {waited:?}; the last connect attempt did not finish within {:?}",
                    opts.connect_timeout
                ),
            ),
        }
    }
}

fn busy(waited: Duration, max: u32) -> Error {
    Error::new(
        ErrorKind::PoolTimedOut,
        format!("no pooled connection became free within {waited:?}: all {max} are in use"),
    )
}
