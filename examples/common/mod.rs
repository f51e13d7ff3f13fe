//! Shared by the examples: which server to talk to, and a table that lives as long as one run.
//!
//! Each example uses a part of it.
#![allow(dead_code)]

/// The server the examples connect to: `MATRIXONE_URL` if set, else `DATABASE_URL`, else a local
/// MySQL-compatible server at `mysql://root@127.0.0.1:3306/test`.
///
/// For a MatrixOne server: `MATRIXONE_URL=mysql://root:111@127.0.0.1:6001/test`.
pub fn url() -> String {
    std::env::var("MATRIXONE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}

/// Connects with `options`, creates `table` with `columns` (dropping a leftover first), runs
/// `run`, then drops the table and closes the client whether `run` succeeded or not, and returns
/// what `run` returned.
pub async fn with_table(
    options: matrixone::ConnectOptions,
    table: &str,
    columns: &str,
    run: impl AsyncFnOnce(&matrixone::Client) -> matrixone::Result<()>,
) -> matrixone::Result<()> {
    use matrixone::Executor as _;
    let client = matrixone::Client::connect_with(options).await?;
    client.execute(format!("DROP TABLE IF EXISTS {table}")).await?;
    client.execute(format!("CREATE TABLE {table} ({columns})")).await?;
    let outcome = run(&client).await;
    client.execute(format!("DROP TABLE IF EXISTS {table}")).await?;
    client.close().await;
    outcome
}

/// The options for [`url`].
pub fn options() -> matrixone::Result<matrixone::ConnectOptions> {
    url().parse()
}
