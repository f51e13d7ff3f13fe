//! `--listen` on an address other machines can reach makes mosim an open proxy to its
//! backend: the binary says so loudly on stderr.

use std::process::Command;

/// Runs the binary with an unreachable backend, so it exits before it binds anything.
fn stderr_of(listen: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mosim"))
        .args(["--listen", listen, "--backend", "mysql://root@127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_non_loopback_listen_address_gets_a_loud_warning() {
    let err = stderr_of("0.0.0.0:0");
    assert!(err.contains("WARNING") && err.contains("ANY password"), "{err}");
    assert!(err.contains("0.0.0.0:0"), "{err}");
    let err = stderr_of("[::]:0");
    assert!(err.contains("WARNING"), "{err}");
    // Loopback is what tests use: no warning there.
    for quiet in ["127.0.0.1:0", "[::1]:0"] {
        let err = stderr_of(quiet);
        assert!(!err.contains("WARNING"), "{quiet}: {err}");
    }
}
