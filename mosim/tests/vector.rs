//! Vector columns and functions through mosim, with a plain MySQL client over TCP. Each
//! expected value is MatrixOne's, from the .result file named beside it.

mod common;

use common::*;
use sqlx::mysql::MySqlConnection;
use sqlx::{Column, Row, TypeInfo};

async fn strings(c: &mut MySqlConnection, sql: &str) -> Vec<Option<String>> {
    rows(c, sql).await.iter().map(|r| r.get::<Option<String>, _>(0)).collect()
}

async fn doubles(c: &mut MySqlConnection, sql: &str) -> Vec<Option<f64>> {
    rows(c, sql).await.iter().map(|r| r.get::<Option<f64>, _>(0)).collect()
}

#[tokio::test]
async fn vector_columns_keep_matrixones_text_form_and_dimension() {
    let server = server().await;
    let (mut c, db) = fresh_db(&server, "vmosim_vec").await;
    // array/array.result: create table vec_table(a int, b vecf32(3), c vecf64(3));
    exec(&mut c, "create table vec_table(a int, b vecf32(3), c vecf64(3))").await;
    exec(&mut c, "insert into vec_table values(1, \"[1,2,3]\", \"[4,5,6]\")").await;
    let r = rows(&mut c, "select * from vec_table").await;
    assert_eq!(r[0].get::<String, _>(1), "[1, 2, 3]");
    assert_eq!(r[0].get::<String, _>(2), "[4, 5, 6]");
    // array/array.result (t7): float32 text keeps float32's shortest digits.
    exec(&mut c, "insert into vec_table values(2, '[0.8166459, 0.66616553, 0.4886152]', '[0.1,0.2,0.3]')")
        .await;
    assert_eq!(
        strings(&mut c, "select b from vec_table where a = 2").await,
        [Some("[0.8166459, 0.66616553, 0.4886152]".to_owned())]
    );
    // array/array.result: insert into t4 values(1, "[1,2]", "[1,2]");
    assert_eq!(
        err(&mut c, "insert into vec_table values(3, '[1,2]', '[1,2,3]')").await,
        (20301, "invalid input: expected vector dimension 3 != actual dimension 2.".to_owned())
    );
    assert_eq!(
        err(&mut c, "update vec_table set c = '[1,2,3,4]' where a = 1").await,
        (20301, "invalid input: expected vector dimension 3 != actual dimension 4.".to_owned())
    );
    // array/array.result: select b + "[1,2,3" ... internal error: malformed vector input: [1,2,3
    assert_eq!(
        err(&mut c, "insert into vec_table values(3, '[1,2,3', null)").await,
        (20101, "internal error: malformed vector input: [1,2,3".to_owned())
    );
    // A prepared statement's parameter of the wrong dimension is refused with MatrixOne's error.
    let bad = sqlx::query("insert into vec_table values (4, ?, null)").bind("[1,2]").execute(&mut c).await;
    assert_eq!(
        db_error(bad.unwrap_err()),
        (20301, "invalid input: expected vector dimension 3 != actual dimension 2.".to_owned())
    );
    // A prepared insert of the right dimension reads back in MatrixOne's form.
    sqlx::query("insert into vec_table values (5, ?, null)").bind("[7,8,9]").execute(&mut c).await.unwrap();
    let v: String =
        sqlx::query_scalar("select b from vec_table where a = ?").bind(5).fetch_one(&mut c).await.unwrap();
    assert_eq!(v, "[7, 8, 9]");
    // Bound with other digits than MatrixOne prints: read back with MatrixOne's (shortest
    // float32 digits), over the text and the binary protocol.
    sqlx::query("insert into vec_table values (6, ?, ?)")
        .bind("[1.50, 0.12345678901, 2e1]")
        .bind("[0.10, 1.0, 3]")
        .execute(&mut c)
        .await
        .unwrap();
    let want = ("[1.5, 0.12345679, 20]".to_owned(), "[0.1, 1, 3]".to_owned());
    let r = rows(&mut c, "select b, c from vec_table where a = 6").await;
    assert_eq!((r[0].get::<String, _>(0), r[0].get::<String, _>(1)), want);
    let r = sqlx::query("select a, b, c from vec_table where a = ?").bind(6).fetch_one(&mut c).await.unwrap();
    assert_eq!((r.get::<String, _>(1), r.get::<String, _>(2)), want);
    exec(&mut c, "delete from vec_table where a = 6").await;
    // array/array.result: select * from vec_table where b= "[1,2,3]"; (vectors compare as vectors)
    assert_eq!(ints(&mut c, "select a from vec_table where b = \"[1,2,3]\"").await, [1]);
    assert_eq!(ints(&mut c, "select a from vec_table where b != '[1,2,3]' and a < 5").await, [2]);
    // array/array_index.result: delete from tbl where embedding="[130,40,90]";
    exec(&mut c, "delete from vec_table where c = '[0.1,0.2,0.3]'").await;
    assert_eq!(ints(&mut c, "select a from vec_table where a = 2").await, Vec::<i32>::new());
    // array/array.result: vector columns stay out of keys.
    assert_eq!(
        err(&mut c, "create table t2(a int, b vecf32(3) primary key)").await,
        (20105, "not supported: VECTOR column 'b' cannot be in primary key".to_owned())
    );
    assert_eq!(
        err(&mut c, "create unique index t3 on vec_table(b)").await,
        (20105, "not supported: VECTOR column 'b' cannot be in index".to_owned())
    );
    // array/array.result: update t6 set b = NULL
    exec(&mut c, "update vec_table set b = null where a = 5").await;
    assert_eq!(strings(&mut c, "select b from vec_table where a = 5").await, [None]);
    // Another connection redefines a table this one has written vectors to: its next insert
    // follows the new definition.
    let mut other = connect(&server, &db).await;
    exec(&mut c, "create table re(v vecf32(2))").await;
    exec(&mut c, "insert into re values ('[1,2]')").await;
    exec(&mut other, "drop table re").await;
    exec(&mut other, "create table re(v vecf32(3))").await;
    exec(&mut c, "insert into re values ('[1,2,3]')").await;
    assert_eq!(strings(&mut c, "select v from re").await, [Some("[1, 2, 3]".to_owned())]);
    // ALTER TABLE adds a vector column.
    exec(&mut c, "alter table vec_table add column d vecf32(2)").await;
    exec(&mut c, "update vec_table set d = '[1.5,2]' where a = 1").await;
    assert_eq!(strings(&mut c, "select d from vec_table where a = 1").await, [Some("[1.5, 2]".to_owned())]);
    // mo_catalog.mo_columns names the vector type (array/array.result: desc shows VECF32(3)).
    let r = rows(
        &mut c,
        &format!("select attname, atttyp, att_comment from mo_catalog.mo_columns where att_database = '{db}' and att_relname = 'vec_table' and attname in ('b', 'c') order by attname"),
    )
    .await;
    let got: Vec<(String, String, String)> = r.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    assert_eq!(
        got,
        [("b".into(), "VECF32(3)".into(), "".into()), ("c".into(), "VECF64(3)".into(), "".into())]
    );
    // array/array.result: cast("[1,2,3]" as vecf32(3)) is [1, 2, 3]
    assert_eq!(strings(&mut c, "select cast('[1,2,3]' as vecf32(3))").await, [Some("[1, 2, 3]".to_owned())]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn distance_functions_answer_like_matrixone() {
    let server = server().await;
    let (mut c, db) = fresh_db(&server, "vmosim_dist").await;
    exec(&mut c, "create table vec_table(a int, b vecf32(3), c vecf64(3))").await;
    exec(&mut c, "insert into vec_table values(1, '[1,2,3]', '[4,5,6]')").await;
    // array/array.result, each against "[1,2,3]" over b = [1, 2, 3]:
    let one = |sql: &'static str| sql;
    for (sql, want) in [
        (one("select l2_distance(b,\"[1,2,3]\") from vec_table"), 0.0),
        ("select cosine_distance(b,\"[1,2,3]\") from vec_table", 0.0),
        ("select cosine_similarity(b,\"[1,2,3]\") from vec_table", 1.0),
        ("select inner_product(b,\"[1,2,3]\") from vec_table", -14.0),
        ("select l1_norm(b) from vec_table", 6.0),
        ("select summation(b) from vec_table", 6.0),
        ("select l2_distance_sq(b, '[2,2,3]') from vec_table", 1.0),
        ("select l2_distance(b, c) from vec_table", 27f64.sqrt()),
        ("select inner_product('[1,2,3]', '[1,2,3]')", -14.0),
    ] {
        assert_eq!(doubles(&mut c, sql).await, [Some(want)], "{sql}");
    }
    // array/array.result: l2_norm(b) = 3.741657257080078 (float32 arithmetic on MatrixOne;
    // mosim computes in float64, see the README).
    let n = doubles(&mut c, "select l2_norm(b) from vec_table").await[0].unwrap();
    assert!((n - 3.741657257080078).abs() < 1e-6, "{n}");
    let dims: Vec<i64> =
        rows(&mut c, "select vector_dims(b) from vec_table").await.iter().map(|r| r.get(0)).collect();
    assert_eq!(dims, [3]);
    assert_eq!(
        strings(&mut c, "select normalize_l2('[1,2,3]')").await,
        [Some("[0.26726124, 0.5345225, 0.80178374]".to_owned())]
    );
    // array/array.result: a literal of another dimension.
    let (code, msg) = err(&mut c, "select l2_distance(b, '[1,2]') from vec_table").await;
    assert_eq!(
        (code, msg.as_str()),
        (20301, "invalid input: expected vector dimension 3 != actual dimension 2.")
    );
    // A bound query vector: the same answers and errors.
    let d: f64 = sqlx::query_scalar("select l2_distance(c, ?) from vec_table")
        .bind("[4,5,7]")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(d, 1.0);
    let e = sqlx::query_scalar::<_, f64>("select l2_distance(b, ?) from vec_table")
        .bind("[1,2]")
        .fetch_one(&mut c)
        .await;
    assert_eq!(
        db_error(e.unwrap_err()),
        (20301, "invalid input: expected vector dimension 3 != actual dimension 2.".to_owned())
    );
    // Two columns of different dimensions (moerr.NewArrayInvalidOp).
    exec(&mut c, "create table two(a vecf32(3), b vecf32(2))").await;
    exec(&mut c, "insert into two values ('[1,2,3]', '[1,2]')").await;
    assert_eq!(
        err(&mut c, "select l2_distance(a, b) from two").await,
        (20301, "invalid input: vector ops between different dimensions (3, 2) is not permitted.".to_owned())
    );
    // NULL in, NULL out.
    exec(&mut c, "insert into vec_table values(2, null, null)").await;
    assert_eq!(doubles(&mut c, "select l2_distance(b, '[1,2,3]') from vec_table where a = 2").await, [None]);
    // kNN: ORDER BY distance LIMIT k (array/array.result: ORDER BY l2_distance(b, '[3,1,2]') LIMIT 5).
    exec(&mut c, "create table t6(a int, b vecf32(3))").await;
    exec(
        &mut c,
        "insert into t6 (a,b) values (1, '[1,2,3]'), (2, '[4,5,6]'), (3, '[2,1,1]'), (4, '[7,8,9]'), (5, '[0,0,0]'), (6, '[3,1,2]')",
    )
    .await;
    assert_eq!(ints(&mut c, "select a from t6 order by l2_distance(b, '[3,1,2]') limit 3").await, [6, 3, 1]);
    let ids: Vec<i32> = sqlx::query_scalar("select a from t6 order by l2_distance(b, ?) limit 2")
        .bind("[3,1,2]")
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert_eq!(ids, [6, 3]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// A few thousand 384-dimension rows per query: prints how long a kNN query takes.
#[tokio::test]
async fn knn_over_thousands_of_384_dim_rows_is_fast_enough() {
    let server = server().await;
    let (mut c, db) = fresh_db(&server, "vmosim_knn").await;
    exec(&mut c, "create table docs(id int primary key, v vecf32(384))").await;
    let vec_of = |seed: u32| {
        let mut x = seed.wrapping_mul(2_654_435_761);
        let vals: Vec<String> = (0..384)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                format!("{}", (x % 2000) as f32 / 1000.0 - 1.0)
            })
            .collect();
        format!("[{}]", vals.join(","))
    };
    for chunk in 0..6 {
        let values: Vec<String> =
            (0..500).map(|i| chunk * 500 + i).map(|id| format!("({id}, '{}')", vec_of(id))).collect();
        exec(&mut c, &format!("insert into docs values {}", values.join(","))).await;
    }
    // Reading them back: mosim checks every vector value is in MatrixOne's form.
    let start = std::time::Instant::now();
    let all = rows(&mut c, "select id, v from docs").await;
    println!("reading 3000 x 384-dim vectors back: {:?}", start.elapsed());
    assert_eq!(all.len(), 3000);
    let q = vec_of(42);
    let start = std::time::Instant::now();
    let ids = ints(&mut c, &format!("select id from docs order by l2_distance(v, '{q}') limit 5")).await;
    let took = start.elapsed();
    println!("kNN over 3000 x 384-dim rows, query vector inlined: {took:?}");
    assert_eq!(ids[0], 42);
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    // The same with the query vector bound as a prepared statement's parameter.
    let start = std::time::Instant::now();
    let ids: Vec<i32> = sqlx::query_scalar("select id from docs order by l2_distance(v, ?) limit 5")
        .bind(&q)
        .fetch_all(&mut c)
        .await
        .unwrap();
    let took = start.elapsed();
    println!("kNN over 3000 x 384-dim rows, query vector bound: {took:?}");
    assert_eq!(ids[0], 42);
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
    // Between two columns (a stored function per row).
    let start = std::time::Instant::now();
    let ids = ints(
        &mut c,
        "select a.id from docs a join docs b on b.id = 42 order by cosine_distance(a.v, b.v) limit 5",
    )
    .await;
    let took = start.elapsed();
    println!("kNN over 3000 x 384-dim rows, column against column: {took:?}");
    assert_eq!(ids[0], 42);
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn vector_indexes_are_accepted_and_remembered() {
    let server = server().await;
    let (mut c, db) = fresh_db(&server, "vmosim_idx").await;
    exec(&mut c, "create table tbl(id int primary key, embedding vecf32(3))").await;
    exec(&mut c, "insert into tbl values (1, '[1,2,3]'), (2, '[3,2,1]')").await;
    exec(&mut c, "create index idx1 using ivfflat on tbl(embedding) lists=2 op_type 'vector_l2_ops'").await;
    // array/array_index.result: mo_indexes shows algo ivfflat and its algo_params.
    let r = rows(
        &mut c,
        &format!(
            "select name, algo, algo_params from mo_catalog.mo_indexes i join mo_catalog.mo_tables t \
             on i.table_id = t.rel_id where t.relname = 'tbl' and t.reldatabase = '{db}' and name = 'idx1'"
        ),
    )
    .await;
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].get::<String, _>(1), "ivfflat");
    assert_eq!(r[0].get::<String, _>(2), "{\"lists\":\"2\",\"op_type\":\"vector_l2_ops\"}");
    // array/array_index.result: show index from tbl;
    let r = rows(&mut c, "show index from tbl").await;
    let got: Vec<(String, String, String, String)> = r
        .iter()
        .map(|r| (r.get("Key_name"), r.get("Column_name"), r.get("Index_type"), r.get("Index_params")))
        .collect();
    assert_eq!(
        got,
        [
            ("PRIMARY".into(), "id".into(), "".into(), "".into()),
            (
                "idx1".into(),
                "embedding".into(),
                "ivfflat".into(),
                "{\"lists\":\"2\",\"op_type\":\"vector_l2_ops\"}".into()
            )
        ]
    );
    let r = rows(&mut c, "show index from tbl where Key_name = 'idx1'").await;
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].get::<String, _>("index_type"), "ivfflat");
    // The kNN query with MatrixOne's BY RANK option (vector/*.result).
    assert_eq!(
        ints(&mut c, "select id from tbl order by l2_distance(embedding, '[3,2,1]') limit 1 by rank with option 'mode=pre'")
            .await,
        [2]
    );
    // array/array_index.result: alter table tbl alter reindex idx1 ivfflat lists=3;
    exec(&mut c, "alter table tbl alter reindex idx1 ivfflat lists=3").await;
    let r = rows(&mut c, "show index from tbl where key_name = 'idx1'").await;
    assert_eq!(r[0].get::<String, _>("index_params"), "{\"lists\":\"3\",\"op_type\":\"vector_l2_ops\"}");
    assert_eq!(
        err(&mut c, "alter table tbl alter reindex nosuch ivfflat lists=3").await,
        (20101, "internal error: Can't REINDEX 'nosuch'; check that column/key exists".to_owned())
    );
    exec(&mut c, "drop index idx1 on tbl").await;
    // pessimistic_transaction/vector/vector_hnsw.result: HNSW needs its switch.
    let hnsw = "create table h(a bigint primary key, b vecf32(4), KEY `idxname` USING HNSW(b) M = 48 EF_CONSTRUCTION = 64 EF_SEARCH = 64 OP_TYPE \"vector_l2_ops\")";
    assert_eq!(
        err(&mut c, hnsw).await,
        (20101, "internal error: experimental_hnsw_index is not enabled".to_owned())
    );
    exec(&mut c, "SET experimental_hnsw_index = 1").await;
    exec(
        &mut c,
        "create table h(a bigint primary key, b vecf32(4), KEY `idxname` USING HNSW(b) M = 48 EF_CONSTRUCTION = 64 EF_SEARCH = 64 OP_TYPE \"vector_l2_ops\")",
    )
    .await;
    // MatrixOne's rules for a new vector index (pkg/vectorindex/*/plugin/plan/schema.go).
    for (sql, code, msg) in [
        (
            "create index i2 using hnsw on h(b) op_type 'vector_l2_ops'",
            20105,
            "not supported: Multiple HNSW indexes are not allowed to use the same column",
        ),
        (
            "create index i3 using ivfflat on h(a) lists=2 op_type 'vector_l2_ops'",
            20105,
            "not supported: IVFFLAT only supports VECFXX column types",
        ),
        (
            "create index i4 using ivfflat on h(nosuch) lists=2",
            20301,
            "invalid input: column 'nosuch' is not exist",
        ),
        (
            "create table h2(a int primary key, b vecf32(4), key k using hnsw (b))",
            20101,
            "internal error: type of primary key must be bigint",
        ),
        (
            "create table h3(a bigint, b vecf32(4), key k using hnsw (b))",
            20101,
            "internal error: primary key cannot be empty for hnsw index",
        ),
    ] {
        assert_eq!(err(&mut c, sql).await, (code, msg.to_owned()), "{sql}");
    }
    let r = rows(&mut c, &format!("select algo from mo_catalog.mo_indexes i join mo_catalog.mo_tables t on i.table_id = t.rel_id where t.reldatabase = '{db}' and t.relname = 'h' and name = 'idxname'")).await;
    assert_eq!(r[0].get::<String, _>(0), "hnsw");
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn vector_columns_are_described_as_matrixone_describes_them() {
    let server = server().await;
    let (mut c, db) = fresh_db(&server, "vmosim_wire").await;
    exec(&mut c, "create table t(a int, b vecf32(3), note longtext)").await;
    exec(&mut c, "insert into t values (1, '[1,2,3]', 'x')").await;
    // pkg/frontend/mysql_cmd_executor.go: vector columns go out as MYSQL_TYPE_VARCHAR (15),
    // charset 33 (not binary), so a client reads them as VARCHAR text.
    for r in [
        rows(&mut c, "select a, b, note from t").await,
        sqlx::query("select a, b, note from t where a = ?").bind(1).fetch_all(&mut c).await.unwrap(),
    ] {
        let cols = r[0].columns();
        assert_eq!(cols[1].type_info().name(), "VARCHAR");
        assert_ne!(cols[2].type_info().name(), "VARCHAR", "a plain LONGTEXT column keeps its type");
        assert_eq!(r[0].get::<String, _>(1), "[1, 2, 3]");
    }
    // After DDL the session looks again: the column is no longer a vector.
    exec(&mut c, "alter table t modify b longtext").await;
    let r = rows(&mut c, "select b from t").await;
    assert_ne!(r[0].columns()[0].type_info().name(), "VARCHAR");
    cleanup(&mut c, &[&db], &[], &[]).await;
}
