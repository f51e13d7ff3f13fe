//! A TCP proxy between a test's client and the server: it counts the connections it accepted
//! and can hold every answer from the server back for a fixed time, to put a statement's reply
//! in flight at a moment the test chooses.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

pub struct Proxy {
    pub addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    relays: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `target`, delaying each chunk the server
    /// sends by `latency`.
    pub async fn start(target: SocketAddr, latency: Duration) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let relays = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (count, live) = (accepted.clone(), relays.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let relay = tokio::spawn(relay(client, target, latency));
                live.lock().unwrap().push(relay.abort_handle());
            }
        });
        Proxy { addr, accepted, relays, task }
    }

    /// Cuts every connection relayed so far, both ways at once, as a failed network would.
    pub fn cut(&self) {
        for relay in self.relays.lock().unwrap().drain(..) {
            relay.abort();
        }
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// The test server's URL with this proxy's address in place of the server's.
    pub fn url(&self) -> String {
        let url = super::url();
        let target = server_addr();
        url.replace(&format!("{}:{}", target.ip(), target.port()), &self.addr.to_string())
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The test server's address, from its URL.
pub fn server_addr() -> SocketAddr {
    let url = url::Url::parse(&super::url()).expect("test URL parses");
    let host = url.host_str().unwrap_or("127.0.0.1");
    let host = if host == "localhost" { "127.0.0.1" } else { host };
    format!("{host}:{}", url.port().unwrap_or(3306)).parse().expect("a numeric test server address")
}

async fn relay(client: TcpStream, target: SocketAddr, latency: Duration) {
    let Ok(server) = TcpStream::connect(target).await else { return };
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let upstream = async {
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n @ 1..) = client_read.read(&mut buf).await {
            if server_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = server_write.shutdown().await;
    };
    let downstream = async {
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n @ 1..) = server_read.read(&mut buf).await {
            tokio::time::sleep(latency).await;
            if client_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = client_write.shutdown().await;
    };
    tokio::join!(upstream, downstream);
}
