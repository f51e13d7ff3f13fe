//! Golden SQL for snapshot reads: the `{SNAPSHOT | TIMESTAMP | MO_TS}` hint after every table
//! reference of a sea-query `SELECT`, before the alias, and the inputs that must be refused.

mod support;

use chrono::{NaiveDate, TimeZone, Utc};
use matrixone::mo::{
    ReadAt, ReadTimestamp, Snapshot, SnapshotRead, mo_ts_hint, snapshot_hint, timestamp_hint,
};
use matrixone::{Client, ErrorKind, Executor, Statement, Value, query};
use sea_query::extension::mysql::{IndexHintScope, MySqlSelectStatementExt};
use sea_query::{
    Alias, Asterisk, Expr, ExprTrait, JoinType, LockType, NullOrdering, Order, Query, SelectStatement,
    UnionType, WithClause,
};

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn at_s1(select: &SelectStatement) -> String {
    SnapshotRead::at_snapshot(select, "s1").expect("renders").sql().to_owned()
}

fn refused(result: matrixone::Result<SnapshotRead>) -> String {
    match result {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
            e.to_string()
        }
        Ok(read) => panic!("rendered {:?}; expected InvalidInput", read.sql()),
    }
}

#[test]
fn single_table_every_point_kind() {
    let select = Query::select().column(a("id")).from(a("users")).to_owned();
    assert_eq!(at_s1(&select), "SELECT `id` FROM `users` {SNAPSHOT = 's1'}");
    assert_eq!(
        SnapshotRead::at_snapshot(&select, "Daily_01").unwrap().sql(),
        "SELECT `id` FROM `users` {SNAPSHOT = 'daily_01'}"
    );
    assert_eq!(
        SnapshotRead::at_timestamp(&select, "2026-01-02 03:04:05").unwrap().sql(),
        "SELECT `id` FROM `users` {TIMESTAMP = '2026-01-02 03:04:05'}"
    );
    assert_eq!(
        SnapshotRead::at_mo_ts(&select, 1_767_323_045_000_000_000).unwrap().sql(),
        "SELECT `id` FROM `users` {MO_TS = 1767323045000000000}"
    );
    let read = SnapshotRead::new(&select, ReadAt::snapshot("s1")).unwrap();
    assert_eq!(read.read_at(), &ReadAt::snapshot("s1"));
}

#[test]
fn qualified_names_and_aliases() {
    let select =
        Query::select().column((a("u"), a("id"))).from_as((a("shop"), a("users")), a("u")).to_owned();
    assert_eq!(at_s1(&select), "SELECT `u`.`id` FROM `shop`.`users` {SNAPSHOT = 's1'} AS `u`");

    // Backticks inside names are doubled by sea-query; the hint still follows the whole name.
    let select = Query::select().column(Asterisk).from((a("my`db"), a("we`ird"))).to_owned();
    assert_eq!(at_s1(&select), "SELECT * FROM `my``db`.`we``ird` {SNAPSHOT = 's1'}");
}

#[test]
fn comma_list_like_the_reference_example() {
    // Reference §1b: `select * from t1 {snapshot = "sp0"}, t2 {snapshot = "sp0"} order by t1.a asc`.
    let select = Query::select()
        .column(Asterisk)
        .from(a("t1"))
        .from(a("t2"))
        .order_by((a("t1"), a("a")), Order::Asc)
        .to_owned();
    assert_eq!(
        SnapshotRead::at_snapshot(&select, "sp0").unwrap().sql(),
        "SELECT * FROM `t1` {SNAPSHOT = 'sp0'}, `t2` {SNAPSHOT = 'sp0'} ORDER BY `t1`.`a` ASC"
    );
}

#[test]
fn joins_with_aliases() {
    let select = Query::select()
        .column((a("u"), a("name")))
        .column((a("o"), a("total")))
        .from_as(a("users"), a("u"))
        .join_as(
            JoinType::InnerJoin,
            a("orders"),
            a("o"),
            Expr::col((a("o"), a("user_id"))).equals((a("u"), a("id"))),
        )
        .left_join((a("shop"), a("items")), Expr::col((a("items"), a("order_id"))).equals((a("o"), a("id"))))
        .join(JoinType::RightJoin, a("tags"), Expr::col((a("tags"), a("id"))).equals((a("items"), a("tag"))))
        .to_owned();
    assert_eq!(
        at_s1(&select),
        "SELECT `u`.`name`, `o`.`total` FROM `users` {SNAPSHOT = 's1'} AS `u` \
         INNER JOIN `orders` {SNAPSHOT = 's1'} AS `o` ON `o`.`user_id` = `u`.`id` \
         LEFT JOIN `shop`.`items` {SNAPSHOT = 's1'} ON `items`.`order_id` = `o`.`id` \
         RIGHT JOIN `tags` {SNAPSHOT = 's1'} ON `tags`.`id` = `items`.`tag`"
    );
}

#[test]
fn subqueries_everywhere() {
    let inner = Query::select().column(a("user_id")).from_as(a("orders"), a("o")).to_owned();
    let derived = Query::select().column(a("id")).from(a("users")).to_owned();
    let scalar = Query::select().expr(Expr::col(a("n")).max()).from((a("stats"), a("counts"))).to_owned();
    let select = Query::select()
        .column((a("d"), a("id")))
        .expr_as(Expr::SubQuery(None, Box::new(scalar.into())), a("m"))
        .from_subquery(derived, a("d"))
        .join_subquery(
            JoinType::InnerJoin,
            Query::select().column(a("id")).from(a("vip")).to_owned(),
            a("v"),
            Expr::col((a("v"), a("id"))).equals((a("d"), a("id"))),
        )
        .and_where(Expr::col((a("d"), a("id"))).in_subquery(inner))
        .and_where(Expr::exists(Query::select().column(a("x")).from(a("flags")).to_owned()))
        .to_owned();
    assert_eq!(
        at_s1(&select),
        "SELECT `d`.`id`, (SELECT MAX(`n`) FROM `stats`.`counts` {SNAPSHOT = 's1'}) AS `m` \
         FROM (SELECT `id` FROM `users` {SNAPSHOT = 's1'}) AS `d` \
         INNER JOIN (SELECT `id` FROM `vip` {SNAPSHOT = 's1'}) AS `v` ON `v`.`id` = `d`.`id` \
         WHERE `d`.`id` IN (SELECT `user_id` FROM `orders` {SNAPSHOT = 's1'} AS `o`) \
         AND EXISTS(SELECT `x` FROM `flags` {SNAPSHOT = 's1'})"
    );
}

#[test]
fn unions_group_having_limit() {
    let other = Query::select().column(a("id")).from(a("archived_users")).to_owned();
    let select = Query::select()
        .column(a("id"))
        .from(a("users"))
        .group_by_col(a("id"))
        .and_having(Expr::col(a("id")).gt(0))
        .union(UnionType::All, other)
        .limit(10)
        .to_owned();
    let read = SnapshotRead::at_snapshot(&select, "s1").unwrap();
    assert_eq!(
        read.sql(),
        "SELECT `id` FROM `users` {SNAPSHOT = 's1'} GROUP BY `id` HAVING `id` > ? \
         UNION ALL (SELECT `id` FROM `archived_users` {SNAPSHOT = 's1'}) LIMIT ?"
    );
    assert_eq!(read.values(), &[Value::from(0i32), Value::from(10u64)]);
}

#[test]
fn index_hints_follow_the_alias_and_lock_tables_are_not_hinted() {
    let select = Query::select()
        .column(a("id"))
        .from_as(a("users"), a("u"))
        .use_index(a("idx_name"), IndexHintScope::All)
        .to_owned();
    assert_eq!(at_s1(&select), "SELECT `id` FROM `users` {SNAPSHOT = 's1'} AS `u` USE INDEX (`idx_name`)");

    let select = Query::select().column(a("id")).from(a("users")).lock(LockType::Share).to_owned();
    assert_eq!(at_s1(&select), "SELECT `id` FROM `users` {SNAPSHOT = 's1'} LOCK IN SHARE MODE");
}

#[test]
fn bound_values_stay_bound_and_are_not_rewritten() {
    // A value that looks like a table reference is a bound value, never SQL.
    let select = Query::select()
        .column(a("id"))
        .from(a("t"))
        .and_where(Expr::col(a("note")).eq("x FROM `evil` {SNAPSHOT = 's2'}"))
        .to_owned();
    let read = SnapshotRead::at_snapshot(&select, "s1").unwrap();
    assert_eq!(read.sql(), "SELECT `id` FROM `t` {SNAPSHOT = 's1'} WHERE `note` = ?");
    let stmt: Statement = read.into();
    assert_eq!(stmt.values(), &[Value::from("x FROM `evil` {SNAPSHOT = 's2'}")]);
    assert!(!stmt.is_text_only());
}

#[test]
fn raw_fragments_are_left_alone() {
    // `Expr::cust` is the caller's SQL: the SDK does not parse it, so it is not rewritten.
    let select =
        Query::select().expr(Expr::cust("EXTRACT(YEAR FROM `created`)")).from(a("events")).to_owned();
    assert_eq!(at_s1(&select), "SELECT EXTRACT(YEAR FROM `created`) FROM `events` {SNAPSHOT = 's1'}");
}

#[test]
fn timestamps() {
    let select = Query::select().column(a("id")).from(a("t")).to_owned();
    let sql = |ts: ReadTimestamp| SnapshotRead::at_timestamp(&select, ts).map(|r| r.sql().to_owned());

    let dt = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap().and_hms_nano_opt(3, 4, 5, 120_000_000).unwrap();
    assert_eq!(sql(dt.into()).unwrap(), "SELECT `id` FROM `t` {TIMESTAMP = '2026-01-02 03:04:05.120'}");
    let whole = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap().and_hms_opt(3, 4, 5).unwrap();
    assert_eq!(sql(whole.into()).unwrap(), "SELECT `id` FROM `t` {TIMESTAMP = '2026-01-02 03:04:05'}");
    let utc = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    assert_eq!(sql(utc.into()).unwrap(), "SELECT `id` FROM `t` {TIMESTAMP = '2026-01-02 03:04:05'}");
    assert_eq!(
        sql("2026-01-02 03:04:05.000000001".into()).unwrap(),
        "SELECT `id` FROM `t` {TIMESTAMP = '2026-01-02 03:04:05.000000001'}"
    );

    for bad in [
        "",
        "2026-01-02",
        "2026-01-02T03:04:05",
        "2026-01-02 03:04:05Z",
        "2026-01-02 03:04:05.",
        "2026-01-02 03:04:05.1234567890",
        "2026-01-02 03:04:05.12a",
        "2026-13-02 03:04:05",
        "2026-02-29 03:04:05",
        "2026-01-02 24:00:00",
        " 2026-01-02 03:04:05",
        "2026-01-02 03:04:05' OR '1'='1",
        "1970-01-01 00:00:00",
        "1969-12-31 23:59:59.5",
        "+2026-01-02 03:04:0",
    ] {
        refused(SnapshotRead::at_timestamp(&select, bad));
        assert!(timestamp_hint(bad).is_err(), "{bad:?}");
    }
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    refused(SnapshotRead::at_timestamp(&select, epoch));
    let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    refused(SnapshotRead::at_timestamp(&select, far));
}

#[test]
fn bad_snapshot_names_and_mo_ts_are_refused() {
    let select = Query::select().column(a("id")).from(a("t")).to_owned();
    for bad in ["", "bad name", "s1'", "s1'} UNION SELECT 1 -- ", "s-1", "s1\\", "s\u{e9}", "s1\0"] {
        refused(SnapshotRead::at_snapshot(&select, bad));
        assert_eq!(snapshot_hint(bad).unwrap_err().kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
    for bad in [0, -1, i64::MIN] {
        refused(SnapshotRead::at_mo_ts(&select, bad));
        assert_eq!(mo_ts_hint(bad).unwrap_err().kind(), ErrorKind::InvalidInput);
    }
    assert_eq!(mo_ts_hint(i64::MAX).unwrap(), "{MO_TS = 9223372036854775807}");
}

#[test]
fn statements_that_cannot_be_hinted_exactly_are_refused() {
    // No table: nothing would be read at the snapshot.
    let no_table = Query::select().expr(Expr::val(1)).to_owned();
    assert!(refused(SnapshotRead::at_snapshot(&no_table, "s1")).contains("no table"));

    // WITH: the hint would also land on the references to the CTE's name.
    let cte = Query::select().column(a("id")).from(a("users")).to_owned();
    let with = WithClause::new()
        .cte(sea_query::CommonTableExpression::new().query(cte).table_name(a("c")).to_owned())
        .to_owned();
    let select = Query::select().column(a("id")).from(a("c")).with_cte(with).to_owned();
    assert!(refused(SnapshotRead::at_snapshot(&select, "s1")).contains("WITH"));

    // NULLS ordering: MySQL's emulation is not reproduced, so it is refused, never mis-rendered.
    let select = Query::select()
        .column(a("id"))
        .from(a("t"))
        .order_by_with_nulls(a("id"), Order::Asc, NullOrdering::Last)
        .to_owned();
    assert!(refused(SnapshotRead::at_snapshot(&select, "s1")).contains("does not reproduce"));
}

#[test]
fn hints_for_hand_written_sql() {
    assert_eq!(snapshot_hint("S1").unwrap(), "{SNAPSHOT = 's1'}");
    assert_eq!(timestamp_hint("2026-01-02 03:04:05.5").unwrap(), "{TIMESTAMP = '2026-01-02 03:04:05.5'}");
    assert_eq!(mo_ts_hint(7).unwrap(), "{MO_TS = 7}");
    let sql = format!("SELECT COUNT(*) FROM `t` {} AS x", snapshot_hint("s1").unwrap());
    assert_eq!(sql, "SELECT COUNT(*) FROM `t` {SNAPSHOT = 's1'} AS x");
}

#[test]
fn subquery_in_order_by_is_hinted_too() {
    let rank = Query::select()
        .expr(Expr::col(a("score")).max())
        .from(a("scores"))
        .and_where(Expr::col((a("scores"), a("user_id"))).equals((a("users"), a("id"))))
        .to_owned();
    let select = Query::select()
        .column(a("id"))
        .from(a("users"))
        .order_by_expr(Expr::SubQuery(None, Box::new(rank.into())), Order::Desc)
        .to_owned();
    assert_eq!(
        at_s1(&select),
        "SELECT `id` FROM `users` {SNAPSHOT = 's1'} ORDER BY (SELECT MAX(`score`) FROM `scores` \
         {SNAPSHOT = 's1'} WHERE `scores`.`user_id` = `users`.`id`) DESC"
    );
}

/// End to end through mosim (the MatrixOne simulator, on the test MariaDB): change the data
/// after a snapshot, then read the old rows back through a join, a subquery and a bound value,
/// at the snapshot and at its timestamp.
#[tokio::test]
async fn reads_the_old_rows_through_mosim() {
    let backend = std::env::var("MOSIM_BACKEND").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
    let server = mosim::Server::start(&backend).await.expect("mosim starts on the test MariaDB");
    let client = Client::connect(&server.url("test")).await.expect("connect to mosim");
    let users = support::unique("sr_users");
    let orders = support::unique("sr_orders");
    let snap = support::unique("sr_snap");

    for sql in [
        format!("DROP TABLE IF EXISTS `{users}`"),
        format!("DROP TABLE IF EXISTS `{orders}`"),
        format!("CREATE TABLE `{users}` (id INT PRIMARY KEY, name VARCHAR(20))"),
        format!("CREATE TABLE `{orders}` (id INT PRIMARY KEY, user_id INT, total INT)"),
        format!("INSERT INTO `{users}` VALUES (1, 'alice'), (2, 'bob'), (3, 'carol')"),
        format!("INSERT INTO `{orders}` VALUES (10, 1, 100), (11, 2, 200)"),
    ] {
        client.execute(sql).await.expect("set-up");
    }
    let info = client.snapshots().create(Snapshot::create(&snap).database("test")).await.expect("snapshot");
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    for sql in [
        format!("UPDATE `{users}` SET name = 'ALICE' WHERE id = 1"),
        format!("DELETE FROM `{users}` WHERE id = 2"),
        format!("INSERT INTO `{orders}` VALUES (12, 3, 300)"),
    ] {
        client.execute(sql).await.expect("change");
    }

    // Users with an order, by name, with an id above a bound value (so it goes prepared).
    let select = Query::select()
        .column((a("u"), a("id")))
        .column((a("u"), a("name")))
        .column((a("o"), a("total")))
        .from_as(a(&users), a("u"))
        .join_as(
            JoinType::InnerJoin,
            (a("test"), a(&orders)),
            a("o"),
            Expr::col((a("o"), a("user_id"))).equals((a("u"), a("id"))),
        )
        .and_where(Expr::col((a("u"), a("id"))).gt(0))
        .and_where(
            Expr::col((a("u"), a("id")))
                .in_subquery(Query::select().column(a("user_id")).from(a(&orders)).to_owned()),
        )
        .order_by((a("u"), a("id")), Order::Asc)
        .to_owned();

    let now: Vec<(i32, String, i32)> = client.fetch_all(&select).await.expect("read now");
    assert_eq!(now, vec![(1, "ALICE".to_owned(), 100), (3, "carol".to_owned(), 300)]);

    let then = vec![(1, "alice".to_owned(), 100), (2, "bob".to_owned(), 200)];
    let at_snapshot = SnapshotRead::at_snapshot(&select, &snap).expect("renders");
    let rows: Vec<(i32, String, i32)> = client.fetch_all(at_snapshot).await.expect("read at the snapshot");
    assert_eq!(rows, then);

    let at_time = SnapshotRead::at_timestamp(&select, info.timestamp).expect("renders");
    let rows: Vec<(i32, String, i32)> = client.fetch_all(at_time).await.expect("read at the timestamp");
    assert_eq!(rows, then);

    // Hand-written SQL with a rendered hint.
    let sql = format!("SELECT COUNT(*) FROM `{users}` {}", snapshot_hint(&snap).unwrap());
    assert_eq!(client.fetch_scalar::<i64>(sql).await.expect("count at the snapshot"), 3);

    client.snapshots().delete(&snap).await.expect("drop snapshot");
    for table in [&users, &orders] {
        client.execute(query(format!("DROP TABLE `{table}`"))).await.expect("drop");
    }
    client.close().await;
    server.shutdown().await;
}
