//! `SELECT mo_ctl(...)`: MatrixOne's exact JSON and label, and its refusals.

mod common;

use common::*;
use sqlx::Row;

fn ok(method: &str) -> String {
    format!(
        "{{\n  \"method\": \"{method}\",\n  \"result\": [\n    {{\n      \"returnStr\": \"OK\"\n    }}\n  ]\n}}\n"
    )
}

#[tokio::test]
async fn flush_and_checkpoints_answer_matrixones_json() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    let cases = [
        ("select mo_ctl(\"dn\", \"flush\", \"test.t1\");", "mo_ctl(dn, flush, test.t1)", "Flush"),
        ("SELECT mo_ctl('dn','checkpoint','')", "mo_ctl(dn, checkpoint, )", "Checkpoint"),
        ("select mo_ctl('dn', 'GlobalCheckpoint', '')", "mo_ctl(dn, GlobalCheckpoint, )", "GlobalCheckpoint"),
    ];
    for (sql, label, method) in cases {
        let r = rows(&mut c, sql).await;
        assert_eq!(r.len(), 1);
        assert_eq!(sqlx::Column::name(&r[0].columns()[0]), label);
        assert_eq!(r[0].get::<String, _>(0), ok(method), "{sql}");
    }
    // Prepared, as MatrixOne allows for SELECT.
    let (v,): (String,) =
        sqlx::query_as("select mo_ctl('cn', 'flush', 'db.t')").fetch_one(&mut c).await.unwrap();
    assert_eq!(v, ok("Flush"));
}

#[tokio::test]
async fn mo_ctl_refusals() {
    let s = server().await;
    let mut c = connect(&s, "test").await;
    let (code, msg) = err(&mut c, "select mo_ctl('tn', 'flush', 'db.t')").await;
    assert_eq!((code, msg.as_str()), (20105, "not supported: service type TN not supported"));
    let (code, msg) = err(&mut c, "select mo_ctl('dn', 'incrementalcheckpoint', '')").await;
    assert_eq!((code, msg.as_str()), (20105, "not supported: command INCREMENTALCHECKPOINT not supported"));
    let (code, msg) = err(&mut c, "select mo_ctl('dn', 'flush', concat('a', '.b'))").await;
    assert_eq!((code, msg.as_str()), (20301, "invalid input: mo_ctl can only be called with const args"));
}
