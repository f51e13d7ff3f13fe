//! A fault-injection TCP proxy between a test's client and the server. It counts the
//! connections it accepted, can hold every answer back for a fixed time, and on command resets
//! (RST), stalls (holds all traffic, both ways, without closing) or black-holes (accepts new
//! connections and never answers) them, so a test can put a failure at the moment it chooses.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

pub struct Proxy {
    pub addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct State {
    accepted: AtomicUsize,
    relays: std::sync::Mutex<Vec<tokio::task::AbortHandle>>,
    /// While set, no byte is forwarded either way (the connections stay open).
    stalled: AtomicBool,
    /// While set, new connections are accepted and never answered.
    black_hole: AtomicBool,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `target`, delaying each chunk the server
    /// sends by `latency`.
    pub async fn start(target: SocketAddr, latency: Duration) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                shared.accepted.fetch_add(1, Ordering::SeqCst);
                let relay = tokio::spawn(relay(client, target, latency, shared.clone()));
                shared.relays.lock().unwrap().push(relay.abort_handle());
            }
        });
        Proxy { addr, state, task }
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.state.accepted.load(Ordering::SeqCst)
    }

    /// The test server's URL with this proxy's address in place of the server's.
    pub fn url(&self) -> String {
        let url = super::url();
        let target = server_addr();
        url.replace(&format!("{}:{}", target.ip(), target.port()), &self.addr.to_string())
    }

    /// Resets every connection relayed so far (RST to both sides), as a failed network would.
    pub fn cut(&self) {
        for relay in self.state.relays.lock().unwrap().drain(..) {
            relay.abort();
        }
    }

    /// Holds all traffic (both ways) until [`Proxy::resume`]; nothing is closed.
    pub fn stall(&self) {
        self.state.stalled.store(true, Ordering::SeqCst);
    }

    /// Forwards again after [`Proxy::stall`].
    pub fn resume(&self) {
        self.state.stalled.store(false, Ordering::SeqCst);
    }

    /// New connections are accepted and never answered; existing ones are stalled.
    pub fn black_hole(&self) {
        self.state.black_hole.store(true, Ordering::SeqCst);
        self.stall();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
        self.cut();
    }
}

/// The test server's address, from its URL.
pub fn server_addr() -> SocketAddr {
    let url = url::Url::parse(&super::url()).expect("test URL parses");
    let host = url.host_str().unwrap_or("127.0.0.1");
    let host = if host == "localhost" { "127.0.0.1" } else { host };
    format!("{host}:{}", url.port().unwrap_or(3306)).parse().expect("a numeric test server address")
}

/// Waits while the proxy is stalled (polling: a test's stall is short).
async fn while_stalled(state: &State) {
    while state.stalled.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn relay(client: TcpStream, target: SocketAddr, latency: Duration, state: Arc<State>) {
    // Dropped by an abort, the sockets send RST rather than FIN.
    let _ = client.set_zero_linger();
    if state.black_hole.load(Ordering::SeqCst) {
        // Hold the connection open and silent until the test ends (or cuts it).
        std::future::pending::<()>().await;
        drop(client);
        return;
    }
    let Ok(server) = TcpStream::connect(target).await else { return };
    let _ = server.set_zero_linger();
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let upstream = async {
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n @ 1..) = client_read.read(&mut buf).await {
            while_stalled(&state).await;
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
            while_stalled(&state).await;
            if client_write.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
        let _ = client_write.shutdown().await;
    };
    tokio::join!(upstream, downstream);
}
