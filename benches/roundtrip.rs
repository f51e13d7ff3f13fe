//! What the SDK costs over raw sqlx, measured in one run on one runtime (multi-thread, 2 workers)
//! against MariaDB, with the SDK's default options (prepared statements on MariaDB) and sqlx's
//! pool in its default configuration.
//!
//! - `point_select` {sdk, raw_sqlx_pool, bare_sqlx_conn}: one row of a 100,000-row table by
//!   primary key, a bound value, prepared on every side; one call after the other.
//! - `concurrent_8` {sdk, raw_sqlx_pool}: the same query from 8 tasks at once; one iteration is
//!   8 queries (criterion's throughput line gives the time per query).
//! - `fetch_100k` {sdk, raw_sqlx}: all 100,000 rows (BIGINT, VARCHAR) mapped to tuples, over the
//!   text protocol on both sides (the SDK sends a statement without values as text).
//! - `insert_100k` {sdk_insert_many, raw_push_values_1000, raw_push_values_1000_tx}: 100,000 rows
//!   into an empty table: `insert_many` of `#[derive(Insertable)]` rows (all or nothing: its
//!   statements run in a transaction) against `QueryBuilder::push_values` in 1,000-row statements
//!   as usually written, each committed on its own, and the same in one transaction (what it
//!   takes to give raw sqlx `insert_many`'s guarantee).
//!
//! Every timed loop runs in a task on the runtime's workers, as a service's handlers do.
//!
//! `./scripts/bench.sh` runs this with the C client and the Python SDK and prints the ratios. Alone:
//! `cargo bench --bench roundtrip` against `DATABASE_URL` (default
//! `mysql://root@127.0.0.1:3306/test`, a MariaDB with the SEQUENCE engine);
//! `BENCH_TIME_SCALE=0.2` shortens every measurement for a quick check.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use matrixone::{Client, Executor, Insertable, query};
use sqlx::Connection as _;
use sqlx::mysql::{MySql, MySqlConnection, MySqlPool, MySqlPoolOptions};
use tokio::runtime::Runtime;

mod common;
use common::{on_worker, runtime, slow_group, time, url};

const ROWS: i64 = 100_000;
const POINT_SQL: &str = "SELECT id, name FROM bench_roundtrip WHERE id = ?";
const ALL_SQL: &str = "SELECT id, name FROM bench_roundtrip";
const ID: i64 = 4242;
const TASKS: u64 = 8;

#[derive(Insertable)]
#[mo(table = "bench_insert")]
struct BenchRow {
    id: i64,
    name: String,
}

/// The 100,000-row table, made unless it is there already (`bench.sh` makes it first for the
/// other clients), and an empty insert target. Both are dropped at the end.
async fn setup_tables(pool: &MySqlPool) {
    let count: Option<(i64,)> =
        sqlx::query_as("SELECT COUNT(*) FROM bench_roundtrip").fetch_optional(pool).await.ok().flatten();
    if count != Some((ROWS,)) {
        for sql in [
            "DROP TABLE IF EXISTS bench_roundtrip",
            "CREATE TABLE bench_roundtrip (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
            "INSERT INTO bench_roundtrip SELECT seq, CONCAT('name-', seq) FROM seq_1_to_100000",
        ] {
            sqlx::raw_sql(sql).execute(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }
    for sql in [
        "DROP TABLE IF EXISTS bench_insert",
        "CREATE TABLE bench_insert (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
    ] {
        sqlx::raw_sql(sql).execute(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

struct Sides {
    client: Client,
    pool: MySqlPool,
    bare: Arc<tokio::sync::Mutex<MySqlConnection>>,
}

fn connect(rt: &Runtime) -> Sides {
    rt.block_on(async {
        let pool = MySqlPoolOptions::new()
            .connect(&url())
            .await
            .expect("the bench database (DATABASE_URL) is reachable through sqlx");
        setup_tables(&pool).await;
        let client = Client::connect(&url()).await.expect("the bench database is reachable through the SDK");
        let bare = MySqlConnection::connect(&url()).await.expect("a bare sqlx connection");
        Sides { client, pool, bare: Arc::new(tokio::sync::Mutex::new(bare)) }
    })
}

fn check(row: (i64, String)) {
    assert_eq!(row.0, ID, "the point select found the wrong row");
}

fn point_select(c: &mut Criterion, rt: &Runtime, sides: &Sides) {
    let mut group = c.benchmark_group("point_select");
    group.warm_up_time(time(1.0)).measurement_time(time(4.0));
    group.bench_function("sdk", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let client = sides.client.clone();
            on_worker(async move {
                let start = Instant::now();
                for _ in 0..iters {
                    check(client.fetch_one(query(POINT_SQL).bind(ID)).await.expect("sdk point select"));
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("raw_sqlx_pool", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let pool = sides.pool.clone();
            on_worker(async move {
                let start = Instant::now();
                for _ in 0..iters {
                    check(
                        sqlx::query_as(POINT_SQL).bind(ID).fetch_one(&pool).await.expect("sqlx point select"),
                    );
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("bare_sqlx_conn", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let bare = sides.bare.clone();
            on_worker(async move {
                let mut conn = bare.lock().await;
                let start = Instant::now();
                for _ in 0..iters {
                    check(
                        sqlx::query_as(POINT_SQL)
                            .bind(ID)
                            .fetch_one(&mut *conn)
                            .await
                            .expect("bare point select"),
                    );
                }
                start.elapsed()
            })
        })
    });
    group.finish();
}

/// Times `TASKS` tasks running `one` `iters` times each, all at once.
async fn in_parallel<F, Fut>(iters: u64, one: F) -> Duration
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let one = one.clone();
            tokio::spawn(async move {
                for _ in 0..iters {
                    one().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a concurrent task panicked");
    }
    start.elapsed()
}

fn concurrent_8(c: &mut Criterion, rt: &Runtime, sides: &Sides) {
    let mut group = c.benchmark_group("concurrent_8");
    group.warm_up_time(time(1.0)).measurement_time(time(4.0)).throughput(Throughput::Elements(TASKS));
    group.bench_function("sdk", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let client = sides.client.clone();
            in_parallel(iters, move || {
                let client = client.clone();
                async move { check(client.fetch_one(query(POINT_SQL).bind(ID)).await.expect("sdk point select")) }
            })
        })
    });
    group.bench_function("raw_sqlx_pool", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let pool = sides.pool.clone();
            in_parallel(iters, move || {
                let pool = pool.clone();
                async move {
                    check(
                        sqlx::query_as(POINT_SQL).bind(ID).fetch_one(&pool).await.expect("sqlx point select"),
                    )
                }
            })
        })
    });
    group.finish();
}

fn fetch_100k(c: &mut Criterion, rt: &Runtime, sides: &Sides) {
    let mut group = slow_group(c, "fetch_100k", 6.0);
    group.bench_function("sdk", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let client = sides.client.clone();
            on_worker(async move {
                let start = Instant::now();
                for _ in 0..iters {
                    let rows: Vec<(i64, String)> = client.fetch_all(ALL_SQL).await.expect("sdk fetch_all");
                    assert_eq!(rows.len(), ROWS as usize);
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("raw_sqlx", |b| {
        b.to_async(rt).iter_custom(|iters| {
            let pool = sides.pool.clone();
            on_worker(async move {
                let start = Instant::now();
                for _ in 0..iters {
                    // A &'static str without arguments goes over the text protocol, as the SDK's
                    // statement without values does.
                    let rows: Vec<(i64, String)> = sqlx::Executor::fetch_all(&pool, ALL_SQL)
                        .await
                        .expect("sqlx fetch_all")
                        .iter()
                        .map(|r| sqlx::FromRow::from_row(r).expect("sqlx row"))
                        .collect();
                    assert_eq!(rows.len(), ROWS as usize);
                }
                start.elapsed()
            })
        })
    });
    group.finish();
}

/// How the raw sqlx side writes: its 1,000-row statements each committed on its own, or all in
/// one transaction.
#[derive(Clone, Copy)]
enum Raw {
    Autocommit,
    Transaction,
}

async fn insert_with_push_values(pool: &MySqlPool, rows: &[BenchRow], how: Raw) {
    let mut conn = pool.acquire().await.expect("a sqlx connection");
    if let Raw::Transaction = how {
        sqlx::raw_sql("BEGIN").execute(&mut *conn).await.expect("sqlx begin");
    }
    for chunk in rows.chunks(1000) {
        let mut builder = sqlx::QueryBuilder::<MySql>::new("INSERT INTO bench_insert (id, name) ");
        builder.push_values(chunk, |mut row, r| {
            row.push_bind(r.id).push_bind(r.name.as_str());
        });
        builder.build().execute(&mut *conn).await.expect("sqlx insert");
    }
    if let Raw::Transaction = how {
        sqlx::raw_sql("COMMIT").execute(&mut *conn).await.expect("sqlx commit");
    }
}

fn insert_100k(c: &mut Criterion, rt: &Runtime, sides: &Sides) {
    let rows: Arc<Vec<BenchRow>> =
        Arc::new((1..=ROWS).map(|id| BenchRow { id, name: format!("name-{id}") }).collect());
    let mut group = slow_group(c, "insert_100k", 12.0);
    // Each iteration starts from an empty table; emptying it is not timed.
    let timed = |pool: MySqlPool, rows: Arc<Vec<BenchRow>>, iters: u64, side: Result<Client, Raw>| async move {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            sqlx::raw_sql("TRUNCATE TABLE bench_insert").execute(&pool).await.expect("truncate");
            let start = Instant::now();
            match &side {
                Ok(client) => {
                    let written = client.insert_many(&rows).await.expect("sdk insert_many");
                    assert_eq!(written, ROWS as u64);
                }
                Err(how) => insert_with_push_values(&pool, &rows, *how).await,
            }
            total += start.elapsed();
        }
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM bench_insert").fetch_one(&pool).await.expect("count");
        assert_eq!(count, ROWS, "every row was written");
        total
    };
    group.bench_function("sdk_insert_many", |b| {
        b.to_async(rt).iter_custom(|iters| {
            on_worker(timed(sides.pool.clone(), rows.clone(), iters, Ok(sides.client.clone())))
        })
    });
    for (name, how) in
        [("raw_push_values_1000", Raw::Autocommit), ("raw_push_values_1000_tx", Raw::Transaction)]
    {
        group.bench_function(name, |b| {
            b.to_async(rt)
                .iter_custom(|iters| on_worker(timed(sides.pool.clone(), rows.clone(), iters, Err(how))))
        });
    }
    group.finish();
}

fn roundtrip(c: &mut Criterion) {
    let rt = runtime();
    let sides = connect(&rt);
    point_select(c, &rt, &sides);
    concurrent_8(c, &rt, &sides);
    fetch_100k(c, &rt, &sides);
    insert_100k(c, &rt, &sides);
    rt.block_on(async {
        for sql in ["DROP TABLE IF EXISTS bench_insert", "DROP TABLE IF EXISTS bench_roundtrip"] {
            let _ = sqlx::raw_sql(sql).execute(&sides.pool).await;
        }
    });
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
