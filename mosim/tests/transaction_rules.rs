//! MatrixOne's transaction rules: which statements an active transaction refuses, with which
//! text (pkg/frontend/stmt_kind.go `statementCanBeExecutedInUncommittedTransaction`, and the
//! error helpers at the top of pkg/frontend/mysql_cmd_executor.go), when a transaction is
//! active (pkg/frontend/txn.go: after BEGIN, and with autocommit=0 from the first statement
//! on), and the DDL MatrixOne allows inside one and makes part of it
//! (test/distributed/cases/pessimistic_transaction/atomicity.result), which mosim undoes on
//! ROLLBACK although MariaDB commits before every DDL.

mod common;

use common::*;
use sqlx::{Connection, Executor, Row};

const UNCLASSIFIED: &str = "internal error: unclassified statement appears in uncommitted transaction";
const ADMINISTRATIVE: &str = "internal error: administrative command is unsupported in transactions";
const ONLY_CREATE: &str = "internal error: Only CREATE of DDL is supported in transactions";
const BRANCH: &str = "internal error: DATA BRANCH MERGE/PICK is not supported in transactions";

async fn table_count(c: &mut sqlx::MySqlConnection, db: &str, table: &str) -> i64 {
    count(
        c,
        &format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = '{table}'"
        ),
    )
    .await
}

async fn create_table_text(c: &mut sqlx::MySqlConnection, table: &str) -> String {
    rows(c, &format!("SHOW CREATE TABLE {table}")).await[0].get::<String, _>(1)
}

/// stmt_kind.go lists what may run; everything else is refused with one of four texts
/// (snapshotRead.result: CREATE SNAPSHOT and SHOW SNAPSHOTS after START TRANSACTION;
/// transaction_enhance.result: CREATE SEQUENCE and DROP ACCOUNT after BEGIN). The transaction
/// stays open and usable.
#[tokio::test]
async fn an_active_transaction_refuses_with_matrixones_texts() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "rules").await;
    let sp = unique("sp_rules");
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, &format!("CREATE SNAPSHOT {sp} FOR DATABASE {db}")).await;
    exec(&mut c, "START TRANSACTION").await;
    exec(&mut c, "INSERT INTO a VALUES (1)").await;
    let refused: &[(&str, &str)] = &[
        // Snapshots, PITR and RESTORE, the SHOWs included.
        ("CREATE SNAPSHOT s_in_tx FOR ACCOUNT", UNCLASSIFIED),
        (&format!("DROP SNAPSHOT {sp}"), UNCLASSIFIED),
        ("SHOW SNAPSHOTS", UNCLASSIFIED),
        ("SHOW SNAPSHOTS WHERE SNAPSHOT_NAME = 'x'", UNCLASSIFIED),
        ("SHOW PITR", UNCLASSIFIED),
        ("CREATE PITR p_in_tx FOR ACCOUNT RANGE 1 'd'", UNCLASSIFIED),
        ("ALTER PITR p_in_tx RANGE 2 'd'", UNCLASSIFIED),
        ("DROP PITR p_in_tx", UNCLASSIFIED),
        (&format!("RESTORE DATABASE {db} {{SNAPSHOT = '{sp}'}}"), UNCLASSIFIED),
        ("RESTORE CLUSTER FROM PITR p '2026-01-02 03:04:05'", UNCLASSIFIED),
        // Statements stmt_kind.go does not list at all.
        ("SHOW ROLES", UNCLASSIFIED),
        ("CREATE FUNCTION f() RETURNS INT RETURN 1", UNCLASSIFIED),
        // Accounts, users and roles (IsAdministrativeStatement).
        ("CREATE ACCOUNT acc1 ADMIN_NAME 'admin' IDENTIFIED BY '111'", ADMINISTRATIVE),
        ("DROP ACCOUNT acc1", ADMINISTRATIVE),
        ("ALTER ACCOUNT acc1 SUSPEND", ADMINISTRATIVE),
        ("CREATE USER u_in_tx IDENTIFIED BY 'p'", ADMINISTRATIVE),
        ("DROP USER u_in_tx", ADMINISTRATIVE),
        ("ALTER USER u_in_tx IDENTIFIED BY 'q'", ADMINISTRATIVE),
        ("CREATE ROLE r_in_tx", ADMINISTRATIVE),
        ("DROP ROLE r_in_tx", ADMINISTRATIVE),
        ("GRANT SELECT ON *.* TO u_in_tx", ADMINISTRATIVE),
        ("REVOKE SELECT ON *.* FROM u_in_tx", ADMINISTRATIVE),
        ("SET ROLE r_in_tx", ADMINISTRATIVE),
        ("SET DEFAULT ROLE r_in_tx TO u_in_tx", ADMINISTRATIVE),
        ("SET PASSWORD = 'x'", ADMINISTRATIVE),
        ("USE ROLE moadmin", ADMINISTRATIVE),
        ("USE SECONDARY ROLE ALL", ADMINISTRATIVE),
        // DDL MatrixOne does not allow after BEGIN.
        ("CREATE SEQUENCE seq_in_tx", ONLY_CREATE),
        ("DROP SEQUENCE seq_in_tx", ONLY_CREATE),
        ("RENAME TABLE a TO a2", ONLY_CREATE),
        // DATA BRANCH PICK manages its own transaction.
        ("DATA BRANCH PICK a INTO b KEYS(1)", BRANCH),
    ];
    for (sql, text) in refused {
        assert_eq!(err(&mut c, sql).await, (20101, (*text).to_owned()), "{sql}");
    }
    // Refused in a prepared statement too, over the protocol or with PREPARE / EXECUTE;
    // MatrixOne words both as unclassified, whatever they prepare.
    match sqlx::query("CREATE SEQUENCE seq_prepared").execute(&mut c).await {
        Err(e) => assert_eq!(db_error(e), (20101, UNCLASSIFIED.to_owned())),
        Ok(_) => panic!("COM_STMT_PREPARE of a refused statement ran"),
    }
    assert_eq!(err(&mut c, "PREPARE ps FROM 'SHOW PITR'").await, (20101, UNCLASSIFIED.to_owned()));
    // Nothing refused ran, and the transaction goes on with its row.
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM a").await, 1);
    assert_eq!(
        count(&mut c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'a2'").await,
        0
    );
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM a").await, 0);
    // Outside a transaction the same statements run again (the SHOWs answer).
    rows(&mut c, "SHOW SNAPSHOTS").await;
    rows(&mut c, "SHOW PITR").await;
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

/// What stmt_kind.go lets run inside a transaction: DML and SELECT (mo_ctl too), the SHOWs
/// it lists (SHOW TABLES, VARIABLES, PUBLICATIONS, CREATE TABLE, ...), USE of a database,
/// SET, EXPLAIN, PREPARE of allowed statements, savepoints, TRUNCATE, DATA BRANCH MERGE after
/// BEGIN.
#[tokio::test]
async fn an_active_transaction_allows_what_stmt_kind_lists() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "allowed").await;
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "BEGIN").await;
    for sql in [
        "INSERT INTO a VALUES (1)",
        "UPDATE a SET x = 2",
        "SELECT * FROM a",
        "SELECT mo_ctl('dn', 'flush', '')",
        "SHOW TABLES",
        "SHOW FULL COLUMNS FROM a",
        "SHOW CREATE TABLE a",
        "SHOW VARIABLES LIKE 'autocommit'",
        "SHOW DATABASES",
        "SHOW INDEX FROM a",
        "SHOW WARNINGS",
        "SHOW PROCESSLIST",
        "EXPLAIN SELECT * FROM a",
        "DESCRIBE a",
        "SET @v = 1",
        "SET probe_limit = 6",
        "SAVEPOINT sp1",
        "RELEASE SAVEPOINT sp1",
        "PREPARE ps FROM 'SELECT 1'",
        "EXECUTE ps",
        "DEALLOCATE PREPARE ps",
        &format!("USE {db}"),
    ] {
        c.execute(sqlx::AssertSqlSafe(sql)).await.unwrap_or_else(|e| panic!("{sql} was refused: {e}"));
    }
    // MERGE passes the rule after BEGIN (a merge of a table into itself changes nothing).
    exec(&mut c, "DATA BRANCH MERGE a INTO a").await;
    exec(&mut c, "COMMIT").await;
    assert_eq!(ints(&mut c, "SELECT x FROM a").await, vec![2]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// With autocommit=0 (`OPTION_NOT_AUTOCOMMIT`, txn.go) no transaction is open until a
/// statement runs: the first statement after `SET autocommit = 0` or after a COMMIT is never
/// refused; from the second on the rule applies. CREATE / DROP SEQUENCE are refused only after
/// BEGIN (`OPTION_BEGIN`); with autocommit=0 they run and commit (stmt_kind.go's Case 3, and
/// `NeedToBeCommittedInActiveTransaction`). DATA BRANCH MERGE needs BEGIN.
#[tokio::test]
async fn autocommit_off_opens_the_transaction_at_its_first_statement() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "autocommit0").await;
    let sp = unique("sp_ac0");
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "SET autocommit = 0").await;
    // The first statement: no transaction is active yet.
    exec(&mut c, &format!("CREATE SNAPSHOT {sp} FOR DATABASE {db}")).await;
    // Now one is.
    assert_eq!(err(&mut c, "SHOW SNAPSHOTS").await, (20101, UNCLASSIFIED.to_owned()));
    assert_eq!(err(&mut c, "DATA BRANCH MERGE a INTO a").await, (20101, BRANCH.to_owned()));
    assert_eq!(err(&mut c, "CREATE USER u_ac0 IDENTIFIED BY 'p'").await, (20101, ADMINISTRATIVE.to_owned()));
    exec(&mut c, "INSERT INTO a VALUES (1)").await;
    // A sequence runs without BEGIN, and commits the transaction.
    let seq = unique("seq");
    exec(&mut c, &format!("CREATE SEQUENCE {seq}")).await;
    // So the next statement is a first one again.
    rows(&mut c, "SHOW SNAPSHOTS").await;
    assert_eq!(err(&mut c, "SHOW PITR").await, (20101, UNCLASSIFIED.to_owned()));
    exec(&mut c, "ROLLBACK").await;
    exec(&mut c, &format!("DROP SEQUENCE {seq}")).await;
    exec(&mut c, "COMMIT").await;
    // The row survived the ROLLBACK: the sequence had committed it.
    assert_eq!(ints(&mut c, "SELECT x FROM a").await, vec![1]);
    exec(&mut c, "COMMIT").await;
    // SET alone opens nothing: the statement after it is still a first one.
    exec(&mut c, "SET @x = 1").await;
    exec(&mut c, &format!("DROP SNAPSHOT {sp}")).await;
    exec(&mut c, "SET autocommit = 1").await;
    // Back on autocommit, nothing is refused.
    rows(&mut c, "SHOW SNAPSHOTS").await;
    exec(&mut c, "BEGIN").await;
    assert_eq!(err(&mut c, &format!("CREATE SEQUENCE {seq}")).await, (20101, ONLY_CREATE.to_owned()));
    exec(&mut c, "ROLLBACK").await;
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

/// atomicity.result: a table created and filled after BEGIN is gone after ROLLBACK, and kept
/// with its rows after COMMIT; a row inserted before the CREATE TABLE is rolled back too (the
/// CREATE does not commit it, as MariaDB's would); the new table is readable inside the
/// transaction even after the transaction's first read (no InnoDB 1412).
#[tokio::test]
async fn create_table_is_part_of_the_transaction() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "ddltx").await;
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "INSERT INTO a VALUES (1)").await;

    exec(&mut c, "BEGIN").await;
    assert_eq!(ints(&mut c, "SELECT x FROM a").await, vec![1]);
    exec(&mut c, "INSERT INTO a VALUES (2)").await;
    exec(&mut c, "CREATE TABLE test_11 (c INT PRIMARY KEY, d INT)").await;
    exec(&mut c, "INSERT INTO test_11 VALUES (1,1), (2,2), (3,1), (4,2)").await;
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM test_11").await, 4);
    exec(&mut c, "INSERT INTO a VALUES (3)").await;
    assert_eq!(ints(&mut c, "SELECT x FROM a ORDER BY x").await, vec![1, 2, 3]);
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(
        ints(&mut c, "SELECT x FROM a").await,
        vec![1],
        "rows before and after the CREATE are rolled back"
    );
    assert_eq!(err(&mut c, "SELECT * FROM test_11").await.0, 1146);

    exec(&mut c, "BEGIN").await;
    exec(&mut c, "CREATE TABLE test_11 (c INT PRIMARY KEY, d INT)").await;
    exec(&mut c, "INSERT INTO test_11 VALUES (1,1), (2,2), (3,1), (4,2)").await;
    exec(&mut c, "DELETE FROM test_11 WHERE c < 3").await;
    exec(&mut c, "UPDATE test_11 SET d = c + 1 WHERE c >= 3").await;
    exec(&mut c, "COMMIT").await;
    let kept: Vec<(i32, i32)> = rows(&mut c, "SELECT c, d FROM test_11 ORDER BY c")
        .await
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(kept, vec![(3, 4), (4, 5)]);

    // The statement after the CREATE is inside the transaction again (MariaDB's is reopened),
    // and a COM_QUERY answer says so.
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "CREATE TABLE b (y INT)").await;
    assert_eq!(count(&mut c, "SELECT CAST(@@in_transaction AS SIGNED)").await, 1);
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(table_count(&mut c, &db, "b").await, 0);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// DROP TABLE / DATABASE / VIEW, CREATE DATABASE / VIEW and CREATE TEMPORARY TABLE after
/// BEGIN: ROLLBACK brings back what was dropped (rows included) and removes what was created
/// (atomicity.result: test_14's view and table, test_15's temporary table).
#[tokio::test]
async fn drops_and_creates_roll_back() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "droptx").await;
    let other = unique("droptx_other");
    exec(&mut c, "CREATE TABLE a (x INT PRIMARY KEY)").await;
    exec(&mut c, "INSERT INTO a VALUES (1), (2)").await;
    exec(&mut c, "CREATE VIEW va AS SELECT x FROM a WHERE x > 1").await;
    exec(&mut c, &format!("CREATE DATABASE {other}")).await;
    exec(&mut c, &format!("CREATE TABLE {other}.t (y INT)")).await;
    exec(&mut c, &format!("INSERT INTO {other}.t VALUES (7)")).await;
    exec(&mut c, &format!("CREATE VIEW {other}.vt AS SELECT y FROM {other}.t")).await;

    exec(&mut c, "BEGIN").await;
    exec(&mut c, "DELETE FROM a WHERE x = 1").await;
    exec(&mut c, "DROP TABLE a").await;
    assert_eq!(err(&mut c, "SELECT * FROM a").await.0, 1146, "dropped inside the transaction");
    exec(&mut c, "DROP VIEW va").await;
    exec(&mut c, &format!("DROP DATABASE {other}")).await;
    let created = unique("droptx_new");
    exec(&mut c, &format!("CREATE DATABASE {created}")).await;
    exec(&mut c, &format!("CREATE TABLE {created}.n (z INT)")).await;
    exec(&mut c, "CREATE VIEW vnew AS SELECT 1 AS one").await;
    exec(&mut c, "CREATE TEMPORARY TABLE test_15 (col1 INT, col2 FLOAT)").await;
    exec(&mut c, "INSERT INTO test_15 VALUES (1, 20.98), (2, 30.34)").await;
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM test_15").await, 2);
    exec(&mut c, "ROLLBACK").await;

    assert_eq!(
        ints(&mut c, "SELECT x FROM a ORDER BY x").await,
        vec![1, 2],
        "the table and its deleted row are back"
    );
    assert_eq!(ints(&mut c, "SELECT x FROM va").await, vec![2]);
    assert_eq!(ints(&mut c, &format!("SELECT y FROM {other}.t")).await, vec![7]);
    assert_eq!(ints(&mut c, &format!("SELECT y FROM {other}.vt")).await, vec![7]);
    assert_eq!(
        count(
            &mut c,
            &format!("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{created}'")
        )
        .await,
        0
    );
    assert_eq!(table_count(&mut c, &db, "vnew").await, 0);
    assert_eq!(err(&mut c, "SELECT * FROM test_15").await.0, 1146);

    // COMMIT keeps the drops (transaction_enhance.result: atomic_table_16).
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO a VALUES (3)").await;
    exec(&mut c, "DROP TABLE a").await;
    exec(&mut c, &format!("DROP DATABASE {other}")).await;
    exec(&mut c, "COMMIT").await;
    assert_eq!(table_count(&mut c, &db, "a").await, 0);
    assert_eq!(
        count(
            &mut c,
            &format!("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{other}'")
        )
        .await,
        0
    );
    cleanup(&mut c, &[&db, &other], &[], &[]).await;
}

/// A table dropped in a committed transaction is still readable at a snapshot taken before,
/// as after a DROP outside a transaction (mosim's graveyard).
#[tokio::test]
async fn a_drop_committed_in_a_transaction_keeps_the_past_for_snapshots() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "dropsnap").await;
    let sp = unique("sp_dropsnap");
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "INSERT INTO a VALUES (1)").await;
    exec(&mut c, &format!("CREATE SNAPSHOT {sp} FOR DATABASE {db}")).await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO a VALUES (2)").await;
    exec(&mut c, "DROP TABLE a").await;
    exec(&mut c, "COMMIT").await;
    assert_eq!(err(&mut c, "SELECT * FROM a").await.0, 1146);
    assert_eq!(ints(&mut c, &format!("SELECT x FROM a {{SNAPSHOT = '{sp}'}}")).await, vec![1]);
    assert_eq!(buried_count(&mut c, &db).await, 1);
    cleanup(&mut c, &[&db], &[&sp], &[]).await;
}

/// ALTER TABLE and CREATE / DROP INDEX after BEGIN are undone by ROLLBACK, definition and rows
/// (atomicity.result: alter01's CHANGE / MODIFY, rename01's RENAME COLUMN after two INSERTs,
/// pri01's ADD PRIMARY KEY), and kept by COMMIT (test_12's CREATE INDEX).
#[tokio::test]
async fn alter_and_indexes_roll_back() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "altertx").await;
    exec(&mut c, "CREATE TABLE alter01 (col1 INT, col2 DECIMAL)").await;
    exec(&mut c, "INSERT INTO alter01 VALUES (1, 3412.324), (-10, 323943.2343)").await;
    let before = create_table_text(&mut c, "alter01").await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "ALTER TABLE alter01 CHANGE col1 col1New FLOAT").await;
    assert!(create_table_text(&mut c, "alter01").await.contains("col1New"));
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(create_table_text(&mut c, "alter01").await, before);
    assert_eq!(ints(&mut c, "SELECT col1 FROM alter01 ORDER BY col1").await, vec![-10, 1]);

    exec(&mut c, "CREATE TABLE rename01 (c INT PRIMARY KEY, d INT)").await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO rename01 VALUES (1, 1)").await;
    exec(&mut c, "INSERT INTO rename01 VALUES (2, 2)").await;
    exec(&mut c, "ALTER TABLE rename01 RENAME COLUMN c TO `euwhbnfew`").await;
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(count(&mut c, "SELECT COUNT(c) FROM rename01").await, 0);

    exec(&mut c, "CREATE TABLE pri01 (col1 INT, col2 INT)").await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO pri01 VALUES (1, 1), (2, 2)").await;
    exec(&mut c, "ALTER TABLE pri01 ADD CONSTRAINT PRIMARY KEY (col1)").await;
    assert!(create_table_text(&mut c, "pri01").await.contains("PRIMARY KEY"));
    exec(&mut c, "ROLLBACK").await;
    assert!(!create_table_text(&mut c, "pri01").await.contains("PRIMARY KEY"));
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM pri01").await, 0);

    // CREATE / DROP INDEX: undone by ROLLBACK, kept by COMMIT.
    exec(&mut c, "CREATE TABLE test_12 (col1 INT PRIMARY KEY AUTO_INCREMENT, col2 VARCHAR(25))").await;
    exec(&mut c, "CREATE INDEX old_i ON test_12 (col2)").await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO test_12 (col2) VALUES ('c'), ('d'), ('e')").await;
    exec(&mut c, "CREATE INDEX id_01 ON test_12 (col2)").await;
    exec(&mut c, "DROP INDEX old_i ON test_12").await;
    exec(&mut c, "ROLLBACK").await;
    let text = create_table_text(&mut c, "test_12").await;
    assert!(text.contains("old_i") && !text.contains("id_01"), "{text}");
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO test_12 (col2) VALUES ('c'), ('d'), ('e')").await;
    exec(&mut c, "CREATE INDEX id_01 ON test_12 (col2)").await;
    exec(&mut c, "COMMIT").await;
    assert!(create_table_text(&mut c, "test_12").await.contains("id_01"));
    assert_eq!(
        ints(&mut c, "SELECT col1 FROM test_12 ORDER BY col1").await,
        vec![4, 5, 6],
        "the AUTO_INCREMENT kept counting"
    );
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// CREATE TABLE ... CLONE after BEGIN reads the rows the transaction inserted before it
/// (pkg/frontend/clone.go keeps "the shared transaction view so it can read its own
/// uncommitted source data") and is taken back by ROLLBACK with them; CREATE DATABASE ...
/// CLONE likewise.
#[tokio::test]
async fn clones_read_the_transactions_rows_and_roll_back() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "clonetx2").await;
    let copy_db = unique("clonetx2_copy");
    exec(&mut c, "CREATE TABLE src (a INT)").await;
    exec(&mut c, "INSERT INTO src VALUES (1)").await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO src VALUES (2)").await;
    exec(&mut c, "CREATE TABLE dst CLONE src").await;
    exec(&mut c, &format!("CREATE DATABASE {copy_db} CLONE {db}")).await;
    assert_eq!(ints(&mut c, "SELECT a FROM dst ORDER BY a").await, vec![1, 2]);
    assert_eq!(ints(&mut c, &format!("SELECT a FROM {copy_db}.src ORDER BY a")).await, vec![1, 2]);
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(ints(&mut c, "SELECT a FROM src").await, vec![1]);
    assert_eq!(table_count(&mut c, &db, "dst").await, 0);
    assert_eq!(
        count(
            &mut c,
            &format!("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{copy_db}'")
        )
        .await,
        0
    );

    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO src VALUES (3)").await;
    exec(&mut c, "CREATE TABLE dst CLONE src").await;
    exec(&mut c, "COMMIT").await;
    assert_eq!(ints(&mut c, "SELECT a FROM dst ORDER BY a").await, vec![1, 3]);
    cleanup(&mut c, &[&db, &copy_db], &[], &[]).await;
}

/// With autocommit=0 DDL is part of the transaction as well: nothing commits it until COMMIT
/// (ROLLBACK takes it back), and neither does a prepared CREATE TABLE inside BEGIN.
#[tokio::test]
async fn ddl_with_autocommit_off_and_prepared_ddl_roll_back() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "ac0ddl").await;
    exec(&mut c, "SET autocommit = 0").await;
    exec(&mut c, "CREATE TABLE t (x INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1)").await;
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(table_count(&mut c, &db, "t").await, 0);
    exec(&mut c, "CREATE TABLE t (x INT)").await;
    exec(&mut c, "INSERT INTO t VALUES (1)").await;
    exec(&mut c, "COMMIT").await;
    exec(&mut c, "SET autocommit = 1").await;
    assert_eq!(ints(&mut c, "SELECT x FROM t").await, vec![1]);

    let mut tx = c.begin().await.unwrap();
    sqlx::query("INSERT INTO t VALUES (2)").execute(&mut *tx).await.unwrap();
    sqlx::query("CREATE TABLE p (y INT)").execute(&mut *tx).await.unwrap();
    sqlx::query("INSERT INTO p VALUES (?)").bind(5).execute(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(ints(&mut c, "SELECT x FROM t").await, vec![1]);
    assert_eq!(table_count(&mut c, &db, "p").await, 0);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// A client that leaves with a transaction open is rolled back, its DDL included.
#[tokio::test]
async fn a_client_that_leaves_rolls_back_its_ddl() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "leavetx").await;
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    let mut gone = connect(&s, &db).await;
    exec(&mut gone, "BEGIN").await;
    exec(&mut gone, "INSERT INTO a VALUES (1)").await;
    exec(&mut gone, "CREATE TABLE b (y INT)").await;
    exec(&mut gone, "INSERT INTO b VALUES (1)").await;
    gone.close().await.unwrap();
    let (m, d) = (tokio::sync::Mutex::new(c), db.clone());
    let undone = eventually(std::time::Duration::from_secs(10), || async {
        let mut c = m.lock().await;
        table_count(&mut c, &d, "b").await == 0 && count(&mut c, "SELECT COUNT(*) FROM a").await == 0
    })
    .await;
    assert!(undone, "the leaving client's table and row were not rolled back");
    let mut c = m.into_inner();
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// Statements that commit the open transaction in MatrixOne commit it in mosim too, and the
/// next statement is then a first one: BEGIN over an open transaction (`TxnHandler.Create`
/// commits it), LOCK TABLES and administrative statements (`NeedToBeCommittedInActiveTransaction`),
/// `SET autocommit = 1` (`TxnHandler.SetAutocommit`).
#[tokio::test]
async fn committing_statements_end_the_transaction() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "commits").await;
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "SET autocommit = 0").await;
    exec(&mut c, "INSERT INTO a VALUES (1)").await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(ints(&mut c, "SELECT x FROM a").await, vec![1], "BEGIN committed the open transaction");

    exec(&mut c, "INSERT INTO a VALUES (2)").await;
    exec(&mut c, "LOCK TABLES a WRITE").await;
    exec(&mut c, "UNLOCK TABLES").await;
    // The UNLOCK opened a new transaction; a first statement after LOCK would be allowed, this
    // second one is not.
    assert_eq!(err(&mut c, "SHOW PITR").await, (20101, UNCLASSIFIED.to_owned()));
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(ints(&mut c, "SELECT x FROM a ORDER BY x").await, vec![1, 2], "LOCK TABLES committed");

    // The first statement of a transaction may be administrative; it commits what it opened.
    exec(&mut c, "COMMIT").await;
    let user = unique("u_commits");
    exec(&mut c, &format!("CREATE USER {user} IDENTIFIED BY 'p'")).await;
    rows(&mut c, "SHOW SNAPSHOTS").await;
    exec(&mut c, "COMMIT").await;
    exec(&mut c, &format!("DROP USER {user}")).await;

    exec(&mut c, "INSERT INTO a VALUES (3)").await;
    exec(&mut c, "SET autocommit = 1").await;
    assert_eq!(
        ints(&mut c, "SELECT x FROM a ORDER BY x").await,
        vec![1, 2, 3],
        "autocommit back on committed"
    );
    rows(&mut c, "SHOW SNAPSHOTS").await;
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// COM_RESET_CONNECTION ends the session's transaction as a rollback: its DDL is undone too.
#[tokio::test]
async fn a_connection_reset_rolls_back_the_transactions_ddl() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "resettx").await;
    let mut raw = Raw::login(s.addr(), Some(&db), caps::SQLX).await;
    assert_eq!(raw.query("BEGIN").await, Reply::Ok);
    assert_eq!(raw.query("CREATE TABLE made_in_tx (a INT)").await, Reply::Ok);
    raw.command(&[0x1F]).await;
    let ok = raw.read().await.expect("an answer to the reset");
    assert_eq!(ok[0], 0, "reset answered {ok:?}");
    assert_eq!(table_count(&mut c, &db, "made_in_tx").await, 0);
    // The session starts over: no transaction, so nothing is refused.
    assert!(matches!(raw.query("SHOW SNAPSHOTS").await, Reply::Rows(_)));
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// DROP TEMPORARY TABLE after BEGIN commits nothing (MariaDB does not commit before it): the
/// rows written before it still roll back, and the transaction is not split.
#[tokio::test]
async fn drop_temporary_table_keeps_the_transaction_whole() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "droptemp").await;
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "CREATE TEMPORARY TABLE tmp (y INT)").await;
    exec(&mut c, "CREATE TEMPORARY TABLE plain_tmp (y INT) ENGINE = MyISAM").await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "INSERT INTO a VALUES (1)").await;
    exec(&mut c, "INSERT INTO plain_tmp VALUES (1)").await;
    exec(&mut c, "DROP TEMPORARY TABLE tmp").await;
    exec(&mut c, "ROLLBACK").await;
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM a").await, 0);
    // A MyISAM table cannot roll back: its row shows that no undo ran over it either.
    assert_eq!(count(&mut c, "SELECT COUNT(*) FROM plain_tmp").await, 1);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// Savepoints as test/distributed/cases/pessimistic_transaction/savepoint.result shows them:
/// SAVEPOINT and RELEASE SAVEPOINT answer OK and do nothing (RELEASE of a savepoint never made
/// too), ROLLBACK TO SAVEPOINT fails with MatrixOne's text and the transaction stays open with
/// every row it wrote.
#[tokio::test]
async fn savepoints_answer_as_matrixone_does() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "savepoint").await;
    exec(&mut c, "CREATE TABLE a (x INT)").await;
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "SAVEPOINT a").await;
    exec(&mut c, "RELEASE SAVEPOINT a").await;
    exec(&mut c, "INSERT INTO a VALUES (1)").await;
    exec(&mut c, "SAVEPOINT b").await;
    exec(&mut c, "INSERT INTO a VALUES (2)").await;
    for sql in
        ["ROLLBACK TO SAVEPOINT b", "ROLLBACK TO b", "ROLLBACK WORK TO SAVEPOINT b", "rollback work to b"]
    {
        assert_eq!(
            err(&mut c, sql).await,
            (
                20101,
                "internal error: savepoint has not been implemented yet. please rollback the transaction."
                    .to_owned()
            ),
            "{sql}"
        );
    }
    exec(&mut c, "RELEASE SAVEPOINT b").await;
    exec(&mut c, "RELEASE SAVEPOINT never_made").await;
    let open: u64 = sqlx::query_scalar("SELECT @@in_transaction").fetch_one(&mut c).await.unwrap();
    assert_eq!(open, 1, "the transaction is still open");
    exec(&mut c, "COMMIT").await;
    assert_eq!(ints(&mut c, "SELECT x FROM a ORDER BY x").await, vec![1, 2]);
    // Outside a transaction, the same answers.
    exec(&mut c, "SAVEPOINT c").await;
    assert_eq!(err(&mut c, "ROLLBACK TO SAVEPOINT c").await.0, 20101);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// A lock wait timeout as test/distributed/cases/pessimistic_transaction/
/// lock_wait_timeout_remote.result shows it: MatrixOne's `lock_wait_timeout` (default 120)
/// bounds row-lock waits, and the waiter's whole transaction is rolled back, its earlier
/// UPDATE included (MariaDB alone would wait 50 s and roll back only the statement).
#[tokio::test]
async fn a_lock_wait_timeout_rolls_back_the_whole_transaction() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "lockwait").await;
    assert_eq!(lock_waits(&mut c).await, ("120".to_owned(), "120".to_owned()));
    exec(&mut c, "CREATE TABLE timeout_rollback (a INT PRIMARY KEY, b VARCHAR(64))").await;
    exec(&mut c, "INSERT INTO timeout_rollback VALUES (1, 'original-1'), (2, 'original-2')").await;
    let mut holder = connect(&s, &db).await;
    exec(&mut c, "SET SESSION lock_wait_timeout = 1").await;
    assert_eq!(lock_waits(&mut c).await, ("1".to_owned(), "1".to_owned()));
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "UPDATE timeout_rollback SET b = 'must-be-rolled-back' WHERE a = 1").await;
    exec(&mut holder, "BEGIN").await;
    exec(&mut holder, "UPDATE timeout_rollback SET b = 'holder' WHERE a = 2").await;
    let waited = std::time::Instant::now();
    assert_eq!(
        err(&mut c, "UPDATE timeout_rollback SET b = 'waiter' WHERE a = 2").await,
        (1205, "Lock wait timeout exceeded; try restarting transaction".to_owned())
    );
    assert!(waited.elapsed() < std::time::Duration::from_secs(20), "waited {:?}", waited.elapsed());
    let open: u64 = sqlx::query_scalar("SELECT @@in_transaction").fetch_one(&mut c).await.unwrap();
    assert_eq!(open, 0, "the waiter's transaction is over");
    // The result file's next steps: BEGIN would commit an open transaction; nothing is left.
    exec(&mut c, "BEGIN").await;
    exec(&mut c, "COMMIT").await;
    exec(&mut holder, "ROLLBACK").await;
    let r = rows(&mut c, "SELECT a, b FROM timeout_rollback ORDER BY a").await;
    let got: Vec<(i32, String)> = r.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(got, [(1, "original-1".to_owned()), (2, "original-2".to_owned())]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// A deadlock answers MatrixOne's 20701 `deadlock detected` (moerr.ErrDeadLockDetected, sent
/// under its own number by pkg/frontend/protocol.go), and the loser's transaction is over.
#[tokio::test]
async fn a_deadlock_is_matrixones_error_and_ends_the_transaction() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "deadlock").await;
    exec(&mut c, "CREATE TABLE d (a INT PRIMARY KEY, b INT)").await;
    exec(&mut c, "INSERT INTO d VALUES (1, 0), (2, 0)").await;
    let (mut first, mut second) = (connect(&s, &db).await, connect(&s, &db).await);
    for (conn, row) in [(&mut first, 1), (&mut second, 2)] {
        exec(conn, "BEGIN").await;
        exec(conn, &format!("UPDATE d SET b = 1 WHERE a = {row}")).await;
    }
    // The first waits for row 2; the second then asks for row 1, closing the cycle.
    let waiting = tokio::spawn(async move {
        let r = sqlx::raw_sql("UPDATE d SET b = 1 WHERE a = 2").execute(&mut first).await.map(|_| ());
        (r.map_err(db_error), first)
    });
    assert!(wait_running("UPDATE d SET b = 1 WHERE a = 2", 1, std::time::Duration::from_secs(20)).await);
    let closing = sqlx::raw_sql("UPDATE d SET b = 1 WHERE a = 1")
        .execute(&mut second)
        .await
        .map(|_| ())
        .map_err(db_error);
    let (waited, mut first) = waiting.await.unwrap();
    let deadlock = (20701, "deadlock detected".to_owned());
    let (loser, winner) = match (&waited, &closing) {
        (Ok(()), Err(e)) if *e == deadlock => (&mut second, &mut first),
        (Err(e), Ok(())) if *e == deadlock => (&mut first, &mut second),
        other => panic!("one side loses with 20701: {other:?}"),
    };
    let open: u64 = sqlx::query_scalar("SELECT @@in_transaction").fetch_one(&mut *loser).await.unwrap();
    assert_eq!(open, 0, "the loser's transaction is over");
    exec(winner, "COMMIT").await;
    assert_eq!(ints(&mut c, "SELECT b FROM d ORDER BY a").await, vec![1, 1]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// MatrixOne's `lock_wait_timeout` and the InnoDB row-lock timeout behind it, read as text.
async fn lock_waits(c: &mut sqlx::MySqlConnection) -> (String, String) {
    let row =
        sqlx::raw_sql("SELECT @@lock_wait_timeout, @@innodb_lock_wait_timeout").fetch_one(c).await.unwrap();
    (row.get(0), row.get(1))
}
