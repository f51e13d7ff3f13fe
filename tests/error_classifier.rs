//! `ErrorKind::from_server` against every error text in the MatrixOne reference tables
//! (reference/matrixone-sql.md sections 1c, 2c, 4d, 5c, 8c and 10.5), with the code the server
//! sends (20101 for `internal error: ...`, 1064 for `SQL parser error: ...`).

use matrixone::{Error, ErrorKind};

use ErrorKind::*;

/// (code, message, expected kind). A message whose code the reference does not give is listed
/// with each plausible code.
const CASES: &[(u16, &str, ErrorKind)] = &[
    // 1c. Snapshots.
    (20101, "internal error: snapshot snapshot_09 already exists", SnapshotExists),
    (20101, "internal error: snapshot sp11 does not exist", SnapshotNotFound),
    (20101, "internal error: find 0 snapshot records by name(sp01), expect only 1", SnapshotNotFound),
    (20101, "internal error: account default_1 does not exist", AccountNotFound),
    (
        20101,
        "internal error: only sys tenant can create tenant level snapshot for other tenant",
        PermissionDenied,
    ),
    (20101, "internal error: only sys tenant can create cluster level snapshot", PermissionDenied),
    (20101, "internal error: do not have privilege to execute the statement", PermissionDenied),
    (20101, "internal error: can not create snapshot for system database system", Other),
    (
        1064,
        "SQL parser error: You have an error in your SQL syntax; check the manual that corresponds to your \
         MatrixOne server version for the right syntax to use. syntax error at line 1 column 49 near \" database db03;\";",
        Syntax,
    ),
    (
        20101,
        "internal error: table-level snapshot(snapshot_scope_table) does not belong to the table(snapshot_scope_a-other)",
        Other,
    ),
    (20101, "snapshot \"x\" is managed by data branch and cannot be used from user commands", Other),
    // 2c. Clone.
    (20101, "database clone_existence_existing already exists", DatabaseExists),
    (1007, "database clone_existence_existing already exists", DatabaseExists),
    (20101, "table dst_primary already exists", TableExists),
    (1050, "table dst_primary already exists", TableExists),
    (1049, "Unknown database clone_existence_missing_src", DatabaseNotFound),
    (20101, "Unknown database clone_existence_missing_src", DatabaseNotFound),
    (1064, "SQL parser error: table clone_existence_src-missing does not exist", TableNotFound),
    (20101, "SQL parser error: table clone_existence_src-missing does not exist", TableNotFound),
    (20101, "internal error: clone table between different accounts need a snapshot", Other),
    (20101, "internal error: clone database between different accounts need a snapshot", Other),
    (20101, "internal error: only sys can clone table to another account", PermissionDenied),
    (20101, "internal error: no db selected for the dst table t4_copy", Other),
    (20101, "internal error: find 0 snapshot records by name(sp08), expect only 1", SnapshotNotFound),
    (20101, "internal error: cannot use a table-level snapshot to clone cluster/account/database", Other),
    (20101, "internal error: restore_hive_pitr_24559.hive_ext is not BASE TABLE", Other),
    // 4d. Restore from a snapshot.
    (20101, "internal error: can't restore db from cluster level snapshot", Other),
    (20101, "internal error: can't restore table from other account's snapshot", Other),
    (20101, "internal error: can't restore database from other account's snapshot", Other),
    (20101, "internal error: non-sys account's snapshot can't restore to sys account", Other),
    (20101, "internal error: can't restore account from db or table level snapshot", Other),
    (20101, "internal error: databaseName(db11) does not match snapshot.databaseName(db10)", Other),
    (20101, "internal error: tableName(users) does not match snapshot.tableName(test_snapshot_read)", Other),
    (
        20101,
        "internal error: accountName(test_account_02) does not match snapshot.accountName(test_account_01)",
        Other,
    ),
    (20101, "internal error: table table11 not exists at snapshot spsp05", TableNotFound),
    (20101, "internal error: find 0 snapshot records by name(missing_sp), expect only 1", SnapshotNotFound),
    (
        20101,
        "internal error: external table restore_hive_24559.hive_ext cannot be restored from snapshot",
        Other,
    ),
    (20101, "internal error: non-sys account can't restore cluster level snapshot", PermissionDenied),
    (20101, "internal error: snapshot sp1 is not cluster level snapshot", Other),
    (20101, "internal error: non-sys account can't restore snapshot to another account", PermissionDenied),
    // 5c. PITR.
    (20101, "internal error: pitr pitr01 already exists", PitrExists),
    (20101, "internal error: pitr pitr100 does not exist", PitrNotFound),
    (20101, "internal error: pitr pitr_missing does not exist", PitrNotFound),
    (20101, "internal error: account `sys` already has a pitr", PitrExists),
    (20101, "internal error: database `db01` already has a pitr", PitrExists),
    (20101, "internal error: database `db01` table `table01` already has a pitr", PitrExists),
    (20101, "internal error: invalid pitr value 102", Other),
    (20101, "internal error: invalid pitr value 0", Other),
    (20101, "internal error: invalid pitr value 2000", Other),
    (20101, "internal error: invalid pitr unit day", Other),
    (20101, "internal error: invalid pitr unit yy", Other),
    (
        1064,
        "SQL parser error: You have an error in your SQL syntax; check the manual that corresponds to your \
         MatrixOne server version for the right syntax to use. syntax error at line 1 column 35 near \" -1 'd';\";",
        Syntax,
    ),
    (20101, "internal error: database db02 does not exist", DatabaseNotFound),
    (20101, "internal error: table db01.table02 does not exist", TableNotFound),
    (20101, "internal error: can not restore account acc01 by pitr p1, the pitr level is not cluster", Other),
    (
        20101,
        "internal error: input timestamp 2026-01-01 00:00:00 is less than the pitr valid time 2026-01-02 00:00:00",
        Other,
    ),
    // 8c. Accounts.
    (20101, "internal error: the tenant tenant_test exists", Other),
    (20101, "internal error: the name \"test@123456\" is invalid", Other),
    (20101, "internal error: can not delete the account sys", Other),
    (
        20101,
        "internal error: unclassified statement appears in uncommitted transaction",
        NotAllowedInTransaction,
    ),
    (20101, "internal error: administrative command is unsupported in transactions", NotAllowedInTransaction),
    // MySQL numbers whose meaning does not depend on the message, and MatrixOne's retry code.
    (1062, "Duplicate entry '1' for key 'PRIMARY'", DuplicateKey),
    (1064, "SQL parser error: table t is invalid", Syntax),
    (1205, "Lock wait timeout exceeded; try restarting transaction", LockWaitTimeout),
    (1213, "Deadlock found when trying to get lock; try restarting transaction", Deadlock),
    (20631, "txn need retry in rc mode", TxnRetry),
    // The retry codes of pkg/common/moerr/error.go, with their texts there.
    (20601, "txn write conflict t1", TxnRetry),
    (20619, "w-w conflict", TxnRetry),
    (20628, "txn need retry in rc mode", TxnRetry),
    (20631, "txn need retry in rc mode, def changed", TxnRetry),
    (20634, "retry for CN rolling restart", TxnRetry),
    (20701, "deadlock detected", Deadlock),
    (20704, "deadlock check is busy", Deadlock),
    (20706, "lock options conflict, wait policy is fast fail", LockWaitTimeout),
    (20710, "Lock wait timeout exceeded; try restarting transaction", LockWaitTimeout),
    (20638, "txn commit status is unknown: rpc timeout", CommitUnknown),
    (1146, "no such table test.t", TableNotFound),
    (20101, "internal error: txn need retry in rc mode", TxnRetry),
    // Not MatrixOne's own: 20301 and 20105 stay Other.
    (20301, "invalid input: mo_ctl can only be called with const args", Other),
    (20105, "not supported: service type TN not supported", Other),
];

#[test]
fn every_reference_message_is_classified() {
    let mut wrong = Vec::new();
    for &(code, message, expected) in CASES {
        let got = ErrorKind::from_server(code, message);
        if got != expected {
            wrong.push(format!("{code} {message:?}: expected {expected:?}, got {got:?}"));
        }
        let err = Error::from_server(code, message);
        assert_eq!(err.kind(), got);
        assert_eq!(err.code(), Some(code), "the server's number is kept");
        assert_eq!(err.message(), message);
    }
    assert!(wrong.is_empty(), "misclassified:\n{}", wrong.join("\n"));
}

#[test]
fn only_retry_kinds_are_retryable() {
    for &(code, message, kind) in CASES {
        let retryable = matches!(kind, TxnRetry | Deadlock | LockWaitTimeout);
        assert_eq!(Error::from_server(code, message).is_retryable(), retryable, "{message}");
    }
}

#[test]
fn an_echoed_statement_does_not_fool_the_parser_error_rule() {
    // A 1064 quotes the statement; only MatrixOne's own "table .. does not exist" text is not Syntax.
    let msg = "SQL parser error: You have an error in your SQL syntax; syntax error at line 1 column 20 near \
               \"snapshot s1 already exists table t does not exist\";";
    assert_eq!(ErrorKind::from_server(1064, msg), Syntax);
}
