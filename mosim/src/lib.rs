//! # mosim: a MatrixOne simulator for tests
//!
//! **mosim is a test server, not a database.** It lets the `matrixone` SDK's tests, and
//! the tests of applications built on it, run where MatrixOne itself cannot: it speaks the
//! MySQL wire protocol like a MatrixOne v4.2.0 server (or v3.0 with [`Config::v3`]), hands
//! plain SQL to a MariaDB 10.11 backend, and carries out the MatrixOne-only statements
//! itself with their grammar, result shapes and error texts:
//!
//! - `CREATE / DROP / SHOW SNAPSHOTS`, and reads at `{SNAPSHOT = 's'}`, `{TIMESTAMP = '...'}`,
//!   `{MO_TS = n}`, done with MariaDB system-versioned tables (`FOR SYSTEM_TIME AS OF`);
//! - `CREATE DATABASE | TABLE ... CLONE ...`, now or at a snapshot;
//! - `RESTORE ... {SNAPSHOT = 's'}` (v4) or `RESTORE ... FROM SNAPSHOT s` (v3);
//! - `CREATE / ALTER / DROP / SHOW PITR` and `RESTORE ... FROM PITR p 'ts'`;
//! - `SELECT mo_ctl('dn', 'flush' | 'checkpoint' | 'globalcheckpoint', ...)`;
//! - MatrixOne's rules for prepared statements, transactions and error codes (20101, 1064):
//!   what an open transaction refuses, and DDL inside a transaction that ROLLBACK takes back;
//! - the variables MySQL 8 clients and MatrixOne's SDKs use (`@@transaction_isolation`,
//!   `experimental_ivf_index`, `probe_limit`, ...), kept per session;
//! - plain SQL in MatrixOne's dialect rewritten for MariaDB: names MariaDB reserves, table
//!   options such as `CLUSTER BY`, `LIMIT` in `IN` subqueries, `json_extract_string`,
//!   `generate_series`, SUM / AVG result types, `LOAD DATA INLINE`, byte-wise string
//!   comparison, and the `mo_catalog` tables applications read; MatrixOne-only forms it does
//!   not carry out answer 20105 `not supported`;
//! - on request, MatrixOne's known hazards, so tests can show a client survives them:
//!   [`Config::quirk_prepared_null_shape`] (#28138) and [`Config::quirk_ignore_quit`].
//!
//! It is not part of the `matrixone` crate's runtime and has no place in production.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mosim::Error> {
//! let server = mosim::Server::start("mysql://root@127.0.0.1:3306").await?;
//! let url = server.url("test"); // mysql://root:111@127.0.0.1:PORT/test
//! // ... connect any MySQL client to `url` ...
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! The same server as a binary:
//! `cargo run -p mosim -- --listen 127.0.0.1:6001 --backend mysql://root@127.0.0.1:3306`.
//!
//! State (snapshots, PITRs) lives in the backend's `mo_catalog` database, so it survives
//! restarts. Every user table is created `WITH SYSTEM VERSIONING`. RESTORE of an account or
//! the cluster touches every user database on the backend, so do not share that backend with
//! unrelated concurrent work when you use it.

#![warn(missing_docs)]

mod config;
mod conns;
mod error;
mod mo;
mod quirks;
mod server;
mod session;
mod sql;
mod url;
mod wire;

pub use config::{
    Config, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PACKET,
    Dialect, V3_VERSION, V4_VERSION,
};
pub use error::Error;
pub use server::Server;
