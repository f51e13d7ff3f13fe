mod support;
use matrixone::{Executor, query};

#[tokio::test]
async fn smoke() {
    let c = support::client().await;
    let rs = c.execute("SELECT 1 AS a, 'x' AS b").await.unwrap();
    assert_eq!(rs.columns(), ["a", "b"]);
    assert_eq!(rs.scalar::<i64>().unwrap(), 1);
    let n: u64 = c.fetch_scalar(query("SELECT ? + 1").bind(41)).await.unwrap();
    assert_eq!(n, 42);
    let t = support::unique("smoke");
    support::fresh_table(&c, &t, "id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50)").await;
    let rs = c
        .execute(query(format!("INSERT INTO {t} (name) VALUES (?), (?)")).bind("a").bind("b"))
        .await
        .unwrap();
    assert_eq!(rs.rows_affected(), 2);
    assert_eq!(rs.last_insert_id(), 1);
    let id = c
        .transaction(async |tx| {
            tx.execute(query(format!("INSERT INTO {t} (name) VALUES (?)")).bind("c")).await?;
            tx.fetch_scalar::<u64>("SELECT LAST_INSERT_ID()").await
        })
        .await
        .unwrap();
    assert_eq!(id, 3);
    let pairs: Vec<(i64, String)> =
        c.fetch_all(format!("SELECT id, name FROM {t} ORDER BY id")).await.unwrap();
    assert_eq!(pairs.len(), 3);
}
