//! What vectors cost in the SDK over hand-written code on raw sqlx, in one run (issue 9):
//!
//! - `vector_insert_10k` {sdk_insert_many, raw_hand_formatted}: encode, bind and insert 10,000
//!   384-dimension vectors into an empty table: `insert_many` of `#[derive(Insertable)]` rows
//!   holding `Vecf32` (inlined as `'[..]'` literals by the SDK's binder) against strings formatted
//!   by hand (`format!` of each element) bound with `QueryBuilder::push_values` in 1,000-row
//!   statements, in one transaction as `insert_many` is.
//! - `vector_decode_10k` {sdk, raw_hand_parsed}: read the same 10,000 rows back: `fetch_all`
//!   into `(i64, Vecf32)` against `(i64, String)` rows parsed by hand (`split(',')`, `parse`).
//! - `vector_knn` {sdk_knn_builder, raw_hand_written_sql}: a k = 10 nearest-neighbour query over
//!   1,000 vectors on mosim (MariaDB has no distance functions): the [`Knn`] builder with typed
//!   hits against the same SQL written with `format!` and rows mapped by hand.
//!
//! The insert and decode groups run on plain MariaDB (`DATABASE_URL`, default
//! `mysql://root@127.0.0.1:3306/test`), the vectors in a TEXT column as they travel (MatrixOne
//! sends `vecf32` as VARCHAR text). `cargo bench --bench vector`; `BENCH_TIME_SCALE=0.2` for a
//! quick check. The ratios (SDK time / raw time; <= 1.0 means the SDK is not slower) are printed
//! at the end twice: from criterion's runs (mean per iteration; each side measured after the
//! other, so a machine whose load drifts skews them) and from rounds in which the sides
//! alternate (ratio of the medians: the figure to trust on a shared machine). A kNN round trip
//! is almost all server time, so its ratio sits at 1.0 within the noise.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use matrixone::mo::vector::{Knn, Metric};
use matrixone::{Client, Executor, FromRow, Insertable, Vecf32};
use sqlx::MySql;
use sqlx::mysql::{MySqlPool, MySqlPoolOptions};
use tokio::runtime::Runtime;

mod common;
use common::{on_worker, runtime, slow_group, time, url};

const ROWS: usize = 10_000;
const KNN_ROWS: usize = 1_000;
const DIMS: usize = 384;
const K: u64 = 10;

#[derive(Insertable)]
#[mo(table = "bench_vector")]
struct VecRow {
    id: i64,
    emb: Vecf32,
}

#[derive(FromRow)]
struct Hit {
    id: i64,
}

/// Deterministic embedding-like vectors: full-precision elements in (-1, 1).
fn vectors(n: usize, seed: u64) -> Vec<Vec<f32>> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            (0..DIMS)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
                })
                .collect()
        })
        .collect()
}

/// How a programmer writes a vector literal by hand.
fn hand_format(v: &[f32]) -> String {
    format!("[{}]", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(","))
}

/// How a programmer parses MatrixOne's `[1, 2, 3]` by hand.
fn hand_parse(s: &str) -> Vec<f32> {
    s.trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|x| x.trim().parse().expect("a float"))
        .collect()
}

/// Mean time per iteration of each side, for the ratios.
#[derive(Default, Clone)]
struct Tally(Arc<Mutex<Totals>>);

/// (group, side) -> (time, iterations).
type Totals = BTreeMap<(&'static str, &'static str), (Duration, u64)>;

impl Tally {
    fn add(&self, group: &'static str, side: &'static str, took: Duration, iters: u64) {
        let mut map = self.0.lock().expect("tally");
        let entry = map.entry((group, side)).or_default();
        entry.0 += took;
        entry.1 += iters;
    }

    fn mean(&self, group: &'static str, side: &'static str) -> Option<f64> {
        let map = self.0.lock().expect("tally");
        map.get(&(group, side)).map(|(d, n)| d.as_secs_f64() / (*n).max(1) as f64)
    }
}

struct Sides {
    client: Client,
    pool: MySqlPool,
    mosim: Option<mosim::Server>,
    mo_client: Client,
    mo_pool: MySqlPool,
}

fn connect(rt: &Runtime) -> Sides {
    rt.block_on(async {
        let pool =
            MySqlPoolOptions::new().connect(&url()).await.expect("DATABASE_URL is reachable through sqlx");
        for sql in [
            "DROP TABLE IF EXISTS bench_vector",
            "CREATE TABLE bench_vector (id BIGINT PRIMARY KEY, emb LONGTEXT NOT NULL)",
        ] {
            sqlx::raw_sql(sql).execute(&pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        let client = Client::connect(&url()).await.expect("DATABASE_URL is reachable through the SDK");
        let backend = url();
        let backend = backend.rsplit_once('/').map_or(backend.as_str(), |(server, _)| server);
        let server = mosim::Server::start(backend).await.expect("mosim starts on DATABASE_URL's server");
        let mo_url = server.url("test");
        let mo_client = Client::connect(&mo_url).await.expect("mosim is reachable through the SDK");
        let mo_pool =
            MySqlPoolOptions::new().connect(&mo_url).await.expect("mosim is reachable through sqlx");
        mo_client.execute("DROP TABLE IF EXISTS bench_knn").await.expect("drop bench_knn");
        mo_client
            .execute(format!("CREATE TABLE bench_knn (id BIGINT PRIMARY KEY, emb vecf32({DIMS}))"))
            .await
            .expect("create bench_knn");
        let rows: Vec<VecRow> = vectors(KNN_ROWS, 7)
            .into_iter()
            .enumerate()
            .map(|(i, v)| VecRow { id: i as i64 + 1, emb: v.into() })
            .collect();
        mo_client
            .insert_many_with(&rows, matrixone::InsertOptions::default().table("bench_knn"))
            .await
            .expect("fill bench_knn");
        Sides { client, pool, mosim: Some(server), mo_client, mo_pool }
    })
}

/// A criterion group (see [`slow_group`]) whose sides also add their times to the tally, under
/// the group's name and `"sdk"` or `"raw"`.
struct TalliedGroup<'a> {
    group: BenchmarkGroup<'a, WallTime>,
    rt: &'a Runtime,
    tally: &'a Tally,
    name: &'static str,
}

impl<'a> TalliedGroup<'a> {
    fn new(c: &'a mut Criterion, rt: &'a Runtime, tally: &'a Tally, name: &'static str, secs: f64) -> Self {
        TalliedGroup { group: slow_group(c, name, secs), rt, tally, name }
    }

    /// Benches `id`: each iteration awaits `round(state.clone())`, which returns the time it
    /// measured (what is set up per round, like emptying the table, stays out of it), in a task
    /// on the runtime's workers; the times are summed.
    fn side<S, F, Fut>(&mut self, id: &str, side: &'static str, state: S, round: F)
    where
        S: Clone + Send + 'static,
        F: Fn(S) -> Fut + Copy + Send + 'static,
        Fut: Future<Output = Duration> + Send + 'static,
    {
        let (rt, tally, name) = (self.rt, self.tally, self.name);
        self.group.bench_function(id, |b| {
            b.to_async(rt).iter_custom(|iters| {
                let (state, tally) = (state.clone(), tally.clone());
                on_worker(async move {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        total += round(state.clone()).await;
                    }
                    tally.add(name, side, total, iters);
                    total
                })
            })
        });
    }

    fn finish(self) {
        self.group.finish();
    }
}

/// Empties the table (not timed), then writes the rows through the SDK; returns the time taken.
async fn insert_sdk(client: &Client, pool: &MySqlPool, data: &[Vec<f32>]) -> Duration {
    sqlx::raw_sql("TRUNCATE TABLE bench_vector").execute(pool).await.expect("truncate");
    let start = Instant::now();
    // Building the typed rows (copying the floats) is part of the SDK's side.
    let rows: Vec<VecRow> = data
        .iter()
        .enumerate()
        .map(|(i, v)| VecRow { id: i as i64, emb: Vecf32::from(v.as_slice()) })
        .collect();
    let written = client.insert_many(&rows).await.expect("sdk insert_many");
    let took = start.elapsed();
    assert_eq!(written, ROWS as u64);
    took
}

/// Empties the table (not timed), then writes the rows with hand-formatted strings on raw sqlx.
async fn insert_raw(pool: &MySqlPool, data: &[Vec<f32>]) -> Duration {
    sqlx::raw_sql("TRUNCATE TABLE bench_vector").execute(pool).await.expect("truncate");
    let start = Instant::now();
    let mut conn = pool.acquire().await.expect("a sqlx connection");
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await.expect("begin");
    for (n, chunk) in data.chunks(1000).enumerate() {
        let mut builder = sqlx::QueryBuilder::<MySql>::new("INSERT INTO bench_vector (id, emb) ");
        builder.push_values(chunk.iter().enumerate(), |mut row, (i, v)| {
            row.push_bind((n * 1000 + i) as i64).push_bind(hand_format(v));
        });
        builder.build().execute(&mut *conn).await.expect("sqlx insert");
    }
    sqlx::raw_sql("COMMIT").execute(&mut *conn).await.expect("commit");
    start.elapsed()
}

fn insert_10k(c: &mut Criterion, rt: &Runtime, sides: &Sides, tally: &Tally) {
    let data: Arc<Vec<Vec<f32>>> = Arc::new(vectors(ROWS, 1));
    let mut g = TalliedGroup::new(c, rt, tally, "vector_insert_10k", 12.0);
    g.side(
        "sdk_insert_many",
        "sdk",
        (sides.client.clone(), sides.pool.clone(), data.clone()),
        |(client, pool, data)| async move { insert_sdk(&client, &pool, &data).await },
    );
    g.side("raw_hand_formatted", "raw", (sides.pool.clone(), data), |(pool, data)| async move {
        insert_raw(&pool, &data).await
    });
    g.finish();
}

const ALL: &str = "SELECT id, emb FROM bench_vector";

/// Reads the 10,000 vectors through the SDK.
async fn decode_sdk(client: &Client) {
    let rows: Vec<(i64, Vecf32)> = client.fetch_all(ALL).await.expect("sdk fetch_all");
    assert!(rows.len() == ROWS && rows[0].1.dims() == DIMS);
}

/// Reads them on raw sqlx, parsing by hand.
async fn decode_raw(pool: &MySqlPool) {
    let rows: Vec<(i64, Vec<f32>)> = sqlx::Executor::fetch_all(pool, ALL)
        .await
        .expect("sqlx fetch_all")
        .iter()
        .map(|r| {
            let (id, emb): (i64, String) = sqlx::FromRow::from_row(r).expect("sqlx row");
            (id, hand_parse(&emb))
        })
        .collect();
    assert!(rows.len() == ROWS && rows[0].1.len() == DIMS);
}

fn decode_10k(c: &mut Criterion, rt: &Runtime, sides: &Sides, tally: &Tally) {
    let mut g = TalliedGroup::new(c, rt, tally, "vector_decode_10k", 8.0);
    g.side("sdk", "sdk", sides.client.clone(), |client| async move { timed(decode_sdk(&client)).await });
    g.side(
        "raw_hand_parsed",
        "raw",
        sides.pool.clone(),
        |pool| async move { timed(decode_raw(&pool)).await },
    );
    g.finish();
}

/// One kNN round trip through the SDK's builder.
async fn knn_sdk(client: &Client, query: &[f32]) {
    let hits = Knn::new("bench_knn", "emb", query)
        .metric(Metric::L2)
        .k(K)
        .columns(["id"])
        .fetch::<Hit>(client)
        .await
        .expect("sdk knn");
    assert!(hits.len() == K as usize && hits[0].row.id > 0);
}

/// The same round trip written by hand on raw sqlx.
async fn knn_raw(pool: &MySqlPool, query: &[f32]) {
    let q = hand_format(query);
    let sql = format!(
        "SELECT id, l2_distance(emb, '{q}') AS distance FROM bench_knn ORDER BY l2_distance(emb, '{q}') ASC LIMIT {K}"
    );
    let hits: Vec<(i64, f64)> = sqlx::Executor::fetch_all(pool, sqlx::AssertSqlSafe(sql))
        .await
        .expect("sqlx knn")
        .iter()
        .map(|r| sqlx::FromRow::from_row(r).expect("sqlx row"))
        .collect();
    assert!(hits.len() == K as usize && hits[0].0 > 0);
}

/// How long `work` takes.
async fn timed(work: impl Future<Output = ()>) -> Duration {
    let start = Instant::now();
    work.await;
    start.elapsed()
}

/// The two sides alternated round by round (which goes first alternating too), as a ratio of
/// their medians: on a shared machine the load drifts during a run, and two measurements taken
/// one after the other (criterion's) then differ by more than the sides do. A kNN round trip is
/// almost all server time, so there this is the fairer comparison.
async fn interleaved<S, R>(rounds: usize, sdk: S, raw: R) -> f64
where
    S: AsyncFn() -> Duration,
    R: AsyncFn() -> Duration,
{
    let (mut sdk_times, mut raw_times) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        for side in [round % 2, 1 - round % 2] {
            if side == 0 {
                sdk_times.push(sdk().await.as_secs_f64());
            } else {
                raw_times.push(raw().await.as_secs_f64());
            }
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    median(&mut sdk_times) / median(&mut raw_times)
}

fn knn(c: &mut Criterion, rt: &Runtime, sides: &Sides, tally: &Tally) {
    let query = Arc::new(vectors(1, 99).remove(0));
    let mut g = TalliedGroup::new(c, rt, tally, "vector_knn", 8.0);
    g.side(
        "sdk_knn_builder",
        "sdk",
        (sides.mo_client.clone(), query.clone()),
        |(client, query)| async move { timed(knn_sdk(&client, &query)).await },
    );
    g.side("raw_hand_written_sql", "raw", (sides.mo_pool.clone(), query), |(pool, query)| async move {
        timed(knn_raw(&pool, &query)).await
    });
    g.finish();
}

fn vector(c: &mut Criterion) {
    let rt = runtime();
    let mut sides = connect(&rt);
    let tally = Tally::default();
    insert_10k(c, &rt, &sides, &tally);
    decode_10k(c, &rt, &sides, &tally);
    knn(c, &rt, &sides, &tally);
    println!("\nvector bench: SDK time / raw sqlx time (mean per iteration; <= 1.0x: the SDK is not slower)");
    for group in ["vector_insert_10k", "vector_decode_10k", "vector_knn"] {
        if let (Some(sdk), Some(raw)) = (tally.mean(group, "sdk"), tally.mean(group, "raw")) {
            let ratio = sdk / raw;
            let mark = if ratio <= 1.0 { "PASS" } else { "MISS" };
            println!(
                "  {group:<20} sdk {:>10.3} ms  raw {:>10.3} ms  ratio {ratio:.3}x  {mark}",
                sdk * 1e3,
                raw * 1e3
            );
        }
    }
    let rounds = ((20.0 * time(1.0).as_secs_f64()).ceil() as usize).max(5);
    let query = vectors(1, 99).remove(0);
    let (client, pool, mo_client, mo_pool) = (&sides.client, &sides.pool, &sides.mo_client, &sides.mo_pool);
    let data = vectors(ROWS, 1);
    let insert_rounds = rounds.div_ceil(2);
    let insert = rt.block_on(interleaved(
        insert_rounds,
        async || insert_sdk(client, pool, &data).await,
        async || insert_raw(pool, &data).await,
    ));
    let decode = rt.block_on(interleaved(
        rounds,
        async || timed(decode_sdk(client)).await,
        async || timed(decode_raw(pool)).await,
    ));
    let knn = rt.block_on(interleaved(
        3 * rounds,
        async || timed(knn_sdk(mo_client, &query)).await,
        async || timed(knn_raw(mo_pool, &query)).await,
    ));
    println!(
        "  the same with the sides alternating (ratio of medians; insert {insert_rounds} rounds, decode {rounds}, kNN {}):",
        3 * rounds
    );
    for (group, ratio) in [("vector_insert_10k", insert), ("vector_decode_10k", decode), ("vector_knn", knn)]
    {
        let mark = if ratio <= 1.0 { "PASS" } else { "MISS" };
        println!("  {group:<20} ratio {ratio:.3}x  {mark}");
    }
    rt.block_on(async {
        let _ = sqlx::raw_sql("DROP TABLE IF EXISTS bench_vector").execute(&sides.pool).await;
        let _ = sides.mo_client.execute("DROP TABLE IF EXISTS bench_knn").await;
        sides.mo_client.close().await;
        sides.mo_pool.close().await;
        if let Some(server) = sides.mosim.take() {
            server.shutdown().await;
        }
    });
}

criterion_group!(benches, vector);
criterion_main!(benches);
