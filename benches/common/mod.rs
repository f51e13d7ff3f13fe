//! Shared by the benches: which server to measure against, how long to measure, and the runtime
//! the timed loops run on.

use std::future::Future;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode};
use tokio::runtime::Runtime;

/// `DATABASE_URL`, default `mysql://root@127.0.0.1:3306/test`.
pub fn url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".to_owned())
}

/// `BENCH_TIME_SCALE` (default 1) times `secs`.
pub fn time(secs: f64) -> Duration {
    let scale: f64 = std::env::var("BENCH_TIME_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1.0);
    Duration::from_secs_f64(secs * scale)
}

/// The runtime every bench measures on: multi-thread, 2 workers, as a small service runs.
pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

/// Runs `fut` in a task on the runtime's workers and returns its output.
pub async fn on_worker<T: Send + 'static>(fut: impl Future<Output = T> + Send + 'static) -> T {
    tokio::spawn(fut).await.expect("the benchmark task panicked")
}

/// A group of slow iterations: few samples, one or a few iterations each, measured for
/// `measurement` seconds (scaled by [`time`]).
pub fn slow_group<'a>(c: &'a mut Criterion, name: &str, measurement: f64) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(time(1.0))
        .measurement_time(time(measurement));
    group
}
