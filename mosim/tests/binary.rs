//! The `mosim` binary: `--listen`, `--backend`, `--v3`, and bad arguments.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use sqlx::{Connection, Row};

#[tokio::test]
async fn binary_serves_on_the_given_address() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mosim"))
        .args(["--listen", "127.0.0.1:0", "--backend", BACKEND, "--v3"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(line.contains("MatrixOne test server"), "{line}");

    let mut c = sqlx::MySqlConnection::connect(&format!("mysql://root:111@{addr}/test")).await.unwrap();
    let r = rows(&mut c, "select version()").await;
    assert_eq!(r[0].get::<String, _>(0), "8.0.30-MatrixOne-v3.0.18");
    drop(c);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn binary_rejects_unknown_arguments_and_an_unreachable_backend() {
    let out = Command::new(env!("CARGO_BIN_EXE_mosim")).arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown argument --bogus"));
    let out = Command::new(env!("CARGO_BIN_EXE_mosim"))
        .args(["--listen", "127.0.0.1:0", "--backend", "mysql://root@127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mosim backend error"));
}
