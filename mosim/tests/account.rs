//! Accounts, logins, users / roles / grants and publications / subscriptions between
//! accounts, over TCP with a plain MySQL client (texts from MatrixOne's
//! test/distributed/cases/tenant/tenant.result, pkg/frontend/session.go and
//! publication_subscription/*.result).
mod common;

use common::*;
use sqlx::mysql::{MySqlConnectOptions, MySqlConnection};
use sqlx::{Column, Connection, Row};

/// A connection as `login` (e.g. `acc:admin`) with `password`.
async fn login(
    server: &mosim::Server,
    login: &str,
    password: &str,
    db: Option<&str>,
) -> Result<MySqlConnection, sqlx::Error> {
    let mut o = MySqlConnectOptions::new()
        .host("127.0.0.1")
        .port(server.addr().port())
        .username(login)
        .password(password)
        .ssl_mode(sqlx::mysql::MySqlSslMode::Disabled);
    if let Some(db) = db {
        o = o.database(db);
    }
    MySqlConnection::connect_with(&o).await
}

/// Rows of `sql` read by the `mariadb` command-line client, which reads MatrixOne's column
/// type 0xF1 (sqlx refuses it), tab-separated.
async fn cli(server: &mosim::Server, login: &str, password: &str, sql: &str) -> Vec<Vec<String>> {
    let out = tokio::process::Command::new("mariadb")
        .args([
            "-h127.0.0.1",
            &format!("-P{}", server.addr().port()),
            &format!("-u{login}"),
            &format!("-p{password}"),
        ])
        .args(["--skip-ssl", "-N", "-B", "-e", sql])
        .output()
        .await
        .expect("the mariadb client runs");
    assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split('\t').map(str::to_owned).collect()).collect()
}

async fn strings(c: &mut MySqlConnection, sql: &str) -> Vec<String> {
    rows(c, sql).await.iter().map(|r| r.get::<String, _>(0)).collect()
}

#[tokio::test]
async fn accounts_logins_and_isolation() {
    let server = server().await;
    let acc = unique("amosim_acc");
    let mut sys = connect(&server, "test").await;
    exec(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw1' comment 'c1'"))
        .await;
    let (code, msg) =
        err(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw1'")).await;
    assert_eq!((code, msg.as_str()), (20101, format!("internal error: the tenant {acc} exists").as_str()));
    exec(&mut sys, &format!("create account if not exists {acc} admin_name 'admin' identified by 'pw1'"))
        .await;
    let shown = rows(&mut sys, "show accounts").await;
    let mine = shown.iter().find(|r| r.get::<String, _>(0) == acc).expect("listed");
    assert_eq!(mine.get::<String, _>(1), "admin");
    assert_eq!(mine.get::<String, _>(3), "open");
    assert_eq!(mine.get::<String, _>(9), "c1");
    assert_eq!(shown[0].get::<String, _>(0), "sys");

    // A wrong password is refused with 1045; the right one lands in the account.
    let e = login(&server, &format!("{acc}:admin"), "nope", None).await.unwrap_err();
    let (code, msg) = db_error(e);
    assert_eq!(code, 1045);
    assert!(msg.ends_with("internal error: check password failed"), "{msg}");
    let e = login(&server, &format!("{acc}:ghost"), "pw1", None).await.unwrap_err();
    assert!(db_error(e).1.ends_with("there is no user ghost"));
    let mut a = login(&server, &format!("{acc}:admin"), "pw1", None).await.unwrap();
    assert_eq!(strings(&mut a, "select current_account_name()").await, vec![acc.clone()]);
    assert_eq!(strings(&mut a, "select current_user_name()").await, vec!["admin".to_owned()]);

    // The account's databases are its own: sys does not see them, and it sees none of sys's.
    exec(&mut a, "create database d1").await;
    exec(&mut a, "use d1").await;
    exec(&mut a, "create table t (a int primary key)").await;
    exec(&mut a, "insert into d1.t values (1), (2)").await;
    assert_eq!(ints(&mut a, "select a from t order by a").await, vec![1, 2]);
    assert_eq!(strings(&mut a, "select database()").await, vec!["d1".to_owned()]);
    let dbs = strings(&mut a, "show databases").await;
    assert!(dbs.contains(&"d1".to_owned()) && !dbs.contains(&"test".to_owned()), "{dbs:?}");
    assert_eq!(err(&mut a, "use nowhere").await, (1049, "Unknown database nowhere".to_owned()));
    assert_eq!(err(&mut a, "create database d1").await, (1007, "database d1 already exists".to_owned()));
    assert_eq!(
        err(&mut a, "drop database nowhere").await,
        (1008, "Can't drop database 'nowhere'; database doesn't exist".to_owned())
    );
    exec(&mut a, "drop database if exists nowhere").await;
    let (code, msg) = err(&mut a, "select * from test.nothing_here").await;
    assert_eq!(code, 1146, "sys's database is not reachable: {msg}");
    assert!(!msg.contains("'test."), "{msg}");
    // information_schema shows the account's view: its names, not sys's databases.
    assert_eq!(
        strings(&mut a, "select table_name from information_schema.tables where table_schema = database()")
            .await,
        vec!["t".to_owned()]
    );
    let schemata = strings(&mut a, "select schema_name from information_schema.schemata order by 1").await;
    assert!(schemata.contains(&"d1".to_owned()) && !schemata.contains(&"test".to_owned()), "{schemata:?}");
    assert!(!schemata.iter().any(|d| d.contains('$')), "{schemata:?}");
    assert_eq!(
        ints(&mut a, "select count(*) from information_schema.columns c where c.table_schema = 'd1' and c.table_name = 't' and c.column_name = 'a'")
            .await,
        vec![1]
    );
    let sys_dbs = strings(&mut sys, "show databases").await;
    assert!(!sys_dbs.iter().any(|d| d.contains('$')), "{sys_dbs:?}");
    let (code, msg) = err(&mut sys, "use d1").await;
    assert_eq!(code, 1049, "{msg}");
    // Logging in with a database names the account's.
    let mut a2 = login(&server, &format!("{acc}:admin"), "pw1", Some("d1")).await.unwrap();
    assert_eq!(ints(&mut a2, "select count(*) from t").await, vec![2]);
    drop(a2);

    // Only sys runs account statements.
    let (code, msg) = err(&mut a, "create account x1 admin_name 'u' identified by 'p'").await;
    assert_eq!(
        (code, msg.as_str()),
        (20101, "internal error: do not have privilege to execute the statement")
    );

    // Suspended: no login.
    exec(&mut sys, &format!("alter account {acc} suspend")).await;
    let e = login(&server, &format!("{acc}:admin"), "pw1", None).await.unwrap_err();
    assert!(db_error(e).1.ends_with(&format!("Account {acc} is suspended")));
    exec(&mut sys, &format!("alter account {acc} open")).await;
    exec(&mut sys, &format!("alter account {acc} admin_name 'admin' identified by 'pw2'")).await;
    assert!(login(&server, &format!("{acc}:admin"), "pw1", None).await.is_err());
    login(&server, &format!("{acc}#admin"), "pw2", None).await.unwrap();

    // Dropping the account drops its databases.
    drop(a);
    exec(&mut sys, &format!("drop account {acc}")).await;
    let (_, msg) = err(&mut sys, &format!("drop account {acc}")).await;
    assert_eq!(msg, format!("internal error: there is no account {acc}"));
    let left: Vec<String> = strings(
        &mut sys,
        &format!("select schema_name from information_schema.schemata where schema_name like '{acc}$%'"),
    )
    .await;
    assert!(left.is_empty(), "{left:?}");
    let (_, msg) = err(&mut sys, "drop account sys").await;
    assert_eq!(msg, "internal error: can not delete the account sys");
    let e = login(&server, &format!("{acc}:admin"), "pw2", None).await.unwrap_err();
    assert!(db_error(e).1.ends_with(&format!("there is no tenant {acc}")));
}

#[tokio::test]
async fn users_roles_and_privileges() {
    let server = server().await;
    let acc = unique("amosim_priv");
    let mut sys = connect(&server, "test").await;
    exec(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw'")).await;
    let mut a = login(&server, &format!("{acc}:admin"), "pw", None).await.unwrap();
    exec(&mut a, "create database d").await;
    exec(&mut a, "create table d.t (a int)").await;
    exec(&mut a, "insert into d.t values (7)").await;
    exec(&mut a, "create user u1 identified by 'upw'").await;
    let (_, msg) = err(&mut a, "create user u1 identified by 'upw'").await;
    assert_eq!(msg, "internal error: the user u1 exists");
    exec(&mut a, "create role reader").await;
    exec(&mut a, "grant select on table d.t to reader").await;
    exec(&mut a, "grant reader to u1").await;
    let grants = strings(&mut a, "show grants for u1").await;
    assert_eq!(grants, vec!["GRANT select ON table d.t `u1`@`localhost`".to_owned()]);

    let mut u = login(&server, &format!("{acc}:u1"), "upw", None).await.unwrap();
    assert_eq!(strings(&mut u, "select current_role_name()").await, vec!["public".to_owned()]);
    exec(&mut u, "set role reader").await;
    assert_eq!(strings(&mut u, "select current_role_name()").await, vec!["reader".to_owned()]);
    let (_, msg) = err(&mut u, "use role accountadmin").await;
    assert_eq!(msg, "internal error: the role accountadmin has not been granted to the user u1");
    assert_eq!(ints(&mut u, "select a from d.t").await, vec![7]);
    let no = (20101, "internal error: do not have privilege to execute the statement".to_owned());
    assert_eq!(err(&mut u, "insert into d.t values (8)").await, no);
    assert_eq!(err(&mut u, "create database other").await, no);
    assert_eq!(err(&mut u, "create user u2 identified by 'x'").await, no);
    exec(&mut a, "grant insert on table d.* to reader").await;
    exec(&mut u, "insert into d.t values (8)").await;
    exec(&mut a, "revoke select on table d.t from reader").await;
    assert_eq!(err(&mut u, "select a from d.t").await, no);

    // A user granted accountadmin administers the account.
    exec(&mut a, "create user boss identified by 'bpw'").await;
    exec(&mut a, "grant accountadmin to boss").await;
    let mut boss = login(&server, &format!("{acc}:boss"), "bpw", None).await.unwrap();
    exec(&mut boss, "create role r_by_boss").await;
    exec(&mut boss, "insert into d.t values (9)").await;
    drop(boss);
    // Locked users and dropped users cannot log in.
    exec(&mut a, "alter user u1 lock").await;
    let e = login(&server, &format!("{acc}:u1"), "upw", None).await.unwrap_err();
    assert!(db_error(e).1.contains("user is locked"));
    exec(&mut a, "alter user u1 unlock").await;
    let e = login(&server, &format!("{acc}:u1:writer"), "upw", None).await.unwrap_err();
    assert!(db_error(e).1.ends_with("there is no role writer"));
    exec(&mut a, "drop user u1").await;
    assert!(login(&server, &format!("{acc}:u1"), "upw", None).await.is_err());
    // Users are mosim's, never MariaDB's; MariaDB's own user statements do not reach it.
    for sql in ["set password = password('x')", "rename user root to r2"] {
        assert_eq!(err(&mut sys, sql).await.0, 20105, "{sql}");
    }
    assert!(strings(&mut sys, "select user from mysql.user where user = 'u1'").await.is_empty());
    exec(&mut sys, &format!("drop account {acc}")).await;
}

#[tokio::test]
async fn publications_and_subscriptions() {
    let server = server().await;
    let publ = unique("amosim_pub");
    let sub = unique("amosim_sub");
    let mut sys = connect(&server, "test").await;
    for acc in [&publ, &sub] {
        exec(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw'")).await;
    }
    let mut p = login(&server, &format!("{publ}:admin"), "pw", None).await.unwrap();
    exec(&mut p, "create database src").await;
    exec(&mut p, "create table src.t (a int)").await;
    exec(&mut p, "insert into src.t values (1)").await;
    let (_, msg) = err(&mut p, &format!("create publication p1 database src account {publ}")).await;
    assert_eq!(msg, "internal error: can't publish to self");
    let (_, msg) = err(&mut p, "create publication p1 database src account nobody_xyz").await;
    assert_eq!(msg, "internal error: not existed account name 'nobody_xyz'");
    exec(&mut p, &format!("create publication p1 database src account {sub} comment 'first'")).await;
    let shown = cli(&server, &format!("{publ}:admin"), "pw", "show publications").await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0][..4], ["p1", "src", "*", &sub]);
    assert_eq!(shown[0][7], "first");

    let mut s = login(&server, &format!("{sub}:admin"), "pw", None).await.unwrap();
    let (_, msg) = err(&mut s, &format!("create database x from {publ} publication nope")).await;
    assert_eq!(msg, "internal error: there is no publication nope");
    exec(&mut s, &format!("create database mirror from {publ} publication p1")).await;
    assert_eq!(ints(&mut s, "select a from mirror.t").await, vec![1]);
    // The publisher's later insert is seen: the subscription reads its current data.
    exec(&mut p, "insert into src.t values (2)").await;
    assert_eq!(ints(&mut s, "select a from mirror.t order by a").await, vec![1, 2]);
    let (_, msg) = err(&mut s, "insert into mirror.t values (3)").await;
    assert_eq!(msg, "internal error: cannot insert/update/delete from public table");
    exec(&mut s, "use mirror").await;
    let (_, msg) = err(&mut s, "delete from t").await;
    assert_eq!(msg, "internal error: cannot insert/update/delete from public table");
    let subs = cli(&server, &format!("{sub}:admin"), "pw", "show subscriptions").await;
    assert_eq!(subs.len(), 1, "{subs:?}");
    assert_eq!(subs[0][..4], ["p1", &publ, "src", "*"]);
    assert_eq!(subs[0][6], "mirror");
    assert_eq!(subs[0][8], "0");
    assert!(strings(&mut s, "show databases").await.contains(&"mirror".to_owned()));
    let shown = cli(&server, &format!("{publ}:admin"), "pw", "show publications").await;
    assert_eq!(shown[0][4], sub);
    let (_, msg) = err(&mut p, "drop database src").await;
    assert_eq!(msg, "internal error: can not drop database 'src' which is publishing");
    // A publication dropped under its subscription: status 2 (deleted).
    exec(&mut p, "create database src2").await;
    exec(&mut p, &format!("create publication p2 database src2 account {sub}")).await;
    exec(&mut s, &format!("create database mirror2 from {publ} publication p2")).await;
    exec(&mut p, "drop publication p2").await;
    let subs = cli(&server, &format!("{sub}:admin"), "pw", "show subscriptions").await;
    let gone = subs.iter().find(|r| r[0] == "p2").expect("listed");
    assert_eq!((gone[6].as_str(), gone[8].as_str()), ("mirror2", "2"));
    exec(&mut s, "drop database mirror2").await;
    // Dropping the subscription leaves the publisher's data.
    exec(&mut s, "use information_schema").await;
    exec(&mut s, "drop database mirror").await;
    assert_eq!(ints(&mut p, "select count(*) from src.t").await, vec![2]);
    assert!(cli(&server, &format!("{sub}:admin"), "pw", "show subscriptions").await.is_empty());
    exec(&mut p, "drop publication p1").await;
    let (_, msg) = err(&mut p, "drop publication p1").await;
    assert_eq!(msg, "internal error: publication 'p1' does not exist");
    drop((p, s));
    for acc in [&publ, &sub] {
        exec(&mut sys, &format!("drop account {acc}")).await;
    }
}

#[tokio::test]
async fn prepared_statements_init_db_and_transactions_follow_the_account() {
    let server = server().await;
    let acc = unique("amosim_prep");
    let mut sys = connect(&server, "test").await;
    exec(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw'")).await;
    let mut a = login(&server, &format!("{acc}:admin"), "pw", None).await.unwrap();
    exec(&mut a, "create database d1").await;
    exec(&mut a, "create table d1.t (a int)").await;
    exec(&mut a, "insert into d1.t values (5)").await;
    // A prepared statement (sqlx binds) reads the account's database, not sys's.
    let n: i64 =
        sqlx::query_scalar("select count(*) from d1.t where a = ?").bind(5).fetch_one(&mut a).await.unwrap();
    assert_eq!(n, 1);
    let e = sqlx::query("select * from test.nothing_here where 1 = ?")
        .bind(1)
        .fetch_all(&mut a)
        .await
        .unwrap_err();
    assert!(!db_error(e).1.contains("'test."));
    let e = sqlx::query("create user u9 identified by 'x'").execute(&mut a).await.unwrap_err();
    assert_eq!(db_error(e).0, 20105);
    // COM_INIT_DB (the mariadb client's `use`) names the account's database.
    let out = cli(&server, &format!("{acc}:admin"), "pw", "use d1; select a from t").await;
    assert_eq!(out, vec![vec!["5".to_owned()]]);
    // Account administration is refused in a transaction (stmt_kind.go).
    exec(&mut a, "begin").await;
    let (code, msg) = err(&mut a, "create user u9 identified by 'x'").await;
    assert_eq!(code, 20101);
    assert!(msg.contains("administrative command is unsupported in transactions"), "{msg}");
    exec(&mut a, "rollback").await;
    exec(&mut sys, "begin").await;
    let (_, msg) = err(&mut sys, &format!("drop account {acc}")).await;
    assert!(msg.contains("administrative command is unsupported in transactions"), "{msg}");
    exec(&mut sys, "rollback").await;
    drop(a);
    exec(&mut sys, &format!("drop account {acc}")).await;
}

#[tokio::test]
async fn publication_alterations_and_grant_listings() {
    let server = server().await;
    let (p1, a1, a2) = (unique("amosim_alt_p"), unique("amosim_alt_a"), unique("amosim_alt_b"));
    let mut sys = connect(&server, "test").await;
    for acc in [&p1, &a1, &a2] {
        exec(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw'")).await;
    }
    let mut p = login(&server, &format!("{p1}:admin"), "pw", None).await.unwrap();
    exec(&mut p, "create database db1").await;
    exec(&mut p, "create table db1.t (a int)").await;
    exec(&mut p, &format!("create publication pb database db1 account {a1}")).await;
    let mut s2 = login(&server, &format!("{a2}:admin"), "pw", None).await.unwrap();
    let (_, msg) = err(&mut s2, &format!("create database x from {p1} publication pb")).await;
    assert_eq!(
        msg,
        format!("internal error: the account {a2} is not allowed to subscribe the publication pb")
    );
    exec(&mut p, &format!("alter publication pb account add {a2}")).await;
    exec(&mut s2, &format!("create database x from {p1} publication pb")).await;
    let (code, msg) = err(&mut s2, "create table x.t2 (a int)").await;
    assert_eq!((code, msg.as_str()), (20101, "internal error: cannot create table in subscription database"));
    let create = cli(&server, &format!("{p1}:admin"), "pw", "show create publication pb").await;
    assert_eq!(create[0][1], format!("CREATE PUBLICATION `pb` DATABASE `db1` ACCOUNT `{a1}`, `{a2}`"));
    exec(&mut p, &format!("alter publication pb account drop {a1} comment 'two'")).await;
    let shown = cli(&server, &format!("{p1}:admin"), "pw", "show publications like 'p%'").await;
    assert_eq!(
        (shown[0][3].as_str(), shown[0][4].as_str(), shown[0][7].as_str()),
        (a2.as_str(), a2.as_str(), "two")
    );
    assert!(shown[0][6] != "NULL", "update_time is set: {shown:?}");
    // Subscriptions ALL lists what the account may subscribe to.
    let all = cli(&server, &format!("{a1}:admin"), "pw", "show subscriptions all").await;
    assert!(all.is_empty(), "{a1} was dropped from the publication: {all:?}");

    exec(&mut p, "create role r1").await;
    exec(&mut p, "grant create table, drop table on database db1 to r1").await;
    exec(&mut p, "grant all on table *.* to r1").await;
    let grants = strings(&mut p, "show grants for role r1").await;
    assert_eq!(
        grants,
        vec![
            "GRANT create table ON database db1 `r1`".to_owned(),
            "GRANT drop table ON database db1 `r1`".to_owned(),
            "GRANT table all ON table *.* `r1`".to_owned(),
        ]
    );
    let (_, msg) = err(&mut p, "grant select on table db1.t to accountadmin").await;
    assert_eq!(msg, "internal error: the privilege can not be granted to the role accountadmin");
    let (_, msg) = err(&mut p, "drop role nope").await;
    assert_eq!(msg, "internal error: there is no role nope");
    drop((p, s2));
    for acc in [&p1, &a1, &a2] {
        exec(&mut sys, &format!("drop account {acc}")).await;
    }
}

/// Account-level snapshots cover one account; restoring it leaves sys and the other
/// accounts as they are (snapshot.go `checkRestoreSnapshot`: the account must match).
#[tokio::test]
async fn account_snapshots_restore_one_account_only() {
    let server = server().await;
    let (a1, a2) = (unique("amosim_snap_a"), unique("amosim_snap_b"));
    let snap = unique("amosim_sp");
    let mut sys = connect(&server, "test").await;
    for acc in [&a1, &a2] {
        exec(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw'")).await;
    }
    let mut c1 = login(&server, &format!("{a1}:admin"), "pw", None).await.unwrap();
    let mut c2 = login(&server, &format!("{a2}:admin"), "pw", None).await.unwrap();
    for c in [&mut c1, &mut c2] {
        exec(c, "create database d").await;
        exec(c, "create table d.t (a int primary key)").await;
        exec(c, "insert into d.t values (1)").await;
    }
    let (code, _) = err(&mut c1, &format!("create snapshot {snap} for account {a1}")).await;
    assert_eq!(code, 20105, "an account's own snapshots are not simulated");
    exec(&mut sys, &format!("create snapshot {snap} for account {a1}")).await;
    let shown = rows(&mut sys, &format!("show snapshots where snapshot_name = '{snap}'")).await;
    assert_eq!(shown[0].get::<String, _>(3), a1);
    for c in [&mut c1, &mut c2] {
        exec(c, "insert into d.t values (2)").await;
        exec(c, "create database later").await;
    }
    let (_, msg) = err(&mut sys, &format!("restore account {a2} {{snapshot = '{snap}'}}")).await;
    assert_eq!(msg, format!("internal error: accountName({a2}) does not match snapshot.accountName({a1})"));
    exec(&mut sys, &format!("restore account {a1} {{snapshot = '{snap}'}}")).await;
    assert_eq!(ints(&mut c1, "select a from d.t order by a").await, vec![1]);
    assert!(!strings(&mut c1, "show databases").await.contains(&"later".to_owned()));
    // The other account is untouched.
    assert_eq!(ints(&mut c2, "select a from d.t order by a").await, vec![1, 2]);
    assert!(strings(&mut c2, "show databases").await.contains(&"later".to_owned()));
    exec(&mut sys, &format!("drop snapshot {snap}")).await;
    drop((c1, c2));
    for acc in [&a1, &a2] {
        exec(&mut sys, &format!("drop account {acc}")).await;
    }
}

#[tokio::test]
async fn clones_and_show_statements_stay_in_the_account() {
    let server = server().await;
    let acc = unique("amosim_clone");
    let mut sys = connect(&server, "test").await;
    exec(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw'")).await;
    let mut a = login(&server, &format!("{acc}:admin"), "pw", None).await.unwrap();
    exec(&mut a, "create database d1").await;
    exec(&mut a, "create table d1.t (a int)").await;
    exec(&mut a, "insert into d1.t values (3)").await;
    exec(&mut a, "create database d2 clone d1").await;
    assert_eq!(ints(&mut a, "select a from d2.t").await, vec![3]);
    exec(&mut a, "use d2").await;
    exec(&mut a, "create table t2 clone t").await;
    assert_eq!(strings(&mut a, "show tables").await, vec!["t".to_owned(), "t2".to_owned()]);
    assert_eq!(strings(&mut a, "show tables from d1").await, vec!["t".to_owned()]);
    // sys's databases cannot be cloned into the account.
    let (code, _) = err(&mut a, "create database d3 clone test").await;
    assert_ne!(code, 0);
    assert!(!strings(&mut a, "show databases").await.contains(&"d3".to_owned()));
    drop(a);
    exec(&mut sys, &format!("drop account {acc}")).await;
}

/// A publication of some tables shows the subscriber those tables only
/// (publication_subscription/pub_sub2.result: `table "secret_table" does not exist`).
#[tokio::test]
async fn a_table_publication_shows_its_tables_only() {
    let server = server().await;
    let (p1, s1) = (unique("amosim_tp_p"), unique("amosim_tp_s"));
    let mut sys = connect(&server, "test").await;
    for acc in [&p1, &s1] {
        exec(&mut sys, &format!("create account {acc} admin_name 'admin' identified by 'pw'")).await;
    }
    let mut p = login(&server, &format!("{p1}:admin"), "pw", None).await.unwrap();
    exec(&mut p, "create database db1").await;
    exec(&mut p, "create table db1.open_t (a int)").await;
    exec(&mut p, "create table db1.secret_table (a int)").await;
    exec(&mut p, "insert into db1.open_t values (1)").await;
    exec(&mut p, &format!("create publication tp database db1 table open_t account {s1}")).await;
    let mut s = login(&server, &format!("{s1}:admin"), "pw", None).await.unwrap();
    exec(&mut s, &format!("create database sub1 from {p1} publication tp")).await;
    assert_eq!(ints(&mut s, "select a from sub1.open_t").await, vec![1]);
    let (code, msg) = err(&mut s, "select * from sub1.secret_table").await;
    assert_eq!((code, msg.as_str()), (1064, "SQL parser error: table \"secret_table\" does not exist"));
    exec(&mut s, "use sub1").await;
    let (_, msg) = err(&mut s, "select * from secret_table").await;
    assert_eq!(msg, "SQL parser error: table \"secret_table\" does not exist");
    let shown = rows(&mut s, "show tables").await;
    assert_eq!(shown.iter().map(|r| r.get::<String, _>(0)).collect::<Vec<_>>(), vec!["open_t".to_owned()]);
    assert_eq!(shown[0].columns()[0].name(), "Tables_in_sub1");
    assert_eq!(
        strings(&mut p, "show tables from db1").await,
        vec!["open_t".to_owned(), "secret_table".to_owned()]
    );
    drop((p, s));
    for acc in [&p1, &s1] {
        exec(&mut sys, &format!("drop account {acc}")).await;
    }
}
