//! With file descriptors exhausted, accept fails at once and keeps failing while the client
//! waits in the backlog: mosim must back off rather than spin a core. Its own test binary,
//! since it lowers the process's descriptor limit.

mod common;

use std::time::Duration;

use common::*;

/// CPU time (user + system) this process has used so far.
fn cpu_time() -> Duration {
    let mut u = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, u.as_mut_ptr()) };
    assert_eq!(rc, 0);
    // SAFETY: initialised by the successful call above.
    let u = unsafe { u.assume_init() };
    let tv =
        |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(u.ru_utime) + tv(u.ru_stime)
}

fn nofile() -> libc::rlimit {
    let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit fills the struct it is given.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) }, 0);
    r
}

fn set_nofile(r: &libc::rlimit) {
    // SAFETY: setrlimit only reads the struct.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, r) }, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_failures_back_off_instead_of_spinning() {
    let s = server().await;
    let saved = nofile();
    let highest = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u64>().ok())
        .max()
        .unwrap();
    set_nofile(&libc::rlimit { rlim_cur: (highest + 64).min(saved.rlim_max), rlim_max: saved.rlim_max });
    // Take every descriptor left, then give one back for the client's socket.
    let mut hog = Vec::new();
    while let Ok(f) = std::fs::File::open("/dev/null") {
        hog.push(f);
        assert!(hog.len() < 10_000, "the descriptor limit did not hold");
    }
    hog.pop();
    let client = tokio::net::TcpStream::connect(s.addr()).await.expect("the kernel queues the client");

    let window = Duration::from_secs(1);
    let before = cpu_time();
    tokio::time::sleep(window).await;
    let used = cpu_time() - before;

    drop(hog);
    set_nofile(&saved);
    assert!(used < window / 3, "mosim spun on accept: {used:?} of CPU in {window:?}");
    // Once descriptors are back, the queued client is served.
    let mut raw = Raw { stream: client, seq: 0, caps: 0, conn_id: 0 };
    let greeting = tokio::time::timeout(Duration::from_secs(10), raw.read()).await.expect("served");
    assert_eq!(greeting.expect("a greeting")[0], 10);
}
