//! MatrixOne's dialect through prepared statements: the rewrites keep every `?` once, so
//! bound parameters land where the client put them (the conformance suite runs text only).

mod common;

use common::*;
use sqlx::Row;

#[tokio::test]
async fn rewritten_statements_take_bound_parameters() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "dialect_ps").await;
    exec(&mut c, "CREATE TABLE mem (id INT PRIMARY KEY, signal VARCHAR(16), doc JSON, n INT)").await;
    sqlx::query("INSERT INTO mem (id, signal, doc, n) VALUES (?, ?, ?, ?), (?, ?, ?, ?)")
        .bind(1)
        .bind("hot")
        .bind(r#"{"tag": "a", "w": 1.5}"#)
        .bind(2)
        .bind(2)
        .bind("cold")
        .bind(r#"{"tag": "b", "w": 2}"#)
        .bind(3)
        .execute(&mut c)
        .await
        .expect("insert through a prepared statement");

    // json_extract_string / json_extract_float64 with the path bound.
    let row = sqlx::query(
        "SELECT json_extract_string(doc, ?), json_extract_float64(doc, ?) FROM mem WHERE signal = ?",
    )
    .bind("$.tag")
    .bind("$.w")
    .bind("cold")
    .fetch_one(&mut c)
    .await
    .expect("json functions with bound paths");
    assert_eq!(row.get::<String, _>(0), "b");
    assert_eq!(row.get::<f64, _>(1), 2.0);

    // SUM of an INT column decodes as i64, as on MatrixOne; AVG as f64.
    let row =
        sqlx::query("SELECT SUM(n), AVG(n) FROM mem WHERE id IN (SELECT id FROM mem ORDER BY id LIMIT ?)")
            .bind(2)
            .fetch_one(&mut c)
            .await
            .expect("typed aggregates over a limited IN subquery");
    assert_eq!(row.get::<i64, _>(0), 5);
    assert_eq!(row.get::<f64, _>(1), 2.5);

    // generate_series with bound bounds.
    let total: i64 = sqlx::query_scalar("SELECT CAST(SUM(result) AS SIGNED) FROM generate_series(?, ?) g")
        .bind(1)
        .bind(100)
        .fetch_one(&mut c)
        .await
        .expect("generate_series with bound arguments");
    assert_eq!(total, 5050);

    // A MatrixOne-only form is refused at prepare time, by name.
    let e = sqlx::query("SELECT subvector(doc, ?) FROM mem").bind(1).fetch_all(&mut c).await.unwrap_err();
    let (code, msg) = db_error(e);
    assert_eq!(code, 20105, "{msg}");
    assert!(msg.contains("subvector"), "{msg}");
    exec(&mut c, &format!("DROP DATABASE {db}")).await;
}
