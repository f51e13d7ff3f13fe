//! [`Server`]: the listener, one task per client connection, and a clean shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU32;

use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, oneshot};
use tokio::task::{JoinHandle, JoinSet};

use crate::config::Config;
use crate::conns::Conns;
use crate::error::Error;
use crate::mo::catalog::SETUP;
use crate::session::{Shared, open_backend, serve};
use crate::url::BackendUrl;
use crate::wire::packet::PacketConn;

/// First wait after a failed accept; it doubles while accept keeps failing.
const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(10);
/// Longest wait after a failed accept.
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_millis(100);
/// How long a refused client gets to take its error packet.
const REFUSE_TIMEOUT: Duration = Duration::from_secs(1);

/// Answers a connection over the limit with MySQL's 1040 in place of the greeting, as MySQL
/// does: no SQLSTATE marker, since no capabilities have been agreed yet.
async fn refuse(stream: TcpStream) {
    let mut p = vec![0xFF];
    p.extend_from_slice(&1040u16.to_le_bytes());
    p.extend_from_slice(b"Too many connections");
    let mut conn = PacketConn::new(stream);
    let _ = tokio::time::timeout(REFUSE_TIMEOUT, async {
        conn.write(&p).await?;
        conn.flush().await
    })
    .await;
}

/// A running mosim instance.
///
/// Dropping it stops the listener and every connection, like [`Server::shutdown`].
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a v4.2.0 server on `127.0.0.1` and an ephemeral port in front of `backend_url`.
    ///
    /// Fails if MariaDB is unreachable or the catalog cannot be created.
    pub async fn start(backend_url: &str) -> Result<Server, Error> {
        Self::start_with(Config::new(backend_url)).await
    }

    /// Starts a server as configured.
    pub async fn start_with(config: Config) -> Result<Server, Error> {
        let url = BackendUrl::parse(&config.backend_url)?;
        let shared = Arc::new(Shared {
            catalog: crate::mo::pool::Pool::new(url.clone()),
            url,
            version: config.server_version.clone(),
            dialect: config.dialect,
            next_id: AtomicU32::new(1),
            globals: crate::sql::variables::Globals::default(),
        });
        let mut b = open_backend(&shared, None).await.map_err(|e| Error::Backend(e.to_string()))?;
        for sql in SETUP
            .iter()
            .chain(&crate::mo::catalog_tables::VIEWS)
            .chain(&crate::mo::vector::SETUP)
            .chain(&crate::mo::account::SETUP)
            .chain(&crate::mo::publication::SETUP)
        {
            b.exec(sql).await.map_err(|e| Error::Backend(e.to_string()))?;
        }
        drop(b);
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let conns = Arc::new(Conns::new(&config));
        let slots = Arc::new(Semaphore::new(config.max_connections.min(Semaphore::MAX_PERMITS)));
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut conns_tasks = JoinSet::new();
            let mut backoff = ACCEPT_BACKOFF_MIN;
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => {
                            backoff = ACCEPT_BACKOFF_MIN;
                            match Arc::clone(&slots).try_acquire_owned() {
                                Ok(slot) => {
                                    let shared = Arc::clone(&shared);
                                    let conns = Arc::clone(&conns);
                                    conns_tasks.spawn(async move {
                                        let _slot = slot;
                                        // A failed connection only ends that client's session.
                                        let _ = serve(stream, shared, conns).await;
                                    });
                                }
                                Err(_) => {
                                    conns_tasks.spawn(refuse(stream));
                                }
                            }
                        }
                        // Out of file descriptors (or another passing failure): the pending
                        // connection stays queued and accept fails again at once, so wait
                        // rather than spin a core.
                        Err(_) => {
                            tokio::time::sleep(backoff).await;
                            backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
                        }
                    },
                    Some(_) = conns_tasks.join_next(), if !conns_tasks.is_empty() => {}
                }
            }
            conns_tasks.shutdown().await;
        });
        Ok(Server { addr, stop: Some(stop), task: Some(task) })
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A URL for `database` that any MySQL client accepts, e.g.
    /// `mysql://root:111@127.0.0.1:PORT/test`. mosim accepts any user and password.
    pub fn url(&self, database: &str) -> String {
        format!("mysql://root:111@{}/{}", self.addr, database)
    }

    /// Stops accepting, closes every connection and waits for the tasks to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
