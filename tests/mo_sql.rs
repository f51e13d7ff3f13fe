//! Golden SQL for every MatrixOne statement form the builders render, in both dialects, and the
//! inputs they must refuse before anything is sent.

use chrono::NaiveDate;
use matrixone::ErrorKind;
use matrixone::mo::{self, Dialect, MoCtl, MoStatement, Pitr, PitrUnit, Restore, Snapshot};

const TS: &str = "2026-01-02 03:04:05";

/// Renders in both dialects and checks they agree (every statement but RESTORE).
fn same_in_both<S: MoStatement>(stmt: &S) -> String {
    let v4 = stmt.render(Dialect::V4).expect("renders for V4");
    let v3 = stmt.render(Dialect::V3).expect("renders for V3");
    assert_eq!(v4, v3, "only RESTORE differs between the dialects");
    assert!(!stmt.varies_by_dialect());
    v4
}

fn refused<S: MoStatement + std::fmt::Debug>(stmt: &S, dialect: Dialect) {
    match stmt.render(dialect) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidInput, "{stmt:?}: {e}"),
        Ok(sql) => panic!("{stmt:?} rendered {sql:?} for {dialect:?}; expected InvalidInput"),
    }
}

fn refused_both<S: MoStatement + std::fmt::Debug>(stmt: &S) {
    refused(stmt, Dialect::V4);
    refused(stmt, Dialect::V3);
}

#[test]
fn snapshot_forms() {
    let cases: Vec<(Box<dyn MoStatementDyn>, &str)> = vec![
        (Box::new(Snapshot::create("s1").cluster()), "CREATE SNAPSHOT `s1` FOR CLUSTER"),
        (Box::new(Snapshot::create("s1").account()), "CREATE SNAPSHOT `s1` FOR ACCOUNT"),
        (Box::new(Snapshot::create("s1").account_named("acc1")), "CREATE SNAPSHOT `s1` FOR ACCOUNT `acc1`"),
        (Box::new(Snapshot::create("s1").database("test")), "CREATE SNAPSHOT `s1` FOR DATABASE `test`"),
        (
            Box::new(Snapshot::create("s1").table("test", "users")),
            "CREATE SNAPSHOT `s1` FOR TABLE `test` `users`",
        ),
        (
            Box::new(Snapshot::create("Daily_01").table("test", "users").if_not_exists()),
            "CREATE SNAPSHOT IF NOT EXISTS `daily_01` FOR TABLE `test` `users`",
        ),
        (Box::new(Snapshot::drop("s1")), "DROP SNAPSHOT `s1`"),
        (Box::new(Snapshot::drop("S1").if_exists()), "DROP SNAPSHOT IF EXISTS `s1`"),
        (Box::new(Snapshot::show()), "SHOW SNAPSHOTS"),
        (Box::new(Snapshot::show().named("s1")), "SHOW SNAPSHOTS WHERE SNAPSHOT_NAME = 's1'"),
    ];
    for (render, expected) in cases {
        assert_eq!(render.both(), expected);
    }
}

#[test]
fn snapshot_names_are_validated() {
    for bad in ["s1 FOR CLUSTER -- ", "", "a-b", "s1; DROP DATABASE prod", "s`1", "s'1", "é"] {
        refused_both(&Snapshot::create(bad).table("d", "t"));
        refused_both(&Snapshot::drop(bad));
        refused_both(&Snapshot::show().named(bad));
        refused_both(&mo::Clone::database("x", "prod").at_snapshot(bad));
        refused_both(&Restore::account("acc1").from_snapshot(bad));
    }
    // No scope chosen.
    refused_both(&Snapshot::create("s1"));
}

#[test]
fn names_with_backticks_are_quoted() {
    assert_eq!(
        same_in_both(&Snapshot::create("s1").table("d` FROM SNAPSHOT `s_old` -- ", "t")),
        "CREATE SNAPSHOT `s1` FOR TABLE `d`` FROM SNAPSHOT ``s_old`` -- ` `t`"
    );
    assert_eq!(
        same_in_both(&Snapshot::create("s1").account_named("a`b")),
        "CREATE SNAPSHOT `s1` FOR ACCOUNT `a``b`"
    );
    assert_eq!(same_in_both(&mo::Clone::database("x`y", "prod")), "CREATE DATABASE `x``y` CLONE `prod`");
    refused_both(&Snapshot::create("s1").database(""));
}

#[test]
fn clone_forms() {
    let cases = [
        (mo::Clone::database("backup_db", "source_db"), "CREATE DATABASE `backup_db` CLONE `source_db`"),
        (
            mo::Clone::database("db2", "db1").if_not_exists(),
            "CREATE DATABASE IF NOT EXISTS `db2` CLONE `db1`",
        ),
        (
            mo::Clone::database("db2", "db1").at_snapshot("SP03"),
            "CREATE DATABASE `db2` CLONE `db1` {SNAPSHOT = 'sp03'}",
        ),
        (
            mo::Clone::database("db4", "db1").at_snapshot("sp0").to_account("acc1"),
            "CREATE DATABASE `db4` CLONE `db1` {SNAPSHOT = 'sp0'} TO ACCOUNT `acc1`",
        ),
        (mo::Clone::table("t2", "t1"), "CREATE TABLE `t2` CLONE `t1`"),
        (mo::Clone::table("t5", "t4").to_account("sys"), "CREATE TABLE `t5` CLONE `t4` TO ACCOUNT `sys`"),
        (
            mo::Clone::table("db1_copy.t4_copy", "t4").at_snapshot("sp0").to_account("acc1"),
            "CREATE TABLE `db1_copy`.`t4_copy` CLONE `t4` {SNAPSHOT = 'sp0'} TO ACCOUNT `acc1`",
        ),
        (
            mo::Clone::table(("my.db", "t"), ("src", "t.1")).if_not_exists(),
            "CREATE TABLE IF NOT EXISTS `my.db`.`t` CLONE `src`.`t.1`",
        ),
        (
            mo::Clone::table("test.backup_t", "test.source_t")
                .at_snapshot("s1")
                .if_not_exists()
                .to_account("acc1"),
            "CREATE TABLE IF NOT EXISTS `test`.`backup_t` CLONE `test`.`source_t` {SNAPSHOT = 's1'} TO ACCOUNT `acc1`",
        ),
    ];
    for (stmt, expected) in cases {
        assert_eq!(same_in_both(&stmt), expected);
    }
    // Never the Python SDK's `FOR SNAPSHOT`.
    assert!(!same_in_both(&mo::Clone::table("a", "b").at_snapshot("s1")).contains("FOR SNAPSHOT"));
    refused_both(&mo::Clone::table("a.b.c", "t"));
    refused_both(&mo::Clone::table(".t", "t"));
    refused_both(&mo::Clone::table("t", "db."));
    refused_both(&mo::Clone::database("", "t"));
}

#[test]
fn restore_from_snapshot_v4_and_v3() {
    // (statement, V4 SQL, V3 SQL or None when 3.x lacks the form)
    let cases = [
        (
            Restore::cluster().from_snapshot("s1"),
            "RESTORE CLUSTER {SNAPSHOT = 's1'}",
            Some("RESTORE CLUSTER FROM SNAPSHOT `s1`"),
        ),
        (
            Restore::account("acc1").from_snapshot("s1"),
            "RESTORE ACCOUNT `acc1` {SNAPSHOT = 's1'}",
            Some("RESTORE ACCOUNT `acc1` FROM SNAPSHOT `s1`"),
        ),
        (
            Restore::account("acc1").from_snapshot("S1").to_account("acc2"),
            "RESTORE ACCOUNT `acc1` {SNAPSHOT = 's1'} TO ACCOUNT `acc2`",
            Some("RESTORE ACCOUNT `acc1` FROM SNAPSHOT `s1` TO ACCOUNT `acc2`"),
        ),
        (Restore::database("test").from_snapshot("s1"), "RESTORE DATABASE `test` {SNAPSHOT = 's1'}", None),
        (
            Restore::database("test").in_account("acc1").from_snapshot("s1"),
            "RESTORE DATABASE `acc1`.`test` {SNAPSHOT = 's1'}",
            Some("RESTORE ACCOUNT `acc1` DATABASE `test` FROM SNAPSHOT `s1`"),
        ),
        (
            Restore::database("test").from_snapshot("s1").to_account("acc2"),
            "RESTORE DATABASE `test` {SNAPSHOT = 's1'} TO ACCOUNT `acc2`",
            None,
        ),
        (
            Restore::database("test").in_account("acc1").from_snapshot("s1").to_account("acc2"),
            "RESTORE DATABASE `acc1`.`test` {SNAPSHOT = 's1'} TO ACCOUNT `acc2`",
            None,
        ),
        (
            Restore::table("test", "users").from_snapshot("s1"),
            "RESTORE TABLE `test`.`users` {SNAPSHOT = 's1'}",
            None,
        ),
        (
            Restore::table("test", "users").in_account("acc1").from_snapshot("s1"),
            "RESTORE TABLE `acc1`.`test`.`users` {SNAPSHOT = 's1'}",
            Some("RESTORE ACCOUNT `acc1` DATABASE `test` TABLE `users` FROM SNAPSHOT `s1`"),
        ),
        (
            Restore::table("test", "users").from_snapshot("s1").to_account("acc2"),
            "RESTORE TABLE `test`.`users` {SNAPSHOT = 's1'} TO ACCOUNT `acc2`",
            None,
        ),
    ];
    for (stmt, v4, v3) in cases {
        assert!(stmt.varies_by_dialect());
        assert_eq!(stmt.to_sql().unwrap(), v4);
        assert_eq!(stmt.to_sql_for(Dialect::V4).unwrap(), v4);
        match v3 {
            Some(v3) => assert_eq!(stmt.to_sql_for(Dialect::V3).unwrap(), v3),
            None => refused(&stmt, Dialect::V3),
        }
        // Never the v3 keyword in v4 SQL, nor the v4 hint in v3 SQL.
        assert!(!v4.contains("FROM SNAPSHOT"));
    }
}

#[test]
fn restore_from_pitr_every_form() {
    // (statement, SQL, whether 3.x has it)
    let cases = [
        (
            Restore::current_account().from_pitr("p1", TS),
            "RESTORE FROM PITR `p1` '2026-01-02 03:04:05'",
            true,
        ),
        (
            Restore::cluster().from_pitr("p1", TS),
            "RESTORE CLUSTER FROM PITR `p1` '2026-01-02 03:04:05'",
            true,
        ),
        (
            Restore::account("acc1").from_pitr("P1", TS),
            "RESTORE ACCOUNT `acc1` FROM PITR `p1` '2026-01-02 03:04:05'",
            true,
        ),
        (
            Restore::account("acc1").from_pitr("p1", TS).source_account("acc2"),
            "RESTORE ACCOUNT `acc1` FROM PITR `p1` '2026-01-02 03:04:05' `acc2`",
            true,
        ),
        (
            Restore::database("test").from_pitr("p1", TS),
            "RESTORE DATABASE `test` FROM PITR `p1` '2026-01-02 03:04:05'",
            true,
        ),
        (
            Restore::table("test", "users").from_pitr("p1", TS),
            "RESTORE DATABASE `test` TABLE `users` FROM PITR `p1` '2026-01-02 03:04:05'",
            true,
        ),
        (
            Restore::database("test").in_account("acc1").from_pitr("p1", TS),
            "RESTORE ACCOUNT `acc1` DATABASE `test` FROM PITR `p1` '2026-01-02 03:04:05'",
            false,
        ),
        (
            Restore::table("test", "users").in_account("acc1").from_pitr("p1", TS),
            "RESTORE ACCOUNT `acc1` DATABASE `test` TABLE `users` FROM PITR `p1` '2026-01-02 03:04:05'",
            false,
        ),
    ];
    for (stmt, sql, in_v3) in cases {
        assert_eq!(stmt.to_sql().unwrap(), sql);
        if in_v3 {
            assert_eq!(stmt.to_sql_for(Dialect::V3).unwrap(), sql);
            assert!(!stmt.varies_by_dialect());
        } else {
            refused(&stmt, Dialect::V3);
            assert!(stmt.varies_by_dialect());
        }
    }
}

#[test]
fn restore_pitr_timestamps() {
    let at = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap().and_hms_nano_opt(3, 4, 5, 123_456_789).unwrap();
    assert_eq!(
        Restore::database("test").from_pitr("p1", at).to_sql().unwrap(),
        "RESTORE DATABASE `test` FROM PITR `p1` '2026-01-02 03:04:05'",
        "fractional seconds are truncated"
    );
    for bad in [
        "2026-01-02",
        "2026-01-02 03:04:05.123",
        "2026-13-02 03:04:05",
        "2026-02-30 03:04:05",
        "2026-01-02 24:00:00",
        "2026-1-2 03:04:05",
        "2026-01-02T03:04:05",
        " 2026-01-02 03:04:05",
        "2026-01-02 03:04:05' OR '1'='1",
        "",
    ] {
        refused_both(&Restore::database("test").from_pitr("p1", bad));
        refused_both(&Restore::current_account().from_pitr("p1", bad.to_owned()));
    }
    let far = NaiveDate::from_ymd_opt(10000, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    refused_both(&Restore::cluster().from_pitr("p1", far));
}

#[test]
fn restore_refuses_what_the_grammar_lacks() {
    // No source.
    refused_both(&Restore::cluster());
    // The current account only from a PITR.
    refused_both(&Restore::current_account().from_snapshot("s1"));
    // No TO ACCOUNT for a cluster, nor for any PITR restore.
    refused_both(&Restore::cluster().from_snapshot("s1").to_account("a"));
    refused_both(&Restore::database("d").from_pitr("p1", TS).to_account("a"));
    refused_both(&Restore::account("a").from_pitr("p1", TS).to_account("b"));
    // source_account only for an account restore from a PITR.
    refused_both(&Restore::account("a").from_snapshot("s1").source_account("b"));
    refused_both(&Restore::database("d").from_pitr("p1", TS).source_account("b"));
    // in_account only for databases and tables.
    refused_both(&Restore::cluster().in_account("a").from_snapshot("s1"));
    refused_both(&Restore::account("a").in_account("b").from_pitr("p1", TS));
    // PITR names are validated too.
    refused_both(&Restore::database("d").from_pitr("p1 x", TS));
    // The Python SDK's injection through an unescaped database name stays one identifier.
    assert_eq!(
        Restore::table("d` FROM SNAPSHOT `s_old` -- ", "t")
            .in_account("a")
            .from_snapshot("s1")
            .to_sql_for(Dialect::V3)
            .unwrap(),
        "RESTORE ACCOUNT `a` DATABASE `d`` FROM SNAPSHOT ``s_old`` -- ` TABLE `t` FROM SNAPSHOT `s1`"
    );
}

#[test]
fn pitr_forms() {
    let cases: Vec<(Box<dyn MoStatementDyn>, &str)> = vec![
        (
            Box::new(Pitr::create("p1").cluster().range(1, PitrUnit::Hour)),
            "CREATE PITR `p1` FOR CLUSTER RANGE 1 'h'",
        ),
        (
            Box::new(Pitr::create("p1").account().range(1, PitrUnit::Hour)),
            "CREATE PITR `p1` FOR ACCOUNT RANGE 1 'h'",
        ),
        (
            Box::new(Pitr::create("P02").account_named("acc01").range(1, PitrUnit::Day)),
            "CREATE PITR `p02` FOR ACCOUNT `acc01` RANGE 1 'd'",
        ),
        (
            Box::new(Pitr::create("p1").database("test").range(1, PitrUnit::Day)),
            "CREATE PITR `p1` FOR DATABASE `test` RANGE 1 'd'",
        ),
        (
            Box::new(Pitr::create("p1").table("test", "users").range(3, PitrUnit::Month)),
            "CREATE PITR `p1` FOR TABLE `test` `users` RANGE 3 'mo'",
        ),
        (
            Box::new(Pitr::create("p1").account().range(100, PitrUnit::Year).if_not_exists()),
            "CREATE PITR IF NOT EXISTS `p1` FOR ACCOUNT RANGE 100 'y'",
        ),
        (Box::new(Pitr::alter("p1").range(2, PitrUnit::Hour)), "ALTER PITR `p1` RANGE 2 'h'"),
        (
            Box::new(Pitr::alter("p1").range(1, PitrUnit::Day).if_exists()),
            "ALTER PITR IF EXISTS `p1` RANGE 1 'd'",
        ),
        (Box::new(Pitr::drop("p1")), "DROP PITR `p1`"),
        (Box::new(Pitr::drop("p1").if_exists()), "DROP PITR IF EXISTS `p1`"),
        (Box::new(Pitr::show()), "SHOW PITR"),
        (Box::new(Pitr::show().named("p1")), "SHOW PITR WHERE PITR_NAME = 'p1'"),
    ];
    for (stmt, expected) in cases {
        assert_eq!(stmt.both(), expected);
    }
}

/// Object-safe view of a statement for the table above.
trait MoStatementDyn {
    fn both(&self) -> String;
}

impl<S: MoStatement> MoStatementDyn for S {
    fn both(&self) -> String {
        same_in_both(self)
    }
}

#[test]
fn pitr_inputs_are_validated() {
    for bad in [0, 101, 1000, u32::MAX] {
        refused_both(&Pitr::create("p1").account().range(bad, PitrUnit::Day));
        refused_both(&Pitr::alter("p1").range(bad, PitrUnit::Day));
    }
    for good in [1, 50, 100] {
        assert!(Pitr::create("p1").account().range(good, PitrUnit::Day).to_sql().is_ok());
    }
    for bad in ["day", "hour", "month", "year", "yy", "m", "", "d'"] {
        let err = bad.parse::<PitrUnit>().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{bad:?}");
    }
    for (text, unit) in
        [("h", PitrUnit::Hour), ("D", PitrUnit::Day), ("mo", PitrUnit::Month), ("Y", PitrUnit::Year)]
    {
        assert_eq!(text.parse::<PitrUnit>().unwrap(), unit);
    }
    for bad in ["s1 FOR CLUSTER -- ", "", "a-b", "x' OR '1'='1", "`select`"] {
        refused_both(&Pitr::create(bad).account().range(1, PitrUnit::Day));
        refused_both(&Pitr::alter(bad).range(1, PitrUnit::Day));
        refused_both(&Pitr::drop(bad));
        refused_both(&Pitr::show().named(bad));
    }
    refused_both(&Pitr::create("p1").range(1, PitrUnit::Day)); // no scope
    refused_both(&Pitr::create("p1").account()); // no range
    refused_both(&Pitr::alter("p1")); // no range
}

#[test]
fn moctl_forms() {
    let cases = [
        (MoCtl::flush_table("db1", "users"), "SELECT mo_ctl('dn', 'flush', 'db1.users')"),
        (MoCtl::checkpoint(), "SELECT mo_ctl('dn', 'checkpoint', '')"),
        (MoCtl::global_checkpoint(), "SELECT mo_ctl('dn', 'globalcheckpoint', '')"),
        (MoCtl::call("dn", "diskcleaner", "force_gc"), "SELECT mo_ctl('dn', 'diskcleaner', 'force_gc')"),
        (MoCtl::call("DN", "Flush", "d1.t1"), "SELECT mo_ctl('dn', 'Flush', 'd1.t1')"),
        (
            MoCtl::call("cn", "motablestats", "force_update:true"),
            "SELECT mo_ctl('cn', 'motablestats', 'force_update:true')",
        ),
        (
            MoCtl::call("cn", "prefetch-on-subscribed", "db.t"),
            "SELECT mo_ctl('cn', 'prefetch-on-subscribed', 'db.t')",
        ),
        (
            MoCtl::call("dn", "diskcleaner", r#"register_sync_protection.{"job":"a b"}"#),
            r#"SELECT mo_ctl('dn', 'diskcleaner', 'register_sync_protection.{"job":"a b"}')"#,
        ),
        // The Python SDK's injection stays inside one string literal.
        (
            MoCtl::flush_table("db", "t'), mo_ctl('dn','globalcheckpoint','') -- "),
            "SELECT mo_ctl('dn', 'flush', 'db.t''), mo_ctl(''dn'',''globalcheckpoint'','''') -- ')",
        ),
        (MoCtl::flush_table("o'brien", "t"), "SELECT mo_ctl('dn', 'flush', 'o''brien.t')"),
    ];
    for (stmt, expected) in cases {
        assert_eq!(same_in_both(&stmt), expected);
    }
    assert!(!same_in_both(&MoCtl::checkpoint()).contains("incremental"));
}

#[test]
fn moctl_inputs_are_validated() {
    refused_both(&MoCtl::flush_table("db1", "a.b"));
    refused_both(&MoCtl::flush_table("db.1", "users"));
    refused_both(&MoCtl::flush_table("", "users"));
    refused_both(&MoCtl::flush_table("db", ""));
    for service in ["tn", "TN", "Tn", "", "dn ", "proxy", "dn'"] {
        refused_both(&MoCtl::call(service, "flush", "db.t"));
    }
    for method in ["", "flush'", "flush', 'x", "a b", "flush)--"] {
        refused_both(&MoCtl::call("dn", method, ""));
    }
    // A backslash reads differently under NO_BACKSLASH_ESCAPES: refused, not guessed.
    refused_both(&MoCtl::call("dn", "inspect", r"manifest \' -t db.t"));
    refused_both(&MoCtl::flush_table(r"d\", "t"));
    refused_both(&MoCtl::call("dn", "inspect", "a\0b"));
}
