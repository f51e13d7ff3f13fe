//! [`Server`]: the listener, one task per client connection, and a clean shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU32;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::config::Config;
use crate::error::Error;
use crate::mo::catalog::SETUP;
use crate::session::{Shared, open_backend, serve};
use crate::url::BackendUrl;

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
        });
        let mut b = open_backend(&shared, None).await.map_err(|e| Error::Backend(e.to_string()))?;
        for sql in SETUP {
            b.exec(sql).await.map_err(|e| Error::Backend(e.to_string()))?;
        }
        drop(b);
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut conns = JoinSet::new();
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        if let Ok((stream, _)) = accepted {
                            let shared = Arc::clone(&shared);
                            conns.spawn(async move {
                                // A failed connection only ends that client's session.
                                let _ = serve(stream, shared).await;
                            });
                        }
                    }
                    Some(_) = conns.join_next(), if !conns.is_empty() => {}
                }
            }
            conns.shutdown().await;
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
