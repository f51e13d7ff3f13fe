//! Bulk writes against the real MariaDB: `#[derive(Insertable)]` rows written and read back,
//! statements split at 65535 placeholders and at the server's `max_allowed_packet`, all or nothing
//! when a later statement fails, and `ON DUPLICATE KEY UPDATE`.
//!
//! Statements are counted from the SDK's own statement events (one per statement sent).
mod support;

use matrixone::{Client, ErrorKind, Executor, FromRow, InsertOptions, Insertable, Transaction};
use support::captured::Captured;

/// A level stored as a number: read with `try_from = "i64"`, written back the same way.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Level {
    Guest,
    Admin,
}

impl TryFrom<i64> for Level {
    type Error = String;
    fn try_from(n: i64) -> Result<Level, String> {
        match n {
            0 => Ok(Level::Guest),
            1 => Ok(Level::Admin),
            other => Err(format!("no level {other}")),
        }
    }
}

impl From<Level> for i64 {
    fn from(level: Level) -> i64 {
        match level {
            Level::Guest => 0,
            Level::Admin => 1,
        }
    }
}

/// Every attribute at once; one set of `#[mo(...)]` serves both derives.
#[derive(Debug, Clone, PartialEq, FromRow, Insertable)]
#[mo(table = "insert_rs_people", rename_all = "camelCase")]
struct Person {
    #[mo(skip_insert)]
    id: i64,
    full_name: String,
    #[mo(rename = "mail")]
    email: Option<String>,
    #[mo(json)]
    tags: Vec<String>,
    #[mo(json, default)]
    extra: Option<serde_json::Value>,
    #[mo(try_from = "i64")]
    level: Level,
    #[mo(skip)]
    cache: u8,
}

const PEOPLE_COLUMNS: &str = "id BIGINT AUTO_INCREMENT PRIMARY KEY, fullName VARCHAR(100) NOT NULL, \
     mail VARCHAR(100), tags TEXT NOT NULL, extra TEXT, level BIGINT NOT NULL";

fn person(name: &str, email: Option<&str>, level: Level) -> Person {
    Person {
        id: 0,
        full_name: name.to_owned(),
        email: email.map(str::to_owned),
        tags: vec![name.to_lowercase(), "it's \"quoted\" \\ here".to_owned()],
        extra: email.map(|e| serde_json::json!({ "email": e })),
        level,
        cache: 7,
    }
}

#[tokio::test]
async fn derived_rows_are_written_and_read_back() {
    for prepared in [true, false] {
        let client = Client::connect_with(support::options().prepared_statements(prepared)).await.unwrap();
        let table = support::unique("ins_people");
        support::fresh_table(&client, &table, PEOPLE_COLUMNS).await;
        let people = vec![
            person("Alice", Some("alice@example.com"), Level::Admin),
            person("Bob", None, Level::Guest),
            person("Zoë 'Z' \\ Ünicode", Some("z@example.com"), Level::Guest),
        ];
        let written = client.insert_many_with(&people, InsertOptions::new().table(&table)).await.unwrap();
        assert_eq!(written, 3);

        let back: Vec<Person> = client
            .fetch_all(format!("SELECT id, fullName, mail, tags, extra, level FROM `{table}` ORDER BY id"))
            .await
            .unwrap();
        let expected: Vec<Person> = people
            .iter()
            .enumerate()
            .map(|(i, p)| Person { id: i as i64 + 1, cache: 0, ..p.clone() })
            .collect();
        assert_eq!(back, expected, "prepared statements: {prepared}");
        // None is SQL NULL, in a plain column and in a JSON one, never the text `null`.
        let nulls: (i64, i64) = client
            .fetch_one(format!("SELECT SUM(mail IS NULL), SUM(extra IS NULL) FROM `{table}`"))
            .await
            .unwrap();
        assert_eq!(nulls, (1, 1));
        client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
    }
}

#[tokio::test]
async fn insert_writes_one_row_into_the_derived_table() {
    let client = support::client().await;
    support::fresh_table(&client, Person::TABLE, PEOPLE_COLUMNS).await;
    assert_eq!(client.insert(&person("Carol", None, Level::Admin)).await.unwrap(), 1);
    let tx = client.begin().await.unwrap();
    assert_eq!(tx.insert(&person("Dave", None, Level::Guest)).await.unwrap(), 1);
    tx.commit().await.unwrap();
    let names: Vec<(String, i64)> =
        client.fetch_all("SELECT fullName, level FROM insert_rs_people ORDER BY id").await.unwrap();
    assert_eq!(names, [("Carol".to_owned(), 1), ("Dave".to_owned(), 0)]);
    client.execute("DROP TABLE insert_rs_people").await.unwrap();
}

#[derive(Debug, Clone, Copy, PartialEq, FromRow, Insertable)]
#[mo(table = "numbers")]
struct Number {
    n: i64,
}

fn numbers(range: std::ops::Range<i64>) -> Vec<Number> {
    range.map(|n| Number { n }).collect()
}

#[tokio::test]
async fn a_prepared_batch_is_split_at_65535_placeholders() {
    let (log, _guard) = Captured::start();
    // Uncapped, a prepared statement stops at 65535 placeholders and a text one at the packet;
    // by default a statement carries at most 10,000 values.
    for (prepared, cap, statements) in
        [(true, Some(100_000), 2), (false, Some(100_000), 1), (true, None, 7), (false, None, 7)]
    {
        let client = Client::connect_with(support::options().prepared_statements(prepared)).await.unwrap();
        let table = support::unique("ins_numbers");
        support::fresh_table(&client, &table, "n BIGINT NOT NULL").await;
        let before = log.statements(&format!("INSERT INTO `{table}`"));
        let rows = numbers(0..70_000);
        let options = InsertOptions::new().table(&table);
        let options = match cap {
            Some(rows) => options.max_rows_per_statement(rows),
            None => options,
        };
        assert_eq!(client.insert_many_with(&rows, options).await.unwrap(), 70_000);
        assert_eq!(
            log.statements(&format!("INSERT INTO `{table}`")) - before,
            statements,
            "prepared statements: {prepared}, rows per statement capped at {cap:?}"
        );
        let (count, sum): (i64, i64) = client
            .fetch_one(format!("SELECT COUNT(*), CAST(SUM(n) AS SIGNED) FROM `{table}`"))
            .await
            .unwrap();
        assert_eq!((count, sum), (70_000, 69_999 * 70_000 / 2));
        client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
    }
}

#[derive(Debug, Clone, PartialEq, FromRow, Insertable)]
#[mo(table = "blobs")]
struct Blob {
    id: i64,
    body: String,
}

#[tokio::test]
async fn statements_stay_under_the_servers_max_allowed_packet() {
    let (log, _guard) = Captured::start();
    for prepared in [true, false] {
        let client = Client::connect_with(support::options().prepared_statements(prepared)).await.unwrap();
        let packet: u64 = client.fetch_scalar("SELECT @@max_allowed_packet").await.unwrap();
        let table = support::unique("ins_blobs");
        support::fresh_table(&client, &table, "id BIGINT PRIMARY KEY, body LONGTEXT NOT NULL").await;
        // 1 MiB rows, with characters the text protocol escapes, past 1.25 times the packet: one
        // statement would be refused by the server (error 1153).
        let body = "x'\\".repeat(1 << 18) + &"y".repeat(1 << 18);
        let count = (packet * 5 / 4) / body.len() as u64 + 1;
        let rows: Vec<Blob> = (0..count as i64).map(|id| Blob { id, body: body.clone() }).collect();
        assert_eq!(client.insert_many_with(&rows, InsertOptions::new().table(&table)).await.unwrap(), count);
        let statements = log.statements(&format!("INSERT INTO `{table}`"));
        assert!(statements >= 2, "{count} rows of 1 MiB took {statements} statement(s)");
        let (n, bytes): (i64, i64) = client
            .fetch_one(format!("SELECT COUNT(*), CAST(SUM(LENGTH(body)) AS SIGNED) FROM `{table}`"))
            .await
            .unwrap();
        assert_eq!((n as u64, bytes as u64), (count, count * body.len() as u64));
        let first: Blob =
            client.fetch_one(format!("SELECT id, body FROM `{table}` WHERE id = 0")).await.unwrap();
        assert!(first.body == body, "the stored body differs (prepared statements: {prepared})");
        client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
    }
}

#[tokio::test]
async fn the_callers_caps_split_statements_too() {
    let (log, _guard) = Captured::start();
    let client = support::client().await;
    let table = support::unique("ins_caps");
    support::fresh_table(&client, &table, "n BIGINT NOT NULL").await;
    let insert = format!("INSERT INTO `{table}`");
    let options = InsertOptions::new().table(&table);
    client.insert_many_with(&numbers(0..25), options.clone().max_rows_per_statement(10)).await.unwrap();
    assert_eq!(log.statements(&insert), 3);
    client.insert_many_with(&numbers(0..100), options.max_statement_bytes(1000)).await.unwrap();
    let more = log.statements(&insert) - 3;
    assert!(more > 2, "100 rows within 1000 bytes took {more} statement(s)");
    assert_eq!(client.fetch_scalar::<i64>(format!("SELECT COUNT(*) FROM `{table}`")).await.unwrap(), 125);
    client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
}

#[tokio::test]
async fn max_allowed_packet_is_asked_once_per_client() {
    let (log, _guard) = Captured::start();
    let client = support::client().await;
    let table = support::unique("ins_once");
    support::fresh_table(&client, &table, "n BIGINT NOT NULL").await;
    for _ in 0..3 {
        client.insert_many_with(&numbers(0..3), InsertOptions::new().table(&table)).await.unwrap();
    }
    assert_eq!(log.statements("@@max_allowed_packet"), 1);
    // A clone shares what the client learned.
    client.clone().insert_many_with(&numbers(0..3), InsertOptions::new().table(&table)).await.unwrap();
    assert_eq!(log.statements("@@max_allowed_packet"), 1);
    client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
}

#[derive(Debug, Clone, PartialEq, FromRow, Insertable)]
#[mo(table = "accounts")]
struct Account {
    id: i64,
    name: String,
    email: String,
}

fn accounts(ids: impl IntoIterator<Item = i64>, tag: &str) -> Vec<Account> {
    ids.into_iter()
        .map(|id| Account { id, name: format!("{tag}{id}"), email: format!("{tag}{id}@example.com") })
        .collect()
}

const ACCOUNT_COLUMNS: &str = "id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL, email VARCHAR(100) NOT NULL";

/// 30 rows in statements of 10, the 26th a duplicate of the first: the third statement fails.
fn duplicate_in_third_statement() -> Vec<Account> {
    let mut rows = accounts(1..=30, "u");
    rows[25].id = 1;
    rows
}

async fn count(db: &impl Executor, table: &str) -> i64 {
    db.fetch_scalar(format!("SELECT COUNT(*) FROM `{table}`")).await.unwrap()
}

#[tokio::test]
async fn a_duplicate_in_the_third_statement_writes_nothing() {
    let (log, _guard) = Captured::start();
    for prepared in [true, false] {
        let client = Client::connect_with(support::options().prepared_statements(prepared)).await.unwrap();
        let table = support::unique("ins_dup");
        support::fresh_table(&client, &table, ACCOUNT_COLUMNS).await;
        let before = log.statements(&format!("INSERT INTO `{table}`"));
        let options = InsertOptions::new().table(&table).max_rows_per_statement(10);
        let err = client.insert_many_with(&duplicate_in_third_statement(), options).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateKey, "{err}");
        assert_eq!(err.code(), Some(1062), "{err}");
        assert!(err.message().contains("statement 3 failed"), "{err}");
        assert!(err.message().contains("nothing was written"), "{err}");
        assert_eq!(log.statements(&format!("INSERT INTO `{table}`")) - before, 3, "all three were sent");
        assert_eq!(count(&client, &table).await, 0, "prepared statements: {prepared}");
        client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
    }
}

#[tokio::test]
async fn in_a_transaction_the_callers_transaction_is_the_unit() {
    let client = support::client().await;
    let table = support::unique("ins_tx");
    support::fresh_table(&client, &table, ACCOUNT_COLUMNS).await;
    let options = || InsertOptions::new().table(&table).max_rows_per_statement(10);

    // The error says what the statements before the failed one left in the transaction.
    let tx = client.begin().await.unwrap();
    let err = tx.insert_many_with(&duplicate_in_third_statement(), options()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateKey, "{err}");
    assert!(err.message().contains("wrote 20 rows in this transaction"), "{err}");
    assert_eq!(count(&tx, &table).await, 20);
    tx.rollback().await.unwrap();
    assert_eq!(count(&client, &table).await, 0);

    // `client.transaction` rolls back when the error is returned.
    let outcome: matrixone::Result<u64> = client
        .transaction(async |tx| tx.insert_many_with(&duplicate_in_third_statement(), options()).await)
        .await;
    assert_eq!(outcome.unwrap_err().kind(), ErrorKind::DuplicateKey);
    assert_eq!(count(&client, &table).await, 0);

    // And a good batch commits with the rest of the transaction.
    client
        .transaction(async |tx: &Transaction| {
            tx.insert_many_with(&accounts(1..=30, "u"), options()).await?;
            tx.execute(format!("DELETE FROM `{table}` WHERE id > 25")).await
        })
        .await
        .unwrap();
    assert_eq!(count(&client, &table).await, 25);
    client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
}

#[tokio::test]
async fn on_duplicate_key_update_updates_the_named_columns() {
    let client = support::client().await;
    let table = support::unique("ins_upsert");
    support::fresh_table(&client, &table, ACCOUNT_COLUMNS).await;
    let options = || InsertOptions::new().table(&table);
    client.insert_many_with(&accounts(1..=3, "old"), options()).await.unwrap();

    // Three existing rows updated (2 each) and one new row (1).
    let written = client
        .insert_many_with(&accounts(1..=4, "new"), options().on_duplicate_update(["name"]))
        .await
        .unwrap();
    assert_eq!(written, 3 * 2 + 1);
    let rows: Vec<Account> =
        client.fetch_all(format!("SELECT id, name, email FROM `{table}` ORDER BY id")).await.unwrap();
    let names: Vec<(&str, &str)> = rows.iter().map(|a| (a.name.as_str(), a.email.as_str())).collect();
    assert_eq!(
        names,
        [
            ("new1", "old1@example.com"),
            ("new2", "old2@example.com"),
            ("new3", "old3@example.com"),
            ("new4", "new4@example.com"),
        ]
    );

    client.insert_many_with(&accounts(1..=2, "all"), options().on_duplicate_update_all()).await.unwrap();
    let first: Account =
        client.fetch_one(format!("SELECT id, name, email FROM `{table}` WHERE id = 1")).await.unwrap();
    assert_eq!(first, accounts([1], "all")[0]);

    // A column the insert does not write is refused before anything is sent.
    let err = client
        .insert_many_with(&accounts([9], "x"), options().on_duplicate_update(["nope"]))
        .await
        .unwrap_err();
    assert_eq!((err.kind(), err.code()), (ErrorKind::InvalidInput, None), "{err}");
    assert_eq!(count(&client, &table).await, 4);
    client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
}

#[derive(Debug, Clone, Insertable)]
#[mo(table = "small")]
struct Small {
    #[mo(try_from = "u8")]
    n: i64,
}

#[tokio::test]
async fn rows_that_cannot_be_written_leave_nothing_behind() {
    let client = support::client().await;
    let table = support::unique("ins_refused");
    support::fresh_table(&client, &table, "n INT, body TEXT").await;
    let options = || InsertOptions::new().table(&table);

    // A value that does not convert, in the last row: on a Client the statements before it
    // ran in a transaction of the SDK's own, rolled back.
    let rows = [Small { n: 1 }, Small { n: 2 }, Small { n: 3 }, Small { n: 300 }];
    let err = client.insert_many_with(&rows, options().max_rows_per_statement(1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(err.message().contains("column \"n\""), "{err}");
    assert!(err.message().contains("rolled back: nothing was written"), "{err}");
    assert_eq!(count(&client, &table).await, 0);

    // In a Transaction every value is converted before the first statement is sent, so the
    // caller's transaction holds none of them.
    let tx = client.begin().await.unwrap();
    let err = tx.insert_many_with(&rows, options().max_rows_per_statement(1)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert_eq!(count(&tx, &table).await, 0);
    tx.rollback().await.unwrap();

    // A row too large for any statement.
    let rows = [Blob { id: 1, body: "a".repeat(100) }, Blob { id: 2, body: "b".repeat(5000) }];
    let err = client
        .insert_many_with(&rows, InsertOptions::new().table(&table).max_statement_bytes(1000))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    assert!(err.message().contains("row 1"), "{err}");
    assert_eq!(count(&client, &table).await, 0);

    // An empty batch sends nothing at all: not even on a closed client.
    client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
    client.close().await;
    assert_eq!(client.insert_many(&Vec::<Small>::new()).await.unwrap(), 0);
}

#[derive(Debug, Clone, PartialEq, FromRow, Insertable)]
#[mo(table = "pairs")]
struct Pair<T> {
    key: String,
    value: T,
}

/// One function for a Client and a Transaction.
async fn save<T: Insertable + Sync>(db: &impl Executor, rows: &[T], table: &str) -> matrixone::Result<u64> {
    db.insert_many_with(rows, InsertOptions::new().table(table)).await
}

#[tokio::test]
async fn generic_rows_through_any_executor() {
    let client = support::client().await;
    let table = support::unique("ins_pairs");
    support::fresh_table(&client, &table, "`key` VARCHAR(10), value DOUBLE").await;
    let rows = vec![Pair { key: "a".to_owned(), value: 1.5 }, Pair { key: "b".to_owned(), value: -2.0 }];
    assert_eq!(save(&client, &rows, &table).await.unwrap(), 2);
    let tx = client.begin().await.unwrap();
    assert_eq!(save(&tx, &rows[..1], &table).await.unwrap(), 1);
    tx.commit().await.unwrap();
    let back: Vec<Pair<f64>> =
        client.fetch_all(format!("SELECT `key`, value FROM `{table}` ORDER BY `key`, value")).await.unwrap();
    assert_eq!(back, [rows[0].clone(), rows[0].clone(), rows[1].clone()]);
    client.execute(format!("DROP TABLE `{table}`")).await.unwrap();
}
