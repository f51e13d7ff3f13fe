//! The MatrixOne output parsers, fed real-looking result sets: the transcripts in
//! `tests/fixtures/` (copied from the reference) are turned into literal `SELECT ... UNION ALL`
//! result sets on the test MariaDB, so the rows reach the parsers through the real driver, with
//! the same labels and text values MatrixOne sends.

mod support;

use chrono::{NaiveDate, NaiveDateTime};
use matrixone::mo::{
    MoCtl, MoCtlResponse, MoStatement, Pitr, PitrInfo, PitrUnit, Snapshot, SnapshotInfo, SnapshotLevel,
};
use matrixone::sql::{EscapeMode, quote_ident, string_literal};
use matrixone::{ErrorKind, Executor, ResultSet};
use serde_json::json;

/// A fixture table: labels and rows of text cells.
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Reads a mo-tester transcript: `#` lines are comments; the legacy format is tab-separated
/// (trailing empty cells left out), the JDBC one is `➤ label[type,p,s] ¦ ...` then rows split at
/// `¦`.
fn table(name: &str) -> Table {
    let text = fixture(name);
    let mut lines = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let header = lines.next().expect("a header line");
    let (columns, jdbc): (Vec<String>, bool) = match header.strip_prefix("➤ ") {
        Some(rest) => (
            rest.split('¦').map(|c| c.trim().split('[').next().unwrap_or_default().to_owned()).collect(),
            true,
        ),
        None => (header.split('\t').map(str::to_owned).collect(), false),
    };
    let rows = lines
        .map(|line| {
            let mut cells: Vec<String> = if jdbc {
                line.split('¦').map(|c| c.trim().to_owned()).collect()
            } else {
                line.split('\t').map(str::to_owned).collect()
            };
            assert!(cells.len() <= columns.len(), "{name}: row {line:?} has too many cells");
            cells.resize(columns.len(), String::new());
            cells
        })
        .collect();
    Table { columns, rows }
}

/// A literal the test server reads back exactly, whatever its backslash mode.
fn lit(value: &str) -> String {
    assert!(!value.contains('\\'), "fixture values carry no backslash");
    string_literal(value, EscapeMode::NoBackslash)
}

/// `SELECT <cell> AS <label>, ... UNION ALL ...`; `typed` wraps the named columns' values in an
/// SQL expression (e.g. a CAST), to send them with MatrixOne's wire type rather than as text.
fn select(table: &Table, typed: &[(&str, &str)]) -> String {
    table
        .rows
        .iter()
        .map(|row| {
            let cells: Vec<String> = table
                .columns
                .iter()
                .zip(row)
                .map(|(label, value)| {
                    let value = match typed.iter().find(|(col, _)| col.eq_ignore_ascii_case(label)) {
                        Some((_, template)) => template.replace("{}", &lit(value)),
                        None => lit(value),
                    };
                    format!("{value} AS {}", quote_ident(label).unwrap())
                })
                .collect();
            format!("SELECT {}", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

async fn result_of(sql: &str) -> ResultSet {
    let client = support::client().await;
    let rs = client.execute(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    client.close().await;
    rs
}

fn ts(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_nano_opt(h, mi, s, nanos).unwrap()
}

fn snap(name: &str, timestamp: NaiveDateTime, level: SnapshotLevel, account: &str) -> SnapshotInfo {
    SnapshotInfo { name: name.into(), timestamp, level, account: account.into(), database: None, table: None }
}

#[tokio::test]
async fn show_snapshots_legacy_transcript() {
    let rs = result_of(&select(&table("show_snapshots_legacy.txt"), &[])).await;
    let got = <matrixone::mo::ShowSnapshots as MoStatement>::decode_output(rs).unwrap();
    assert_eq!(
        got,
        vec![
            snap("snapshot_04", ts(2025, 7, 19, 5, 51, 11, 493_962_000), SnapshotLevel::Account, "default_1"),
            snap("snapshot_03", ts(2025, 7, 19, 5, 51, 10, 480_887_000), SnapshotLevel::Account, "default_1"),
            snap("snapshot_02", ts(2025, 7, 19, 5, 51, 9, 474_784_000), SnapshotLevel::Account, "default_1"),
            snap("snapshot_01", ts(2025, 7, 19, 5, 51, 9, 380_366_000), SnapshotLevel::Cluster, ""),
        ]
    );
}

#[tokio::test]
async fn show_snapshots_jdbc_transcript_with_eight_fractional_digits() {
    let rs = result_of(&select(&table("show_snapshots_jdbc.txt"), &[])).await;
    // Through `ResultSet::typed` as well as the statement's own decoder.
    let typed: Vec<SnapshotInfo> = rs.typed().unwrap();
    let got = <matrixone::mo::ShowSnapshots as MoStatement>::decode_output(rs).unwrap();
    assert_eq!(typed, got);
    assert_eq!(
        got,
        vec![
            SnapshotInfo {
                database: Some("db02".into()),
                table: Some("table01".into()),
                ..snap("spsp03", ts(2026, 7, 27, 3, 59, 42, 931_794_010), SnapshotLevel::Table, "sys")
            },
            SnapshotInfo {
                database: Some("db02".into()),
                ..snap("spsp02", ts(2026, 7, 27, 3, 59, 42, 921_619_090), SnapshotLevel::Database, "sys")
            },
        ]
    );
}

#[tokio::test]
async fn show_snapshots_where_has_lower_case_labels() {
    let fixture = table("show_snapshots_where.txt");
    assert_eq!(fixture.columns[0], "snapshot_name");
    let rs = result_of(&select(&fixture, &[])).await;
    let got = <matrixone::mo::ShowSnapshots as MoStatement>::decode_output(rs).unwrap();
    assert_eq!(
        got,
        vec![snap("snapshot_01", ts(2025, 7, 19, 5, 51, 9, 380_366_000), SnapshotLevel::Cluster, "")]
    );
}

#[tokio::test]
async fn snapshot_timestamps_with_zero_to_nine_fractional_digits() {
    // Newer builds trim trailing zeros, so any count from 0 to 9 occurs.
    let cases = [
        ("2026-07-27 03:59:42", 0),
        ("2026-07-27 03:59:42.9", 900_000_000),
        ("2026-07-27 03:59:42.931794", 931_794_000),
        ("2026-07-27 03:59:42.93179401", 931_794_010),
        ("2026-07-27 03:59:42.931794012", 931_794_012),
    ];
    let table = Table {
        columns: [
            "SNAPSHOT_NAME",
            "TIMESTAMP",
            "SNAPSHOT_LEVEL",
            "ACCOUNT_NAME",
            "DATABASE_NAME",
            "TABLE_NAME",
        ]
        .map(String::from)
        .to_vec(),
        rows: cases
            .iter()
            .enumerate()
            .map(|(i, (text, _))| {
                [
                    format!("s{i}"),
                    text.to_string(),
                    "ACCOUNT".into(),
                    "acc1".into(),
                    String::new(),
                    String::new(),
                ]
                .to_vec()
            })
            .collect(),
    };
    let rs = result_of(&select(&table, &[])).await;
    let got = <matrixone::mo::ShowSnapshots as MoStatement>::decode_output(rs).unwrap();
    for (info, (text, nanos)) in got.iter().zip(cases) {
        assert_eq!(info.timestamp, ts(2026, 7, 27, 3, 59, 42, nanos), "{text}");
        assert_eq!(info.level, SnapshotLevel::Account, "levels parse case-insensitively");
    }
}

#[tokio::test]
async fn an_unknown_snapshot_level_is_a_decode_error_naming_the_row() {
    let sql = "SELECT 'good' AS SNAPSHOT_NAME, '2026-07-27 03:59:42' AS TIMESTAMP, 'table' AS SNAPSHOT_LEVEL, \
               'sys' AS ACCOUNT_NAME, 'd' AS DATABASE_NAME, 't' AS TABLE_NAME UNION ALL \
               SELECT 'odd', '2026-07-27 03:59:42', 'branch', 'sys', '', ''";
    let err = <matrixone::mo::ShowSnapshots as MoStatement>::decode_output(result_of(sql).await).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.message().contains("\"odd\"") && err.message().contains("branch"), "{err}");

    let sql = "SELECT 'bad_ts' AS SNAPSHOT_NAME, '2026-07-27' AS TIMESTAMP, 'table' AS SNAPSHOT_LEVEL, \
               'sys' AS ACCOUNT_NAME, '' AS DATABASE_NAME, '' AS TABLE_NAME";
    let err = <matrixone::mo::ShowSnapshots as MoStatement>::decode_output(result_of(sql).await).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.message().contains("bad_ts"), "{err}");
}

#[tokio::test]
async fn an_empty_show_is_an_empty_list() {
    let sql = "SELECT 'x' AS SNAPSHOT_NAME, '' AS TIMESTAMP, '' AS SNAPSHOT_LEVEL, '' AS ACCOUNT_NAME, \
               '' AS DATABASE_NAME, '' AS TABLE_NAME FROM DUAL WHERE 1 = 0";
    let got = <matrixone::mo::ShowSnapshots as MoStatement>::decode_output(result_of(sql).await).unwrap();
    assert!(got.is_empty());
    let _ = Snapshot::show(); // the statement whose output this is
}

/// PITR times are DATETIME on the wire and the length an integer.
const PITR_TYPES: &[(&str, &str)] = &[
    ("CREATED_TIME", "CAST({} AS DATETIME)"),
    ("MODIFIED_TIME", "CAST({} AS DATETIME)"),
    ("PITR_LENGTH", "CAST({} AS SIGNED)"),
];

fn pitr(name: &str, level: SnapshotLevel, account: Option<&str>, length: u32, unit: PitrUnit) -> PitrInfo {
    PitrInfo {
        name: name.into(),
        created: ts(2024, 12, 25, 17, 22, 15, 0),
        modified: ts(2024, 12, 25, 17, 22, 15, 0),
        level,
        account: account.map(Into::into),
        database: None,
        table: None,
        length,
        unit,
    }
}

#[tokio::test]
async fn show_pitr_transcript() {
    let expected = vec![
        pitr("pitr01", SnapshotLevel::Cluster, None, 1, PitrUnit::Hour),
        pitr("p02", SnapshotLevel::Account, Some("acc01"), 1, PitrUnit::Day),
    ];
    // With MatrixOne's wire types, and all as text (both decode).
    for types in [PITR_TYPES, &[]] {
        let rs = result_of(&select(&table("show_pitr.txt"), types)).await;
        let got = <matrixone::mo::ShowPitr as MoStatement>::decode_output(rs).unwrap();
        assert_eq!(got, expected);
    }
}

#[tokio::test]
async fn show_pitr_where_has_lower_case_labels() {
    let fixture = table("show_pitr_where.txt");
    assert_eq!(fixture.columns[0], "pitr_name");
    let rs = result_of(&select(&fixture, PITR_TYPES)).await;
    let got: Vec<PitrInfo> = rs.typed().unwrap();
    let created = ts(2025, 7, 21, 5, 14, 28, 0);
    assert_eq!(
        got,
        vec![
            PitrInfo {
                name: "acc_pitr0".into(),
                created,
                modified: created,
                level: SnapshotLevel::Database,
                account: Some("acc1".into()),
                database: Some("test1".into()),
                table: None,
                length: 2,
                unit: PitrUnit::Hour,
            },
            PitrInfo {
                name: "acc_pitr1".into(),
                created,
                modified: ts(2025, 7, 21, 6, 0, 0, 0),
                level: SnapshotLevel::Table,
                account: Some("acc1".into()),
                database: Some("test1".into()),
                table: Some("t1".into()),
                length: 3,
                unit: PitrUnit::Hour,
            },
            PitrInfo {
                name: "p100".into(),
                created,
                modified: created,
                level: SnapshotLevel::Account,
                account: Some("sys".into()),
                database: None,
                table: None,
                length: 100,
                unit: PitrUnit::Month,
            },
        ]
    );
    let _ = Pitr::show();
}

#[tokio::test]
async fn an_unknown_pitr_unit_is_a_decode_error_naming_the_row() {
    let mut fixture = table("show_pitr.txt");
    fixture.rows[1][8] = "day".into();
    let err = <matrixone::mo::ShowPitr as MoStatement>::decode_output(
        result_of(&select(&fixture, PITR_TYPES)).await,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.message().contains("p02") && err.message().contains("day"), "{err}");
}

/// The mo_ctl blocks: (label, the value with the tester's `\n` turned back into newlines).
fn moctl_blocks() -> Vec<(String, String)> {
    let text = fixture("moctl.txt");
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    body.join("\n")
        .split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let (label, value) = block.trim_start_matches('\n').split_once('\n').expect("label and value");
            (label.to_owned(), value.replace("\\n", "\n"))
        })
        .collect()
}

fn expected_moctl() -> Vec<(MoCtlResponse, bool)> {
    let ok = json!([{ "returnStr": "OK" }]);
    vec![
        (MoCtlResponse { method: "Flush".into(), result: ok.clone() }, true),
        (MoCtlResponse { method: "Checkpoint".into(), result: ok.clone() }, true),
        (MoCtlResponse { method: "GlobalCheckpoint".into(), result: ok.clone() }, true),
        (MoCtlResponse { method: "DiskCleaner".into(), result: ok }, true),
        (
            MoCtlResponse {
                method: "MOTABLESTATS".into(),
                result: json!({ "dd1dccb4-4d3c-41f8-b482-5251dc7a41bf": "success" }),
            },
            false,
        ),
        (
            MoCtlResponse {
                method: String::new(),
                result: json!(
                    "\nmsg: merged success\ndd1dccb4-4d3c-41f8-b482-5251dc7a41bf, rows 4, blks 1\n"
                ),
            },
            false,
        ),
    ]
}

#[test]
fn moctl_parse_without_a_server() {
    let blocks = moctl_blocks();
    assert_eq!(blocks.len(), 6);
    assert!(
        blocks[0].1.starts_with("{\n  \"method\": \"Flush\""),
        "the exact pretty JSON: {:?}",
        blocks[0].1
    );
    for ((_, value), (expected, ok)) in blocks.iter().zip(expected_moctl()) {
        let got = MoCtlResponse::parse(value).unwrap();
        assert_eq!(got, expected);
        assert_eq!(got.is_ok(), ok, "{value:?}");
        assert_eq!(got.clone().ensure_ok().is_ok(), ok);
    }
    assert!(MoCtlResponse::parse(&blocks[0].1).unwrap().method_is("FLUSH"));
    assert!(MoCtlResponse::parse(&blocks[4].1).unwrap().method_is("motablestats"));

    // Failure shapes.
    let not_ok =
        MoCtlResponse::parse(r#"{"method":"Flush","result":[{"returnStr":"OK"},{"returnStr":"failed"}]}"#)
            .unwrap();
    assert!(!not_ok.is_ok());
    let err = not_ok.ensure_ok().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Other);
    assert!(err.message().contains("Flush") && err.message().contains("failed"), "{err}");
    assert!(!MoCtlResponse::parse(r#"{"method":"Flush","result":[]}"#).unwrap().is_ok());
    assert!(!MoCtlResponse::parse(r#"{"method":"Flush"}"#).unwrap().is_ok());
    let sync = MoCtlResponse::parse(r#"[{"method":"SyncCommit","error":""}]"#).unwrap();
    assert_eq!(sync.method, "");
    assert_eq!(sync.result, json!([{ "method": "SyncCommit", "error": "" }]));
    assert_eq!(MoCtlResponse::parse("  \n").unwrap_err().kind(), ErrorKind::Decode);
}

#[tokio::test]
async fn moctl_output_through_the_driver() {
    let blocks = moctl_blocks();
    let sql = blocks
        .iter()
        .map(|(label, value)| format!("SELECT {} AS {}", lit(value), quote_ident(label).unwrap()))
        .collect::<Vec<_>>();
    for ((sql, (label, _)), (expected, _)) in sql.iter().zip(&blocks).zip(expected_moctl()) {
        let rs = result_of(sql).await;
        assert_eq!(rs.columns(), std::slice::from_ref(label));
        let got = <MoCtl as MoStatement>::decode_output(rs).unwrap();
        assert_eq!(got, expected);
    }
    let empty = result_of("SELECT 'x' AS `mo_ctl(dn, flush, test.t1)` FROM DUAL WHERE 1 = 0").await;
    assert_eq!(<MoCtl as MoStatement>::decode_output(empty).unwrap_err().kind(), ErrorKind::Decode);
}

#[test]
fn info_types_serialize_with_server_spellings() {
    let info = SnapshotInfo {
        database: Some("db02".into()),
        ..snap("s1", ts(2026, 7, 27, 3, 59, 42, 931_794_010), SnapshotLevel::Database, "sys")
    };
    let value = serde_json::to_value(&info).unwrap();
    assert_eq!(value["level"], "database");
    assert_eq!(value["table"], serde_json::Value::Null);
    let value = serde_json::to_value(pitr("p1", SnapshotLevel::Cluster, None, 1, PitrUnit::Month)).unwrap();
    assert_eq!(value["unit"], "mo");
    assert_eq!(value["level"], "cluster");
}
