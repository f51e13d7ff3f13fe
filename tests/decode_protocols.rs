//! A column decodes to the same Rust value, or to the same `Decode` error, over the text protocol
//! and the binary (prepared) protocol (review finding 4: the binary protocol's raw bytes were
//! read as integers).
mod support;

use matrixone::{Client, Decode, ErrorKind, Executor, query};

struct Rig {
    clients: Vec<(&'static str, Client)>,
    table: String,
}

async fn rig() -> Rig {
    let prepared = support::client().await;
    let text = Client::connect_with(support::options().prepared_statements(false)).await.unwrap();
    let table = support::unique("decode");
    support::fresh_table(
        &prepared,
        &table,
        "id INT PRIMARY KEY, d DOUBLE, f FLOAT, half DOUBLE, dt DATETIME, b BIT(16), big BIGINT UNSIGNED, \
         amount DECIMAL(10, 2), y YEAR, tu TINYINT UNSIGNED, zero DOUBLE, s VARCHAR(10)",
    )
    .await;
    prepared
        .execute(format!(
            "INSERT INTO {table} VALUES (1, 2.0, 2.0, 2.5, '2026-01-02 03:04:05', 256, 18446744073709551615, \
             12.00, 2024, 200, 0.0, '7')"
        ))
        .await
        .unwrap();
    Rig { clients: vec![("binary protocol", prepared), ("text protocol", text)], table }
}

/// Reads one column of the row; the bound value makes the prepared client use the binary protocol.
async fn read<T: Decode + Send>(c: &Client, table: &str, column: &str) -> matrixone::Result<T> {
    c.fetch_scalar(query(format!("SELECT {column} FROM {table} WHERE id = ?")).bind(1)).await
}

#[tokio::test]
async fn numbers_decode_the_same_in_both_protocols() {
    let Rig { clients, table } = rig().await;
    for (label, c) in &clients {
        assert_eq!(read::<i64>(c, &table, "d").await.unwrap(), 2, "{label}: whole DOUBLE as i64");
        assert_eq!(read::<i32>(c, &table, "f").await.unwrap(), 2, "{label}: whole FLOAT as i32");
        assert_eq!(read::<u64>(c, &table, "b").await.unwrap(), 256, "{label}: BIT(16) as u64");
        assert_eq!(read::<i32>(c, &table, "b").await.unwrap(), 256, "{label}: BIT(16) as i32");
        assert_eq!(read::<f64>(c, &table, "big").await.unwrap(), 18446744073709551615u64 as f64, "{label}");
        assert_eq!(read::<u64>(c, &table, "big").await.unwrap(), u64::MAX, "{label}");
        assert_eq!(read::<i64>(c, &table, "amount").await.unwrap(), 12, "{label}: whole DECIMAL");
        assert_eq!(read::<i32>(c, &table, "y").await.unwrap(), 2024, "{label}: YEAR");
        assert_eq!(read::<u8>(c, &table, "tu").await.unwrap(), 200, "{label}: TINYINT UNSIGNED");
        assert_eq!(read::<f64>(c, &table, "f").await.unwrap(), 2.0, "{label}");
        assert!(read::<bool>(c, &table, "d").await.unwrap(), "{label}: DOUBLE 2.0 is true");
        assert!(!read::<bool>(c, &table, "zero").await.unwrap(), "{label}: DOUBLE 0.0 is false");
        assert!(read::<bool>(c, &table, "b").await.unwrap(), "{label}: BIT 256 is true");
        assert_eq!(read::<i64>(c, &table, "s").await.unwrap(), 7, "{label}: digits in text");
    }
}

#[tokio::test]
async fn what_does_not_fit_is_a_decode_error_in_both_protocols() {
    let Rig { clients, table } = rig().await;
    for (label, c) in &clients {
        let cases = [
            ("half", read::<i64>(c, &table, "half").await.map(|v| v.to_string())),
            ("dt as i64", read::<i64>(c, &table, "dt").await.map(|v| v.to_string())),
            ("dt as f64", read::<f64>(c, &table, "dt").await.map(|v| v.to_string())),
            ("dt as bool", read::<bool>(c, &table, "dt").await.map(|v| v.to_string())),
            ("big as i64", read::<i64>(c, &table, "big").await.map(|v| v.to_string())),
            ("tu as i8", read::<i8>(c, &table, "tu").await.map(|v| v.to_string())),
            ("d as String", read::<String>(c, &table, "d").await),
            ("dt as Vec<u8>", read::<Vec<u8>>(c, &table, "dt").await.map(|v| format!("{v:?}"))),
            ("d as date", read::<chrono::NaiveDate>(c, &table, "d").await.map(|v| v.to_string())),
        ];
        for (what, result) in cases {
            let err = result.expect_err(&format!("{label}: {what} must not decode"));
            assert_eq!(err.kind(), ErrorKind::Decode, "{label}: {what}: {err}");
        }
    }
}
