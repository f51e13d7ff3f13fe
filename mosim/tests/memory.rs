//! A claimed packet length costs memory only once its bytes arrive. Its own test binary, so
//! the process's resident size reflects only this test.

mod common;

use std::time::Duration;

use common::*;
use tokio::io::AsyncWriteExt;

/// Connections in each phase, as in the review that found 40 headers cost 660 MB.
const CLIENTS: usize = 30;

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claimed_lengths_are_not_allocated_up_front() {
    let s = server().await;
    let base = resident_bytes();
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        // Before login: a 16 MiB header and nothing else.
        let mut raw = Raw::connect(s.addr()).await;
        raw.stream.write_all(&[0xFF, 0xFF, 0xFF, 0x01]).await.unwrap();
        clients.push(raw);
        // After login: the same for a command.
        let mut raw = Raw::login(s.addr(), None, caps::SQLX).await;
        raw.stream.write_all(&[0xFF, 0xFF, 0xFF, 0x00]).await.unwrap();
        clients.push(raw);
    }
    // Up front, 60 headers of 16 MiB are ~1 GB; watch for a while that nothing like it appears.
    let limit = 256 << 20;
    let grew = eventually(Duration::from_secs(2), || async { resident_bytes() > base + limit }).await;
    let now = resident_bytes();
    assert!(!grew, "resident size grew from {base} to {now} bytes");
    // The logged-in clients are still served once their bytes come.
    let mut raw = Raw::login(s.addr(), None, caps::SQLX).await;
    assert_eq!(raw.query("SELECT 5").await, Reply::Rows(vec![vec![Some("5".into())]]));
}
