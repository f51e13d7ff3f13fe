//! Values written through client-side binding (inlined literals) and through prepared binding
//! read back byte-identical, in both backslash modes of the session.
mod support;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use matrixone::{Client, ErrorKind, Executor, Value, query};
use proptest::prelude::*;

/// Strings rich in what breaks naive escaping: quotes, backslashes, NUL, `?`, comment starts,
/// control characters and emoji.
fn nasty_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just("\0".to_owned()),
        Just("?".to_owned()),
        Just("`".to_owned()),
        Just("-- ".to_owned()),
        Just("/*".to_owned()),
        Just("#".to_owned()),
        Just("\n\r\t\x1a".to_owned()),
        Just("😀".to_owned()),
        Just("\\'".to_owned()),
        "[a-zA-Z0-9 ]{0,4}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

struct Rig {
    rt: tokio::runtime::Runtime,
    clients: Vec<(&'static str, Client)>,
    table: String,
}

fn rig() -> Rig {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let table = support::unique("binding");
    let clients = rt.block_on(async {
        let prepared = support::client().await;
        support::fresh_table(
            &prepared,
            &table,
            "id INT PRIMARY KEY, s LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, b LONGBLOB",
        )
        .await;
        let inline = Client::connect_with(support::options().prepared_statements(false)).await.unwrap();
        let inline_nbe =
            Client::connect_with(support::options().prepared_statements(false).no_backslash_escapes(true))
                .await
                .unwrap();
        let mode: String = inline_nbe.fetch_scalar("SELECT @@SESSION.sql_mode").await.unwrap();
        assert!(mode.contains("NO_BACKSLASH_ESCAPES"), "{mode}");
        vec![("prepared", prepared), ("inline", inline), ("inline, NO_BACKSLASH_ESCAPES", inline_nbe)]
    });
    Rig { rt, clients, table }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
    #[test]
    fn strings_and_bytes_round_trip(s in nasty_string(), b in prop::collection::vec(any::<u8>(), 0..64)) {
        thread_local!(static RIG: Rig = rig());
        RIG.with(|rig| {
            for (id, (how, client)) in rig.clients.iter().enumerate() {
                let (got_s, got_b): (String, Vec<u8>) = rig.rt.block_on(async {
                    let t = &rig.table;
                    client.execute(format!("DELETE FROM {t} WHERE id = {id}")).await.unwrap();
                    client
                        .execute(query(format!("INSERT INTO {t} (id, s, b) VALUES (?, ?, ?)")).bind(id as i64).bind(&s).bind(b.clone()))
                        .await
                        .unwrap_or_else(|e| panic!("{how}: insert {s:?}: {e}"));
                    // Bound again in a WHERE clause, so the comparison goes through the binder too.
                    client
                        .fetch_one(query(format!("SELECT s, b FROM {t} WHERE id = ? AND s = ? AND b = ?")).bind(id as i64).bind(&s).bind(b.clone()))
                        .await
                        .unwrap_or_else(|e| panic!("{how}: select {s:?}: {e}"))
                });
                prop_assert_eq!(&got_s, &s, "{}", how);
                prop_assert_eq!(&got_b, &b, "{}", how);
            }
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn every_value_type_round_trips_both_ways() {
    let prepared = support::client().await;
    let inline = Client::connect_with(support::options().prepared_statements(false)).await.unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let time = NaiveTime::from_hms_micro_opt(3, 4, 5, 123_456).unwrap();
    let dt = NaiveDateTime::new(date, time);
    for client in [&prepared, &inline] {
        let row = client
            .fetch_one::<(i64, u64, f64, f32, bool, String, Vec<u8>, Option<i32>, NaiveDate, NaiveTime, NaiveDateTime, serde_json::Value)>(
                query("SELECT ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS DATE), CAST(? AS TIME(6)), CAST(? AS DATETIME(6)), CAST(? AS CHAR)")
                    .bind(-5_i64)
                    .bind(u64::MAX)
                    .bind(0.1_f64)
                    .bind(1.5_f32)
                    .bind(true)
                    .bind("é ' \\")
                    .bind(vec![0_u8, 255, 39, 92])
                    .bind(None::<i32>)
                    .bind(date)
                    .bind(time)
                    .bind(dt)
                    .bind(serde_json::json!({"a": [1, "x'y"]})),
            )
            .await
            .unwrap();
        assert_eq!(row.0, -5);
        assert_eq!(row.1, u64::MAX);
        assert_eq!(row.2, 0.1);
        assert_eq!(row.3, 1.5);
        assert!(row.4);
        assert_eq!(row.5, "é ' \\");
        assert_eq!(row.6, vec![0, 255, 39, 92]);
        assert_eq!(row.7, None);
        assert_eq!(row.8, date);
        assert_eq!(row.9, time);
        assert_eq!(row.10, dt);
        assert_eq!(row.11, serde_json::json!({"a": [1, "x'y"]}));
    }
}

#[tokio::test]
async fn placeholders_in_literals_comments_and_names_are_not_bound() {
    let inline = Client::connect_with(support::options().prepared_statements(false)).await.unwrap();
    let row: (String, i64, String) =
        inline.fetch_one(query("SELECT '?' AS `q?`, ? /* ? */, \"it\\'s ?\" -- ?\n").bind(7)).await.unwrap();
    assert_eq!(row, ("?".to_owned(), 7, "it's ?".to_owned()));
}

#[tokio::test]
async fn bind_count_mismatch_and_non_finite_floats_are_refused_before_sending() {
    let inline = Client::connect_with(support::options().prepared_statements(false)).await.unwrap();
    let too_few = inline.execute(query("SELECT ?, ?").bind(1)).await.unwrap_err();
    assert_eq!(too_few.kind(), ErrorKind::InvalidInput, "{too_few}");
    let too_many = inline.execute(query("SELECT ?").bind(1).bind(2)).await.unwrap_err();
    assert_eq!(too_many.kind(), ErrorKind::InvalidInput, "{too_many}");
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let err = inline.execute(query("SELECT ?").bind(bad)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    }
    let err = inline.execute(query("SELECT ?").bind(Value::Float(f32::NAN))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}
