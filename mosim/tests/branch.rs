//! DATA BRANCH over TCP with a plain MySQL client: branches remember their base, DIFF lists
//! exactly the rows each side changed since, MERGE and PICK apply them with each conflict
//! policy. Each case names the MatrixOne result file (test/distributed/cases/git4data/branch/)
//! whose statements and answers it follows.

mod common;

use common::*;
use sqlx::mysql::MySqlRow;
use sqlx::{AssertSqlSafe, Column, Executor, Row, TypeInfo};

fn text_of(row: &MySqlRow, i: usize) -> String {
    match row.try_get_unchecked::<Option<Vec<u8>>, _>(i) {
        Ok(Some(b)) => String::from_utf8_lossy(&b).into_owned(),
        Ok(None) => "null".to_owned(),
        Err(e) => panic!("undecodable column {i}: {e}"),
    }
}

/// A result as the .result files print it: the header line (empty for no rows), then one
/// tab-separated line per row.
async fn result(c: &mut sqlx::MySqlConnection, sql: &str) -> Vec<String> {
    let rows = c.fetch_all(AssertSqlSafe(sql.to_owned())).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    let header = match rows.first() {
        Some(r) => r.columns().iter().map(|c| c.name().to_owned()).collect::<Vec<_>>(),
        None => Vec::new(),
    };
    let mut out = vec![header.join("\t")];
    out.extend(rows.iter().map(|r| (0..r.len()).map(|i| text_of(r, i)).collect::<Vec<_>>().join("\t")));
    out
}

/// The rows only, without the header.
async fn diff(c: &mut sqlx::MySqlConnection, sql: &str) -> Vec<String> {
    result(c, sql).await.split_off(1)
}

fn lines(expected: &[&str]) -> Vec<String> {
    expected
        .iter()
        .map(|l| {
            if l.contains('\t') {
                (*l).to_owned()
            } else {
                l.split_whitespace().collect::<Vec<_>>().join("\t")
            }
        })
        .collect()
}

#[tokio::test]
async fn diff_against_the_common_base() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_diff").await;
    let (sp0, sp1, sp2) = (unique("bm_sp0"), unique("bm_sp1"), unique("bm_sp2"));

    // diff/diff_1.result:1-12: two unrelated tables, each row the other lacks is its INSERT;
    // the rows both hold alike are no difference.
    exec(&mut c, "create table u1(a int, b varchar(10), primary key(a))").await;
    exec(&mut c, "insert into u1 values(1, '1'),(2, '2'),(3, '3')").await;
    exec(&mut c, "create table u2 like u1").await;
    exec(&mut c, "insert into u2 values(1, '1'), (2, '2'), (4, '4')").await;
    assert_eq!(
        result(&mut c, "data branch diff u2 against u1").await,
        lines(&["diff u2 against u1\tflag\ta\tb", "u1 INSERT 3 3", "u2 INSERT 4 4"])
    );

    // diff/diff_1.result:25-40: two branches of t0 at the same snapshot.
    exec(&mut c, "create table t0(a int, b int, primary key(a))").await;
    exec(&mut c, "insert into t0 values(1,1),(2,2),(3,3)").await;
    exec(&mut c, &format!("create snapshot {sp0} for table {db} t0")).await;
    exec(&mut c, &format!("data branch create table t1 from t0{{snapshot=\"{sp0}\"}}")).await;
    exec(&mut c, "insert into t1 values(4,4)").await;
    exec(&mut c, &format!("create snapshot {sp1} for table {db} t1")).await;
    exec(&mut c, &format!("data branch create table t2 from t0{{snapshot=\"{sp0}\"}}")).await;
    exec(&mut c, "insert into t2 values(5, 5)").await;
    exec(&mut c, &format!("create snapshot {sp2} for table {db} t2")).await;
    let d = format!("data branch diff t2{{snapshot=\"{sp2}\"}} against t1{{snapshot=\"{sp1}\"}}");
    assert_eq!(
        result(&mut c, &d).await,
        lines(&["diff t2 against t1\tflag\ta\tb", "t1 INSERT 4 4", "t2 INSERT 5 5"])
    );
    // Rows written after the snapshots do not count.
    exec(&mut c, "insert into t1 values(9,9)").await;
    assert_eq!(diff(&mut c, &d).await, lines(&["t1 INSERT 4 4", "t2 INSERT 5 5"]));
    assert_eq!(diff(&mut c, "data branch diff t2 against t1").await.len(), 3);

    // merge/merge_1.result (5th case): a child's UPDATE and INSERTs against its parent.
    exec(&mut c, "create table p(a int, b int, primary key(a))").await;
    exec(&mut c, "insert into p values(1,1),(2,2)").await;
    exec(&mut c, "data branch create table ch from p").await;
    exec(&mut c, "insert into ch values(3,3),(4,4)").await;
    exec(&mut c, "update ch set b = b + 1 where a in (1,3)").await;
    exec(&mut c, "delete from ch where a = 2").await;
    assert_eq!(
        diff(&mut c, "data branch diff ch against p").await,
        lines(&["ch UPDATE 1 2", "ch DELETE 2 2", "ch INSERT 3 4", "ch INSERT 4 4"])
    );
    // The same changes seen from the parent's side: the child's rows, the labels swapped.
    assert_eq!(
        result(&mut c, "data branch diff p against ch").await,
        lines(&[
            "diff p against ch\tflag\ta\tb",
            "ch UPDATE 1 2",
            "ch DELETE 2 2",
            "ch INSERT 3 4",
            "ch INSERT 4 4"
        ])
    );
    // Changes the parent makes after the branch are its own.
    exec(&mut c, "insert into p values(7,7)").await;
    assert_eq!(
        diff(&mut c, "data branch diff ch against p output limit 5").await.last().unwrap(),
        "p\tINSERT\t7\t7"
    );
    assert_eq!(diff(&mut c, "data branch diff ch against p output limit 2").await.len(), 2);

    // Output forms (edge/branch_matrix_coverage.result, privilege/branch_privilege.result).
    assert_eq!(result(&mut c, "data branch diff ch against p output count").await, lines(&["COUNT(*)", "5"]));
    assert_eq!(
        result(&mut c, "data branch diff ch against p output summary").await,
        lines(&["metric\tch\tp", "INSERTED 2 1", "DELETED 1 0", "UPDATED 1 0"])
    );
    assert_eq!(
        result(&mut c, "data branch diff ch against p columns (b) output limit 1").await,
        lines(&["diff ch against p\tflag\tb", "ch UPDATE 2"])
    );
    assert_eq!(
        result(&mut c, "data branch diff ch against p output as diff_out").await,
        vec!["TABLE CREATED".to_owned(), format!("`{db}`.`diff_out`")]
    );
    assert_eq!(
        result(&mut c, "select * from diff_out order by a, __mo_diff_source").await,
        lines(&[
            "__mo_diff_source\t__mo_diff_flag\ta\tb",
            "ch UPDATE 1 2",
            "ch DELETE 2 2",
            "ch INSERT 3 4",
            "ch INSERT 4 4",
            "p INSERT 7 7"
        ])
    );
    cleanup(&mut c, &[&db], &[&sp0, &sp1, &sp2], &[]).await;
}

#[tokio::test]
async fn merge_applies_changes_with_each_conflict_policy() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_merge").await;

    // merge/merge_2.result:4-32: both branches insert key 3 with other values.
    exec(&mut c, "create table t0(a int, b int, primary key(a))").await;
    exec(&mut c, "insert into t0 values(1,1),(2,2)").await;
    exec(&mut c, "data branch create table t1 from t0").await;
    exec(&mut c, "insert into t1 values(3, 3)").await;
    exec(&mut c, "data branch create table t2 from t0").await;
    exec(&mut c, "insert into t2 values(3, 4)").await;
    assert_eq!(
        diff(&mut c, "data branch diff t2 against t1").await,
        lines(&["t2 INSERT 3 4", "t1 INSERT 3 3"])
    );
    assert_eq!(
        err(&mut c, "data branch merge t2 into t1").await,
        (
            20101,
            "internal error: conflict: t2 INSERT and t1 INSERT on pk(3) with different values".to_owned()
        )
    );
    assert_eq!(
        err(&mut c, "data branch merge t2 into t1 when conflict fail").await.1,
        "internal error: conflict: t2 INSERT and t1 INSERT on pk(3) with different values"
    );
    exec(&mut c, "data branch merge t2 into t1 when conflict skip").await;
    assert_eq!(diff(&mut c, "select * from t1 order by a").await, lines(&["1 1", "2 2", "3 3"]));
    exec(&mut c, "data branch merge t2 into t1 when conflict accept").await;
    assert_eq!(diff(&mut c, "select * from t1 order by a").await, lines(&["1 1", "2 2", "3 4"]));

    // merge/merge_2.result:60-84: both update key 1; the conflict names the deleted halves.
    exec(&mut c, "create table m1 (a int, b int, primary key(a))").await;
    exec(&mut c, "insert into m1 values(1,1),(2,2)").await;
    exec(&mut c, "data branch create table m2 from m1").await;
    exec(&mut c, "update m2 set b = b + 2 where a = 1").await;
    exec(&mut c, "update m1 set b = b + 1 where a = 1").await;
    assert_eq!(
        diff(&mut c, "data branch diff m2 against m1").await,
        lines(&["m2 UPDATE 1 3", "m1 UPDATE 1 2"])
    );
    assert_eq!(
        err(&mut c, "data branch merge m2 into m1").await.1,
        "internal error: conflict: m2 DELETE and m1 DELETE on pk(1) with different values"
    );
    exec(&mut c, "data branch merge m2 into m1 when conflict skip").await;
    assert_eq!(diff(&mut c, "select * from m1 order by a").await, lines(&["1 2", "2 2"]));
    exec(&mut c, "data branch merge m2 into m1 when conflict accept").await;
    assert_eq!(diff(&mut c, "select * from m1 order by a").await, lines(&["1 3", "2 2"]));

    // merge/merge_1.result: a branch's inserts, updates and deletes reach its parent, and
    // afterwards the two differ in nothing.
    exec(&mut c, "create table b1(a int, b int, primary key(a))").await;
    exec(&mut c, "insert into b1 values(1,1),(2,2),(5,5)").await;
    exec(&mut c, "data branch create table b2 from b1").await;
    exec(&mut c, "insert into b2 values(3,3),(4,4)").await;
    exec(&mut c, "update b2 set b = b + 1 where a in (1,3)").await;
    exec(&mut c, "delete from b2 where a = 5").await;
    exec(&mut c, "data branch merge b2 into b1").await;
    assert_eq!(diff(&mut c, "select * from b1 order by a").await, lines(&["1 2", "2 2", "3 4", "4 4"]));
    assert!(diff(&mut c, "data branch diff b2 against b1").await.is_empty());

    // merge/merge_2.result:85-116: three branches merged back into their base in turn.
    exec(&mut c, "create table g0(a int primary key, b varchar(10))").await;
    exec(&mut c, "insert into g0 values (1,'g0'),(2,'g0'),(3,'g0'),(4,'g0')").await;
    for (t, key) in [("g1", 1), ("g2", 2), ("g3", 3)] {
        exec(&mut c, &format!("data branch create table {t} from g0")).await;
        exec(&mut c, &format!("update {t} set b = '{t}' where a = {key}")).await;
    }
    for t in ["g1", "g2", "g3"] {
        exec(&mut c, &format!("data branch merge {t} into g0")).await;
    }
    assert_eq!(diff(&mut c, "select * from g0 order by a").await, lines(&["1 g1", "2 g2", "3 g3", "4 g0"]));
    // edge/branch_edge_cases.result: a duplicate unique key fails the merge, changing nothing.
    exec(&mut c, "create table ub(id int primary key, u int, unique key uk(u))").await;
    exec(&mut c, "insert into ub values (1, 101)").await;
    exec(&mut c, "data branch create table ud from ub").await;
    exec(&mut c, "data branch create table us from ub").await;
    exec(&mut c, "insert into ud values (4, 104)").await;
    exec(&mut c, "insert into us values (5, 104)").await;
    let (code, _) = err(&mut c, "data branch merge us into ud when conflict accept").await;
    assert_eq!(code, 1062);
    assert_eq!(ints(&mut c, "select id from ud order by id").await, vec![1, 4]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn pick_takes_only_the_keys_named() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_pick").await;
    // pick/pick_1.result:30-52.
    exec(&mut c, "create table t0 (a int, b int, primary key(a))").await;
    exec(&mut c, "insert into t0 values (1,1),(2,2),(3,3)").await;
    exec(&mut c, "data branch create table t1 from t0").await;
    exec(&mut c, "insert into t1 values (4,4)").await;
    exec(&mut c, "data branch create table t2 from t0").await;
    exec(&mut c, "insert into t2 values (5,5),(6,6),(7,7)").await;
    exec(&mut c, "data branch pick t2 into t1 keys(5,7)").await;
    assert_eq!(ints(&mut c, "select a from t1 order by a").await, vec![1, 2, 3, 4, 5, 7]);
    assert_eq!(
        diff(&mut c, "data branch diff t2 against t1").await,
        lines(&["t1 INSERT 4 4", "t2 INSERT 6 6"])
    );
    exec(&mut c, "create table k (k int)").await;
    exec(&mut c, "insert into k values (6)").await;
    exec(&mut c, "data branch pick t2 into t1 keys(select k from k)").await;
    assert_eq!(ints(&mut c, "select a from t1 order by a").await, vec![1, 2, 3, 4, 5, 6, 7]);
    // A conflict on a picked key, each policy (edge/branch_float_special_values.result).
    exec(&mut c, "update t2 set b = 20 where a = 2").await;
    exec(&mut c, "update t1 set b = 21 where a = 2").await;
    assert_eq!(
        err(&mut c, "data branch pick t2 into t1 keys(2) when conflict fail").await.1,
        "internal error: conflict: t2 INSERT and t1 INSERT on pk(2) with different values"
    );
    exec(&mut c, "data branch pick t2 into t1 keys(2) when conflict skip").await;
    assert_eq!(ints(&mut c, "select b from t1 where a = 2").await, vec![21]);
    exec(&mut c, "data branch pick t2 into t1 keys(2) when conflict accept").await;
    assert_eq!(ints(&mut c, "select b from t1 where a = 2").await, vec![20]);
    // pick/pick_3.result:85-109: a picked key the source deleted is deleted too.
    exec(&mut c, "create table d0 (a int, b varchar(20), primary key(a))").await;
    exec(&mut c, "insert into d0 values (1,'orig'),(2,'orig'),(5,'orig'),(10,'orig'),(20,'orig')").await;
    exec(&mut c, "data branch create table d1 from d0").await;
    exec(&mut c, "data branch create table d2 from d0").await;
    exec(&mut c, "delete from d2 where a in (5, 10, 20)").await;
    exec(&mut c, "update d2 set b = 'modified' where a in (1, 2)").await;
    exec(&mut c, "insert into d2 values (31, 'new31'), (32, 'new32')").await;
    exec(&mut c, "data branch pick d2 into d1 keys(5, 10, 31, 1)").await;
    assert_eq!(ints(&mut c, "select a from d1 order by a").await, vec![1, 2, 20, 31]);
    assert_eq!(
        diff(&mut c, "data branch diff d2 against d1").await,
        lines(&["d2 UPDATE 2 modified", "d2 DELETE 20 orig", "d2 INSERT 32 new32"])
    );
    // A string key prints as a SQL literal (formatValIntoString), a composite one joined by `,`.
    exec(&mut c, "create table s0 (k varchar(10), n int, v int, primary key (k, n))").await;
    exec(&mut c, "data branch create table s1 from s0").await;
    exec(&mut c, "data branch create table s2 from s0").await;
    exec(&mut c, "insert into s1 values ('a01', 101, 1)").await;
    exec(&mut c, "insert into s2 values ('a01', 101, 2)").await;
    assert_eq!(
        err(&mut c, "data branch merge s2 into s1").await.1,
        "internal error: conflict: s2 INSERT and s1 INSERT on pk('a01',101) with different values"
    );
    // edge/branch_unhappy_path.result.
    assert_eq!(
        err(&mut c, "data branch pick t2 into t1 keys((3, 3))").await.1,
        "invalid input: KEYS contains tuples but table has a single-column primary key; use scalar values"
    );
    exec(&mut c, "create table no_pk(a int, b int)").await;
    exec(&mut c, "data branch create table no_pk_branch from no_pk").await;
    assert_eq!(
        err(&mut c, "data branch pick no_pk_branch into no_pk keys(1)").await,
        (
            20105,
            "not supported: DATA BRANCH PICK requires a table with a primary key; table no_pk_branch has no primary key"
                .to_owned()
        )
    );
    cleanup(&mut c, &[&db], &[], &[]).await;
}

#[tokio::test]
async fn create_delete_and_errors() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_cd").await;
    exec(&mut c, "create table base(a int primary key, b int)").await;
    exec(&mut c, "insert into base values (1, 10), (2, 20)").await;
    exec(&mut c, "create view v_base as select * from base").await;
    // edge/branch_unhappy_path.result.
    assert_eq!(
        err(&mut c, "data branch create table v_branch from v_base").await.1,
        format!("internal error: {db}.v_base is not BASE TABLE")
    );
    assert_eq!(
        err(&mut c, "data branch create table missing_branch from missing_base").await,
        (1064, "SQL parser error: table \"missing_base\" does not exist".to_owned())
    );
    exec(&mut c, "data branch create table br from base").await;
    assert_eq!(
        err(&mut c, "data branch create table br from base").await.1,
        "SQL parser error: table \"br\" already exists"
    );
    assert_eq!(
        err(&mut c, "data branch diff br against base columns (missing)").await.1,
        "invalid input: column \"missing\" not found in table \"br\""
    );
    assert_eq!(
        err(&mut c, "data branch diff missing_branch against base").await.1,
        "SQL parser error: table \"missing_branch\" does not exist"
    );
    assert_eq!(
        err(&mut c, &format!("data branch create database {db} from {db}")).await.1,
        format!("SQL parser error: database \"{db}\" already exists")
    );
    assert_eq!(err(&mut c, "data branch merge br into base when conflict maybe").await.0, 1064);

    // metadata/branch_metadata.result: a database branch, then DELETE of a table and of it.
    let dst = unique("bmosim_cd_dst");
    exec(&mut c, &format!("data branch create database {dst} from {db}")).await;
    assert_eq!(ints(&mut c, &format!("select a from {dst}.base order by a")).await, vec![1, 2]);
    exec(&mut c, &format!("insert into {dst}.base values (3, 30)")).await;
    assert_eq!(
        diff(&mut c, &format!("data branch diff {dst}.base against {db}.base")).await,
        lines(&["base INSERT 3 30"])
    );
    exec(&mut c, "data branch delete table br").await;
    assert_eq!(err(&mut c, "select * from br").await.0, 1146);
    exec(&mut c, &format!("data branch delete database {dst}")).await;
    let left: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "select count(*) from information_schema.schemata where schema_name = '{dst}'"
    )))
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(left, 0);
    cleanup(&mut c, &[&db, &dst], &[], &[]).await;
}

/// stmt_kind.go: MERGE "reuses an explicit BEGIN transaction" (so ROLLBACK takes it back),
/// PICK cannot run inside one, CREATE / DIFF / DELETE can.
#[tokio::test]
async fn merge_inside_begin_is_part_of_the_transaction() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_txn").await;
    exec(&mut c, "create table t0 (a int primary key, b int)").await;
    exec(&mut c, "insert into t0 values (1, 1)").await;
    exec(&mut c, "data branch create table t1 from t0").await;
    exec(&mut c, "insert into t1 values (2, 2)").await;
    exec(&mut c, "begin").await;
    exec(&mut c, "insert into t0 values (3, 3)").await;
    exec(&mut c, "data branch merge t1 into t0").await;
    assert_eq!(ints(&mut c, "select a from t0 order by a").await, vec![1, 2, 3]);
    assert_eq!(diff(&mut c, "data branch diff t1 against t0").await, lines(&["t0 INSERT 3 3"]));
    assert_eq!(
        err(&mut c, "data branch pick t1 into t0 keys(2)").await,
        (20101, "internal error: DATA BRANCH MERGE/PICK is not supported in transactions".to_owned())
    );
    exec(&mut c, "rollback").await;
    assert_eq!(ints(&mut c, "select a from t0 order by a").await, vec![1]);
    exec(&mut c, "begin").await;
    exec(&mut c, "data branch merge t1 into t0").await;
    exec(&mut c, "commit").await;
    assert_eq!(ints(&mut c, "select a from t0 order by a").await, vec![1, 2]);
    assert!(diff(&mut c, "data branch diff t1 against t0").await.is_empty());
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// A TEXT column of a DIFF comes with MatrixOne's type 0xF1 (reference §10.4,
/// data_branch_output.go `buildOutputSchema` -> `setMysqlColumnTypeInfo`): sqlx refuses it,
/// as it does against MatrixOne; a client that reads the raw packets gets the rows.
#[tokio::test]
async fn a_text_column_of_a_diff_is_type_0xf1() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_text").await;
    exec(&mut c, "create table t0 (a int primary key, note text, v varchar(10))").await;
    exec(&mut c, "insert into t0 values (1, 'one', 'x')").await;
    exec(&mut c, "data branch create table t1 from t0").await;
    exec(&mut c, "update t1 set note = 'uno' where a = 1").await;
    let e = c.execute("data branch diff t1 against t0").await.unwrap_err();
    assert!(e.to_string().contains("0xf1"), "{e}");
    // Without the TEXT column, the same diff decodes.
    assert_eq!(
        diff(&mut c, "data branch diff t1 against t0 columns (a, v)").await,
        lines(&["t1 UPDATE 1 x"])
    );
    let mut raw = Raw::login(s.addr(), Some(&db), caps::SQLX).await;
    assert_eq!(
        raw.query("data branch diff t1 against t0").await,
        Reply::Rows(vec![vec![
            Some("t1".into()),
            Some("UPDATE".into()),
            Some("1".into()),
            Some("uno".into()),
            Some("x".into())
        ]])
    );
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// pick/pick_10.result: PICK ... BETWEEN SNAPSHOT takes what the source changed from the
/// first snapshot to the second.
#[tokio::test]
async fn pick_between_snapshots() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_between").await;
    let (sp1, sp2) = (unique("bm_from"), unique("bm_to"));
    exec(&mut c, "create table t0 (a int, b int, primary key(a))").await;
    exec(&mut c, "insert into t0 values (1,1)").await;
    exec(&mut c, "data branch create table t1 from t0").await;
    exec(&mut c, "data branch create table t2 from t0").await;
    exec(&mut c, &format!("create snapshot {sp1} for account sys")).await;
    exec(&mut c, "insert into t1 values (2,200),(3,3)").await;
    exec(&mut c, "insert into t2 values (2,20)").await;
    exec(&mut c, &format!("create snapshot {sp2} for account sys")).await;
    exec(&mut c, "insert into t1 values (4,4)").await;
    assert_eq!(
        err(
            &mut c,
            &format!("data branch pick t1 into t2 between snapshot {sp1} and {sp2} when conflict fail")
        )
        .await
        .1,
        "internal error: conflict: t1 INSERT and t2 INSERT on pk(2) with different values"
    );
    assert_eq!(ints(&mut c, "select b from t2 order by a").await, vec![1, 20]);
    exec(&mut c, &format!("data branch pick t1 into t0 between snapshot '{sp1}' and '{sp2}' keys(3)")).await;
    assert_eq!(ints(&mut c, "select a from t0 order by a").await, vec![1, 3]);
    exec(
        &mut c,
        &format!("data branch pick t1 into t2 between snapshot {sp1} and {sp2} when conflict accept"),
    )
    .await;
    assert_eq!(ints(&mut c, "select b from t2 order by a").await, vec![1, 200, 3]);
    assert_eq!(
        err(&mut c, &format!("data branch pick t1 into t0 between snapshot {sp2} and {sp1}")).await.1,
        format!(
            "invalid input: invalid BETWEEN SNAPSHOT range: start snapshot '{sp2}' is later than end snapshot '{sp1}'"
        )
    );
    assert_eq!(
        err(
            &mut c,
            &format!("data branch pick t1{{snapshot = {sp1}}} into t0 between snapshot {sp1} and {sp2}")
        )
        .await
        .1,
        "invalid input: BETWEEN SNAPSHOT and source table snapshot option cannot be used together"
    );
    assert_eq!(
        err(&mut c, "data branch pick t1 into t0 between snapshot missing_from and missing_to keys(3)").await,
        (20301, "invalid input: snapshot 'missing_from' not found".to_owned())
    );
    cleanup(&mut c, &[&db], &[&sp1, &sp2], &[]).await;
}

/// edge/branch_float_special_values.result: OUTPUT FILE writes the SQL that applies the
/// target's changes to the base and answers `FILE SAVED TO` and `HINT`.
#[tokio::test]
async fn output_file_holds_the_sql_that_applies_the_diff() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_file").await;
    exec(&mut c, "create table base (id int primary key, note varchar(20), bin varbinary(4))").await;
    exec(&mut c, "insert into base values (1, 'one', x'01'), (2, 'two', null), (3, 'it''s', x'ff')").await;
    exec(&mut c, "data branch create table br from base").await;
    exec(&mut c, "update br set note = 'uno' where id = 1").await;
    exec(&mut c, "delete from br where id = 2").await;
    exec(&mut c, "insert into br values (4, 'back\\\\slash ''q''', x'00ff')").await;
    let dir = std::env::temp_dir().join(unique("bmosim_out"));
    let out =
        result(&mut c, &format!("data branch diff br against base output file '{}'", dir.display())).await;
    assert_eq!(out[0], "FILE SAVED TO\tHINT");
    let (path, hint) = out[1].split_once('\t').unwrap();
    assert_eq!(hint, format!("DELETE FROM `{db}`.`base`, INSERT INTO `{db}`.`base`"));
    let name = std::path::Path::new(path).file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("diff_br_base_") && name.ends_with(".sql"), "{name}");
    let sql = std::fs::read_to_string(path).unwrap();
    assert_eq!(sql.lines().count(), 2, "{sql}");
    assert!(sql.starts_with(&format!("delete from `{db}`.`base` where `id` in (1,2);\n")), "{sql}");
    // Run against the base, the file leaves nothing of the target's side to diff.
    for stmt in sql.split(";\n").filter(|s| !s.is_empty()) {
        exec(&mut c, stmt).await;
    }
    assert!(diff(&mut c, "data branch diff br against base").await.is_empty());
    assert_eq!(
        diff(&mut c, "select id, note, hex(bin) from base order by id").await,
        lines(&["1\tuno\t01", "3\tit's\tFF", "4\tback\\slash 'q'\t00FF"])
    );
    std::fs::remove_dir_all(&dir).unwrap();
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// A table mosim did not create (so not versioned) can be branched; its past is read as its
/// present, so the branch's own changes still show.
#[tokio::test]
async fn a_table_made_outside_mosim_can_be_branched() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_direct").await;
    let mut d = direct().await;
    exec(&mut d, &format!("create table {db}.plain (a int primary key, b int)")).await;
    exec(&mut d, &format!("insert into {db}.plain values (1, 1), (2, 2)")).await;
    exec(&mut c, "data branch create table br from plain").await;
    exec(&mut c, "update br set b = 20 where a = 2").await;
    exec(&mut c, "insert into br values (3, 3)").await;
    assert_eq!(
        diff(&mut c, "data branch diff br against plain").await,
        lines(&["br UPDATE 2 20", "br INSERT 3 3"])
    );
    exec(&mut c, "data branch merge br into plain").await;
    assert_eq!(ints(&mut c, "select b from plain order by a").await, vec![1, 20, 3]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// metadata/branch_metadata.result: `mo_catalog.mo_branch_metadata` has a row per branch,
/// keyed by `mo_tables.rel_id`, whose `table_deleted` DATA BRANCH DELETE sets.
#[tokio::test]
async fn branch_metadata_marks_deleted_branches() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_meta").await;
    exec(&mut c, "create table base_tbl(a int primary key, b varchar(10))").await;
    exec(&mut c, "data branch create table branch_tbl from base_tbl").await;
    exec(
        &mut c,
        &format!(
            "set @branch_tbl_id = (select rel_id from mo_catalog.mo_tables \
             where reldatabase = '{db}' and relname = 'branch_tbl')"
        ),
    )
    .await;
    let deleted =
        "select table_deleted, level from mo_catalog.mo_branch_metadata where table_id = @branch_tbl_id";
    assert_eq!(diff(&mut c, deleted).await, lines(&["0 table"]));
    exec(&mut c, &format!("data branch delete table {db}.branch_tbl")).await;
    assert_eq!(diff(&mut c, deleted).await, lines(&["1 table"]));
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// edge/branch_unhappy_path.result and edge/branch_edge_cases.result: a column both tables
/// have must have the same type; a column only one has is shown but not compared.
#[tokio::test]
async fn schema_compatibility() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_schema").await;
    exec(&mut c, "create table type_base(a int primary key, b int)").await;
    exec(&mut c, "insert into type_base values (1, 10)").await;
    exec(&mut c, "create table type_branch(a int primary key, b varchar(20))").await;
    exec(&mut c, "insert into type_branch values (1, '10')").await;
    assert_eq!(
        err(&mut c, "data branch diff type_branch against type_base").await,
        (
            20101,
            "internal error: schema compatibility check: column 'b' exists in both schemas but has different types (target: 61, base: 22)"
                .to_owned()
        )
    );
    exec(&mut c, "create table base(a int primary key, b int)").await;
    exec(&mut c, "insert into base values (1, 10), (2, 20), (3, 30)").await;
    exec(&mut c, "data branch create table left_add from base").await;
    exec(&mut c, "data branch create table right_add from base").await;
    exec(&mut c, "alter table left_add add column c varchar(20) default 'left-only'").await;
    exec(&mut c, "insert into right_add values (4, 40)").await;
    assert_eq!(
        result(&mut c, "data branch diff left_add against right_add").await,
        lines(&["diff left_add against right_add\tflag\ta\tb\tc", "right_add INSERT 4 40 null"])
    );
    exec(&mut c, "create table other_pk(b int primary key, a int)").await;
    assert_eq!(
        err(&mut c, "data branch diff other_pk against base").await.1,
        "internal error: schema compatibility check: target primary key columns (b) do not match base primary key columns (a)"
    );
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// pick/pick_6.result: with autocommit off, PICK is refused even as the first statement
/// (data_branch_pick.go); MERGE needs BEGIN (data_branch.go `dataBranchMergeTxnNotAllowed`).
#[tokio::test]
async fn autocommit_off_refuses_pick_and_merge_without_begin() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_ac0").await;
    exec(&mut c, "create table t1 (a int, b int, primary key(a))").await;
    exec(&mut c, "insert into t1 values (1,1)").await;
    exec(&mut c, "create table t2 (a int, b int, primary key(a))").await;
    exec(&mut c, "insert into t2 values (1,1),(2,2)").await;
    let refused =
        (20101, "internal error: DATA BRANCH MERGE/PICK is not supported in transactions".to_owned());
    exec(&mut c, "set autocommit = 0").await;
    assert_eq!(err(&mut c, "data branch pick t2 into t1 keys(2) when conflict accept").await, refused);
    exec(&mut c, "rollback").await;
    assert_eq!(err(&mut c, "data branch merge t2 into t1").await, refused);
    exec(&mut c, "rollback").await;
    exec(&mut c, "begin").await;
    exec(&mut c, "data branch merge t2 into t1").await;
    exec(&mut c, "commit").await;
    exec(&mut c, "set autocommit = 1").await;
    assert_eq!(ints(&mut c, "select a from t1 order by a").await, vec![1, 2]);
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// diff/diff_10.result: a diff at snapshots of two branches dropped since reads them from
/// the past, keys, lineage and all.
#[tokio::test]
async fn diff_at_snapshots_of_dropped_branches() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_dropped").await;
    let (sp_t, sp_b) = (unique("bm_tar"), unique("bm_base"));
    exec(&mut c, "create table c_base (a int primary key, b int)").await;
    exec(&mut c, "insert into c_base values (1, 1), (2, 2), (3, 3)").await;
    exec(&mut c, "data branch create table c_tar from c_base").await;
    exec(&mut c, "update c_tar set b = b * 10 where a in (1, 2)").await;
    exec(&mut c, &format!("create snapshot {sp_t} for table {db} c_tar")).await;
    exec(&mut c, &format!("create snapshot {sp_b} for table {db} c_base")).await;
    let summary = format!(
        "data branch diff c_tar {{snapshot = {sp_t}}} against c_base {{snapshot = {sp_b}}} output summary"
    );
    let expected = [
        format!("metric\tc_tar{{snapshot = '{sp_t}'}}\tc_base{{snapshot = '{sp_b}'}}"),
        "INSERTED\t0\t0".to_owned(),
        "DELETED\t0\t0".to_owned(),
        "UPDATED\t2\t0".to_owned(),
    ];
    assert_eq!(result(&mut c, &summary).await, expected);
    exec(&mut c, "drop table c_tar").await;
    exec(&mut c, "drop table c_base").await;
    assert_eq!(result(&mut c, &summary).await, expected);
    cleanup(&mut c, &[&db], &[&sp_t, &sp_b], &[]).await;
}

/// edge/branch_edge_cases.result: a column both branches added since their base counts as
/// its default in the base's rows, so only the rows each side changed from it differ.
#[tokio::test]
async fn a_column_both_sides_added() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_added").await;
    exec(&mut c, "create table base(a int primary key, b int)").await;
    exec(&mut c, "insert into base values (1, 10), (2, 20), (3, 30)").await;
    exec(&mut c, "data branch create table both_add_left from base").await;
    exec(&mut c, "data branch create table both_add_right from base").await;
    exec(&mut c, "alter table both_add_left add column c varchar(20) default 'same'").await;
    exec(&mut c, "alter table both_add_right add column c varchar(20) default 'same'").await;
    exec(&mut c, "update both_add_left set c = 'left' where a = 2").await;
    exec(&mut c, "update both_add_right set c = 'right' where a = 3").await;
    assert_eq!(
        result(&mut c, "data branch diff both_add_left against both_add_right columns (a, c)").await,
        lines(&[
            "diff both_add_left against both_add_right\tflag\ta\tc",
            "both_add_left UPDATE 2 left",
            "both_add_right UPDATE 3 right"
        ])
    );
    exec(&mut c, "data branch merge both_add_left into both_add_right").await;
    assert_eq!(
        diff(&mut c, "select a, c from both_add_right order by a").await,
        lines(&["1 same", "2 left", "3 right"])
    );
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// data_branch_output.go `buildOutputSchema`: the side and flag columns, and VARCHAR
/// columns, are MYSQL_TYPE_VARCHAR; `COUNT(*)` and the summary's counts BIGINT.
#[tokio::test]
async fn diff_column_types() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_types").await;
    exec(&mut c, "create table t0 (a int primary key, v varchar(10))").await;
    exec(&mut c, "data branch create table t1 from t0").await;
    exec(&mut c, "insert into t1 values (1, 'x')").await;
    let types = |rows: &[MySqlRow]| -> Vec<String> {
        rows[0].columns().iter().map(|c| c.type_info().name().to_owned()).collect()
    };
    let r = rows(&mut c, "data branch diff t1 against t0").await;
    assert_eq!(r[0].get::<String, _>(1), "INSERT");
    assert_eq!(r[0].get::<String, _>(3), "x");
    // The type codes themselves, from the column definitions on the wire.
    let mut raw = Raw::login(s.addr(), Some(&db), caps::SQLX).await;
    raw.command(b"\x03data branch diff t1 against t0").await;
    let count = raw.read().await.unwrap();
    let mut codes = Vec::new();
    for _ in 0..count[0] {
        let def = raw.read().await.unwrap();
        let mut pos = 0;
        for _ in 0..6 {
            let len = lenenc(&def, &mut pos) as usize;
            pos += len;
        }
        codes.push(def[pos + 1 + 2 + 4]);
    }
    assert_eq!(codes, [15, 15, 3, 15], "side, flag, a INT, v VARCHAR");
    assert_eq!(types(&rows(&mut c, "data branch diff t1 against t0 output count").await), ["BIGINT"]);
    let summary = rows(&mut c, "data branch diff t1 against t0 output summary").await;
    assert_eq!(types(&summary)[1..], ["BIGINT", "BIGINT"]);
    assert_eq!(summary[0].get::<String, _>(0), "INSERTED");
    cleanup(&mut c, &[&db], &[], &[]).await;
}

/// edge/branch_edge_cases.result (`br_txn_src`): CREATE and DELETE after BEGIN are part of
/// the transaction; ROLLBACK takes them back, COMMIT keeps them.
#[tokio::test]
async fn create_and_delete_roll_back() {
    let s = server().await;
    let (mut c, db) = fresh_db(&s, "bmosim_txdl").await;
    let tables = |t: &str| {
        format!(
            "select count(*) from information_schema.tables where table_schema = '{db}' and table_name = '{t}'"
        )
    };
    let count = |rows: Vec<MySqlRow>| rows[0].get::<i64, _>(0);
    exec(&mut c, "create table base(a int primary key, b varchar(20))").await;
    exec(&mut c, "insert into base values (1, 'one'), (2, 'two')").await;
    exec(&mut c, "begin").await;
    exec(&mut c, "insert into base values (3, 'three')").await;
    exec(&mut c, "data branch create table br_commit from base").await;
    exec(&mut c, "commit").await;
    // The branch read the transaction's own row, as a clone does.
    assert_eq!(ints(&mut c, "select a from br_commit order by a").await, vec![1, 2, 3]);
    exec(&mut c, "begin").await;
    exec(&mut c, "data branch create table br_rollback from base").await;
    exec(&mut c, "rollback").await;
    assert_eq!(count(rows(&mut c, &tables("br_rollback")).await), 0);
    exec(&mut c, "begin").await;
    exec(&mut c, &format!("data branch delete table {db}.br_commit")).await;
    exec(&mut c, "rollback").await;
    assert_eq!(count(rows(&mut c, &tables("br_commit")).await), 1);
    assert_eq!(ints(&mut c, "select a from br_commit order by a").await, vec![1, 2, 3]);
    // Still a branch of base: its lineage survived.
    exec(&mut c, "insert into br_commit values (4, 'four')").await;
    assert_eq!(
        diff(&mut c, "data branch diff br_commit against base").await,
        lines(&["br_commit INSERT 4 four"])
    );
    exec(&mut c, "begin").await;
    exec(&mut c, &format!("data branch delete table {db}.br_commit")).await;
    exec(&mut c, "commit").await;
    assert_eq!(count(rows(&mut c, &tables("br_commit")).await), 0);
    let dst = unique("bmosim_txdl_dst");
    exec(&mut c, &format!("data branch create database {dst} from {db}")).await;
    exec(&mut c, "begin").await;
    exec(&mut c, &format!("data branch delete database {dst}")).await;
    exec(&mut c, "rollback").await;
    assert_eq!(ints(&mut c, &format!("select a from {dst}.base order by a")).await, vec![1, 2, 3]);
    cleanup(&mut c, &[&db, &dst], &[], &[]).await;
}
