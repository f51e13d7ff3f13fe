//! Real clients other than Rust's against mosim: PyMySQL, SQLAlchemy 2.0 (on PyMySQL), Node's
//! mysql2 and the `mariadb` command-line client, each running one scripted session from
//! `mosim/conformance/` as a subprocess: connect (with the variables MySQL 8 clients ask for),
//! a text and a prepared query, a committed and a rolled-back transaction (with a table created
//! inside it), a snapshot read at `{SNAPSHOT = ...}`, and two errors read back with their code.
//!
//! `scripts/ensure-clients.sh` installs the clients (scripts/test.sh runs it first). A missing
//! interpreter or package fails these tests; they never skip.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;

/// What every client's session prints, line by line.
const TRANSCRIPT: &[&str] = &[
    "connected 8.0.30-MatrixOne-v4.2.0",
    "isolation REPEATABLE-READ",
    "vector index 1",
    "text 2",
    "prepared 42",
    "committed 2",
    "rolled back 2 side tables 0",
    "snapshot 2 now 3",
    "error 1146",
    "error 20101 internal error: unclassified statement appears in uncommitted transaction",
    "done",
];

/// Bound on one client session, start-up included.
const SESSION_TIMEOUT: Duration = Duration::from_secs(120);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("mosim sits in the workspace").to_path_buf()
}

fn conformance(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance").join(path)
}

/// The virtualenv's Python: `MOSIM_CLIENTS_PYTHON`, else `.ci/venv` in the repository.
fn python() -> PathBuf {
    let python = std::env::var_os("MOSIM_CLIENTS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".ci/venv/bin/python"));
    assert!(python.exists(), "{} is missing: run scripts/ensure-clients.sh", python.display());
    python
}

/// The node_modules folder that holds mysql2: under `MOSIM_CLIENTS_NODE_DIR`, else next to
/// the script.
fn node_modules() -> PathBuf {
    let dir =
        std::env::var_os("MOSIM_CLIENTS_NODE_DIR").map(PathBuf::from).unwrap_or_else(|| conformance("node"));
    dir.join("node_modules")
}

/// Runs one client session against a fresh mosim and checks its transcript; the database
/// and snapshot it makes are removed even when it fails half-way.
async fn session(program: &Path, script: &Path, cwd: &Path, prefix: &str) {
    let s = server().await;
    let db = unique(prefix);
    let snapshot = unique(&format!("{prefix}_snap"));
    let port = s.addr().port().to_string();
    let run = tokio::process::Command::new(program)
        .arg(script)
        .args(["127.0.0.1", port.as_str(), db.as_str(), snapshot.as_str()])
        .current_dir(cwd)
        // mysql2 is found from the installed folder wherever that is.
        .env("NODE_PATH", node_modules())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(SESSION_TIMEOUT, run)
        .await
        .unwrap_or_else(|_| panic!("{} did not finish within {SESSION_TIMEOUT:?}", script.display()))
        .unwrap_or_else(|e| panic!("cannot run {} (run scripts/ensure-clients.sh): {e}", program.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);

    let mut c = connect(&s, "test").await;
    let leftovers = count(
        &mut c,
        &format!("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{db}'"),
    )
    .await;
    cleanup(&mut c, &[&db], &[&snapshot, &format!("{snapshot}_2")], &[]).await;

    assert!(out.status.success(), "{} failed ({}):\n{stdout}\n{stderr}", script.display(), out.status);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, TRANSCRIPT, "{}'s transcript (stderr: {stderr})", script.display());
    assert_eq!(leftovers, 0, "the session dropped its database");
}

#[tokio::test]
async fn pymysql_session() {
    let script = conformance("python/pymysql_session.py");
    session(&python(), &script, &conformance("python"), "conf_pymysql").await;
}

#[tokio::test]
async fn sqlalchemy_session() {
    let script = conformance("python/sqlalchemy_session.py");
    session(&python(), &script, &conformance("python"), "conf_sqlalchemy").await;
}

#[tokio::test]
async fn mysql2_session() {
    let mysql2 = node_modules().join("mysql2/package.json");
    assert!(mysql2.exists(), "{} is missing: run scripts/ensure-clients.sh", mysql2.display());
    session(Path::new("node"), &conformance("node/mysql2_session.js"), &conformance("node"), "conf_mysql2")
        .await;
}

#[tokio::test]
async fn mariadb_cli_session() {
    let script = conformance("cli/mariadb_session.sh");
    session(Path::new("bash"), &script, &conformance("cli"), "conf_cli").await;
}
