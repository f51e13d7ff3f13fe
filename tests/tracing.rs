//! Statement events: SQL text and timing at DEBUG, a WARN past the slow threshold, and never the
//! bound values.
mod support;

use std::time::Duration;

use matrixone::{Client, Executor, query};
use support::captured::Captured;

fn subscriber(out: &Captured) -> impl tracing::Subscriber + Send + Sync {
    out.subscriber()
}

#[tokio::test]
async fn statements_are_logged_without_their_values() {
    let out = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&out));
    for prepared in [true, false] {
        let c = Client::connect_with(support::options().prepared_statements(prepared)).await.unwrap();
        c.execute(query("SELECT ? AS secret_column").bind("hunter2-secret-value")).await.unwrap();
    }
    let log = out.text();
    assert!(log.contains("SELECT ? AS secret_column"), "{log}");
    assert!(log.contains("elapsed_ms"), "{log}");
    assert!(log.contains("rows=1"), "{log}");
    assert!(!log.contains("hunter2-secret-value"), "bound values must not be logged:\n{log}");
    assert!(!log.contains("slow statement"), "{log}");
}

#[tokio::test]
async fn slow_statements_warn() {
    let out = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&out));
    let c = Client::connect_with(support::options().slow_statement_threshold(Duration::from_millis(50)))
        .await
        .unwrap();
    c.execute("SELECT SLEEP(0.1)").await.unwrap();
    c.execute("SELECT 'quick'").await.unwrap();
    let log = out.text();
    let slow: Vec<&str> = log.lines().filter(|l| l.contains("slow statement")).collect();
    assert_eq!(slow.len(), 1, "{log}");
    assert!(slow[0].contains("WARN") && slow[0].contains("SLEEP(0.1)"), "{log}");
}

#[tokio::test]
async fn failed_statements_log_the_error() {
    let out = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&out));
    let c = support::client().await;
    c.execute("SELECT * FROM no_such_table_traced").await.unwrap_err();
    let log = out.text();
    assert!(log.lines().any(|l| l.contains("no_such_table_traced") && l.contains("error=")), "{log}");
}

/// Issue 7: each statement is a span with OpenTelemetry's database attribute names; timeouts and
/// retries are recorded on it; still never a bound value or a password.
#[tokio::test]
async fn statements_are_spans_with_opentelemetry_names() {
    let out = Captured::default();
    let _guard = tracing::subscriber::set_default(subscriber(&out));
    let c = Client::connect_with(support::options().max_connections(1)).await.unwrap();
    c.execute(query("select ? AS traced_value").bind("bound-secret-value")).await.unwrap();
    let err = c
        .execute(query("SELECT SLEEP(2) AS traced_sleep").timeout(Duration::from_millis(100)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), matrixone::ErrorKind::Timeout);
    let log = out.text();
    let line = log
        .lines()
        .find(|l| l.contains("traced_value") && l.contains("elapsed_ms"))
        .expect("a statement line");
    for field in [
        "db.system.name=\"matrixone\"",
        "db.query.text=\"select ? AS traced_value\"",
        "db.operation.name=\"SELECT\"",
        "server.address=127.0.0.1",
        "server.port=3306",
        "db.response.returned_rows=1",
    ] {
        assert!(line.contains(field), "{field} in {line}");
    }
    let timed_out = log
        .lines()
        .find(|l| l.contains("traced_sleep") && l.contains("elapsed_ms"))
        .expect("the timed-out statement");
    assert!(
        timed_out.contains("matrixone.timed_out=true") && timed_out.contains("error.type=Timeout"),
        "{timed_out}"
    );
    assert!(!log.contains("bound-secret-value"), "{log}");
}
