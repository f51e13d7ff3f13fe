//! Runs `examples/semantic_search.rs` as a test, so that `cargo test` (and CI) checks its
//! expected hits on mosim.
#![cfg(feature = "testing")]

#[path = "../examples/semantic_search.rs"]
#[allow(dead_code)]
mod example;

#[tokio::test]
async fn the_semantic_search_example_finds_its_expected_hits() {
    let db = matrixone::testing::TestDatabase::builder().prefix("vsdk_example").create().await.unwrap();
    let outcome = example::run(db.client()).await;
    example::clean_up(db.client()).await.unwrap();
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
