//! The Executor methods on Client and Transaction, ResultSet and Row, protocols and errors.
mod support;

use futures_util::TryStreamExt as _;
use matrixone::{Client, ErrorKind, Executor, Row, query};
use sea_query::{Expr, ExprTrait as _, Query};

#[tokio::test]
async fn result_set_api() {
    let c = support::client().await;
    let rs = c.execute("SELECT 1 AS id, 'Alice' AS Name UNION ALL SELECT 2, 'Bob'").await.unwrap();
    assert_eq!(rs.columns(), ["id", "Name"]);
    assert_eq!(rs.len(), 2);
    assert!(!rs.is_empty());
    let first = rs.first().unwrap();
    assert_eq!(first.get::<i64>(0).unwrap(), 1);
    assert_eq!(first.get::<String>("name").unwrap(), "Alice", "labels match case-insensitively");
    assert_eq!(first.get::<String>("NAME").unwrap(), "Alice");
    assert!(first.has_column("ID"));
    let names: Vec<String> = rs.iter().map(|r| r.get("Name").unwrap()).collect();
    assert_eq!(names, ["Alice", "Bob"]);
    let mut seen = 0;
    for row in &rs {
        seen += row.get::<i64>("id").unwrap();
    }
    assert_eq!(seen, 3);
    let typed: Vec<(i64, String)> = rs.typed().unwrap();
    assert_eq!(typed[1], (2, "Bob".to_owned()));
    assert_eq!(rs.scalar::<i64>().unwrap(), 1);
    assert_eq!(first.get::<String>("missing").unwrap_err().kind(), ErrorKind::Decode);
    assert_eq!(first.get::<String>(5).unwrap_err().kind(), ErrorKind::Decode);
    assert_eq!(first.get::<i64>("Name").unwrap_err().kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn scalar_and_fetch_one_without_rows_are_row_not_found() {
    let c = support::client().await;
    let empty = c.execute("SELECT 1 FROM DUAL WHERE 1 = 0").await.unwrap();
    assert!(empty.is_empty());
    assert_eq!(empty.scalar::<i64>().unwrap_err().kind(), ErrorKind::RowNotFound);
    assert_eq!(
        c.fetch_scalar::<i64>("SELECT 1 FROM DUAL WHERE 1 = 0").await.unwrap_err().kind(),
        ErrorKind::RowNotFound
    );
    assert_eq!(
        c.fetch_one::<(i64,)>("SELECT 1 FROM DUAL WHERE 1 = 0").await.unwrap_err().kind(),
        ErrorKind::RowNotFound
    );
    assert_eq!(c.fetch_optional::<(i64,)>("SELECT 1 FROM DUAL WHERE 1 = 0").await.unwrap(), None);
    assert_eq!(c.fetch_optional::<(i64,)>("SELECT 7 UNION ALL SELECT 8").await.unwrap(), Some((7,)));
    // NULL needs an Option.
    assert_eq!(c.fetch_scalar::<i64>("SELECT NULL").await.unwrap_err().kind(), ErrorKind::Decode);
    assert_eq!(c.fetch_scalar::<Option<i64>>("SELECT NULL").await.unwrap(), None);
}

#[tokio::test]
async fn lenient_numeric_decoding() {
    let c = support::client().await;
    // SUM gives DECIMAL, COUNT gives BIGINT, LAST_INSERT_ID gives BIGINT UNSIGNED.
    let (sum, count, id): (i64, u64, i64) = c
        .fetch_one("SELECT SUM(x), COUNT(*), LAST_INSERT_ID() FROM (SELECT 2 AS x UNION ALL SELECT 3) t")
        .await
        .unwrap();
    assert_eq!((sum, count, id), (5, 2, 0));
    assert_eq!(c.fetch_scalar::<f64>("SELECT 1.25").await.unwrap(), 1.25);
    let err = c.fetch_scalar::<i64>("SELECT 1.5").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    let err = c.fetch_scalar::<u8>("SELECT 300").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("300"), "{err}");
    let err = c.fetch_scalar::<u64>("SELECT -1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn writes_report_rows_affected_and_last_insert_id() {
    let c = support::client().await;
    let t = support::unique("writes");
    support::fresh_table(&c, &t, "id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20)").await;
    let rs = c
        .execute(query(format!("INSERT INTO {t} (name) VALUES (?), (?), (?)")).bind("a").bind("b").bind("c"))
        .await
        .unwrap();
    assert_eq!(rs.rows_affected(), 3);
    assert_eq!(rs.last_insert_id(), 1);
    let rs = c.execute(query(format!("INSERT INTO {t} (name) VALUES (?)")).bind("d")).await.unwrap();
    assert_eq!(rs.last_insert_id(), 4);
    let rs =
        c.execute(query(format!("UPDATE {t} SET name = ? WHERE id > ?")).bind("z").bind(2)).await.unwrap();
    assert_eq!(rs.rows_affected(), 2);
    let rs = c.execute(format!("DELETE FROM {t}")).await.unwrap();
    assert_eq!(rs.rows_affected(), 4);
}

#[tokio::test]
async fn sea_query_statements_run_with_their_values_bound() {
    let c = support::client().await;
    let t = support::unique("seaq");
    support::fresh_table(&c, &t, "id INT PRIMARY KEY, name VARCHAR(20)").await;
    let insert = Query::insert()
        .into_table(sea_query::Alias::new(&t))
        .columns([sea_query::Alias::new("id"), sea_query::Alias::new("name")])
        .values_panic([1.into(), "O'Brien".into()])
        .values_panic([2.into(), "x".into()])
        .to_owned();
    assert_eq!(c.execute(&insert).await.unwrap().rows_affected(), 2);
    let update = Query::update()
        .table(sea_query::Alias::new(&t))
        .value(sea_query::Alias::new("name"), "y")
        .and_where(Expr::col(sea_query::Alias::new("id")).eq(2))
        .to_owned();
    assert_eq!(c.execute(update).await.unwrap().rows_affected(), 1);
    let select = Query::select()
        .columns([sea_query::Alias::new("id"), sea_query::Alias::new("name")])
        .from(sea_query::Alias::new(&t))
        .and_where(Expr::col(sea_query::Alias::new("name")).eq("O'Brien"))
        .to_owned();
    let rows: Vec<(i32, String)> = c.fetch_all(&select).await.unwrap();
    assert_eq!(rows, vec![(1, "O'Brien".to_owned())]);
    let delete = Query::delete()
        .from_table(sea_query::Alias::new(&t))
        .and_where(Expr::col(sea_query::Alias::new("id")).eq(1))
        .to_owned();
    assert_eq!(c.execute(delete).await.unwrap().rows_affected(), 1);
}

#[tokio::test]
async fn streaming_yields_every_row() {
    let c = support::client().await;
    let stream = c.fetch::<(i64,)>("SELECT seq FROM seq_1_to_1000");
    let rows: Vec<(i64,)> = stream.try_collect().await.unwrap();
    assert_eq!(rows.len(), 1000);
    assert_eq!(rows[999], (1000,));
    let bad: Result<Vec<(i64,)>, _> =
        c.fetch::<(i64,)>("SELECT * FROM no_such_table_xyz").try_collect().await;
    assert_eq!(bad.unwrap_err().kind(), ErrorKind::TableNotFound);
}

/// Which protocol a statement took, read from the session's own counters.
async fn prepares_and_queries(tx: &matrixone::Transaction) -> (i64, i64) {
    let rs = tx
        .execute("SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_select')")
        .await
        .unwrap();
    let get = |name: &str| -> i64 {
        rs.iter()
            .find(|r: &&Row| r.get::<String>(0).unwrap() == name)
            .unwrap()
            .get::<String>(1)
            .unwrap()
            .parse()
            .unwrap()
    };
    (get("Com_stmt_prepare"), get("Com_select"))
}

#[tokio::test]
async fn protocol_follows_binds_and_options() {
    for (prepared, expect_prepare) in [(true, 1), (false, 0)] {
        let c = Client::connect_with(support::options().prepared_statements(prepared)).await.unwrap();
        let tx = c.begin().await.unwrap();
        let before = prepares_and_queries(&tx).await;
        tx.execute("SELECT 1").await.unwrap();
        let after_text = prepares_and_queries(&tx).await;
        assert_eq!(after_text.0, before.0, "a statement without binds is never prepared");
        tx.execute(query("SELECT ? + 1").bind(1)).await.unwrap();
        let after_bound = prepares_and_queries(&tx).await;
        assert_eq!(after_bound.0 - after_text.0, expect_prepare, "prepared_statements({prepared})");
        tx.execute(query("SELECT ? + 2").bind(1).text_only()).await.unwrap();
        let after_text_only = prepares_and_queries(&tx).await;
        assert_eq!(after_text_only.0, after_bound.0, "text_only never prepares");
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn server_errors_keep_their_number_and_kind() {
    let c = support::client().await;
    let err = c.execute("SELECT * FROM no_such_table_abc").await.unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::TableNotFound, Some(1146)));
    let err = c.execute("SELEC 1").await.unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::Syntax, Some(1064)));
    assert!(std::error::Error::source(&err).is_some(), "the sqlx error stays as the source");
    let t = support::unique("dup");
    support::fresh_table(&c, &t, "id INT PRIMARY KEY").await;
    c.execute(format!("INSERT INTO {t} VALUES (1)")).await.unwrap();
    let err = c.execute(format!("INSERT INTO {t} VALUES (1)")).await.unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::DuplicateKey, Some(1062)));
    let err = c.execute("CREATE TABLE no_such_db_abc.t (id INT)").await.unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::DatabaseNotFound, Some(1049)));
    let err = c.execute(format!("CREATE TABLE {t} (id INT)")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TableExists);
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn one_function_serves_client_and_transaction() {
    async fn count(db: &impl Executor, t: &str) -> i64 {
        db.fetch_scalar(format!("SELECT COUNT(*) FROM {t}")).await.unwrap()
    }
    let c = support::client().await;
    let t = support::unique("generic");
    support::fresh_table(&c, &t, "id INT").await;
    let tx = c.begin().await.unwrap();
    tx.execute(format!("INSERT INTO {t} VALUES (1)")).await.unwrap();
    assert_eq!(count(&tx, &t).await, 1);
    assert_eq!(count(&c, &t).await, 0, "uncommitted rows are invisible outside");
    tx.commit().await.unwrap();
    assert_eq!(count(&c, &t).await, 1);
}

#[tokio::test]
async fn closed_client_fails_with_a_connection_error() {
    let c = support::client().await;
    let clone = c.clone();
    c.close().await;
    assert!(clone.is_closed());
    let err = clone.execute("SELECT 1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
}

#[tokio::test]
async fn fetch_optional_stops_early_and_the_connection_stays_in_step() {
    // One connection, so the next statements run right behind the unread rows.
    let c = Client::connect_with(support::options().max_connections(1)).await.unwrap();
    let first: Option<(i64,)> = c.fetch_optional("SELECT seq FROM seq_1_to_100000").await.unwrap();
    assert_eq!(first, Some((1,)));
    assert_eq!(c.fetch_scalar::<i64>("SELECT 42").await.unwrap(), 42);
    let tx = c.begin().await.unwrap();
    let first: (i64,) = tx.fetch_one("SELECT seq FROM seq_1_to_1000").await.unwrap();
    assert_eq!(first, (1,));
    assert_eq!(tx.fetch_scalar::<String>("SELECT 'in step'").await.unwrap(), "in step");
    tx.rollback().await.unwrap();
}

/// Review finding 5: the rows of a second result set were labelled with the first set's columns.
#[tokio::test]
async fn several_result_sets_keep_their_own_labels() {
    #[derive(matrixone::FromRow, Debug, PartialEq)]
    struct AB {
        a: i64,
        b: i64,
    }
    for c in [
        support::client().await,
        Client::connect_with(support::options().prepared_statements(false)).await.unwrap(),
    ] {
        let sql = "SELECT 1 AS a, 2 AS b; SELECT 20 AS b, 10 AS a";
        let err = c.fetch_all::<AB>(sql).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("more_results"), "{err}");

        let rs = c.execute(sql).await.unwrap();
        assert_eq!(rs.typed::<AB>().unwrap(), [AB { a: 1, b: 2 }]);
        assert_eq!(rs.more_results().len(), 1);
        assert_eq!(rs.more_results()[0].columns(), ["b", "a"]);
        assert_eq!(rs.more_results()[0].typed::<AB>().unwrap(), [AB { a: 10, b: 20 }]);

        // A statement without rows in front does not count as a result set with rows.
        let t = support::unique("multi");
        support::fresh_table(&c, &t, "id INT").await;
        let rows: Vec<(i64,)> =
            c.fetch_all(format!("INSERT INTO {t} VALUES (7); SELECT id FROM {t}")).await.unwrap();
        assert_eq!(rows, [(7,)]);

        let streamed: matrixone::Result<Vec<AB>> = c.fetch::<AB>(sql).try_collect().await;
        assert_eq!(streamed.unwrap_err().kind(), ErrorKind::Decode);
        // The connection is clean afterwards.
        assert_eq!(c.fetch_scalar::<i64>("SELECT 5").await.unwrap(), 5);
    }
}
