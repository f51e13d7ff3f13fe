//! Shared by the examples: which server to talk to.

/// The server the examples connect to: `MATRIXONE_URL` if set, else `DATABASE_URL`, else a local
/// MySQL-compatible server at `mysql://root@127.0.0.1:3306/test`.
///
/// For a MatrixOne server: `MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test`.
pub fn url() -> String {
    std::env::var("MATRIXONE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}
