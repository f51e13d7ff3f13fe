//! The SDK's overhead over raw sqlx (a pool of the same size), measured in the same run.
//!
//! - `point_select`: one row by primary key with a bound value (prepared protocol on both sides:
//!   MariaDB is not MatrixOne, so the SDK prepares).
//! - `fetch_10k`: 10,000 rows of (BIGINT, VARCHAR) over the text protocol, mapped to tuples.
//!
//! Run `cargo bench --bench roundtrip` against MariaDB (`DATABASE_URL`, default
//! `mysql://root@127.0.0.1:3306/test`), then `python3 scripts/bench_ratios.py` for SDK/raw ratios.

use criterion::{Criterion, criterion_group, criterion_main};
use matrixone::{Client, ConnectOptions, Executor, query};
use sqlx::Row as _;

const TABLE: &str = "bench_roundtrip";

fn url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}

fn setup(rt: &tokio::runtime::Runtime) -> Client {
    let url = url();
    rt.block_on(async {
        let opts: ConnectOptions = url.parse().expect("DATABASE_URL");
        let client =
            Client::connect_with(opts.max_connections(4)).await.expect("the bench database is reachable");
        client.execute(format!("DROP TABLE IF EXISTS {TABLE}")).await.expect("drop");
        client
            .execute(format!("CREATE TABLE {TABLE} (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL)"))
            .await
            .expect("create");
        client
            .execute(format!("INSERT INTO {TABLE} SELECT seq, CONCAT('name-', seq) FROM seq_1_to_10000"))
            .await
            .expect("fill");
        client
    })
}

fn roundtrip(c: &mut Criterion) {
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let client = setup(&rt);
    // Raw sqlx with the same pool size, in its default configuration.
    let pool = rt
        .block_on(sqlx::mysql::MySqlPoolOptions::new().max_connections(4).connect(&url()))
        .expect("raw sqlx pool");
    let point_sql = "SELECT id, name FROM bench_roundtrip WHERE id = ?";
    let all_sql = "SELECT id, name FROM bench_roundtrip";

    let mut group = c.benchmark_group("point_select");
    group.bench_function("sdk", |b| {
        b.to_async(&rt).iter(|| async {
            let row: (i64, String) = client.fetch_one(query(point_sql).bind(4242_i64)).await.expect("sdk");
            assert_eq!(row.0, 4242);
        })
    });
    group.bench_function("raw_sqlx", |b| {
        b.to_async(&rt).iter(|| async {
            let row: (i64, String) =
                sqlx::query_as(point_sql).bind(4242_i64).fetch_one(&pool).await.expect("sqlx");
            assert_eq!(row.0, 4242);
        })
    });
    group.finish();

    let mut group = c.benchmark_group("fetch_10k");
    group.sample_size(20);
    group.bench_function("sdk", |b| {
        b.to_async(&rt).iter(|| async {
            let rows: Vec<(i64, String)> = client.fetch_all(all_sql).await.expect("sdk");
            assert_eq!(rows.len(), 10_000);
        })
    });
    group.bench_function("raw_sqlx", |b| {
        b.to_async(&rt).iter(|| async {
            // A &'static str is sent over the text protocol, as the SDK does without binds.
            let rows: Vec<(i64, String)> = sqlx::Executor::fetch_all(&pool, all_sql)
                .await
                .expect("sqlx")
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            assert_eq!(rows.len(), 10_000);
        })
    });
    group.finish();

    rt.block_on(async {
        let _ = client.execute(format!("DROP TABLE IF EXISTS {TABLE}")).await;
    });
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
