//! `#[derive(FromRow)]` against the real MariaDB (`DATABASE_URL` overrides the default server):
//! every attribute, every `rename_all` rule, positions, and the errors a row that does not fit
//! must give. Result sets are literal `SELECT`s unless a test needs real column types.

mod support;

use matrixone::{Error, ErrorKind, Executor, FromRow, query};
use serde::Deserialize;

/// Fetches one row of `sql` as `T`.
async fn one<T: FromRow + Send>(sql: &str) -> matrixone::Result<T> {
    support::client().await.fetch_one::<T>(sql).await
}

/// Asserts a Decode error whose message names `column`.
fn assert_decode_error(err: &Error, column: &str) {
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.message().contains(column), "the error should name {column:?}: {err}");
}

#[derive(Debug, PartialEq, FromRow)]
struct User {
    id: i64,
    #[mo(rename = "user_name")]
    name: String,
    #[mo(default)]
    email: Option<String>,
}

#[tokio::test]
async fn named_fields_read_columns_by_label() {
    // Columns in another order than the fields, plus one the struct does not want.
    let user: User =
        one("SELECT 'a@x.io' AS email, 'ann' AS user_name, 'extra' AS unused, 1 AS id").await.unwrap();
    assert_eq!(user, User { id: 1, name: "ann".into(), email: Some("a@x.io".into()) });

    let user: User = one("SELECT 2 AS id, 'bob' AS user_name, NULL AS email").await.unwrap();
    assert_eq!(user, User { id: 2, name: "bob".into(), email: None });
}

#[tokio::test]
async fn labels_match_case_insensitively() {
    let user: User = one("SELECT 3 AS ID, 'cy' AS USER_NAME, 'c@x.io' AS Email").await.unwrap();
    assert_eq!(user, User { id: 3, name: "cy".into(), email: Some("c@x.io".into()) });
}

#[tokio::test]
async fn rename_wins_over_the_field_name() {
    // `name` exists too, but the field is renamed to `user_name`.
    let user: User = one("SELECT 4 AS id, 'wrong' AS name, 'right' AS user_name").await.unwrap();
    assert_eq!(user.name, "right");
}

#[tokio::test]
async fn raw_identifier_fields_use_the_bare_name() {
    #[derive(FromRow)]
    struct Typed {
        r#type: String,
    }
    let t: Typed = one("SELECT 'table' AS `type`").await.unwrap();
    assert_eq!(t.r#type, "table");
}

/// Labels that differ only in case; an exact match is preferred over a case-insensitive one,
/// so each rule picks a different column.
const CASED: &str =
    "SELECT 1 AS user_name, 2 AS USER_NAME, 3 AS userName, 4 AS UserName, 5 AS username, 9 AS id";

#[tokio::test]
async fn rename_all_snake_case_keeps_the_field_name() {
    #[derive(FromRow)]
    #[mo(rename_all = "snake_case")]
    struct Row {
        user_name: i64,
    }
    assert_eq!(one::<Row>(CASED).await.unwrap().user_name, 1);
}

#[tokio::test]
async fn rename_all_lowercase_lowercases() {
    #[derive(FromRow)]
    #[mo(rename_all = "lowercase")]
    #[allow(non_snake_case)]
    struct Row {
        user_name: i64,
        userName: i64,
    }
    let row = one::<Row>(CASED).await.unwrap();
    assert_eq!((row.user_name, row.userName), (1, 5));
}

#[tokio::test]
async fn rename_all_uppercase_uppercases() {
    #[derive(FromRow)]
    #[mo(rename_all = "UPPERCASE")]
    struct Row {
        user_name: i64,
    }
    assert_eq!(one::<Row>(CASED).await.unwrap().user_name, 2);
}

#[tokio::test]
async fn rename_all_screaming_snake_case() {
    #[derive(FromRow)]
    #[mo(rename_all = "SCREAMING_SNAKE_CASE")]
    struct Row {
        user_name: i64,
    }
    assert_eq!(one::<Row>(CASED).await.unwrap().user_name, 2);
}

#[tokio::test]
async fn rename_all_camel_case() {
    #[derive(FromRow)]
    #[mo(rename_all = "camelCase")]
    struct Row {
        user_name: i64,
        id: i64,
    }
    let row = one::<Row>(CASED).await.unwrap();
    assert_eq!((row.user_name, row.id), (3, 9));
    // Longer names join every word.
    #[derive(FromRow)]
    #[mo(rename_all = "camelCase")]
    struct Long {
        created_at_ms: i64,
    }
    assert_eq!(one::<Long>("SELECT 7 AS createdAtMs").await.unwrap().created_at_ms, 7);
}

#[tokio::test]
async fn rename_all_pascal_case() {
    #[derive(FromRow)]
    #[mo(rename_all = "PascalCase")]
    struct Row {
        user_name: i64,
        #[mo(rename = "id")]
        key: i64,
    }
    let row = one::<Row>(CASED).await.unwrap();
    assert_eq!((row.user_name, row.key), (4, 9));
}

#[derive(Debug, PartialEq, FromRow)]
struct Pair(i64, String);

#[tokio::test]
async fn tuple_structs_read_by_position() {
    // Labels do not matter, only the order.
    let pair: Pair = one("SELECT 8 AS b, 'h' AS a").await.unwrap();
    assert_eq!(pair, Pair(8, "h".into()));
    let err = one::<Pair>("SELECT 'h' AS a, 8 AS b").await.unwrap_err();
    assert_decode_error(&err, "\"a\"");
}

#[tokio::test]
async fn tuple_struct_skip_takes_no_position_and_default_covers_missing_columns() {
    #[derive(Debug, PartialEq, FromRow)]
    struct Mixed(i64, #[mo(skip)] Vec<u8>, #[mo(default)] Option<String>, #[mo(default)] i32);
    let full: Mixed = one("SELECT 1, 'two', 3").await.unwrap();
    assert_eq!(full, Mixed(1, vec![], Some("two".into()), 3));
    let short: Mixed = one("SELECT 1").await.unwrap();
    assert_eq!(short, Mixed(1, vec![], None, 0));
}

#[tokio::test]
async fn tuples_are_from_row() {
    let t: (i64, String, Option<f64>) = one("SELECT 1, 'a', NULL").await.unwrap();
    assert_eq!(t, (1, "a".to_owned(), None));
}

#[tokio::test]
async fn a_missing_column_is_a_decode_error_naming_it() {
    let err = one::<User>("SELECT 1 AS id, NULL AS email").await.unwrap_err();
    assert_decode_error(&err, "user_name");
}

#[tokio::test]
async fn null_into_a_non_option_field_is_a_decode_error_naming_it() {
    let err = one::<User>("SELECT 1 AS id, NULL AS user_name").await.unwrap_err();
    assert_decode_error(&err, "user_name");
}

#[derive(Debug, PartialEq, FromRow)]
struct Defaults {
    #[mo(default)]
    count: i64,
    #[mo(default)]
    label: String,
    #[mo(default)]
    note: Option<String>,
    #[mo(default, rename = "n")]
    renamed: u32,
}

#[tokio::test]
async fn default_covers_a_missing_column() {
    let d: Defaults = one("SELECT 1 AS unrelated").await.unwrap();
    assert_eq!(d, Defaults { count: 0, label: String::new(), note: None, renamed: 0 });
}

#[tokio::test]
async fn default_covers_null() {
    let d: Defaults = one("SELECT NULL AS count, NULL AS label, NULL AS note, NULL AS n").await.unwrap();
    assert_eq!(d, Defaults { count: 0, label: String::new(), note: None, renamed: 0 });
}

#[tokio::test]
async fn default_keeps_present_values_and_does_not_hide_bad_ones() {
    let d: Defaults = one("SELECT 5 AS count, 'l' AS label, 'n' AS note, 6 AS n").await.unwrap();
    assert_eq!(d, Defaults { count: 5, label: "l".into(), note: Some("n".into()), renamed: 6 });
    // A value that is there but does not fit is still an error.
    let err = one::<Defaults>("SELECT 'many' AS count").await.unwrap_err();
    assert_decode_error(&err, "count");
}

#[tokio::test]
async fn skip_never_reads_the_column() {
    #[derive(FromRow)]
    struct Skipped {
        id: i64,
        #[mo(skip)]
        cache: Vec<String>,
        #[mo(skip)]
        count: i64,
    }
    // `count` is present but would not decode as i64; `cache` is absent.
    let s: Skipped = one("SELECT 1 AS id, 'not a number' AS count").await.unwrap();
    assert_eq!((s.id, s.cache.len(), s.count), (1, 0, 0));
}

#[derive(Debug, PartialEq, Deserialize)]
struct Meta {
    tags: Vec<String>,
    level: u8,
}

#[derive(Debug, PartialEq, FromRow)]
struct WithJson {
    #[mo(json)]
    meta: Meta,
    #[mo(json, rename = "extra_json", default)]
    extra: Option<Meta>,
}

#[tokio::test]
async fn json_decodes_with_serde() {
    let w: WithJson = one(r#"SELECT JSON_OBJECT('tags', JSON_ARRAY('a', 'b'), 'level', 2) AS meta,
                  '{"tags": [], "level": 7}' AS extra_json"#)
    .await
    .unwrap();
    assert_eq!(w.meta, Meta { tags: vec!["a".into(), "b".into()], level: 2 });
    assert_eq!(w.extra, Some(Meta { tags: vec![], level: 7 }));
}

#[tokio::test]
async fn json_with_default_reads_null_and_missing_as_none() {
    let sql = r#"SELECT '{"tags": ["t"], "level": 1}' AS meta"#;
    assert_eq!(one::<WithJson>(sql).await.unwrap().extra, None);
    let sql = r#"SELECT '{"tags": ["t"], "level": 1}' AS meta, NULL AS extra_json"#;
    assert_eq!(one::<WithJson>(sql).await.unwrap().extra, None);
}

#[tokio::test]
async fn json_that_does_not_fit_is_a_decode_error() {
    let err = one::<WithJson>(r#"SELECT '{"tags": "x"}' AS meta"#).await.unwrap_err();
    assert_decode_error(&err, "meta");
    let err = one::<WithJson>("SELECT NULL AS meta").await.unwrap_err();
    assert_decode_error(&err, "meta");
}

#[derive(Debug, PartialEq)]
enum Level {
    Cluster,
    Table,
}

impl TryFrom<String> for Level {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.as_str() {
            "cluster" => Ok(Level::Cluster),
            "table" => Ok(Level::Table),
            _ => Err(format!("unknown level {s:?}")),
        }
    }
}

#[derive(Debug, PartialEq, FromRow)]
struct Converted {
    #[mo(try_from = "i64")]
    small: u8,
    #[mo(try_from = "String")]
    level: Level,
    #[mo(try_from = "i64", default, rename = "opt")]
    optional: u16,
}

#[tokio::test]
async fn try_from_converts_after_decoding() {
    let c: Converted = one("SELECT 200 AS small, 'table' AS level, 65535 AS opt").await.unwrap();
    assert_eq!(c, Converted { small: 200, level: Level::Table, optional: 65535 });
    let c: Converted = one("SELECT 0 AS small, 'cluster' AS level").await.unwrap();
    assert_eq!(c, Converted { small: 0, level: Level::Cluster, optional: 0 });
}

#[tokio::test]
async fn try_from_failure_is_a_decode_error_naming_the_column() {
    let err = one::<Converted>("SELECT 300 AS small, 'table' AS level").await.unwrap_err();
    assert_decode_error(&err, "small");
    let err = one::<Converted>("SELECT 1 AS small, 'galaxy' AS level").await.unwrap_err();
    assert_decode_error(&err, "level");
    assert!(err.message().contains("galaxy"), "the conversion error is kept: {err}");
    let err = one::<Converted>("SELECT 1 AS small, 'table' AS level, -1 AS opt").await.unwrap_err();
    assert_decode_error(&err, "opt");
}

#[tokio::test]
async fn try_from_failure_in_a_tuple_struct_names_the_label() {
    #[derive(Debug, FromRow)]
    struct Small(#[mo(try_from = "i64")] u8);
    assert_eq!(one::<Small>("SELECT 255 AS big").await.unwrap().0, 255);
    let err = one::<Small>("SELECT 300 AS big").await.unwrap_err();
    assert_decode_error(&err, "big");
}

#[derive(Debug, PartialEq, FromRow)]
#[mo(rename_all = "camelCase")]
struct Audit {
    created_by: String,
    #[mo(default)]
    updated_by: Option<String>,
}

#[derive(Debug, PartialEq, FromRow)]
struct Document {
    id: i64,
    #[mo(flatten)]
    audit: Audit,
    #[mo(flatten)]
    pair: (i64, String),
}

#[tokio::test]
async fn flatten_reads_the_same_row_with_the_inner_rules() {
    let d: Document = one("SELECT 5 AS id, 'ann' AS createdBy, 'x' AS title").await.unwrap();
    assert_eq!(
        d,
        Document {
            id: 5,
            audit: Audit { created_by: "ann".into(), updated_by: None },
            pair: (5, "ann".into()),
        }
    );
    let err = one::<Document>("SELECT 5 AS id, 'x' AS title").await.unwrap_err();
    assert_decode_error(&err, "createdBy");
}

#[derive(Debug, PartialEq, FromRow)]
struct Generic<T, M> {
    value: T,
    #[mo(default)]
    more: Option<T>,
    #[mo(flatten)]
    inner: M,
}

#[tokio::test]
async fn generic_structs_get_bounds_for_their_parameters() {
    let g: Generic<i64, Pair> = one("SELECT 1 AS value, '2' AS more").await.unwrap();
    assert_eq!(g, Generic { value: 1, more: Some(2), inner: Pair(1, "2".into()) });
    let g: Generic<String, (String,)> = one("SELECT 'v' AS value").await.unwrap();
    assert_eq!(g, Generic { value: "v".into(), more: None, inner: ("v".into(),) });
}

#[tokio::test]
async fn prepared_statements_and_typed_result_sets_decode_the_same() {
    let client = support::client().await;
    let users: Vec<User> = client
        .fetch_all(
            query("SELECT ? AS id, ? AS user_name, NULL AS email UNION ALL SELECT ?, ?, ?")
                .bind(1i64)
                .bind("ann")
                .bind(2i64)
                .bind("bob")
                .bind("b@x.io"),
        )
        .await
        .unwrap();
    assert_eq!(
        users,
        [
            User { id: 1, name: "ann".into(), email: None },
            User { id: 2, name: "bob".into(), email: Some("b@x.io".into()) },
        ]
    );
    let rs = client.execute("SELECT 1 AS id, 'ann' AS user_name UNION ALL SELECT 2, 'bob'").await.unwrap();
    let typed: Vec<User> = rs.typed().unwrap();
    assert_eq!(typed.iter().map(|u| (u.id, u.name.as_str())).collect::<Vec<_>>(), [(1, "ann"), (2, "bob")]);
}

#[tokio::test]
async fn columns_of_a_real_table() {
    #[derive(Debug, PartialEq, FromRow)]
    #[mo(rename_all = "snake_case")]
    struct Item {
        id: u64,
        #[mo(rename = "item_name")]
        name: String,
        #[mo(json)]
        meta: Meta,
        #[mo(try_from = "i64")]
        level: u8,
        #[mo(default)]
        price: Option<f64>,
        #[mo(skip)]
        dirty: bool,
    }
    let client = support::client().await;
    let t = support::unique("from_row_items");
    support::fresh_table(
        &client,
        &t,
        "id BIGINT UNSIGNED PRIMARY KEY, item_name VARCHAR(40) NOT NULL, meta JSON NOT NULL, \
         level INT NOT NULL, price DOUBLE NULL",
    )
    .await;
    client
        .execute(
            query(format!(
                "INSERT INTO `{t}` VALUES (?, ?, ?, ?, ?), (2, 'b', '{{\"tags\":[],\"level\":0}}', 999, NULL)"
            ))
            .bind(1u64)
            .bind("a")
            .bind(r#"{"tags":["x"],"level":3}"#)
            .bind(3i64)
            .bind(1.5f64),
        )
        .await
        .unwrap();
    let items: Vec<Item> =
        client.fetch_all(query(format!("SELECT * FROM `{t}` WHERE id = ?")).bind(1u64)).await.unwrap();
    assert_eq!(
        items,
        [Item {
            id: 1,
            name: "a".into(),
            meta: Meta { tags: vec!["x".into()], level: 3 },
            level: 3,
            price: Some(1.5),
            dirty: false,
        }]
    );
    // The second row's level, 999, does not fit u8.
    let err = client.fetch_all::<Item>(format!("SELECT * FROM `{t}` ORDER BY id")).await.unwrap_err();
    assert_decode_error(&err, "level");
    client.execute(format!("DROP TABLE `{t}`")).await.unwrap();
}

// Compile-time checks: lifetimes, const generics and `macro_rules!`-made structs.

#[derive(FromRow)]
struct Life<'a, const N: usize> {
    #[mo(skip)]
    _marker: std::marker::PhantomData<&'a [u8; N]>,
}

macro_rules! from_macro {
    ($name:ident, $t:ty) => {
        #[derive(FromRow)]
        struct $name {
            a: $t,
            #[mo(default)]
            b: $t,
            #[mo(try_from = "i64")]
            c: $t,
        }
    };
}
from_macro!(ViaMacro, i32);

#[tokio::test]
async fn lifetimes_const_generics_and_macro_made_structs() {
    let _: Life<'static, 3> = one("SELECT 1").await.unwrap();
    let v: ViaMacro = one("SELECT 1 AS a, 3 AS c").await.unwrap();
    assert_eq!((v.a, v.b, v.c), (1, 0, 3));
}
