//! Values that reach the SDK through sea-query: every supported type is stored as itself in
//! both protocols, and a type the SDK does not support is refused before anything is sent,
//! never stored as NULL (review finding 1).
mod support;

use matrixone::{Client, ErrorKind, Executor};
use sea_query::{Alias, Expr, InsertStatement, Query};

fn insert(table: &str, id: i64, value: impl Into<sea_query::Value>) -> InsertStatement {
    Query::insert()
        .into_table(Alias::new(table))
        .columns([Alias::new("id"), Alias::new("v")])
        .values_panic([id.into(), Expr::val(value.into())])
        .to_owned()
}

async fn clients() -> Vec<(&'static str, Client)> {
    let prepared = support::client().await;
    let inline = Client::connect_with(support::options().prepared_statements(false)).await.unwrap();
    vec![("prepared", prepared), ("inline", inline)]
}

#[cfg(feature = "uuid")]
#[tokio::test]
async fn a_uuid_from_sea_query_is_stored_as_its_text_not_null() {
    let table = support::unique("sq_uuid");
    for (label, c) in clients().await {
        support::fresh_table(&c, &table, "id INT PRIMARY KEY, v CHAR(36)").await;
        let id = uuid::Uuid::from_u128(0x1234_5678_9abc_def0_0fed_cba9_8765_4321);
        c.execute(&insert(&table, 1, id)).await.unwrap();
        let stored: Option<String> =
            c.fetch_scalar(format!("SELECT v FROM {table} WHERE id = 1")).await.unwrap();
        assert_eq!(stored.as_deref(), Some("12345678-9abc-def0-0fed-cba987654321"), "{label}");
        let back: uuid::Uuid = c.fetch_scalar(format!("SELECT v FROM {table}")).await.unwrap();
        assert_eq!(back, id, "{label}");
        // BINARY(16) reads back too.
        let raw: uuid::Uuid =
            c.fetch_scalar(format!("SELECT UNHEX(REPLACE(v, '-', '')) FROM {table}")).await.unwrap();
        assert_eq!(raw, id, "{label}");
    }
}

#[cfg(feature = "rust_decimal")]
#[tokio::test]
async fn a_decimal_from_sea_query_is_stored_exactly() {
    use std::str::FromStr as _;
    let table = support::unique("sq_dec");
    for (label, c) in clients().await {
        support::fresh_table(&c, &table, "id INT PRIMARY KEY, v DECIMAL(30, 10)").await;
        let d = rust_decimal::Decimal::from_str("-123456789012345678.0123456789").unwrap();
        c.execute(&insert(&table, 1, d)).await.unwrap();
        let text: String = c.fetch_scalar(format!("SELECT CAST(v AS CHAR) FROM {table}")).await.unwrap();
        assert_eq!(text, "-123456789012345678.0123456789", "{label}");
        let back: rust_decimal::Decimal = c.fetch_scalar(format!("SELECT v FROM {table}")).await.unwrap();
        assert_eq!(back, d, "{label}");
        let whole: rust_decimal::Decimal = c.fetch_scalar("SELECT 42").await.unwrap();
        assert_eq!(whole, rust_decimal::Decimal::from(42), "{label}");
    }
}

#[cfg(feature = "time")]
#[tokio::test]
async fn time_crate_values_from_sea_query_round_trip() {
    let table = support::unique("sq_time");
    for (label, c) in clients().await {
        support::fresh_table(&c, &table, "id INT PRIMARY KEY, v DATETIME(6)").await;
        let at = time::macros::datetime!(2026-11-30 08:09:10.123456 UTC);
        c.execute(&insert(&table, 1, at)).await.unwrap();
        let back: time::OffsetDateTime = c.fetch_scalar(format!("SELECT v FROM {table}")).await.unwrap();
        assert_eq!(back, at, "{label}");
        let date: time::Date = c.fetch_scalar("SELECT DATE '2024-02-29'").await.unwrap();
        assert_eq!(date, time::macros::date!(2024 - 02 - 29), "{label}");
    }
}

/// `with-mac_address` is switched on for sea-query by this crate's dev-dependencies, the way a
/// user's other crates could switch it on: the SDK must refuse the value, not store NULL.
#[tokio::test]
async fn an_unsupported_sea_query_value_is_refused_and_nothing_is_written() {
    let table = support::unique("sq_unsupported");
    for (label, c) in clients().await {
        support::fresh_table(&c, &table, "id INT PRIMARY KEY, v VARCHAR(64)").await;
        let mac = mac_address::MacAddress::new([1, 2, 3, 4, 5, 6]);
        let err = c.execute(&insert(&table, 1, mac)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{label}: {err}");
        assert!(err.to_string().contains("MacAddress"), "{label}: {err}");
        assert!(!err.to_string().contains("01:02"), "the value itself is not echoed: {err}");
        let n: i64 = c.fetch_scalar(format!("SELECT COUNT(*) FROM {table}")).await.unwrap();
        assert_eq!(n, 0, "{label}: nothing was written");
    }
}

#[tokio::test]
async fn a_fixed_offset_date_time_is_sent_as_utc() {
    use chrono::{DateTime, FixedOffset, TimeZone as _};
    let table = support::unique("sq_fixed");
    for (label, c) in clients().await {
        support::fresh_table(&c, &table, "id INT PRIMARY KEY, v DATETIME").await;
        let at = FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 1, 2, 11, 4, 5).unwrap();
        c.execute(&insert(&table, 1, at)).await.unwrap();
        let text: String = c.fetch_scalar(format!("SELECT CAST(v AS CHAR) FROM {table}")).await.unwrap();
        assert_eq!(text, "2026-01-02 03:04:05", "{label}");
        let back: DateTime<FixedOffset> = c.fetch_scalar(format!("SELECT v FROM {table}")).await.unwrap();
        assert_eq!(back, at, "{label}");
    }
}
